// The inside of a live run, shared by LiveRunner (which deploys, samples and collects) and
// the worker threads it starts (liverun.cpp: producers and consumers). Not an API: only
// model/live includes it.
#pragma once

#include "live/transport.h"
#include "random/rng.h"
#include "scenario/scenario.h"
#include "sim/simobserver.h"
#include "topology/compiledtopology.h"
#include "stats/histogram.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace ql::live {

using Clock = std::chrono::steady_clock;

inline std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

inline Clock::time_point toTimePoint(std::int64_t ns)
{
    return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

// One step of a spin-wait. It yields rather than burns: on a machine with fewer cores than
// busy threads a pure spin would take the core from our own consumers (measured: a producer
// spinning before each send starved one of two competing consumers), while on an idle core
// sched_yield returns at once.
inline void spinPause()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
    std::this_thread::yield();
}

// Sleeps give way to a short spin this long before a deadline: a sleep overshoots by
// tens of microseconds, which a millisecond-scale service time would notice.
inline constexpr std::int64_t SpinNs = 60'000;
// No wait lasts longer than this, so a stop request is seen quickly.
inline constexpr std::int64_t MaxWaitNs = 20'000'000;
inline constexpr std::size_t Batch = 256;

// Workers' timers wake when asked, not up to 50 us later (the default timer slack).
inline void preciseTimers()
{
#if defined(__linux__)
    ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
#endif
}

// Counters that only grow. Each worker keeps two sets: whole run (for the time series) and
// after warm-up (for the results).
struct NodeCounters
{
    std::uint64_t published = 0, routed = 0, unroutable = 0, arrivals = 0, dispatched = 0,
                  completed = 0, waits = 0, rejected = 0, requeued = 0;
    double waitSum = 0;
};

struct EndToEnd
{
    std::uint64_t delivered = 0;
    double latencySum = 0;
};

// One emulated server of a consumer. A service runs from `start` to `end` on the wall clock
// as drawn from the scenario; its end is the instant the results use even when the thread
// gets to it a little later (a sleeping thread wakes tens of microseconds late, more on a
// busy machine, and that is the emulator's delay, not the backend's).
//
// The same holds for the prefetch window: a completed service frees a place in the window
// at its planned end, but the acknowledgement leaves when the thread gets there. A delivery
// that waited in the broker for that place counts as received that much earlier (never
// before it was published, nor before the place was freed), so the emulator's tardiness in
// acknowledging is not added to every service of a busy period (with prefetch 1 it would
// be, and queueing would amplify it). The broker's own round trip from the acknowledgement
// to the next delivery still counts: that is the backend's behaviour, not the emulator's.
struct WindowCredit
{
    std::int64_t openAt;     // planned instant the place was freed (INT64_MIN: from the start)
    std::int64_t lateness;   // how much later the acknowledgement really left, ns
};

struct ServerSlot
{
    bool active = false;
    Delivery d;
    std::int64_t start = 0, end = 0;
    std::int64_t freeAt = 0;   // when it last became free
};

// What one worker thread measured; guarded by m (the worker takes it once per batch, the
// sampler once per sample).
struct WorkerShared
{
    std::mutex m;
    std::vector<NodeCounters> total, measured;
    EndToEnd e2eTotal, e2eMeasured;
    Histogram latency;          // after warm-up, scenario units
    Histogram latencyInterval;  // since the last series sample
    std::unique_ptr<Histogram> wait;     // consumer: waits in its queue, after warm-up
    std::unique_ptr<Histogram> service;  // consumer: service times, after warm-up
    std::vector<ServerSlot> slots;        // consumer: its servers
    double busyNs = 0;                    // completed service time, whole run
    double busyMeasuredNs = 0;            // completed service time after warm-up
    std::int64_t held = 0, maxHeld = 0;
    Histogram lateness;         // how late the thread acted on a planned instant, wall us
    // delay: messages held now (held), the area under that count in message-ns (busyNs whole
    // run, busyMeasuredNs after warm-up), and its peak after warm-up.
    std::int64_t peakMeasured = 0;
    std::uint64_t publishedTotal = 0, publishedCopies = 0, onwardCopies = 0, completedTotal = 0,
                  unroutableTotal = 0, foreign = 0;
};

struct Onward
{
    double cumulative;
    int target;
};

// A message handed to a delay node at `at` (the sender's planned instant).
struct DelayArrival
{
    Payload payload;
    int priority = 0;
    std::int64_t at = 0;
};

// A delay node's inbox. The runner emulates delays on every backend, as it emulates
// services: senders hand messages in here instead of publishing them, and the delay's own
// thread holds each one for its drawn delay and then sends it on.
struct DelayInbox
{
    std::mutex m;
    std::condition_variable cv;
    std::vector<DelayArrival> arrivals;
};

// Messages for delay nodes, collected while a worker holds its counters' lock and handed
// over after it is released (a delay's thread takes its inbox's lock, then its own).
using DelayHandoffs = std::vector<std::pair<int, DelayArrival>>;

