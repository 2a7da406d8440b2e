// The judge of a run "to precision": which metrics a sequential stopping rule watches and,
// over the replications so far (in replication order), how wide each one's 95% confidence
// interval is relative to its mean. The runner (sim/replications.cpp) adds replications
// until every watched metric is within the target; this class answers, from the runs'
// values in order and nothing else, whether and after which replication that happened, so
// the answer cannot depend on threads or batch sizes.
#pragma once

#include "scenario/scenario.h"
#include "stats/results.h"

#include <string>
#include <vector>

namespace ql {

// A metric a precision rule watches: end to end (node "") "latency" or "throughput", or a
// node's metric with an interval, by its results key ("wait", "utilization", "throughput",
// "service", "length"; a delay's "delay", "in_transit").
struct PrecisionMetric
{
    std::string node;
    std::string metric;
    bool operator==(const PrecisionMetric &) const = default;
};

// For tables: "jobs wait", "end-to-end latency".
std::string precisionMetricLabel(const PrecisionMetric &m);

// End-to-end latency and throughput, every queue's wait, every consumer's utilization.
std::vector<PrecisionMetric> defaultPrecisionMetrics(const Scenario &scenario);

// Why `m` cannot be watched in `scenario` (no such node, or a count without an interval),
// with the fix; "" when it can.
std::string precisionMetricProblem(const Scenario &scenario, const PrecisionMetric &m);

struct PrecisionCheck
{
    double worst = 0;    // the largest ci95 / |mean|; 0 when every metric is exempt
    int worstIndex = -1; // into PrecisionTracker::metrics(); -1 when every metric is exempt
};

class PrecisionTracker
{
public:
    // Metrics that precisionMetricProblem() refuses are left out of metrics().
    PrecisionTracker(const Scenario &scenario, const std::vector<PrecisionMetric> &metrics);

    // The next replication's figures, in replication order.
    void add(const RunStats &run);
    int count() const { return runs_; }
    std::vector<PrecisionMetric> metrics() const;

    // Over the first k runs, each metric's ci95 / |mean| exactly as aggregate() computes
    // them for those runs. A metric is exempt while fewer than two runs observed it or its
    // mean is 0 (it has no interval to judge).
    PrecisionCheck check(int k) const;
    // The smallest k in [from, count()] with check(k).worst <= target, or 0 if none.
    int firstWithin(double target, int from) const;

private:
    struct Watched
    {
        PrecisionMetric metric;
        std::size_t node = 0;
        NodeKind kind = NodeKind::Queue;
        MetricId id = MetricId::Wait;
        bool endToEnd = false;
        EndToEndMetric e2e = EndToEndMetric::Latency;
        std::vector<double> values;    // one per run that observed the metric, in order
        std::vector<std::size_t> upTo; // upTo[k]: how many of values the first k runs gave
        // Welford's running mean and sum of squares after each value: a cheap screen, so
        // the exact (two-pass) interval is computed only where the screen says "maybe".
        std::vector<double> runningMean, runningM2;
    };
    double relativeHalfWidth(const Watched &w, int k) const;
    double screenedHalfWidth(const Watched &w, int k) const;

    std::vector<Watched> watched_;
    int runs_ = 0;
};

} // namespace ql
