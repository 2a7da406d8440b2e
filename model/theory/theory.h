// Closed-form queueing results beside the simulation: M/M/1, M/M/c (Erlang C), M/M/1/K,
// M/M/c/K, M/D/1 and M/G/1 (Pollaczek-Khinchine), and open Jackson networks (tandem,
// probabilistic routing, feedback). analyze() recognises where a scenario satisfies a
// model's assumptions and otherwise says, in words, why none applies.
#pragma once

#include "scenario/scenario.h"

#include <optional>
#include <string>
#include <vector>

namespace ql {

// One station: Poisson arrivals at rate lambda, c servers of rate mu each (mean service
// 1/mu), room for K messages in the system (0 = unbounded). All times in the scenario's unit.
struct StationTheory
{
    std::string model;          // "M/M/1", "M/M/3/10", "M/G/1", ...
    double lambda = 0;          // offered arrival rate
    double throughput = 0;      // accepted rate = lambda * (1 - blocking)
    double utilization = 0;     // per server, in [0, 1]
    double blocking = 0;        // probability an arrival is rejected (bounded queues)
    double abandonment = 0;     // probability an accepted message expires (TTL, M/M/c+D)
    double meanQueueLength = 0; // Lq: messages waiting (the spec's queue "length")
    double meanInSystem = 0;    // L: waiting + in service
    double meanWait = 0;        // Wq: arrival to start of service (the spec's queue "wait";
                                // with a TTL, of the messages served)
    double meanSojourn = 0;     // W = Wq + mean service
    // Quantiles of the wait where a closed form exists (M/M/c FIFO); empty otherwise.
    std::optional<double> waitP50, waitP90, waitP95, waitP99;
    std::optional<double> sojournP50, sojournP95, sojournP99; // M/M/1 FIFO
    bool stable = true;         // lambda < c * mu (always true with a finite K)
};

// Formulas. Preconditions: lambda > 0, mu > 0, c >= 1, K >= c when bounded.
StationTheory mmc(double lambda, double mu, int c);             // c = 1 gives M/M/1
StationTheory mmck(double lambda, double mu, int c, int K);      // K = system capacity
StationTheory mg1(double lambda, double meanService, double scvService); // P-K; scv 0 = M/D/1
double erlangC(int c, double offeredLoad);                       // P(wait > 0), a = lambda/mu
// M/M/c+D: every message waits at most `patience` (a fixed TTL) and leaves unserved when its
// wait reaches it. Exact for any load (the queue is always stable).
StationTheory mmcPatient(double lambda, double mu, int c, double patience);

struct NodeTheory
{
    std::string id;             // queue id (its consumers' figures are folded into it)
    std::vector<std::string> consumers;
    StationTheory station;
};

// A delay node is an M/G/inf stage: nobody waits, every message takes its own delay, and
// a Poisson stream leaves it Poisson (in steady state), so it changes no station's figures.
struct DelayTheory
{
    std::string id;
    double lambda = 0;        // arrival rate = throughput
    double meanDelay = 0;     // E[D]
    double meanInTransit = 0; // L = lambda E[D] (Little; the M/G/inf mean, any distribution)
};

struct TheoryResult
{
    bool applicable = false;
    std::string reason;              // why not, when not applicable
    std::string model;               // e.g. "M/M/1", "Jackson network of 3 stations"
    std::vector<NodeTheory> queues;  // one per queue with subscribed consumers
    std::vector<DelayTheory> delays; // one per delay node that traffic reaches
    std::optional<double> endToEndLatency;   // mean, per delivered message
    std::optional<double> endToEndThroughput;
    std::vector<std::string> notes;  // caveats worth printing (e.g. "means only: LIFO")
};

TheoryResult analyze(const Scenario &scenario);

} // namespace ql
