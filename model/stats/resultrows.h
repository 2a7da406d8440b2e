// The rows of a results table: per node and end to end, each metric with its mean and 95%
// interval (or a count), percentiles where the metric has a distribution, and the closed-form
// theory beside it where one applies. `queuelab-cli run` prints these rows and the GUI's
// Results dock shows them, so the two always list the same figures.
#pragma once

#include "scenario/scenario.h"
#include "stats/precision.h"
#include "stats/results.h"
#include "theory/theory.h"

#include <optional>
#include <string>
#include <vector>

namespace ql {

struct ResultRow
{
    std::string node;   // a node id, or "end-to-end"
    std::string kind;   // the node kind's file name ("queue"); "" end to end
    std::string metric; // "wait s", "throughput /s", "published"
    double value = 0;   // the mean over replications (a count's mean, too)
    std::optional<double> ci95;
    bool isCount = false; // a count: no interval, no percentiles
    std::optional<double> p50, p95, p99, max;
    std::optional<double> theory;

    // The value as the tables print it: "0.900 ± 0.0045", "47,356".
    std::string valueText() const;
    // Theory lies outside the 95% interval (only where both exist).
    bool theoryOutsideInterval() const;
};

std::vector<ResultRow> resultRows(const Scenario &scenario, const Results &results, const TheoryResult &theory);

// How a run to precision ended, in one line: "stopped at precision: 37 replications, worst
// relative half-width 1.9% (jobs wait)" or "precision 2% not reached within 200
// replications (worst 3.4%, jobs wait)".
std::string precisionSummary(const PrecisionOutcome &precision, int replications);

} // namespace ql
