#include "stats/results.h"

#include <algorithm>

namespace ql {

namespace {

// Mean across replications (with its interval) and percentiles of the pooled observations.
Stats statsOf(const std::vector<const Histogram *> &perRun)
{
    Stats s;
    Histogram pooled;
    std::vector<double> means;
    for (const Histogram *h : perRun) {
        if (!h || h->count() == 0)
            continue;
        pooled.merge(*h);
        means.push_back(h->mean());
    }
    const MeanCi m = meanCi(means);
    s.mean = m.mean;
    s.ci95 = m.ci95;
    s.count = pooled.count();
    s.p50 = pooled.quantile(0.50);
    s.p90 = pooled.quantile(0.90);
    s.p95 = pooled.quantile(0.95);
    s.p99 = pooled.quantile(0.99);
    s.p999 = pooled.quantile(0.999);
    s.max = pooled.max();
    return s;
}

template <class F>
std::vector<double> perRun(const std::vector<RunStats> &runs, F value)
{
    std::vector<double> v;
    v.reserve(runs.size());
    for (const RunStats &r : runs)
        v.push_back(value(r));
    return v;
}

double mean(const std::vector<double> &v)
{
    return meanCi(v).mean;
}

double rate(double count, double time)
{
    return time > 0 ? count / time : 0.0;
}

} // namespace

Results aggregate(const Scenario &scenario, const std::vector<RunStats> &runs,
                  const std::string &source, std::optional<std::uint64_t> seed)
{
    Results res;
    res.scenario = scenario.name;
    res.source = source;
    res.seed = seed;
    res.replications = int(runs.size());
    res.duration = scenario.run.duration;
    res.warmup = scenario.run.warmup;
    res.timeUnit = scenario.timeUnit;
    if (runs.empty())
        return res;

    for (const RunStats &r : runs) {
        if (r.partial) {
            res.partial = true;
            if (res.error.empty())
                res.error = r.error;
        }
    }
    res.events = mean(perRun(runs, [](const RunStats &r) { return double(r.events); }));
    res.delivered = mean(perRun(runs, [](const RunStats &r) { return double(r.delivered); }));
    res.throughput = meanCi(perRun(runs, [](const RunStats &r) {
        return *runValue(r, EndToEndMetric::Throughput);
    }));
    std::vector<const Histogram *> latencies;
    for (const RunStats &r : runs)
        latencies.push_back(&r.latency);
    res.latency = statsOf(latencies);
    res.series = runs.front().series;

    for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
        const Node &node = scenario.nodes[i];
        NodeResult n;
        n.id = node.id;
        n.kind = node.kind;
        auto count = [&](std::uint64_t NodeRunStats::*field) {
            return mean(perRun(runs, [&](const RunStats &r) {
                return i < r.nodes.size() ? double(r.nodes[i].*field) : 0.0;
            }));
        };
        // A mean with its interval over the replications' values (none is empty here).
        auto valueCi = [&](MetricId id) {
            return meanCi(perRun(runs, [&](const RunStats &r) { return *runValue(r, i, node.kind, id); }));
        };
        auto histograms = [&](std::unique_ptr<Histogram> NodeRunStats::*field) {
            std::vector<const Histogram *> v;
            for (const RunStats &r : runs)
                if (i < r.nodes.size())
                    v.push_back((r.nodes[i].*field).get());
            return v;
        };
        // What a kind reports is its entry in the node-kind table.
        const NodeKindInfo &info = nodeKindInfo(node.kind);
        for (const MetricSpec &m : info.metrics) {
            switch (m.id) {
            case MetricId::Published: n.published = count(&NodeRunStats::published); break;
            case MetricId::Routed: n.routed = count(&NodeRunStats::routed); break;
            case MetricId::Unroutable: n.unroutable = count(&NodeRunStats::unroutable); break;
            case MetricId::Arrivals: n.arrivals = count(&NodeRunStats::arrivals); break;
            case MetricId::Drops: n.drops = count(&NodeRunStats::drops); break;
            case MetricId::Dispatched: n.dispatched = count(&NodeRunStats::dispatched); break;
            case MetricId::Completed: n.completed = count(&NodeRunStats::completed); break;
            case MetricId::Expired: n.expired = count(&NodeRunStats::expired); break;
            case MetricId::DeadLetteredExpired: n.deadLetteredExpired = count(&NodeRunStats::deadLetteredExpired); break;
            case MetricId::DeadLetteredRejected: n.deadLetteredRejected = count(&NodeRunStats::deadLetteredRejected); break;
            case MetricId::DeadLetteredMaxlen: n.deadLetteredMaxlen = count(&NodeRunStats::deadLetteredMaxlen); break;
            case MetricId::DeadLetteredDeliveryLimit:
                n.deadLetteredDeliveryLimit = count(&NodeRunStats::deadLetteredDeliveryLimit);
                break;
            case MetricId::Requeued: n.requeued = count(&NodeRunStats::requeued); break;
            case MetricId::Redelivered: n.redelivered = count(&NodeRunStats::redelivered); break;
            case MetricId::Rejected: n.rejected = count(&NodeRunStats::rejected); break;
            case MetricId::Crashes: n.crashes = count(&NodeRunStats::crashes); break;
            case MetricId::Refused: n.refused = count(&NodeRunStats::refused); break;
            case MetricId::Retried: n.retried = count(&NodeRunStats::retried); break;
            case MetricId::GivenUp: n.givenUp = count(&NodeRunStats::givenUp); break;
            case MetricId::Interrupted: n.interrupted = count(&NodeRunStats::interrupted); break;
            case MetricId::Downtime:
                n.downtime = mean(perRun(runs, [&](const RunStats &r) {
                    return i < r.nodes.size() ? r.nodes[i].downtime : 0.0;
                }));
                break;
            case MetricId::Throughput: n.throughput = valueCi(MetricId::Throughput); break;
            case MetricId::Wait: n.wait = statsOf(histograms(&NodeRunStats::wait)); break;
            case MetricId::Service: n.service = statsOf(histograms(&NodeRunStats::service)); break;
            case MetricId::Length:
                n.length = valueCi(MetricId::Length);
                for (const RunStats &r : runs)
                    if (i < r.nodes.size())
                        n.lengthMax = std::max(n.lengthMax, r.nodes[i].lengthMax);
                break;
            case MetricId::Utilization: n.utilization = valueCi(MetricId::Utilization); break;
            }
        }
        res.nodes.push_back(std::move(n));
    }
    return res;
}

} // namespace ql

