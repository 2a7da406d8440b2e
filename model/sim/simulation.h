// One replication of a scenario on the discrete-event kernel: the producers, exchanges,
// queues and consumers of the spec, compiled into index-based tables so the hot loop does
// no lookups, no allocation (messages live in a recycled pool) and no virtual calls beyond
// an optional observer. step() is what a GUI's Step button needs; runUntil() what its Run
// button drives in slices.
#pragma once

#include "scenario/scenario.h"
#include "sim/simobserver.h"
#include "stats/runstats.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace ql {

class Simulation
{
public:
    // `scenario` must be valid (validateScenario() without errors). Replication r (1-based)
    // takes its seed from scenario.run.seed via replicationSeed().
    explicit Simulation(const Scenario &scenario, int replication = 1);
    // The same with an explicit replication seed.
    Simulation(const Scenario &scenario, std::uint64_t seed, bool explicitSeed);
    ~Simulation();
    Simulation(const Simulation &) = delete;
    Simulation &operator=(const Simulation &) = delete;

    // Processes one event. Returns false when the run is over (end of duration, message
    // limit reached with nothing left to serve, or stop()).
    bool step();
    // Processes every event up to and including time t (clamped to the duration).
    void runUntil(double t);
    // Runs to the end.
    void run();
    // Ends the run at the next event boundary; safe to call from another thread.
    void stop();
    // Also end the run when *flag becomes true (read every few thousand events), so a
    // caller's Ctrl+C or Cancel button reaches the hot loop. The flag must outlive the run.
    void setCancelFlag(const std::atomic<bool> *flag);
    // Why the run ended early, if it did (stopped, cancelled, time stopped advancing).
    std::string error() const;

    double now() const;
    double endTime() const;            // scenario duration
    bool finished() const;
    std::uint64_t eventCount() const;
    std::uint64_t pendingEvents() const;

    void setObserver(SimObserver *observer);

    // Live view for the GUI: ready messages in a queue, busy servers / in-flight messages of
    // a consumer (0 for other kinds).
    int queueDepth(int node) const;
    int busyServers(int node) const;
    int inFlight(int node) const;

    // Statistics so far (time averages brought up to now()); the result of the run once
    // finished(). Cheap enough to call a few times a second.
    RunStats snapshot() const;
    // The final statistics, moved out (call once, after the run).
    RunStats takeStats();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ql
