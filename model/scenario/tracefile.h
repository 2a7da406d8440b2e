// Empirical traces: the CSV files an empirical distribution's "file" names (one value per
// line, as a column exported from a spreadsheet or a log tool). The scenario reader loads
// them; the editor can use the same functions to preview a trace the user picks.
#pragma once

#include <string>
#include <vector>

namespace ql {

// Where a trace named `file` in a scenario lives: `file` itself if absolute, else relative
// to `baseDir` (the scenario file's folder; empty: the current directory). Clean, absolute.
std::string resolveTracePath(const std::string &file, const std::string &baseDir);

// Reads one non-negative number per line; blank lines, '#' comments and one non-numeric
// header line before the first value are skipped, as are a UTF-8 byte order mark and CRs.
// On failure returns false and sets *error to what is wrong, naming the file (and line),
// e.g. "trace file \"/data/t.csv\" line 4: \"abc\" is not a number; ...".
bool readTraceFile(const std::string &path, std::vector<double> *samples, std::string *error);

} // namespace ql