namespace ql {

std::uint64_t NodeRunStats::*counterOf(MetricId id)
{
    switch (id) {
    case MetricId::Published: return &NodeRunStats::published;
    case MetricId::Routed: return &NodeRunStats::routed;
    case MetricId::Unroutable: return &NodeRunStats::unroutable;
    case MetricId::Arrivals: return &NodeRunStats::arrivals;
    case MetricId::Drops: return &NodeRunStats::drops;
    case MetricId::Dispatched: return &NodeRunStats::dispatched;
    case MetricId::Completed: return &NodeRunStats::completed;
    case MetricId::Expired: return &NodeRunStats::expired;
    case MetricId::DeadLetteredExpired: return &NodeRunStats::deadLetteredExpired;
    case MetricId::DeadLetteredRejected: return &NodeRunStats::deadLetteredRejected;
    case MetricId::DeadLetteredMaxlen: return &NodeRunStats::deadLetteredMaxlen;
    case MetricId::DeadLetteredDeliveryLimit: return &NodeRunStats::deadLetteredDeliveryLimit;
    case MetricId::Requeued: return &NodeRunStats::requeued;
    case MetricId::Redelivered: return &NodeRunStats::redelivered;
    case MetricId::Rejected: return &NodeRunStats::rejected;
    case MetricId::Crashes: return &NodeRunStats::crashes;
    case MetricId::Refused: return &NodeRunStats::refused;
    case MetricId::Retried: return &NodeRunStats::retried;
    case MetricId::GivenUp: return &NodeRunStats::givenUp;
    case MetricId::Interrupted: return &NodeRunStats::interrupted;
    case MetricId::Downtime: // a time, not a counter
    case MetricId::Throughput:
    case MetricId::Wait:
    case MetricId::Length:
    case MetricId::Service:
    case MetricId::Utilization:
        break;
    }
    return &NodeRunStats::completed; // not a counter: the table never asks
}

std::optional<double> runValue(const RunStats &run, std::size_t node, NodeKind kind, MetricId id)
{
    const NodeRunStats *n = node < run.nodes.size() ? &run.nodes[node] : nullptr;
    // A distribution's replication mean, as statsOf() takes it: runs without observations
    // do not count.
    auto meanOf = [](const std::unique_ptr<Histogram> &h) -> std::optional<double> {
        if (!h || h->count() == 0)
            return std::nullopt;
        return h->mean();
    };
    switch (id) {
    case MetricId::Throughput:
        return n ? rate(double(n->*counterOf(nodeKindInfo(kind).throughputOf)), run.measuredTime) : 0.0;
    case MetricId::Length: return n ? n->lengthMean : 0.0;
    case MetricId::Utilization: return n ? n->utilization : 0.0;
    case MetricId::Wait: return n ? meanOf(n->wait) : std::nullopt;
    case MetricId::Service: return n ? meanOf(n->service) : std::nullopt;
    case MetricId::Published:
    case MetricId::Routed:
    case MetricId::Unroutable:
    case MetricId::Arrivals:
    case MetricId::Drops:
    case MetricId::Dispatched:
    case MetricId::Completed:
    case MetricId::Expired:
    case MetricId::DeadLetteredExpired:
    case MetricId::DeadLetteredRejected:
    case MetricId::DeadLetteredMaxlen:
    case MetricId::DeadLetteredDeliveryLimit:
    case MetricId::Requeued:
    case MetricId::Redelivered:
    case MetricId::Rejected:
    case MetricId::Crashes:
    case MetricId::Interrupted:
    case MetricId::Downtime:
    case MetricId::Refused:
    case MetricId::Retried:
    case MetricId::GivenUp:
        break;
    }
    return std::nullopt;
}

std::optional<double> runValue(const RunStats &run, EndToEndMetric metric)
{
    switch (metric) {
    case EndToEndMetric::Throughput: return rate(double(run.delivered), run.measuredTime);
    case EndToEndMetric::Latency:
        if (run.latency.count() == 0)
            return std::nullopt;
        return run.latency.mean();
    }
    return std::nullopt;
}

MetricValue metricValue(const NodeResult &n, MetricId id)
{
    MetricValue v;
    switch (id) {
    case MetricId::Published: v.count = n.published; break;
    case MetricId::Routed: v.count = n.routed; break;
    case MetricId::Unroutable: v.count = n.unroutable; break;
    case MetricId::Arrivals: v.count = n.arrivals; break;
    case MetricId::Drops: v.count = n.drops; break;
    case MetricId::Dispatched: v.count = n.dispatched; break;
    case MetricId::Completed: v.count = n.completed; break;
    case MetricId::Expired: v.count = n.expired; break;
    case MetricId::DeadLetteredExpired: v.count = n.deadLetteredExpired; break;
    case MetricId::DeadLetteredRejected: v.count = n.deadLetteredRejected; break;
    case MetricId::DeadLetteredMaxlen: v.count = n.deadLetteredMaxlen; break;
    case MetricId::DeadLetteredDeliveryLimit: v.count = n.deadLetteredDeliveryLimit; break;
    case MetricId::Requeued: v.count = n.requeued; break;
    case MetricId::Redelivered: v.count = n.redelivered; break;
    case MetricId::Rejected: v.count = n.rejected; break;
    case MetricId::Crashes: v.count = n.crashes; break;
    case MetricId::Refused: v.count = n.refused; break;
    case MetricId::Retried: v.count = n.retried; break;
    case MetricId::GivenUp: v.count = n.givenUp; break;
    case MetricId::Interrupted: v.count = n.interrupted; break;
    case MetricId::Downtime: v.count = n.downtime; break;
    case MetricId::Throughput: v.meanCi = &n.throughput; break;
    case MetricId::Wait: v.stats = &n.wait; break;
    case MetricId::Length:
        v.meanCi = &n.length;
        v.max = n.lengthMax;
        break;
    case MetricId::Service: v.stats = &n.service; break;
    case MetricId::Utilization: v.meanCi = &n.utilization; break;
    }
    return v;
}

} // namespace ql
