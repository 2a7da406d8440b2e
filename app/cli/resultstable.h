// Plain-text tables for the terminal: simulation results with the closed-form theory in a
// column beside them, and theory alone.
#pragma once

#include "scenario/scenario.h"
#include "stats/precision.h"
#include "stats/results.h"
#include "theory/theory.h"

#include <string>

namespace ql::cli {

// Four significant digits; whole numbers up to 10^12 in full; "inf", "n/a" for the rest.
std::string formatNumber(double v);

struct RunInfo
{
    std::string file;
    double seconds = 0;
    int threads = 1;
    // When set, replaces the line under the title that describes a simulation run (seed,
    // threads, events/s): a live run says its backend and time scale there instead.
    std::string summary;
};

// How a run to precision ended, in one line: "stopped at precision: 37 replications, worst
// relative half-width 1.9% (jobs wait)" or "precision 2% not reached within 200
// replications (worst 3.4%, jobs wait)".
std::string precisionSummary(const PrecisionOutcome &precision, int replications);

std::string formatResultsTable(const Scenario &scenario, const Results &results,
                               const TheoryResult &theory, const RunInfo &info);
std::string formatTheory(const Scenario &scenario, const TheoryResult &theory);

} // namespace ql::cli