// The state one live run shares between its worker threads: the compiled routes, the clock
// marks, the stop instant and the first error. Producer and consumer loops are its members.
struct LiveRun
{
    Scenario sc;
    double wallPerUnit = 0.001;
    double nsPerUnit = 1e6;
    double unitsPerNs = 1e-6;
    std::size_t n = 0;

    // What the topology means (routes, keys, onward links), and the routing identities:
    // the topology's publish keys, (producer, key index) pairs in producer order.
    CompiledTopology topology;
    std::vector<int> identityBase;               // per producer node
    std::vector<std::string_view> identityKey;
    std::vector<const Headers *> identityHeaders;
    std::vector<int> identityPriority;
    std::vector<int> producerTarget;             // per node
    std::vector<std::vector<double>> keyCumulative; // per producer node
    std::vector<std::vector<Onward>> onward;     // per consumer node
    std::vector<bool> onwardAlways;
    std::vector<int> consumerQueue;
    // The queues a message sent to `target` with routing identity `identity` reaches.
    std::span<const int> destinations(int target, int identity) const;

    std::uint64_t seed = 0;
    std::int64_t startNs = 0, warmupEndNs = 0, endNs = 0;
    std::atomic<std::int64_t> stopAtNs{0};
    std::atomic<bool> stopRequested{false};
    std::atomic<int> producersDone{0};
    std::atomic<std::int64_t> globalPublished{0};

    std::mutex errorMutex;
    std::string error;

    // What happens to each message, for the canvas (set before the run; null: nobody asks,
    // and every call site costs one branch). Called from every worker thread at once.
    SimObserver *observer = nullptr;
    double unitsAt(std::int64_t ns) const { return double(ns - startNs) * unitsPerNs; }
    // Tells the observer that message `msg` went from `from` to `to` at `ns`, and where the
    // broker puts it from there: the queues an exchange routes it to (or unroutable).
    void observeSend(std::int64_t ns, std::uint64_t msg, int from, int to, int identity) const;

    std::vector<std::unique_ptr<WorkerShared>> workers; // per node (producers, consumers)
    std::vector<std::unique_ptr<TransportChannel>> channels; // per node, each for one worker
    std::vector<std::unique_ptr<DelayInbox>> delayInboxes;   // per node (delays only)

    // Routing tables from sc (call once sc is set).
    void compile();
    bool isTarget(int node) const
    {
        const NodeKind k = sc.nodes[std::size_t(node)].kind;
        return k == NodeKind::Queue || k == NodeKind::Exchange;
    }
    bool isDelay(int node) const { return sc.nodes[std::size_t(node)].kind == NodeKind::Delay; }
    void fail(const std::string &message)
    {
        {
            std::lock_guard lock(errorMutex);
            if (error.empty())
                error = message;
        }
        stopAt(nowNs());
        stopRequested.store(true);
    }
    // Moves the stop instant to t if that is earlier (workers stop acting at it).
    void stopAt(std::int64_t t)
    {
        std::int64_t current = stopAtNs.load();
        while (t < current && !stopAtNs.compare_exchange_weak(current, t)) {
        }
    }
    bool stopping(std::int64_t now) const
    {
        return now >= stopAtNs.load(std::memory_order_relaxed);
    }
    // Waits until t (or a stop); true if t was reached.
    bool waitUntil(std::int64_t t)
    {
        for (;;) {
            const std::int64_t now = nowNs();
            if (stopping(now))
                return false;
            const std::int64_t left = t - now;
            if (left <= 0)
                return true;
            if (left > SpinNs)
                std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(left - SpinNs, MaxWaitNs)));
            else
                spinPause();
        }
    }
    void countPublish(WorkerShared &w, bool measuring, int target, int identity, bool fromProducer,
                      int producer);
    // The onward choice after a service or a delay at `node`: the next node, or -1 when the
    // message leaves the system there.
    int chooseOnward(int node, Rng &rng) const;
    // `pl` sent on to the exchange or queue `to` at `t`, with its producer's routing identity
    // (returned in *identity, -1 for none).
    OutMessage onwardMessage(int to, const Payload &pl, int priority, std::int64_t t, int *identity) const;
    // The message ends at `t`: its end-to-end latency. Call with w.m held.
    void deliver(WorkerShared &w, const Payload &pl, std::int64_t t);
    void handOver(DelayHandoffs &handoffs);
    // The worker threads' bodies; node = the producer's / consumer's / delay's index.
    void producerLoop(int p);
    void consumerLoop(int c);
    void delayLoop(int d);
};

// Busy server-time of a consumer up to `at`, counting only time after `from`: completed
// services plus the elapsed part of running ones (clipped at their end, so it never
// decreases). Call with w.m held.
double busyUpTo(const WorkerShared &w, std::int64_t at, std::int64_t from);

} // namespace ql::live
