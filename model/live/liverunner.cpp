#include "live/liverunner.h"

#include "live/liverun.h"
#include "stats/serieswriter.h"
#include "topology/nodekinds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

namespace ql {

using namespace live;

struct LiveRunner::Impl : LiveRun
{
    LiveOptions opt;
    std::function<void(double)> progress;
    const std::atomic<bool> *cancel = nullptr;

    mutable std::mutex seriesMutex;
    SeriesWriter series;
    mutable std::mutex stateMutex;
    LiveState state;
    std::atomic<std::int64_t> clockStartNs{0};
    std::vector<double> prevBusyArea; // sampler's previous busy areas, per node

    void initSeries();
    void noteState(const TransportSnapshot &snap);
    void takeSample(double t, const TransportSnapshot &snap, std::vector<NodeCounters> &prev,
                    EndToEnd &prevE2e, std::vector<std::int64_t> &prevDrops,
                    std::vector<double> &prevIntegral, std::int64_t &prevNs);
    std::vector<NodeCounters> sumTotals(EndToEnd *e2e, Histogram *interval, std::vector<int> *busy,
                                        std::vector<double> *busyArea, std::int64_t at);
};

void LiveRunner::Impl::initSeries()
{
    std::lock_guard lock(seriesMutex);
    series = SeriesWriter(sc);
}

void LiveRunner::Impl::noteState(const TransportSnapshot &snap)
{
    LiveState now;
    now.t = unitsAt(snap.atNs);
    now.queueDepth.assign(n, 0);
    now.busyServers.assign(n, 0);
    now.drops.assign(n, 0);
    for (const QueueSnapshot &q : snap.queues) {
        now.queueDepth[std::size_t(q.node)] = int(q.ready.value_or(0));
        now.drops[std::size_t(q.node)] = std::uint64_t(std::max<std::int64_t>(0, q.drops.value_or(0)));
    }
    for (std::size_t i = 0; i < workers.size(); ++i) {
        if (!workers[i] || sc.nodes[i].kind != NodeKind::Consumer)
            continue;
        std::lock_guard lock(workers[i]->m);
        for (const ServerSlot &slot : workers[i]->slots)
            now.busyServers[i] += slot.active;
    }
    std::lock_guard lock(stateMutex);
    state = std::move(now);
}

std::vector<NodeCounters> LiveRunner::Impl::sumTotals(EndToEnd *e2e, Histogram *interval,
                                                      std::vector<int> *busy,
                                                      std::vector<double> *busyArea, std::int64_t at)
{
    std::vector<NodeCounters> sum(n);
    *e2e = {};
    busy->assign(n, 0);
    busyArea->assign(n, 0.0);
    for (std::size_t i = 0; i < workers.size(); ++i) {
        if (!workers[i])
            continue;
        WorkerShared &w = *workers[i];
        std::lock_guard lock(w.m);
        for (std::size_t k = 0; k < n; ++k) {
            const NodeCounters &a = w.total[k];
            NodeCounters &s = sum[k];
            s.published += a.published;
            s.routed += a.routed;
            s.unroutable += a.unroutable;
            s.arrivals += a.arrivals;
            s.dispatched += a.dispatched;
            s.completed += a.completed;
            s.waits += a.waits;
            s.waitSum += a.waitSum;
        }
        e2e->delivered += w.e2eTotal.delivered;
        e2e->latencySum += w.e2eTotal.latencySum;
        interval->merge(w.latencyInterval);
        w.latencyInterval.reset();
        int active = 0;
        for (const ServerSlot &slot : w.slots)
            active += slot.active;
        (*busy)[i] = sc.nodes[i].kind == NodeKind::Delay ? int(w.held) : active;
        (*busyArea)[i] = w.busyNs + busyUpTo(w, at, 0);
    }
    return sum;
}

void LiveRunner::Impl::takeSample(double t, const TransportSnapshot &snap,
                                  std::vector<NodeCounters> &prev, EndToEnd &prevE2e,
                                  std::vector<std::int64_t> &prevDrops,
                                  std::vector<double> &prevIntegral, std::int64_t &prevNs)
{
    std::lock_guard slock(seriesMutex);
    if (!series.begin(t))
        return;
    const double dt = series.interval();
    using C = SeriesColumn;
    EndToEnd e2e;
    Histogram interval;
    std::vector<int> busy;
    std::vector<double> busyArea;
    const std::int64_t at = snap.atNs;
    std::vector<NodeCounters> now = sumTotals(&e2e, &interval, &busy, &busyArea, at);

    auto put = [&](std::size_t node, SeriesColumn column, double v) { series.put(int(node), column, v); };
    const double dtNs = double(std::max<std::int64_t>(1, at - prevNs));
    for (std::size_t i = 0; i < n; ++i) {
        const NodeCounters &a = now[i], &b = prev[i];
        switch (sc.nodes[i].kind) {
        case NodeKind::Producer:
            put(i, C::ProducerThroughput, double(a.published - b.published) / dt);
            break;
        case NodeKind::Exchange:
            put(i, C::ExchangeThroughput, double(a.routed - b.routed) / dt);
            put(i, C::ExchangeUnroutable, double(a.unroutable - b.unroutable));
            break;
        case NodeKind::Queue: {
            const QueueSnapshot *q = nullptr;
            for (const QueueSnapshot &qs : snap.queues)
                if (qs.node == int(i))
                    q = &qs;
            const double ready = q && q->ready ? double(*q->ready) : 0.0;
            double lengthMean = ready;
            if (q && q->readyIntegralNs) {
                lengthMean = (*q->readyIntegralNs - prevIntegral[i]) / dtNs;
                prevIntegral[i] = *q->readyIntegralNs;
            }
            std::int64_t drops = 0;
            if (q && q->drops) {
                drops = *q->drops - prevDrops[i];
                prevDrops[i] = *q->drops;
            }
            put(i, C::QueueLength, ready);
            put(i, C::QueueLengthMean, lengthMean);
            put(i, C::QueueArrivalRate, double(a.arrivals - b.arrivals) / dt);
            put(i, C::QueueDrops, double(drops));
            const auto waits = a.waits - b.waits;
            put(i, C::QueueWaitMean, waits ? (a.waitSum - b.waitSum) / double(waits) : 0.0);
            break;
        }
        case NodeKind::Consumer: {
            const int servers = std::max(1, sc.nodes[i].servers);
            put(i, C::ConsumerUtilization, (busyArea[i] - prevBusyArea[i]) / (dtNs * servers));
            put(i, C::ConsumerThroughput, double(a.completed - b.completed) / dt);
            put(i, C::ConsumerBusy, busy[i]);
            prevBusyArea[i] = busyArea[i];
            break;
        }
        case NodeKind::Delay:
            put(i, C::DelayThroughput, double(a.completed - b.completed) / dt);
            put(i, C::DelayInTransit, busy[i]);
            break;
        case NodeKind::Sink:
            break;
        }
    }
    const auto count = e2e.delivered - prevE2e.delivered;
    series.putEndToEnd(C::EndToEndThroughput, double(count) / dt);
    series.putEndToEnd(C::EndToEndLatencyMean, count ? (e2e.latencySum - prevE2e.latencySum) / double(count) : 0.0);
    series.putEndToEnd(C::EndToEndLatencyP50, interval.quantile(0.50));
    series.putEndToEnd(C::EndToEndLatencyP95, interval.quantile(0.95));
    series.putEndToEnd(C::EndToEndLatencyP99, interval.quantile(0.99));
    prev = std::move(now);
    prevE2e = e2e;
    prevNs = at;
}

// A fidelity warning when the emulator's threads were late by more than 5% of the shortest
// mean service time: then the live figures carry the machine's load, not only the backend's.
static std::string latenessWarning(const Scenario &sc, double wallPerUnit, const Histogram &lateness)
{
    double shortest = 0;
    for (const Node &node : sc.nodes) {
        if (node.kind != NodeKind::Consumer)
            continue;
        const double mean = node.service.expectation() * wallPerUnit * 1e6; // wall us
        if (mean > 0 && (shortest == 0 || mean < shortest))
            shortest = mean;
    }
    if (shortest == 0 || lateness.count() == 0 || lateness.mean() <= 0.05 * shortest)
        return {};
    double load = 0;
    std::ifstream("/proc/loadavg") >> load;
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "fidelity: the worker threads acted on average %.0f us late (p99 %.0f us), %.0f%% of the "
                  "shortest mean service time (%.0f us)%s; the live figures include that delay. A larger "
                  "--time-scale (slower wall clock) or a quieter machine gives a closer match",
                  lateness.mean(), lateness.quantile(0.99), 100 * lateness.mean() / shortest, shortest,
                  load > 0 ? (", machine load " + std::to_string(load).substr(0, 4) + " on "
                              + std::to_string(std::thread::hardware_concurrency()) + " cores").c_str()
                           : "");
    return buf;
}

