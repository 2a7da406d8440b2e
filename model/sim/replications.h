// Runs the replications of a scenario in parallel (one thread per core, each replication
// independent and seeded deterministically) and aggregates them into results. The outcome
// does not depend on the number of threads or their timing.
//
// With a precision rule, replications run in batches until every watched metric's 95%
// interval is within the target relative half-width, or the budget is spent. Replication k
// always has the same seed, and where the rule stops is decided over whole batches, after
// each replication in replication order, so it is the same k on one thread or many (a
// wall-clock budget is the one thing that depends on the machine).
#pragma once

#include "scenario/scenario.h"
#include "stats/precision.h"
#include "stats/results.h"

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace ql {

inline constexpr int kPrecisionMinReplications = 5;
inline constexpr int kPrecisionMaxReplications = 1000;

struct PrecisionRule
{
    double target = 0.02;                  // ci95 / |mean|, in (0, 1)
    std::vector<PrecisionMetric> metrics;  // empty: defaultPrecisionMetrics()
    int minReplications = 0;               // 0: kPrecisionMinReplications or run.replications,
                                           // whichever is larger
    int maxReplications = 0;               // 0: kPrecisionMaxReplications (never below the minimum)
    double maxSeconds = 0;                 // 0: no wall-clock budget; else no replication
                                           // starts after it (the minimum always runs)
};

// The replications a rule runs before it may stop.
int precisionMinimum(const Scenario &scenario, const PrecisionRule &rule);

struct RunOptions
{
    int threads = 0;                                // 0 = all cores
    std::function<void(double fraction)> progress;  // from worker threads, throttled
    const std::atomic<bool> *cancel = nullptr;      // set to stop early (results partial)
    std::optional<PrecisionRule> precision;         // run to precision instead of run.replications
};

// With options.precision, the results say how the rule ended (Results::precision).
Results runReplications(const Scenario &scenario, const RunOptions &options = {});

// The same runs, one RunStats per replication in order, before aggregation (for callers
// that need each replication's figures, such as percentile intervals in comparisons).
// With options.precision, the runs the rule kept; `outcome`, when given, says how it ended.
std::vector<RunStats> simulateRuns(const Scenario &scenario, const RunOptions &options = {},
                                   PrecisionOutcome *outcome = nullptr);

} // namespace ql
