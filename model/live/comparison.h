// Simulation and live run of one scenario, side by side: for each headline metric the
// simulated mean with its 95% interval, the live value, their relative difference and
// whether the live value lies inside the interval. Used by `queuelab-cli compare` and meant
// for the GUI's overlay too. The JSON form ("queuelab-comparison") holds both results files
// under "simulation" and "live" plus the rows under "comparison" (docs/live.md).
#pragma once

#include "scenario/scenario.h"
#include "sim/replications.h"
#include "stats/results.h"
#include "stats/runstats.h"

#include <optional>
#include <string>
#include <vector>

namespace ql {

// The replications of runReplications() (same seeds, same aggregate), keeping each
// replication's RunStats: percentile intervals need the per-replication values.
struct SimulatedRuns
{
    std::vector<RunStats> runs;
    Results results;
};
SimulatedRuns simulateReplications(const Scenario &scenario, const RunOptions &options = {});

struct ComparisonRow
{
    std::string node;        // node id, "" for end-to-end
    std::string metric;      // throughput, latency_mean, latency_p50/p95/p99, wait_mean,
                             // length_mean, drops, utilization
    double simulation = 0;
    std::optional<double> ci95;     // half-width of the simulation's 95% interval
    std::optional<double> live;     // empty when the live run measured nothing for it
    std::optional<double> relative; // (live - simulation) / |simulation|; empty if sim is 0
    std::optional<bool> inside;     // |live - simulation| <= ci95; empty without interval
};

struct Comparison
{
    std::vector<ComparisonRow> rows;
};

// `simRuns` may be empty: then percentiles have no interval.
Comparison compareResults(const Scenario &scenario, const Results &simulation,
                          const std::vector<RunStats> &simRuns, const Results &live);

// Everything `compare --json` writes. `timeScale` and `wallPerUnit` describe the live run.
struct ComparisonInfo
{
    std::string backend;
    double timeScale = 0;     // wall seconds per scenario second
    double wallPerUnit = 0;   // wall seconds per scenario time unit
    double wallSeconds = 0;   // how long the live traffic ran
};
std::string comparisonToJson(const Results &simulation, const Results &live,
                             const Comparison &comparison, const ComparisonInfo &info);

} // namespace ql