// ---------------------------------------------------------------------------------------

Scenario liveScenario(const Scenario &scenario, const LiveOptions &options)
{
    Scenario s = scenario;
    if (options.durationSeconds && *options.durationSeconds > 0) {
        s.run.duration = *options.durationSeconds / wallSecondsPerUnit(scenario, options);
        s.run.warmup = std::min(s.run.warmup, s.run.duration / 2);
    }
    s.run.replications = 1;
    return s;
}

LiveRunner::LiveRunner(const Scenario &scenario, const LiveOptions &options)
    : d(std::make_unique<Impl>())
{
    d->opt = options;
    d->sc = liveScenario(scenario, options);
    d->wallPerUnit = wallSecondsPerUnit(scenario, options);
    d->nsPerUnit = d->wallPerUnit * 1e9;
    d->unitsPerNs = 1.0 / d->nsPerUnit;
    d->compile();
    d->initSeries();
}

LiveRunner::~LiveRunner() = default;

void LiveRunner::setProgress(std::function<void(double)> progress)
{
    d->progress = std::move(progress);
}

void LiveRunner::setCancelFlag(const std::atomic<bool> *cancel)
{
    d->cancel = cancel;
}

void LiveRunner::stop()
{
    d->stopRequested.store(true);
}

TimeSeries LiveRunner::seriesSnapshot() const
{
    std::lock_guard lock(d->seriesMutex);
    return d->series.series();
}

