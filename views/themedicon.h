// Icons that follow the light or dark palette: the SVGs in resources/icons draw with
// "currentColor", and this engine renders them in the palette's text colour at paint time,
// so toggling the dark theme needs no icon reloading. Fixed colours in an SVG (the green of
// Run) stay as drawn.
#pragma once

#include <QIcon>
#include <QString>

namespace ql {

// ":/icons/<name>.svg" as a palette-following icon.
QIcon themedIcon(const QString &name);

} // namespace ql
