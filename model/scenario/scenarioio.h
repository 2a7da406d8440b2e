// Reading, validating and writing scenario files (docs/scenario-format.md). Errors are
// values: every problem comes back as a Diagnostic naming the file, the JSON path and the
// fix. Unknown keys are warnings. Writing goes through QSaveFile, so a file on disk is
// either the old one or the complete new one, never half of each.
#pragma once

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"

#include <optional>
#include <string>

namespace ql {

struct LoadResult
{
    std::optional<Scenario> scenario; // set when there are no errors
    Diagnostics diagnostics;          // errors and warnings
};

// Reads and validates a scenario file. Empirical distributions with a `file` are resolved
// relative to the scenario file's folder and their samples loaded.
LoadResult loadScenarioFile(const std::string &path);

// Parses and validates scenario JSON held in memory. `fileName` is used in messages;
// `baseDir` resolves empirical trace files (empty: the current directory).
LoadResult parseScenario(const std::string &json, const std::string &fileName,
                         const std::string &baseDir = {});

// The semantic checks (ids, links, parameters, probabilities ...) on an in-memory scenario,
// as the editor needs them before a run. Paths are those the saved file would have.
Diagnostics validateScenario(const Scenario &scenario, const std::string &fileName = {});

// Canonical JSON text of a scenario: keys in the spec's order, two-space indentation,
// defaults left out. parseScenario(scenarioToJson(s)) == s.
std::string scenarioToJson(const Scenario &scenario);

// Writes atomically. On failure returns false and sets *error to a message naming the path.
bool saveScenarioFile(const Scenario &scenario, const std::string &path, std::string *error);

} // namespace ql
