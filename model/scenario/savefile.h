// Writes a whole text file atomically (QSaveFile): readers see the old file or the complete
// new one, never a half-written file, even when the disk fills up or the program dies.
#pragma once

#include <string>

namespace ql {

// On failure returns false and sets *error to "cannot write PATH: REASON; FIX".
bool writeTextFileAtomically(const std::string &path, const std::string &text, std::string *error);

} // namespace ql
