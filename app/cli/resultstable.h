// Plain-text tables for the terminal: simulation results with the closed-form theory in a
// column beside them, and theory alone. The rows are the model's (stats/resultrows.h), the
// numbers the one formatter's (stats/numberformat.h), as in the GUI's Results dock.
#pragma once

#include "scenario/scenario.h"
#include "stats/numberformat.h"
#include "stats/resultrows.h"
#include "stats/results.h"
#include "theory/theory.h"

#include <string>

namespace ql::cli {

struct RunInfo
{
    std::string file;
    double seconds = 0;
    int threads = 1;
    // When set, replaces the line under the title that describes a simulation run (seed,
    // threads, events/s): a live run says its backend and time scale there instead.
    std::string summary;
};

std::string formatResultsTable(const Scenario &scenario, const Results &results,
                               const TheoryResult &theory, const RunInfo &info);
std::string formatTheory(const Scenario &scenario, const TheoryResult &theory);

} // namespace ql::cli
