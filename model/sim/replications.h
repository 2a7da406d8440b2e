// Runs the replications of a scenario in parallel (one thread per core, each replication
// independent and seeded deterministically) and aggregates them into results. The outcome
// does not depend on the number of threads or their timing.
#pragma once

#include "scenario/scenario.h"
#include "stats/results.h"

#include <atomic>
#include <functional>
#include <vector>

namespace ql {

struct RunOptions
{
    int threads = 0;                                // 0 = all cores
    std::function<void(double fraction)> progress;  // from worker threads, throttled
    const std::atomic<bool> *cancel = nullptr;      // set to stop early (results partial)
};

Results runReplications(const Scenario &scenario, const RunOptions &options = {});

// The same runs, one RunStats per replication in order, before aggregation (for callers
// that need each replication's figures, such as percentile intervals in comparisons).
std::vector<RunStats> simulateRuns(const Scenario &scenario, const RunOptions &options = {});

} // namespace ql
