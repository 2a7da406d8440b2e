#error "model/ must not depend on Qt Widgets: move this code to views/ or app/"