void LiveRunner::setObserver(SimObserver *observer)
{
    d->observer = observer;
}

double LiveRunner::elapsed() const
{
    const std::int64_t start = d->clockStartNs.load();
    return start ? std::max(0.0, double(nowNs() - start) * d->unitsPerNs) : 0.0;
}

LiveState LiveRunner::state() const
{
    std::lock_guard lock(d->stateMutex);
    return d->state;
}

const Scenario &LiveRunner::scenario() const
{
    return d->sc;
}

LiveReport LiveRunner::run()
{
    std::string err;
    std::unique_ptr<Transport> t = makeTransport(d->opt.backend, d->opt, &err);
    if (!t) {
        LiveReport r;
        r.setupFailed = true;
        r.error = err;
        r.backend = d->opt.backend;
        r.wallPerUnit = d->wallPerUnit;
        r.plannedDuration = d->sc.run.duration;
        r.results = aggregate(d->sc, {}, d->opt.backend, std::nullopt);
        return r;
    }
    return run(*t);
}

LiveReport LiveRunner::run(Transport &transport)
{
    Impl &s = *d;
    LiveReport report;
    report.backend = transport.name();
    report.where = transport.where();
    report.wallPerUnit = s.wallPerUnit;
    report.plannedDuration = s.sc.run.duration;
    report.maxUnacked.assign(s.n, 0);
    s.error.clear();
    s.producersDone = 0;
    s.globalPublished = 0;
    s.seed = s.opt.seed;
    if (s.seed == 0) {
        std::random_device rd;
        s.seed = (std::uint64_t(rd()) << 32) ^ rd();
    }
    s.initSeries();
    s.prevBusyArea.assign(s.n, 0.0);

    auto setupFailure = [&](const std::string &message) {
        s.channels.clear();
        std::string terr;
        if (!transport.teardown(&terr))
            report.warnings.push_back(terr);
        report.setupFailed = true;
        report.error = message;
        report.results = aggregate(s.sc, {}, transport.name(), std::nullopt);
        report.results.partial = true;
        report.results.error = message;
        return std::move(report);
    };

    // Kinds this backend cannot run (the node-kind table's live support) refuse the run,
    // naming the node, before anything is deployed.
    for (const Node &node : s.sc.nodes) {
        const LiveSupportSpec &live = nodeKindInfo(node.kind).live;
        const LiveSupport support = transport.name() == "amqp" ? live.amqp : live.embedded;
        if (support == LiveSupport::None)
            return setupFailure(std::string(nodeKindName(node.kind)) + " \"" + node.id + "\" cannot run on the "
                                + transport.name() + " backend: " + live.note);
    }
    // Kinds the runner emulates beside the broker are said once per kind, with what that means.
    for (const NodeKindInfo &info : nodeKinds()) {
        const LiveSupport support = transport.name() == "amqp" ? info.live.amqp : info.live.embedded;
        if (support != LiveSupport::Emulated)
            continue;
        std::string ids;
        for (const Node &node : s.sc.nodes)
            if (node.kind == info.kind)
                ids += (ids.empty() ? "\"" : ", \"") + node.id + "\"";
        if (!ids.empty())
            report.warnings.push_back(std::string(info.label) + " " + ids + " emulated on the " + transport.name()
                                      + " backend: " + info.live.note);
    }

    for (const Node &node : s.sc.nodes) {
        if (node.retryLimit > 0)
            return setupFailure("producer \"" + node.id + "\" retries refused publishes (\"retry_limit\"), which "
                                "runs in the simulator only for now; simulate the scenario, or remove the "
                                "retries for the live run");
        if (node.timeToFailure)
            return setupFailure("consumer \"" + node.id + "\" crashes (\"time_to_failure\"), which runs in the "
                                "simulator only for now; simulate the scenario, or remove the crashes for the "
                                "live run");
    }
    // Failures and retries run on the embedded broker; RabbitMQ does not get them declared
    // yet (x-message-ttl, x-dead-letter-exchange, quorum queues, nacks).
    if (transport.name() == "amqp") {
        for (const Node &node : s.sc.nodes) {
            std::string what;
            if (node.messageTtl || node.queueTtl)
                what = "a message TTL (\"message_ttl\")";
            else if (node.queueType != QueueType::Classic || node.deliveryLimit)
                what = "a quorum queue (\"queue_type\", \"delivery_limit\")";
            else if (node.kind == NodeKind::Queue && node.overflow == Overflow::RejectPublishDlx)
                what = "overflow \"reject-publish-dlx\"";
            else if (node.rejectProbability > 0 || node.requeueProbability > 0)
                what = "rejects or requeues (\"reject_probability\", \"requeue_probability\")";
            if (!what.empty())
                return setupFailure(std::string(nodeKindName(node.kind)) + " \"" + node.id + "\" has " + what
                                    + ", which runs in the simulator and on the embedded broker only for now; use "
                                      "the embedded backend, or remove it for the RabbitMQ run");
        }
        for (const Link &link : s.sc.links)
            if (link.role == LinkRole::DeadLetter)
                return setupFailure("the dead-letter link " + link.from + " -> " + link.to
                                    + " runs in the simulator and on the embedded broker only for now; use "
                                      "the embedded backend, or remove the link for the RabbitMQ run");
    }

    std::string err;
    if (!transport.deploy(s.sc, &err))
        return setupFailure(err);

    // One channel per worker; consumers subscribe before any traffic starts.
    std::vector<int> producers, consumers, delays;
    s.channels.clear();
    s.channels.resize(s.n);
    s.workers.clear();
    s.workers.resize(s.n);
    s.delayInboxes.clear();
    s.delayInboxes.resize(s.n);
    for (std::size_t i = 0; i < s.n; ++i) {
        const Node &node = s.sc.nodes[i];
        if (node.kind != NodeKind::Producer && node.kind != NodeKind::Consumer && node.kind != NodeKind::Delay)
            continue;
        if (node.kind == NodeKind::Consumer && s.consumerQueue[i] < 0)
            continue; // validation forbids it; nothing to consume
        s.channels[i] = transport.openChannel(&err);
        if (!s.channels[i])
            return setupFailure(err);
        auto w = std::make_unique<WorkerShared>();
        w->total.assign(s.n, {});
        w->measured.assign(s.n, {});
        if (node.kind == NodeKind::Consumer) {
            w->wait = std::make_unique<Histogram>();
            w->service = std::make_unique<Histogram>();
            const int window = std::max(1, node.servers) * std::max(1, node.prefetch);
            if (!s.channels[i]->subscribe(s.consumerQueue[i], int(i), window, &err))
                return setupFailure(err);
            consumers.push_back(int(i));
        } else if (node.kind == NodeKind::Delay) {
            w->service = std::make_unique<Histogram>(); // the delays drawn, after warm-up
            s.delayInboxes[i] = std::make_unique<DelayInbox>();
            delays.push_back(int(i));
        } else {
            producers.push_back(int(i));
        }
        s.workers[i] = std::move(w);
    }

    TransportSnapshot base;
    if (!transport.snapshot(&base, &err))
        return setupFailure(err);
    const bool exactLength = std::all_of(base.queues.begin(), base.queues.end(),
                                         [](const QueueSnapshot &q) { return q.readyIntegralNs.has_value(); });

    // Start a little ahead so every thread is up when the clock starts.
    s.startNs = nowNs() + 5'000'000;
    s.warmupEndNs = s.startNs + std::int64_t(s.sc.run.warmup * s.nsPerUnit);
    s.endNs = s.startNs + std::int64_t(s.sc.run.duration * s.nsPerUnit);
    s.stopAtNs = s.endNs;
    s.clockStartNs = s.startNs;
    for (int c : consumers) {
        const Node &node = s.sc.nodes[std::size_t(c)];
        s.workers[std::size_t(c)]->slots.assign(std::size_t(std::max(1, node.servers)), ServerSlot{});
        for (ServerSlot &slot : s.workers[std::size_t(c)]->slots)
            slot.freeAt = s.startNs;
    }

    std::vector<std::thread> threads;
    for (int p : producers)
        threads.emplace_back([&s, p] { s.producerLoop(p); });
    for (int c : consumers)
        threads.emplace_back([&s, c] { s.consumerLoop(c); });
    for (int d : delays)
        threads.emplace_back([&s, d] { s.delayLoop(d); });

    // The sampler: this thread.
    const double sampleInterval = s.sc.run.sampleInterval > 0 ? s.sc.run.sampleInterval
                                                              : s.sc.run.duration / 100.0;
    const std::int64_t sampleNs = std::max<std::int64_t>(1'000'000, std::int64_t(sampleInterval * s.nsPerUnit));
    std::int64_t nextSample = s.startNs + sampleNs;
    // Without an exact integral the ready depth is sampled: often enough for a time average,
    // rarely enough for a backend that pays a round trip per queue.
    const std::int64_t pollNs = exactLength ? 10'000'000 : 20'000'000;
    std::vector<NodeCounters> prev(s.n);
    EndToEnd prevE2e;
    std::vector<std::int64_t> prevDrops(s.n, 0);
    std::vector<double> prevIntegral(s.n, 0.0);
    for (const QueueSnapshot &q : base.queues) {
        prevDrops[std::size_t(q.node)] = q.drops.value_or(0);
        prevIntegral[std::size_t(q.node)] = q.readyIntegralNs.value_or(0);
    }
    std::int64_t prevNs = s.startNs;

    TransportSnapshot atWarmup = base;
    bool warmupTaken = s.sc.run.warmup <= 0;
    std::vector<std::int64_t> peakAfterWarmup(s.n, 0);
    std::vector<double> polledSum(s.n, 0.0);
    std::uint64_t polls = 0;
    int quietPolls = 0;
    std::int64_t lastProgress = 0;
    bool endedEarly = false;

    s.waitUntil(s.startNs);
    for (;;) {
        std::int64_t now = nowNs();
        const std::int64_t stopAt = s.stopAtNs.load();
        if (now >= stopAt)
            break;
        if (s.stopRequested.load() || (s.cancel && s.cancel->load())) {
            s.stopAt(now);
            break;
        }
        std::int64_t wake = std::min({now + pollNs, nextSample, stopAt});
        if (!warmupTaken)
            wake = std::min(wake, s.warmupEndNs);
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::max<std::int64_t>(0, wake - now)));
        now = nowNs();

        TransportSnapshot snap;
        if (!transport.snapshot(&snap, &err)) {
            s.fail(err);
            break;
        }
        s.noteState(snap);
        if (!warmupTaken && now >= s.warmupEndNs) {
            atWarmup = snap;
            warmupTaken = true;
        } else if (warmupTaken) {
            for (const QueueSnapshot &q : snap.queues) {
                const auto i = std::size_t(q.node);
                if (q.readyPeak)
                    peakAfterWarmup[i] = std::max(peakAfterWarmup[i], *q.readyPeak);
                else if (q.ready)
                    peakAfterWarmup[i] = std::max(peakAfterWarmup[i], *q.ready);
                if (q.ready)
                    polledSum[i] += double(*q.ready);
            }
            ++polls;
        }
        if (now >= nextSample) {
            s.takeSample(double(now - s.startNs) * s.unitsPerNs, snap, prev, prevE2e, prevDrops,
                         prevIntegral, prevNs);
            nextSample += sampleNs;
            if (nextSample <= now)
                nextSample = now + sampleNs;
        }
        if (s.progress && now - lastProgress >= 100'000'000) {
            lastProgress = now;
            s.progress(std::clamp(double(now - s.startNs) / double(s.endNs - s.startNs), 0.0, 1.0));
        }
        // Limits reached and everything served: the rest of the run would be idle.
        if (s.producersDone.load() == int(producers.size())) {
            bool quiet = true;
            for (const QueueSnapshot &q : snap.queues)
                if (q.ready.value_or(0) != 0 || q.unacked.value_or(0) != 0)
                    quiet = false;
            for (const std::vector<int> *holders : {&consumers, &delays}) {
                for (int c : *holders) {
                    WorkerShared &w = *s.workers[std::size_t(c)];
                    std::lock_guard lock(w.m);
                    if (w.held != 0)
                        quiet = false;
                }
            }
            quietPolls = quiet ? quietPolls + 1 : 0;
            if (quietPolls >= 2) {
                endedEarly = true;
                s.stopAt(nowNs());
                break;
            }
        }
    }
    s.stopAt(nowNs());
    const std::int64_t stoppedAt = s.stopAtNs.load();
    for (std::thread &t : threads)
        t.join();
    // Channels close before the final count, so deferred acknowledgements are applied.
    s.channels.clear();

    TransportSnapshot finalSnap;
    const bool haveFinal = transport.snapshot(&finalSnap, &err);
    if (!haveFinal) {
        s.fail(err);
        finalSnap = atWarmup;
    }
    s.noteState(finalSnap);
    {
        // Last series point at the stop.
        s.takeSample(double(stoppedAt - s.startNs) * s.unitsPerNs, finalSnap, prev, prevE2e,
                     prevDrops, prevIntegral, prevNs);
    }
    report.finalSnapshot = finalSnap;
    report.wallSeconds = double(stoppedAt - s.startNs) * 1e-9;
    report.endedEarly = endedEarly;

    // Collect.
    const bool cutShort = !endedEarly && stoppedAt < s.endNs;
    RunStats &r = report.stats;
    const std::int64_t measuredNs = endedEarly ? s.endNs - s.warmupEndNs
                                               : std::max<std::int64_t>(0, stoppedAt - s.warmupEndNs);
    r.measuredTime = double(measuredNs) * s.unitsPerNs;
    r.nodes.resize(s.n);
    for (std::size_t i = 0; i < s.n; ++i) {
        const NodeKind kind = s.sc.nodes[i].kind;
        if (kind == NodeKind::Queue)
            r.nodes[i].wait = std::make_unique<Histogram>();
        if (kind == NodeKind::Consumer || kind == NodeKind::Delay)
            r.nodes[i].service = std::make_unique<Histogram>();
    }
    Histogram lateness;
    for (std::size_t wi = 0; wi < s.n; ++wi) {
        if (!s.workers[wi])
            continue;
        WorkerShared &w = *s.workers[wi];
        std::lock_guard lock(w.m);
        lateness.merge(w.lateness);
        for (std::size_t k = 0; k < s.n; ++k) {
            const NodeCounters &m = w.measured[k];
            NodeRunStats &o = r.nodes[k];
            o.published += m.published;
            o.routed += m.routed;
            o.unroutable += m.unroutable;
            o.arrivals += m.arrivals;
            o.dispatched += m.dispatched;
            o.completed += m.completed;
            o.rejected += m.rejected;
            o.requeued += m.requeued;
        }
        r.delivered += w.e2eMeasured.delivered;
        r.latency.merge(w.latency);
        if (s.sc.nodes[wi].kind == NodeKind::Consumer) {
            const int q = s.consumerQueue[wi];
            if (w.wait && q >= 0)
                r.nodes[std::size_t(q)].wait->merge(*w.wait);
            if (w.service)
                r.nodes[wi].service->merge(*w.service);
            const double busyNs = w.busyMeasuredNs + busyUpTo(w, stoppedAt, s.warmupEndNs);
            const int servers = std::max(1, s.sc.nodes[wi].servers);
            r.nodes[wi].utilization = measuredNs > 0 ? busyNs / (double(measuredNs) * servers) : 0.0;
            report.maxUnacked[wi] = w.maxHeld;
        }
        if (s.sc.nodes[wi].kind == NodeKind::Delay) {
            r.nodes[wi].service->merge(*w.service);
            r.nodes[wi].lengthMean = measuredNs > 0 ? w.busyMeasuredNs / double(measuredNs) : 0.0;
            r.nodes[wi].lengthMax = double(w.peakMeasured);
            report.inFlightAtStop += std::uint64_t(w.held);
        }
        report.publishedTotal += w.publishedTotal;
        report.publishedCopies += w.publishedCopies;
        report.onwardCopies += w.onwardCopies;
        report.completedTotal += w.completedTotal;
        report.unroutableTotal += w.unroutableTotal;
        report.deliveredTotal += w.e2eTotal.delivered;
        report.foreignMessages += w.foreign;
    }
    for (const QueueSnapshot &q : finalSnap.queues) {
        const auto i = std::size_t(q.node);
        NodeRunStats &o = r.nodes[i];
        const QueueSnapshot *w0 = nullptr;
        for (const QueueSnapshot &b : atWarmup.queues)
            if (b.node == q.node)
                w0 = &b;
        // Failures the backend counts, after warm-up.
        auto since = [&](const std::optional<std::int64_t> QueueSnapshot::*field) -> std::uint64_t {
            const std::optional<std::int64_t> &now = q.*field;
            if (!now)
                return 0;
            const std::int64_t then = w0 && (w0->*field) ? *(w0->*field) : 0;
            return std::uint64_t(std::max<std::int64_t>(0, *now - then));
        };
        o.expired = since(&QueueSnapshot::expired);
        o.deadLetteredExpired = since(&QueueSnapshot::deadLetteredExpired);
        o.deadLetteredRejected = since(&QueueSnapshot::deadLetteredRejected);
        o.deadLetteredMaxlen = since(&QueueSnapshot::deadLetteredMaxlen);
        o.deadLetteredDeliveryLimit = since(&QueueSnapshot::deadLetteredDeliveryLimit);
        o.requeued = since(&QueueSnapshot::requeued);
        o.redelivered = since(&QueueSnapshot::redelivered);
        // Dead-lettered messages arrive without a publish the runner sees: where the broker
        // counts arrivals exactly, its count is the queue's.
        if (q.arrivals && (!w0 || w0->arrivals) && transport.capabilities().exactArrivals)
            o.arrivals = since(&QueueSnapshot::arrivals);
        if (q.drops) {
            o.drops = std::uint64_t(std::max<std::int64_t>(0, *q.drops - (w0 && w0->drops ? *w0->drops : 0)));
            report.droppedTotal += std::uint64_t(*q.drops);
        } else if (q.ready) {
            // Estimate by conservation: what arrived and neither left nor waits was dropped.
            const std::int64_t dReady = *q.ready - (w0 && w0->ready ? *w0->ready : 0);
            o.drops = std::uint64_t(std::max<std::int64_t>(0, std::int64_t(o.arrivals) - std::int64_t(o.dispatched) - dReady));
        }
        report.inFlightAtStop += std::uint64_t(q.ready.value_or(0) + q.unacked.value_or(0));
        if (measuredNs > 0 && q.readyIntegralNs && (!w0 || w0->readyIntegralNs)) {
            // Integral from the end of warm-up to the stop; ready is constant after the stop.
            const double atStop = *q.readyIntegralNs - double(q.ready.value_or(0)) * double(std::max<std::int64_t>(0, finalSnap.atNs - stoppedAt));
            double atWarm = 0;
            if (w0 && s.sc.run.warmup > 0)
                atWarm = *w0->readyIntegralNs - double(w0->ready.value_or(0)) * double(std::max<std::int64_t>(0, atWarmup.atNs - s.warmupEndNs));
            else if (w0)
                atWarm = *w0->readyIntegralNs;
            o.lengthMean = std::max(0.0, (atStop - atWarm) / double(measuredNs));
        } else if (polls > 0) {
            o.lengthMean = polledSum[i] / double(polls);
        }
        o.lengthMax = double(std::max(peakAfterWarmup[i], q.readyPeak.value_or(0)));
    }

    {
        std::lock_guard lock(s.errorMutex);
        if (!s.error.empty()) {
            r.partial = true;
            r.error = s.error;
        } else if (cutShort) {
            r.partial = true;
            r.error = "stopped after " + std::to_string(report.wallSeconds) + " s of "
                + std::to_string(double(s.endNs - s.startNs) * 1e-9) + " s planned";
        }
    }
    if (finalSnap.unroutable && std::uint64_t(*finalSnap.unroutable) != report.unroutableTotal)
        report.warnings.push_back("the backend counted " + std::to_string(*finalSnap.unroutable)
                                  + " unroutable messages, the runner " + std::to_string(report.unroutableTotal));
    report.latenessMeanUs = lateness.mean();
    report.latenessP99Us = lateness.quantile(0.99);
    if (const std::string w = latenessWarning(s.sc, s.wallPerUnit, lateness); !w.empty())
        report.warnings.push_back(w);
    if (finalSnap.rejectedUnattributed && *finalSnap.rejectedUnattributed > 0)
        report.warnings.push_back(std::to_string(*finalSnap.rejectedUnattributed)
                                  + " publishes were refused by the broker without naming a queue; they are "
                                    "not in any queue's drops");
    if (report.foreignMessages)
        report.warnings.push_back(std::to_string(report.foreignMessages)
                                  + " deliveries were not QueueLab messages (published by another client); acknowledged and skipped");
    r.series = seriesSnapshot();
    report.error = r.error;

    std::string terr;
    if (!transport.teardown(&terr))
        report.warnings.push_back(terr);
    s.workers.clear();

    std::vector<RunStats> runs;
    runs.push_back(std::move(report.stats));
    report.results = aggregate(s.sc, runs, transport.name(), std::nullopt);
    report.stats = std::move(runs.front());
    return report;
}

} // namespace ql
