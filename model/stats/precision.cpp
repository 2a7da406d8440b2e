#include "stats/precision.h"

#include "stats/confidence.h"

#include <algorithm>
#include <cmath>

namespace ql {

namespace {

constexpr double Exempt = -1; // a relative half-width that judges nothing

bool hasInterval(MetricType type)
{
    switch (type) {
    case MetricType::Throughput:
    case MetricType::Stats:
    case MetricType::MeanCi:
    case MetricType::Level:
        return true;
    case MetricType::Count:
        break;
    }
    return false;
}

} // namespace

std::string precisionMetricLabel(const PrecisionMetric &m)
{
    return (m.node.empty() ? std::string("end-to-end") : m.node) + " " + m.metric;
}

std::vector<PrecisionMetric> defaultPrecisionMetrics(const Scenario &scenario)
{
    std::vector<PrecisionMetric> out = {{"", "latency"}, {"", "throughput"}};
    for (const Node &n : scenario.nodes) {
        if (n.kind == NodeKind::Queue)
            out.push_back({n.id, "wait"});
        else if (n.kind == NodeKind::Consumer)
            out.push_back({n.id, "utilization"});
    }
    return out;
}

std::string precisionMetricProblem(const Scenario &scenario, const PrecisionMetric &m)
{
    if (m.node.empty()) {
        if (m.metric == "latency" || m.metric == "throughput")
            return {};
        return "end-to-end metric '" + m.metric + "': only latency and throughput have an interval";
    }
    const Node *node = scenario.node(m.node);
    if (!node)
        return "no node with id \"" + m.node + "\"; use an id from the scenario's nodes";
    const MetricSpec *spec = nodeMetric(node->kind, m.metric);
    if (!spec || !hasInterval(spec->type))
        return "node \"" + m.node + "\" (" + nodeKindName(node->kind) + ") has no metric '" + m.metric
            + "' with an interval; counts have none, choose a throughput, time or level";
    return {};
}

PrecisionTracker::PrecisionTracker(const Scenario &scenario, const std::vector<PrecisionMetric> &metrics)
{
    for (const PrecisionMetric &m : metrics) {
        if (!precisionMetricProblem(scenario, m).empty())
            continue;
        Watched w;
        w.metric = m;
        w.upTo.push_back(0);
        if (m.node.empty()) {
            w.endToEnd = true;
            w.e2e = m.metric == "latency" ? EndToEndMetric::Latency : EndToEndMetric::Throughput;
        } else {
            for (std::size_t i = 0; i < scenario.nodes.size(); ++i)
                if (scenario.nodes[i].id == m.node)
                    w.node = i;
            w.kind = scenario.nodes[w.node].kind;
            w.id = nodeMetric(w.kind, m.metric)->id;
        }
        watched_.push_back(std::move(w));
    }
}

void PrecisionTracker::add(const RunStats &run)
{
    ++runs_;
    for (Watched &w : watched_) {
        const std::optional<double> v = w.endToEnd ? runValue(run, w.e2e) : runValue(run, w.node, w.kind, w.id);
        if (v) {
            const double n = double(w.values.size() + 1);
            const double mean = w.values.empty() ? 0.0 : w.runningMean.back();
            const double m2 = w.values.empty() ? 0.0 : w.runningM2.back();
            const double delta = *v - mean;
            const double newMean = mean + delta / n;
            w.values.push_back(*v);
            w.runningMean.push_back(newMean);
            w.runningM2.push_back(m2 + delta * (*v - newMean));
        }
        w.upTo.push_back(w.values.size());
    }
}

std::vector<PrecisionMetric> PrecisionTracker::metrics() const
{
    std::vector<PrecisionMetric> out;
    for (const Watched &w : watched_)
        out.push_back(w.metric);
    return out;
}

double PrecisionTracker::relativeHalfWidth(const Watched &w, int k) const
{
    const std::size_t n = w.upTo[std::size_t(k)];
    // The same values, in the same order, as aggregate() gives meanCi() for these runs: the
    // same interval to the last bit.
    const MeanCi m = meanCi(std::vector<double>(w.values.begin(), w.values.begin() + std::ptrdiff_t(n)));
    if (!m.ci95 || m.mean == 0)
        return Exempt;
    return *m.ci95 / std::fabs(m.mean);
}

double PrecisionTracker::screenedHalfWidth(const Watched &w, int k) const
{
    const std::size_t n = w.upTo[std::size_t(k)];
    if (n < 2 || w.runningMean[n - 1] == 0)
        return Exempt;
    const double sd = std::sqrt(std::max(0.0, w.runningM2[n - 1]) / double(n - 1));
    return studentT975(int(n) - 1) * sd / std::sqrt(double(n)) / std::fabs(w.runningMean[n - 1]);
}

PrecisionCheck PrecisionTracker::check(int k) const
{
    PrecisionCheck c;
    if (k < 0 || k > runs_)
        return c;
    for (std::size_t i = 0; i < watched_.size(); ++i) {
        const double r = relativeHalfWidth(watched_[i], k);
        if (r != Exempt && (c.worstIndex < 0 || r > c.worst)) {
            c.worst = r;
            c.worstIndex = int(i);
        }
    }
    return c;
}

int PrecisionTracker::firstWithin(double target, int from) const
{
    // The screen (Welford) and the exact two-pass interval differ in the last bits only;
    // the margin lets every k the exact one accepts through, and the exact one decides.
    const double screen = target * (1 + 1e-6);
    for (int k = std::max(from, 1); k <= runs_; ++k) {
        bool maybe = true;
        for (const Watched &w : watched_)
            if (screenedHalfWidth(w, k) > screen) {
                maybe = false;
                break;
            }
        if (maybe && check(k).worst <= target)
            return k;
    }
    return 0;
}

} // namespace ql
