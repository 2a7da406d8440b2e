// Runs a scenario as real traffic on a live backend (a Transport) and measures it into the
// same RunStats/Results shape as a simulation, so the two can be laid side by side.
//
// One thread per producer publishes on the configured interarrival process, paced against
// std::chrono::steady_clock by absolute send times (a producer that falls behind publishes
// at once, in a batch, and catches up; it never sleeps a fixed amount). One thread per
// consumer subscribes to its queue with a window of servers * prefetch, serves deliveries
// FIFO on `servers` emulated servers (service times drawn from the scenario, waited out
// with sleep-then-spin), publishes onward per its links and then acknowledges. The calling
// thread samples: transport counters and queue depths, the time series, progress, and the
// stop conditions (duration, stop request, quiescence after message limits, errors).
//
// Time: a scenario time unit lasts wallSecondsPerUnit() wall seconds (see LiveOptions).
// Every figure in the results is in the scenario's own unit, as for a simulation.
#pragma once

#include "live/transport.h"
#include "scenario/scenario.h"
#include "sim/simobserver.h"
#include "stats/results.h"
#include "stats/runstats.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ql {

// What a live run produced, beyond the results: enough to check it and to explain it.
struct LiveReport
{
    Results results;              // source = backend name, seed empty; partial if cut short
    RunStats stats;               // the single run behind `results` (after warm-up)
    bool setupFailed = false;     // deploy/subscribe failed: nothing ran (CLI exit 2)
    std::string error;            // why it failed or ended early (no credentials in it)
    std::vector<std::string> warnings; // e.g. teardown problems, foreign messages
    std::string backend;          // Transport::name()
    std::string where;            // Transport::where() (password masked)
    double wallPerUnit = 0;       // wall seconds per scenario time unit
    double wallSeconds = 0;       // how long the traffic really ran
    double plannedDuration = 0;   // scenario time units planned (results.duration)
    bool endedEarly = false;      // every message served after the limits were reached
    // How late the worker threads acted on planned instants (a send, a service end), in wall
    // microseconds: the emulator's own delay, large on a busy machine. A warning says when
    // it is large against the service times.
    double latenessMeanUs = 0;
    double latenessP99Us = 0;

    // Whole-run totals (warm-up included) for conservation checks:
    //   publishedCopies + onwardCopies == completedTotal + droppedTotal + inFlightAtStop
    // where a copy is one message arriving in one queue (fanout makes several); and for a
    // topology where every message reaches at most one queue and then ends,
    //   publishedTotal == deliveredTotal + droppedTotal + unroutableTotal + inFlightAtStop.
    std::uint64_t publishedTotal = 0;   // producer publishes
    std::uint64_t publishedCopies = 0;  // queue arrivals from producers + direct ends
    std::uint64_t onwardCopies = 0;     // queue arrivals from consumers' onward publishes
    std::uint64_t deliveredTotal = 0;   // copies that finished (end-to-end)
    std::uint64_t completedTotal = 0;   // services completed (the message went on or ended)
    std::uint64_t droppedTotal = 0;     // dropped by queues (as the transport reports)
    std::uint64_t unroutableTotal = 0;  // publishes no binding matched
    std::uint64_t inFlightAtStop = 0;   // ready + unacknowledged at the end
    std::uint64_t foreignMessages = 0;  // deliveries whose body was not ours (skipped)
    // Per node (scenario order): for consumers, the most deliveries held unacknowledged at
    // once (prefetch must bound it by servers * prefetch); 0 for other kinds.
    std::vector<std::int64_t> maxUnacked;
    TransportSnapshot finalSnapshot;
};

// What the canvas shows of a live run between its time-series samples: each queue's ready
// messages as the backend last reported them (every 10 to 20 ms), each consumer's busy
// servers, and each queue's drops so far (cumulative, as the backend counts them).
struct LiveState
{
    double t = 0;                         // scenario time of the reading
    std::vector<int> queueDepth;          // per node; 0 for non-queues
    std::vector<int> busyServers;         // per node; 0 for non-consumers
    std::vector<std::uint64_t> drops;     // per node, since deploy
};

class LiveRunner
{
public:
    // `scenario` must be valid (validateScenario() without errors); it is copied.
    LiveRunner(const Scenario &scenario, const LiveOptions &options);
    ~LiveRunner();
    LiveRunner(const LiveRunner &) = delete;
    LiveRunner &operator=(const LiveRunner &) = delete;

    // Progress 0..1 of the planned wall time, from the thread that calls run(), about ten
    // times a second.
    void setProgress(std::function<void(double fraction)> progress);
    // An outside stop flag (e.g. set by a signal handler); read every few milliseconds.
    void setCancelFlag(const std::atomic<bool> *cancel);

    // Creates the backend named by options.backend, deploys, runs, tears down. Blocks.
    LiveReport run();
    // The same on a transport the caller made (not yet deployed); it is deployed and torn
    // down here, so the caller can look at it in between only through `report`.
    LiveReport run(Transport &transport);

    // Ends the run early; safe from any thread. The results are partial.
    void stop();

    // The time series measured so far (thread-safe; for live charts).
    TimeSeries seriesSnapshot() const;

    // Tells `observer` what happens to every message, as a simulation tells its observer
    // (set before run(); nullptr for none, which costs the run nothing). Unlike a
    // simulation's, these calls come from the run's worker threads at once, so the observer
    // must be thread-safe. Times are scenario time since the start; `msg` is the message's
    // sequence number (fanout copies share their original's); enqueued() passes depth -1
    // (the broker holds the depth: see state()); overflow drops inside the broker are not
    // reported per message (see LiveState::drops).
    void setObserver(SimObserver *observer);
    // Scenario time since the traffic started (0 before); thread-safe.
    double elapsed() const;
    // The latest depths and busy servers (thread-safe; empty vectors before the start).
    LiveState state() const;

    // The effective scenario: run.duration/warmup as the live run uses them.
    const Scenario &scenario() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// The scenario a live run with these options will execute: duration replaced by
// options.durationSeconds (wall seconds) when set, warm-up clipped to half of it.
Scenario liveScenario(const Scenario &scenario, const LiveOptions &options);

} // namespace ql
