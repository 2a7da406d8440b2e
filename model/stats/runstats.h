// What one replication (or one live run) observed, after warm-up: raw counters, histograms
// and time averages per node, plus a time series per node for charts. The simulator and the
// live backends both fill this one structure; aggregate() in results.h turns a set of them
// into the spec's results.
#pragma once

#include "stats/histogram.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ql {

struct NodeRunStats
{
    // producer
    std::uint64_t published = 0;
    // producer (extension): publishes the broker refused, retries, and those given up
    std::uint64_t refused = 0, retried = 0, givenUp = 0;
    // exchange (extension)
    std::uint64_t routed = 0;      // messages that matched at least one binding
    std::uint64_t unroutable = 0;  // messages that matched none and were dropped
    // queue
    std::uint64_t arrivals = 0;    // offered, including dropped ones
    std::uint64_t drops = 0;       // rejected or dropped from the head
    std::uint64_t dispatched = 0;  // handed to a consumer
    double lengthMean = 0;         // time average of ready messages
    double lengthMax = 0;
    // queue (extensions): expired (TTL), dead-lettered by reason, returned by consumers
    // (requeued) and delivered again (redelivered); consumer: rejected, requeued
    std::uint64_t expired = 0;
    std::uint64_t deadLetteredExpired = 0, deadLetteredRejected = 0, deadLetteredMaxlen = 0,
                  deadLetteredDeliveryLimit = 0;
    std::uint64_t requeued = 0, redelivered = 0, rejected = 0;
    // consumer (extension): crashes, services a crash cut off, time spent down
    std::uint64_t crashes = 0, interrupted = 0;
    double downtime = 0;
    // consumer
    std::uint64_t completed = 0;
    double utilization = 0;        // busy server-time / (servers * measured time)
    // Histograms exist only for the kinds that use them (queue: wait, consumer: service).
    std::unique_ptr<Histogram> wait;
    std::unique_ptr<Histogram> service;
};

// A sampled metric over time: one value per entry of TimeSeries::times.
struct Series
{
    std::string node;    // node id, or "" for end-to-end series
    std::string metric;  // e.g. "length", "throughput", "utilization", "latency_p95"
    std::vector<double> values;
};

struct TimeSeries
{
    std::vector<double> times;   // sample instants (end of each interval)
    std::vector<Series> series;
};

// The metrics every run samples, in a fixed order (the node-kind table's), so the simulator
// and the live runner feed the same charts and CSV columns (stats/serieswriter.h):
//   producer: throughput; exchange: throughput, unroutable;
//   queue: length, length_mean, arrival_rate, drops, wait_mean;
//   consumer: utilization, throughput, busy;
//   end to end (node ""): throughput, latency_mean, latency_p50, latency_p95, latency_p99.
struct SeriesLayout
{
    TimeSeries series;            // empty series in that order
    std::vector<int> firstOfNode; // index of each node's first series (scenario order)
    int firstEndToEnd = 0;        // index of the end-to-end throughput series
};

struct Scenario;
SeriesLayout makeSeriesLayout(const Scenario &scenario);

struct RunStats
{
    double measuredTime = 0;       // duration - warmup (or the shorter time really run)
    std::vector<NodeRunStats> nodes; // in scenario order
    std::uint64_t delivered = 0;   // end-to-end: messages (copies) that finished
    Histogram latency;             // end-to-end latency, publish -> last service end
    std::uint64_t events = 0;      // simulation events processed (0 for live runs)
    TimeSeries series;
    bool partial = false;          // the run ended early (error, stop); figures so far
    std::string error;             // why it ended early, if it did
};

} // namespace ql
