// Engine benchmark: the full simulator (routing, dispatch, histograms, time averages, time
// series) against a minimal hand-written heap-based M/M/1 loop measured in the same run, and
// the event list under 10^5 pending events. Each case runs in its own process (see
// run-bench.sh) so its peak memory is its own.
//
//   bench_engine baseline CUSTOMERS    the hand-written loop
//   bench_engine mm1 CUSTOMERS         the engine on M/M/1, lambda 0.9, mu 1
//   bench_engine ttl CUSTOMERS         the same with a queue TTL of 2, dead-lettered
//   bench_engine pending EVENTS        the engine with about EVENTS pending service ends
//
// Prints one line: case=... customers=... events=... seconds=... events_per_s=... peak_kib=...
#include "random/rng.h"
#include "scenario/scenario.h"
#include "sim/simulation.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

using namespace ql;

namespace {

long peakKib()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void report(const char *name, double customers, double events, double secs, double extra = -1)
{
    std::printf("case=%s customers=%.0f events=%.0f seconds=%.3f events_per_s=%.0f peak_kib=%ld",
                name, customers, events, secs, events / secs, peakKib());
    if (extra >= 0)
        std::printf(" pending=%.0f", extra);
    std::printf("\n");
}

// The reference: what a competent programmer writes by hand for M/M/1 in a few minutes.
// A binary heap of (time, kind) events, the same generator and inversion as the engine,
// and only the state the model needs (no statistics at all).
void baseline(long customers)
{
    struct Ev
    {
        double t;
        int kind; // 0 arrival, 1 departure
        bool operator>(const Ev &o) const { return t > o.t; }
    };
    std::priority_queue<Ev, std::vector<Ev>, std::greater<>> fel;
    Rng rng(42);
    const double meanA = 1 / 0.9, meanS = 1.0;
    long arrived = 0, queued = 0, events = 0;
    bool busy = false;
    double waitSum = 0; // one accumulator so the compiler cannot drop the work
    const auto start = std::chrono::steady_clock::now();
    fel.push({-meanA * std::log(rng.uniformPositive()), 0});
    while (!fel.empty()) {
        const Ev e = fel.top();
        fel.pop();
        ++events;
        if (e.kind == 0) {
            if (++arrived < customers)
                fel.push({e.t - meanA * std::log(rng.uniformPositive()), 0});
            if (busy) {
                ++queued;
            } else {
                busy = true;
                fel.push({e.t - meanS * std::log(rng.uniformPositive()), 1});
            }
        } else {
            waitSum += double(queued);
            if (queued > 0) {
                --queued;
                fel.push({e.t - meanS * std::log(rng.uniformPositive()), 1});
            } else {
                busy = false;
            }
        }
    }
    const double secs = seconds(start);
    if (waitSum < 0)
        std::printf("impossible\n");
    report("baseline", double(customers), double(events), secs);
}

Scenario mm1(double duration)
{
    Scenario s;
    s.name = "bench M/M/1";
    s.run.duration = duration;
    s.run.warmup = 0;
    s.run.seed = 42;
    Node p;
    p.id = "p";
    p.kind = NodeKind::Producer;
    p.interarrival = Distribution::exponential(1 / 0.9);
    Node q;
    q.id = "q";
    q.kind = NodeKind::Queue;
    Node c;
    c.id = "c";
    c.kind = NodeKind::Consumer;
    c.service = Distribution::exponential(1.0);
    s.nodes = {p, q, c};
    s.links = {Link{"p", "q", {}, HeadersMatch::All, {}, {}}, Link{"q", "c", {}, HeadersMatch::All, {}, {}}};
    return s;
}

// `ttl`: the same M/M/1 with a queue TTL of 2 whose expired messages (about 7% at this
// load) are dead-lettered to a queue that a fast consumer drains: every enqueue computes an
// expiry and arms the head's timer, every dispatch checks the head. The cost when used.
void engine(long customers, bool ttl = false)
{
    Scenario s = mm1(1e300);
    if (ttl) {
        s.nodes[1].queueTtl = 2.0;
        Node parked;
        parked.id = "parked";
        parked.kind = NodeKind::Queue;
        Node drain;
        drain.id = "drain";
        drain.kind = NodeKind::Consumer;
        drain.service = Distribution::exponential(0.01);
        s.nodes.push_back(parked);
        s.nodes.push_back(drain);
        Link dl{"q", "parked", {}, HeadersMatch::All, {}, {}};
        dl.role = LinkRole::DeadLetter;
        s.links.push_back(dl);
        s.links.push_back(Link{"parked", "drain", {}, HeadersMatch::All, {}, {}});
    }
    s.run.maxMessages = customers;
    s.run.duration = double(customers) / 0.9 * 1.5; // ends when the last customer leaves
    s.run.sampleInterval = s.run.duration / 100;
    const auto start = std::chrono::steady_clock::now();
    Simulation sim(s);
    sim.run();
    const double secs = seconds(start);
    const RunStats r = sim.takeStats();
    if (r.delivered != std::uint64_t(customers))
        std::fprintf(stderr, "warning: delivered %llu of %ld\n", (unsigned long long)r.delivered, customers);
    report(ttl ? "engine_mm1_ttl" : "engine_mm1", double(customers), double(sim.eventCount()), secs);
}

// A topology that keeps about `pending` service-end events in the event list: Poisson
// arrivals at rate 1 into a consumer with ample servers and mean service `pending`
// (an M/M/infinity station, whose number in service is Poisson with mean `pending`).
void pendingEvents(long pending)
{
    Scenario s = mm1(0);
    s.nodes[0].interarrival = Distribution::exponential(1.0);
    s.nodes[2].service = Distribution::exponential(double(pending));
    s.nodes[2].servers = int(pending * 2);
    const double fill = 5.0 * double(pending), measure = 20.0 * double(pending);
    s.run.duration = fill + measure;
    Simulation sim(s);
    sim.runUntil(fill); // reach the steady state: ~`pending` services under way
    const double atStart = double(sim.pendingEvents());
    const std::uint64_t eventsBefore = sim.eventCount();
    const auto start = std::chrono::steady_clock::now();
    sim.run();
    const double secs = seconds(start);
    report("engine_pending", measure, double(sim.eventCount() - eventsBefore), secs, atStart);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_engine baseline|mm1|ttl|pending N\n");
        return 2;
    }
    const std::string mode = argv[1];
    const long n = std::atol(argv[2]);
    if (mode == "baseline")
        baseline(n);
    else if (mode == "mm1")
        engine(n);
    else if (mode == "ttl")
        engine(n, true);
    else if (mode == "pending")
        pendingEvents(n);
    else
        return 2;
    return 0;
}
