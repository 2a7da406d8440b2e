// The results of a run as the spec's results file describes them (format
// "queuelab-results", version 1): means over replications with 95% confidence intervals,
// percentiles from the pooled histograms, per node and end to end.
#pragma once

#include "scenario/scenario.h"
#include "topology/nodekinds.h"
#include "stats/confidence.h"
#include "stats/runstats.h"

#include <optional>
#include <string>
#include <vector>

namespace ql {

// {"mean", "ci95", "p50", "p90", "p95", "p99", "p999", "max"}
struct Stats
{
    double mean = 0;
    std::optional<double> ci95;
    double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
    std::uint64_t count = 0; // observations pooled over replications (not written)
    bool operator==(const Stats &) const = default;
};

struct NodeResult
{
    std::string id;
    NodeKind kind = NodeKind::Queue;
    // Counts are means over replications; throughput = count / (duration - warmup).
    double published = 0;            // producer
    double routed = 0, unroutable = 0; // exchange
    double arrivals = 0, drops = 0;  // queue
    double dispatched = 0;           // queue (extension)
    Stats wait;                      // queue
    MeanCi length;                   // queue: time-average ready messages
    double lengthMax = 0;            // queue
    double completed = 0;            // consumer
    Stats service;                   // consumer
    MeanCi utilization;              // consumer
    MeanCi throughput;               // producer, queue (dispatched), consumer, exchange
    // Extensions: failures and retries (queue; rejected and requeued also consumer).
    double expired = 0;
    double deadLetteredExpired = 0, deadLetteredRejected = 0, deadLetteredMaxlen = 0,
           deadLetteredDeliveryLimit = 0;
    double requeued = 0, redelivered = 0, rejected = 0;
    double crashes = 0, interrupted = 0, downtime = 0; // consumer (extension)
    double refused = 0, retried = 0, givenUp = 0;      // producer (extension)
};

// One metric of a node's results, as its MetricType reads it: a count, a mean with its
// interval (throughput, utilization, a level's mean), a distribution, a level's maximum.
struct MetricValue
{
    double count = 0;
    const MeanCi *meanCi = nullptr;
    const Stats *stats = nullptr;
    double max = 0;
};
MetricValue metricValue(const NodeResult &n, MetricId id);
// The run counter a count metric reads (NodeRunStats::completed for the others).
std::uint64_t NodeRunStats::*counterOf(MetricId id);

// One replication's figure for a metric whose results carry a mean with an interval: the
// value aggregate() averages over replications. For a node (index in scenario order, of
// `kind`): throughput, wait, service, length, utilization; a distribution (wait, service)
// is empty when the run observed nothing, the others read 0 for a node the run lacks.
// Counts have no interval: empty.
std::optional<double> runValue(const RunStats &run, std::size_t node, NodeKind kind, MetricId id);
enum class EndToEndMetric { Throughput, Latency };
std::optional<double> runValue(const RunStats &run, EndToEndMetric metric);

// How a run that stopped at a precision target ended (extension "precision" of the results
// file): the target, whether every watched metric reached it, and the worst metric.
struct PrecisionOutcome
{
    double target = 0;          // relative half-width of the 95% interval asked for
    bool met = false;
    double worst = 0;           // the largest ci95 / |mean| among the watched metrics
    std::string worstNode;      // "" = end to end
    std::string worstMetric;    // results key ("wait", "latency"); "" when every metric was exempt
    std::string stoppedBy;      // "precision", "max_replications", "max_seconds", "interrupted", "error"
    int minReplications = 0;
    int maxReplications = 0;
    double maxSeconds = 0;      // 0: no wall-clock budget
    bool operator==(const PrecisionOutcome &) const = default;
};

struct Results
{
    std::string scenario;
    std::string source = "simulation"; // or a live backend's name
    std::optional<std::uint64_t> seed; // empty for live runs
    int replications = 1;
    double duration = 0;
    double warmup = 0;
    TimeUnit timeUnit = TimeUnit::Seconds;
    double delivered = 0;
    MeanCi throughput;
    Stats latency;
    double events = 0;                 // simulation events per replication (extension)
    bool partial = false;              // extension: run ended early
    std::string error;                 // extension: why
    std::optional<PrecisionOutcome> precision; // extension: set when a precision rule ran
    std::vector<NodeResult> nodes;     // scenario order
    TimeSeries series;                 // of replication 1 (not part of the JSON file)
};

// Combine the runs of one scenario (one per replication) into results. `measured` is the
// length of the observation window (duration - warmup) used for throughputs.
Results aggregate(const Scenario &scenario, const std::vector<RunStats> &runs,
                  const std::string &source, std::optional<std::uint64_t> seed);

} // namespace ql
