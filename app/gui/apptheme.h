// The two palettes of the program, light and dark, both on the Fusion style so they look
// the same on every desktop (and under the offscreen platform the screenshots use).
#pragma once

#include <QPalette>

namespace ql {

QPalette lightPalette();
QPalette darkPalette();
// Sets Fusion and the palette on the whole application.
void applyTheme(bool dark);

} // namespace ql
