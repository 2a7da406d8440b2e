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
        return rate(double(r.delivered), r.measuredTime);
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
        auto throughput = [&](std::uint64_t NodeRunStats::*field) {
            return meanCi(perRun(runs, [&](const RunStats &r) {
                return i < r.nodes.size() ? rate(double(r.nodes[i].*field), r.measuredTime) : 0.0;
            }));
        };
        auto histograms = [&](std::unique_ptr<Histogram> NodeRunStats::*field) {
            std::vector<const Histogram *> v;
            for (const RunStats &r : runs)
                if (i < r.nodes.size())
                    v.push_back((r.nodes[i].*field).get());
            return v;
        };
        switch (node.kind) {
        case NodeKind::Producer:
            n.published = count(&NodeRunStats::published);
            n.throughput = throughput(&NodeRunStats::published);
            break;
        case NodeKind::Exchange:
            n.routed = count(&NodeRunStats::routed);
            n.unroutable = count(&NodeRunStats::unroutable);
            n.throughput = throughput(&NodeRunStats::routed);
            break;
        case NodeKind::Queue:
            n.arrivals = count(&NodeRunStats::arrivals);
            n.drops = count(&NodeRunStats::drops);
            n.dispatched = count(&NodeRunStats::dispatched);
            n.throughput = throughput(&NodeRunStats::dispatched);
            n.wait = statsOf(histograms(&NodeRunStats::wait));
            n.length = meanCi(perRun(runs, [&](const RunStats &r) {
                return i < r.nodes.size() ? r.nodes[i].lengthMean : 0.0;
            }));
            for (const RunStats &r : runs)
                if (i < r.nodes.size())
                    n.lengthMax = std::max(n.lengthMax, r.nodes[i].lengthMax);
            break;
        case NodeKind::Consumer:
            n.completed = count(&NodeRunStats::completed);
            n.throughput = throughput(&NodeRunStats::completed);
            n.service = statsOf(histograms(&NodeRunStats::service));
            n.utilization = meanCi(perRun(runs, [&](const RunStats &r) {
                return i < r.nodes.size() ? r.nodes[i].utilization : 0.0;
            }));
            break;
        case NodeKind::Sink:
            break;
        }
        res.nodes.push_back(std::move(n));
    }
    return res;
}

} // namespace ql
