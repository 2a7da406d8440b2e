#include "live/comparison.h"

#include "scenario/jsonwriter.h"
#include "sim/replications.h"
#include "stats/resultsio.h"

#include <algorithm>
#include <cmath>

namespace ql {

SimulatedRuns simulateReplications(const Scenario &scenario, const RunOptions &options)
{
    SimulatedRuns out;
    out.runs = simulateRuns(scenario, options);
    out.results = aggregate(scenario, out.runs, "simulation", scenario.run.seed);
    return out;
}

namespace {

ComparisonRow row(std::string node, std::string metric, double sim, std::optional<double> ci,
                  std::optional<double> live)
{
    ComparisonRow r;
    r.node = std::move(node);
    r.metric = std::move(metric);
    r.simulation = sim;
    r.ci95 = ci;
    r.live = live;
    if (live && std::isfinite(*live) && std::isfinite(sim) && sim != 0)
        r.relative = (*live - sim) / std::fabs(sim);
    if (live && ci && std::isfinite(*ci))
        r.inside = std::fabs(*live - sim) <= *ci;
    return r;
}

// Half-width of the 95% interval of a per-replication value.
std::optional<double> spread(const std::vector<RunStats> &runs, double (*value)(const RunStats &, double),
                             double q)
{
    std::vector<double> v;
    for (const RunStats &r : runs)
        if (r.latency.count() > 0)
            v.push_back(value(r, q));
    return meanCi(v).ci95;
}

double latencyQuantile(const RunStats &r, double q)
{
    return r.latency.quantile(q);
}

std::optional<double> dropsCi(const std::vector<RunStats> &runs, std::size_t node)
{
    std::vector<double> v;
    for (const RunStats &r : runs)
        if (node < r.nodes.size())
            v.push_back(double(r.nodes[node].drops));
    return meanCi(v).ci95;
}

// A failure count per unit of time, per replication, and its interval over them.
double perRunRate(const RunStats &r, std::size_t node, std::uint64_t (*count)(const NodeRunStats &))
{
    return node < r.nodes.size() && r.measuredTime > 0 ? double(count(r.nodes[node])) / r.measuredTime : 0.0;
}

std::uint64_t expiredOf(const NodeRunStats &n) { return n.expired; }
std::uint64_t deadLetteredOf(const NodeRunStats &n)
{
    return n.deadLetteredExpired + n.deadLetteredRejected + n.deadLetteredMaxlen + n.deadLetteredDeliveryLimit;
}
std::uint64_t redeliveredOf(const NodeRunStats &n) { return n.redelivered; }

double resultRate(const Results &r, double count)
{
    const double window = r.duration - r.warmup;
    return window > 0 ? count / window : 0.0;
}

std::string indentBlock(std::string text, const std::string &indent)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    std::string out;
    out.reserve(text.size() + 64);
    for (char ch : text) {
        out += ch;
        if (ch == '\n')
            out += indent;
    }
    return out;
}

} // namespace

