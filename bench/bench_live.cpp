// Live backend benchmarks (embedded broker), the figures issue 4 asks for:
//   speed     1 producer -> 1 queue -> 1 consumer, no service time, producer unpaced (it is
//             always behind schedule, so it publishes in batches as fast as it can): msgs/s
//             delivered end to end, and the end-to-end latency p50/p99.
//   latency   the same path at a fixed offered rate below saturation: latency p50/p99.
//   fidelity  a shipped scenario at moderate load, run live in ms time and simulated: the
//             mean end-to-end latency of both and their relative difference.
// Usage:
//   bench_live speed [SECONDS=2] [PREFETCH=1000] [CAPACITY=4096]
//   bench_live latency [SECONDS=2] [RATE_PER_S=500000] [PREFETCH=1000]
//   bench_live fidelity FILE [WALL_SECONDS=20] [RHO=0.6] [TIME_SCALE=default]
// Each prints one line of key=value pairs that bench/run-bench.sh picks apart.
#include "live/liverunner.h"
#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "stats/confidence.h"

#include <cmath>

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace ql;

namespace {

Scenario pipeline(double interarrivalMs, int prefetch, std::int64_t capacity, double seconds)
{
    Scenario s;
    s.name = "bench 1->1->1";
    s.timeUnit = TimeUnit::Milliseconds;
    s.run.duration = seconds * 1000;
    s.run.warmup = std::min(200.0, s.run.duration / 10);
    Node p;
    p.id = "p";
    p.kind = NodeKind::Producer;
    p.interarrival = Distribution::deterministic(interarrivalMs);
    Node q;
    q.id = "q";
    q.kind = NodeKind::Queue;
    q.capacity = capacity;
    q.overflow = Overflow::RejectPublish;
    Node c;
    c.id = "c";
    c.kind = NodeKind::Consumer;
    c.service = Distribution::deterministic(0);
    c.prefetch = prefetch;
    s.nodes = {p, q, c};
    Link a, b;
    a.from = "p";
    a.to = "q";
    b.from = "q";
    b.to = "c";
    s.links = {a, b};
    return s;
}

double arg(int argc, char **argv, int i, double fallback)
{
    return argc > i ? std::atof(argv[i]) : fallback;
}

int speed(int argc, char **argv)
{
    const double seconds = arg(argc, argv, 2, 2);
    const int prefetch = int(arg(argc, argv, 3, 1000));
    const auto capacity = std::int64_t(arg(argc, argv, 4, 4096));
    // 1e-6 ms between sends = 1e9 msgs/s offered: the producer never waits.
    const Scenario s = pipeline(1e-6, prefetch, capacity, seconds);
    LiveOptions o;
    LiveRunner runner(s, o);
    const LiveReport r = runner.run();
    if (!r.error.empty())
        std::fprintf(stderr, "error: %s\n", r.error.c_str());
    const double measuredS = r.stats.measuredTime / 1000.0;
    std::printf("mode=speed prefetch=%d capacity=%lld msgs_per_s=%.0f published_per_s=%.0f "
                "p50_us=%.1f p99_us=%.1f drops=%.0f\n",
                prefetch, static_cast<long long>(capacity), r.results.delivered / measuredS,
                r.results.nodes[0].published / measuredS, r.results.latency.p50 * 1000,
                r.results.latency.p99 * 1000, r.results.nodes[1].drops);
    return r.error.empty() ? 0 : 1;
}

int latency(int argc, char **argv)
{
    const double seconds = arg(argc, argv, 2, 2);
    const double rate = arg(argc, argv, 3, 500000);
    const int prefetch = int(arg(argc, argv, 4, 1000));
    const Scenario s = pipeline(1000.0 / rate, prefetch, 0, seconds);
    LiveOptions o;
    LiveRunner runner(s, o);
    const LiveReport r = runner.run();
    if (!r.error.empty())
        std::fprintf(stderr, "error: %s\n", r.error.c_str());
    const double measuredS = r.stats.measuredTime / 1000.0;
    std::printf("mode=latency offered_per_s=%.0f msgs_per_s=%.0f p50_us=%.1f p99_us=%.1f mean_us=%.1f\n",
                rate, r.results.delivered / measuredS, r.results.latency.p50 * 1000,
                r.results.latency.p99 * 1000, r.results.latency.mean * 1000);
    return r.error.empty() ? 0 : 1;
}

// Scales every producer's interarrival so the busiest consumer station runs at `rho`.
void setLoad(Scenario &s, double rho)
{
    // Offered load per queue: arrival rate * mean service / total servers of its consumers.
    double lambda = 0;
    for (const Node &n : s.nodes)
        if (n.kind == NodeKind::Producer)
            lambda += 1.0 / n.interarrival.expectation();
    double capacity = 0; // service rate of all consumers together
    for (const Node &n : s.nodes)
        if (n.kind == NodeKind::Consumer)
            capacity += n.servers / n.service.expectation();
    const double factor = (lambda / capacity) / rho; // > 1: slow the producers down
    for (Node &n : s.nodes) {
        if (n.kind != NodeKind::Producer)
            continue;
        const double mean = n.interarrival.expectation() * factor;
        n.interarrival = Distribution::exponential(mean);
    }
}

// The live run is one long run, so its own noise comes from batch means: the end-to-end
// latency series (mean per sampling interval, weighted by how many were delivered in it)
// grouped into `batches` consecutive batches after warm-up; returns the half-width of the
// 95% interval of the overall mean, or 0 when there is too little data. Without it a
// difference between live and simulation could not be told from the live run's own noise.
double batchMeansCi95(const LiveReport &r, double warmup, int batches = 10)
{
    const TimeSeries &ts = r.stats.series;
    const Series *thr = nullptr, *lat = nullptr;
    for (const Series &s : ts.series) {
        if (!s.node.empty())
            continue;
        if (s.metric == "throughput")
            thr = &s;
        else if (s.metric == "latency_mean")
            lat = &s;
    }
    if (!thr || !lat || ts.times.size() < std::size_t(2 * batches))
        return 0;
    std::vector<std::pair<double, double>> cells; // (delivered, latency sum) per interval
    for (std::size_t i = 0; i < ts.times.size(); ++i) {
        const double dt = ts.times[i] - (i ? ts.times[i - 1] : 0.0);
        if (ts.times[i] - dt < warmup)
            continue;
        const double n = thr->values[i] * dt;
        cells.emplace_back(n, n * lat->values[i]);
    }
    if (cells.size() < std::size_t(2 * batches))
        return 0;
    std::vector<double> means;
    const std::size_t per = cells.size() / std::size_t(batches);
    for (int b = 0; b < batches; ++b) {
        double n = 0, sum = 0;
        for (std::size_t i = std::size_t(b) * per; i < std::size_t(b + 1) * per; ++i) {
            n += cells[i].first;
            sum += cells[i].second;
        }
        if (n > 0)
            means.push_back(sum / n);
    }
    if (means.size() < 2)
        return 0;
    double m = 0;
    for (double x : means)
        m += x;
    m /= double(means.size());
    double var = 0;
    for (double x : means)
        var += (x - m) * (x - m);
    var /= double(means.size() - 1);
    return studentT975(int(means.size()) - 1) * std::sqrt(var / double(means.size()));
}

int fidelity(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_live fidelity FILE [WALL_SECONDS] [RHO] [TIME_SCALE]\n");
        return 2;
    }
    const std::string file = argv[2];
    const double wall = arg(argc, argv, 3, 20);
    const double rho = arg(argc, argv, 4, 0.6);
    LoadResult lr = loadScenarioFile(file);
    if (!lr.scenario) {
        std::fprintf(stderr, "%s\n", lr.diagnostics.toString().c_str());
        return 2;
    }
    Scenario s = *lr.scenario;
    setLoad(s, rho);
    LiveOptions o;
    o.durationSeconds = wall;
    o.timeScale = arg(argc, argv, 5, 0); // 0 = the default for the file's unit
    const Scenario effective = liveScenario(s, o);
    Scenario simScenario = effective;
    simScenario.run.replications = 10;
    const Results sim = runReplications(simScenario);
    LiveRunner runner(s, o);
    const LiveReport r = runner.run();
    if (!r.error.empty())
        std::fprintf(stderr, "error: %s\n", r.error.c_str());
    const double a = r.results.latency.mean, b = sim.latency.mean;
    std::printf("mode=fidelity file=%s rho=%.2f wall_s=%.0f time_scale=%g live_mean=%.4f sim_mean=%.4f "
                "sim_ci95=%.4f live_ci95=%.4f rel_diff=%.4f live_delivered=%.0f lateness_mean_us=%.0f lateness_p99_us=%.0f\n",
                file.c_str(), rho, wall, r.wallPerUnit / (s.timeUnit == TimeUnit::Seconds ? 1.0 : 0.001),
                a, b, sim.latency.ci95.value_or(0), batchMeansCi95(r, effective.run.warmup), (a - b) / b, r.results.delivered, r.latenessMeanUs,
                r.latenessP99Us);
    return r.error.empty() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "speed";
    if (mode == "speed")
        return speed(argc, argv);
    if (mode == "latency")
        return latency(argc, argv);
    if (mode == "fidelity")
        return fidelity(argc, argv);
    std::fprintf(stderr, "usage: bench_live speed|latency|fidelity ...\n");
    return 2;
}
