#error "model/ must not depend on Qt Gui: move this code to views/ or app/"
