#include "simworker.h"

#include "stats/results.h"

#include <algorithm>
#include <exception>

namespace ql {

namespace {

constexpr qint64 FramePeriodNs = 33'000'000;     // at most ~30 frames a second
constexpr qint64 SnapshotPeriodNs = 200'000'000; // charts: 5 snapshots a second
constexpr qint64 SliceBudgetNs = 10'000'000;     // back to the event loop after this
constexpr qint64 PacedIntervalMs = 10;

} // namespace

SimWorker::SimWorker(RunShared *shared, QObject *parent)
    : QObject(parent)
    , shared_(shared)
    , timer_(this)
{
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &SimWorker::tick);
    clock_.start();
}

SimWorker::~SimWorker() = default;

void SimWorker::load(const Scenario &scenario, quint64 runId)
{
    scenario_ = scenario;
    frames_.setScenario(scenario_);
    reset(runId);
}

void SimWorker::reset(quint64 runId)
{
    runId_ = runId;
    running_ = false;
    timer_.stop();
    sim_.reset();
    resetFrame();
}

void SimWorker::resetFrame()
{
    frames_.reset();
    frameSimFrom_ = sim_ ? sim_->now() : 0.0;
    lastFrameAt_ = lastSnapshotAt_ = clock_.nsecsElapsed();
}

void SimWorker::ensureSimulation()
{
    if (sim_)
        return;
    // The animated run samples its time series twice as often as a batch run, so the
    // charts move while one watches; statistics do not depend on it.
    Scenario animated = scenario_;
    if (animated.run.sampleInterval <= 0)
        animated.run.sampleInterval = animated.run.duration / 200;
    try {
        sim_ = std::make_unique<Simulation>(animated, 1);
    } catch (const std::exception &e) {
        emit failed(runId_, tr("The simulation could not start: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    chunk_ = std::max(1e-9, sim_->endTime() * 1e-5);
    updateObserver();
    resetFrame();
    rebase();
}

void SimWorker::updateObserver()
{
    if (sim_)
        sim_->setObserver(animate_ ? &frames_ : nullptr);
}

void SimWorker::rebase()
{
    wallAnchor_ = clock_.nsecsElapsed();
    simAnchor_ = sim_ ? sim_->now() : 0.0;
}

void SimWorker::start()
{
    ensureSimulation();
    if (!sim_)
        return;
    if (sim_->finished()) {
        finishRun();
        return;
    }
    running_ = true;
    rebase();
    timer_.start(speed_ > 0 ? PacedIntervalMs : 0);
}

void SimWorker::pause()
{
    const bool was = running_;
    running_ = false;
    timer_.stop();
    if (was && sim_) {
        sendFrame(true);
        sendSnapshot();
    }
}

void SimWorker::stepOnce()
{
    running_ = false;
    timer_.stop();
    ensureSimulation();
    if (!sim_)
        return;
    // A step is always shown in detail: one event is never too many.
    frames_.bufferNext();
    if (!sim_->step()) {
        finishRun();
        return;
    }
    sendFrame(true, true);
    sendSnapshot();
}

void SimWorker::setSpeed(double simTimePerSecond)
{
    speed_ = simTimePerSecond;
    rebase();
    if (running_)
        timer_.start(speed_ > 0 ? PacedIntervalMs : 0);
}

void SimWorker::setAnimation(bool on)
{
    animate_ = on;
    updateObserver();
}

void SimWorker::tick()
{
    if (!running_ || !sim_)
        return;
    const qint64 sliceStart = clock_.nsecsElapsed();
    const double end = sim_->endTime();
    double target = end;
    if (speed_ > 0)
        target = std::min(end, simAnchor_ + double(sliceStart - wallAnchor_) * 1e-9 * speed_);
    while (!sim_->finished() && sim_->now() < target) {
        const double from = sim_->now();
        const double until = std::min(target, from + chunk_);
        const qint64 t0 = clock_.nsecsElapsed();
        sim_->runUntil(until);
        const qint64 t1 = clock_.nsecsElapsed();
        // Chunks of about a millisecond: long enough to cost nothing, short enough to stop
        // on time whatever the event density.
        if (t1 - t0 < 300'000)
            chunk_ *= 2;
        else if (t1 - t0 > 3'000'000)
            chunk_ *= 0.5;
        chunk_ = std::clamp(chunk_, end * 1e-12 + 1e-12, std::max(end, 1e-9));
        if (t1 - sliceStart > SliceBudgetNs)
            break;
    }
    if (sim_->finished() || sim_->now() >= end) {
        finishRun();
        return;
    }
    // Too slow for the chosen speed: run as fast as possible from here rather than racing
    // to catch up later.
    if (speed_ > 0 && (target - sim_->now()) / speed_ > 0.25)
        rebase();
    sendFrame(false);
    if (clock_.nsecsElapsed() - lastSnapshotAt_ >= SnapshotPeriodNs)
        sendSnapshot();
}

void SimWorker::sendFrame(bool force, bool step)
{
    const qint64 now = clock_.nsecsElapsed();
    if (!force && now - lastFrameAt_ < FramePeriodNs)
        return;
    // The GUI has not read the last two frames yet: fold this one into the next.
    if (!force && shared_->framesInFlight.load(std::memory_order_relaxed) >= 2)
        return;
    AnimationFrame f;
    f.runId = runId_;
    f.simFrom = frameSimFrom_;
    f.simTo = sim_ ? sim_->now() : 0.0;
    f.step = step;
    frames_.take(f, double(now - lastFrameAt_) * 1e-9, animate_);
    const std::size_t n = scenario_.nodes.size();
    f.queueDepth.assign(n, 0);
    f.busyServers.assign(n, 0);
    if (sim_) {
        for (std::size_t i = 0; i < n; ++i) {
            if (scenario_.nodes[i].kind == NodeKind::Queue)
                f.queueDepth[i] = sim_->queueDepth(int(i));
            else if (scenario_.nodes[i].kind == NodeKind::Consumer)
                f.busyServers[i] = sim_->busyServers(int(i));
        }
    }
    frameSimFrom_ = f.simTo;
    lastFrameAt_ = now;

    shared_->framesInFlight.fetch_add(1, std::memory_order_relaxed);
    emit frameReady(f);
}

void SimWorker::sendSnapshot()
{
    if (!sim_)
        return;
    lastSnapshotAt_ = clock_.nsecsElapsed();
    RunSnapshot s;
    s.runId = runId_;
    s.simTime = sim_->now();
    s.endTime = sim_->endTime();
    s.stats = std::make_shared<RunStats>(sim_->snapshot());
    emit snapshotReady(s);
}

void SimWorker::finishRun()
{
    running_ = false;
    timer_.stop();
    if (!sim_)
        return;
    sendFrame(true);
    std::vector<RunStats> runs;
    runs.push_back(sim_->takeStats());
    Results results = aggregate(scenario_, runs, "simulation", scenario_.run.seed);
    RunSnapshot s;
    s.runId = runId_;
    s.simTime = sim_->now();
    s.endTime = sim_->endTime();
    s.final = true;
    s.stats = std::make_shared<RunStats>(std::move(runs.front()));
    emit snapshotReady(s);
    emit runFinished(runId_, results);
}

} // namespace ql