Comparison compareResults(const Scenario &scenario, const Results &sim,
                          const std::vector<RunStats> &simRuns, const Results &live)
{
    Comparison c;
    const bool liveHasLatency = live.latency.count > 0;
    auto liveIf = [](bool ok, double v) { return ok ? std::optional<double>(v) : std::nullopt; };

    c.rows.push_back(row("", "throughput", sim.throughput.mean, sim.throughput.ci95, live.throughput.mean));
    c.rows.push_back(row("", "latency_mean", sim.latency.mean, sim.latency.ci95,
                         liveIf(liveHasLatency, live.latency.mean)));
    c.rows.push_back(row("", "latency_p50", sim.latency.p50, spread(simRuns, latencyQuantile, 0.50),
                         liveIf(liveHasLatency, live.latency.p50)));
    c.rows.push_back(row("", "latency_p95", sim.latency.p95, spread(simRuns, latencyQuantile, 0.95),
                         liveIf(liveHasLatency, live.latency.p95)));
    c.rows.push_back(row("", "latency_p99", sim.latency.p99, spread(simRuns, latencyQuantile, 0.99),
                         liveIf(liveHasLatency, live.latency.p99)));

    for (std::size_t i = 0; i < sim.nodes.size() && i < scenario.nodes.size(); ++i) {
        const NodeResult &s = sim.nodes[i];
        const NodeResult *l = i < live.nodes.size() && live.nodes[i].id == s.id ? &live.nodes[i] : nullptr;
        if (s.kind == NodeKind::Queue) {
            c.rows.push_back(row(s.id, "wait_mean", s.wait.mean, s.wait.ci95,
                                 l && l->wait.count > 0 ? std::optional<double>(l->wait.mean) : std::nullopt));
            c.rows.push_back(row(s.id, "length_mean", s.length.mean, s.length.ci95,
                                 l ? std::optional<double>(l->length.mean) : std::nullopt));
            if (scenario.nodes[i].capacity > 0)
                c.rows.push_back(row(s.id, "drops", s.drops, dropsCi(simRuns, i),
                                     l ? std::optional<double>(l->drops) : std::nullopt));
            // Failures, as rates per unit of time, where either side saw any.
            struct Failure
            {
                const char *metric;
                std::uint64_t (*count)(const NodeRunStats &);
                double sim, live;
            };
            const Failure failures[] = {
                {"expired_rate", &expiredOf, s.expired, l ? l->expired : 0.0},
                {"dead_letter_rate", &deadLetteredOf,
                 s.deadLetteredExpired + s.deadLetteredRejected + s.deadLetteredMaxlen + s.deadLetteredDeliveryLimit,
                 l ? l->deadLetteredExpired + l->deadLetteredRejected + l->deadLetteredMaxlen
                         + l->deadLetteredDeliveryLimit
                   : 0.0},
                {"redelivery_rate", &redeliveredOf, s.redelivered, l ? l->redelivered : 0.0},
            };
            for (const Failure &f : failures) {
                if (f.sim == 0 && f.live == 0)
                    continue;
                std::vector<double> v;
                for (const RunStats &r : simRuns)
                    v.push_back(perRunRate(r, i, f.count));
                c.rows.push_back(row(s.id, f.metric, resultRate(sim, f.sim), meanCi(v).ci95,
                                     l ? std::optional<double>(resultRate(live, f.live)) : std::nullopt));
            }
        } else if (s.kind == NodeKind::Consumer) {
            c.rows.push_back(row(s.id, "utilization", s.utilization.mean, s.utilization.ci95,
                                 l ? std::optional<double>(l->utilization.mean) : std::nullopt));
        }
    }
    return c;
}

std::string comparisonToJson(const Results &simulation, const Results &live,
                             const Comparison &comparison, const ComparisonInfo &info)
{
    JsonWriter w;
    w.beginArray();
    for (const ComparisonRow &r : comparison.rows) {
        w.beginObject(JsonWriter::Inline);
        w.key("node");
        w.value(r.node);
        w.key("metric");
        w.value(r.metric);
        w.key("simulation");
        w.value(r.simulation);
        w.key("ci95");
        if (r.ci95)
            w.value(*r.ci95);
        else
            w.nullValue();
        w.key("live");
        if (r.live)
            w.value(*r.live);
        else
            w.nullValue();
        w.key("relative_difference");
        if (r.relative)
            w.value(*r.relative);
        else
            w.nullValue();
        w.key("inside_ci95");
        if (r.inside)
            w.value(*r.inside);
        else
            w.nullValue();
        w.endObject();
    }
    w.endArray();

    std::string out = "{\n";
    out += "  \"format\": \"queuelab-comparison\",\n";
    out += "  \"version\": 1,\n";
    out += "  \"scenario\": " + JsonWriter::quote(simulation.scenario) + ",\n";
    out += "  \"backend\": " + JsonWriter::quote(info.backend) + ",\n";
    out += "  \"time_scale\": " + JsonWriter::formatNumber(info.timeScale) + ",\n";
    out += "  \"wall_seconds_per_unit\": " + JsonWriter::formatNumber(info.wallPerUnit) + ",\n";
    out += "  \"live_wall_seconds\": " + JsonWriter::formatNumber(info.wallSeconds) + ",\n";
    out += "  \"simulation\": " + indentBlock(resultsToJson(simulation), "  ") + ",\n";
    out += "  \"live\": " + indentBlock(resultsToJson(live), "  ") + ",\n";
    out += "  \"comparison\": " + indentBlock(w.text(), "  ") + "\n";
    out += "}\n";
    return out;
}

} // namespace ql
