#include "runcontroller.h"

#include "scenario/scenarioio.h"
#include "replicationworker.h"
#include "simworker.h"

#include <cmath>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ql {

RunController::RunController(QObject *parent)
    : QObject(parent)
    , shared_(std::make_unique<RunShared>())
{
    qRegisterMetaType<ql::AnimationFrame>();
    qRegisterMetaType<ql::RunSnapshot>();
    qRegisterMetaType<ql::Results>();
    qRegisterMetaType<ql::RunController::State>();

    worker_ = new SimWorker(shared_.get());
    worker_->moveToThread(&thread_);
    connect(worker_, &SimWorker::frameReady, this, &RunController::onFrame);
    connect(worker_, &SimWorker::snapshotReady, this, &RunController::onSnapshot);
    connect(worker_, &SimWorker::runFinished, this, &RunController::onRunFinished);
    connect(worker_, &SimWorker::failed, this, &RunController::onFailed);
    thread_.setObjectName(QStringLiteral("QueueLab simulation"));
    thread_.start();

    replicator_ = new ReplicationWorker(shared_.get());
    replicator_->moveToThread(&replicationThread_);
    connect(replicator_, &ReplicationWorker::replicationsDone, this, &RunController::onReplicationsDone);
    connect(replicator_, &ReplicationWorker::failed, this, [this](quint64 runId, const QString &message) {
        if (runId != runId_ || !replicating_)
            return;
        replicating_ = false;
        replicationTimer_.stop();
        emit replicationsFinished(true);
        emit errorOccurred(message);
    });
    replicationThread_.setObjectName(QStringLiteral("QueueLab replications"));
    replicationThread_.start();
#ifdef Q_OS_LINUX
    // As the animated run's thread below: the replications' threads inherit it.
    QMetaObject::invokeMethod(replicator_, [] { setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5); },
                              Qt::QueuedConnection);
#endif

    replicationTimer_.setInterval(100);
    connect(&replicationTimer_, &QTimer::timeout, this, [this] {
        emit replicationProgress(shared_->replicationProgress.load(std::memory_order_relaxed));
    });

    toWorker([w = worker_, s = speed_, a = animate_] {
#ifdef Q_OS_LINUX
        // When the cores are busy the window must win over the engine: a run flat out may
        // lose a little speed, the GUI must not lose its frames. Linux niceness is per
        // thread, and threads started from here (replications) inherit it.
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5);
#endif
        w->setSpeed(s);
        w->setAnimation(a);
    });
}

RunController::~RunController()
{
    shared_->generation.fetch_add(1); // cancels replications at their next progress report
    // Blocking: the worker's timer must stop in its own thread before the thread ends.
    QMetaObject::invokeMethod(worker_, [w = worker_] { w->reset(0); }, Qt::BlockingQueuedConnection);
    thread_.quit();
    replicationThread_.quit();
    thread_.wait();
    replicationThread_.wait(); // the cancel above ends its replications at their next report
    delete worker_; // its thread has finished: safe from here
    delete replicator_;
}

template<class F>
void RunController::toWorker(F &&f)
{
    QMetaObject::invokeMethod(worker_, std::forward<F>(f), Qt::QueuedConnection);
}

void RunController::setState(State state)
{
    if (state == state_)
        return;
    state_ = state;
    emit stateChanged(state);
}

void RunController::setScenario(const Scenario &scenario)
{
    scenario_ = scenario;
    seed_ = scenario.run.seed;
    newRun();
}

void RunController::newRun()
{
    ++runId_;
    shared_->generation.fetch_add(1);
    loaded_ = false;
    toWorker([w = worker_, id = runId_] { w->reset(id); });
    const bool wasReplicating = replicating_;
    replicating_ = false;
    replicationTimer_.stop();
    results_.reset();
    replicated_ = false;
    replicationOne_ = RunSnapshot{};
    lastStats_.reset();
    depth_.clear();
    busy_.clear();
    simTime_ = 0;
    setState(State::Idle);
    if (wasReplicating)
        emit replicationsFinished(true);
    emit runReset();
    emit progress(0, endTime());
}

bool RunController::validate()
{
    if (scenario_.nodes.empty()) {
        emit errorOccurred(tr("The scenario is empty: add a producer, a queue and a consumer, then run."));
        return false;
    }
    const Diagnostics diagnostics = validateScenario(scenario_);
    if (!diagnostics.hasErrors())
        return true;
    QStringList lines;
    for (const Diagnostic &d : diagnostics.errors()) {
        if (lines.size() == 8) {
            lines << tr("... and %1 more").arg(diagnostics.errors().size() - 8);
            break;
        }
        lines << QString::fromStdString(d.toString());
    }
    emit errorOccurred(tr("The scenario cannot run until these are fixed:\n%1").arg(lines.join(QLatin1Char('\n'))));
    return false;
}

void RunController::ensureLoaded()
{
    if (loaded_)
        return;
    Scenario s = scenario_;
    s.run.seed = seed_;
    toWorker([w = worker_, s = std::move(s), id = runId_] { w->load(s, id); });
    loaded_ = true;
}

void RunController::run()
{
    if (state_ == State::Running)
        return;
    // Paused: go on (the replications, if any, go on beside it). Otherwise from t = 0.
    const bool fresh = state_ != State::Paused;
    if (state_ == State::Finished || (fresh && (replicating_ || replicated_)))
        newRun();
    if (!validate())
        return;
    ensureLoaded();
    toWorker([w = worker_] { w->start(); });
    setState(State::Running);
    // Also after a few Steps from t = 0: the answer is computed once per run.
    if (replicateOnRun_ && !replicating_ && !replicated_)
        runReplications();
}

void RunController::pause()
{
    if (state_ != State::Running)
        return;
    toWorker([w = worker_] { w->pause(); });
    setState(State::Paused);
}

void RunController::step()
{
    if (state_ == State::Finished)
        return;
    if (!validate())
        return;
    ensureLoaded();
    toWorker([w = worker_] { w->stepOnce(); });
    setState(State::Paused);
}

void RunController::reset()
{
    newRun();
}

void RunController::setSpeed(double simTimePerSecond)
{
    const double speed = simTimePerSecond > 0 ? simTimePerSecond : 0;
    const bool changed = speed != speed_;
    speed_ = speed;
    toWorker([w = worker_, s = speed_] { w->setSpeed(s); });
    if (changed)
        emit speedChanged(speed_);
}

void RunController::setSeed(quint64 seed)
{
    if (seed == seed_)
        return;
    seed_ = seed;
    if (state_ == State::Idle)
        loaded_ = false;
}

void RunController::setAnimationEnabled(bool on)
{
    animate_ = on;
    toWorker([w = worker_, on] { w->setAnimation(on); });
}

void RunController::runReplications()
{
    if (replicating_ || !validate())
        return;
    Scenario s = scenario_;
    s.run.seed = seed_;
    replicating_ = true;
    replicationClock_.start();
    replicationSeconds_ = 0;
    shared_->replicationProgress.store(0);
    QMetaObject::invokeMethod(
        replicator_,
        [w = replicator_, s = std::move(s), id = runId_, g = shared_->generation.load(), p = precision_] {
            w->replicate(s, id, g, p);
        },
        Qt::QueuedConnection);
    replicationTimer_.start();
    emit replicationsStarted(precision_ ? std::max(precisionMinimum(scenario_, *precision_),
                                                   precision_->maxReplications > 0 ? precision_->maxReplications
                                                                                   : kPrecisionMaxReplications)
                                        : std::max(1, scenario_.run.replications));
    emit replicationProgress(0);
}

void RunController::cancelReplications()
{
    if (replicating_)
        shared_->generation.fetch_add(1);
}

void RunController::onFrame(const AnimationFrame &frame)
{
    shared_->framesInFlight.fetch_sub(1, std::memory_order_relaxed);
    if (frame.runId != runId_)
        return; // from before a reset
    simTime_ = frame.simTo;
    depth_ = frame.queueDepth;
    busy_ = frame.busyServers;
    emit frameReady(frame);
    emit progress(simTime_, endTime());
}

void RunController::onSnapshot(const RunSnapshot &snapshot)
{
    if (snapshot.runId != runId_)
        return;
    lastStats_ = snapshot.stats;
    simTime_ = snapshot.simTime;
    emit snapshotReady(snapshot);
}

void RunController::onRunFinished(quint64 runId, const Results &results)
{
    if (runId != runId_)
        return;
    simTime_ = endTime();
    setState(State::Finished);
    emit progress(simTime_, endTime());
    // All replications' results stay: the animated run is only replication 1 of them.
    if (!replicated_) {
        results_ = results;
        emit resultsReady(results);
    }
    emit finished();
}

void RunController::onReplicationsDone(quint64 runId, const Results &results, bool cancelled,
                                       const RunSnapshot &first)
{
    if (runId != runId_ || !replicating_)
        return;
    replicating_ = false;
    replicationTimer_.stop();
    replicationSeconds_ = replicationClock_.elapsed() / 1000.0;
    if (!cancelled) {
        results_ = results;
        replicated_ = true;
        replicationOne_ = first;
        emit replicationProgress(1.0);
        emit resultsReady(results);
    }
    emit replicationsFinished(cancelled);
}

void RunController::onFailed(quint64 runId, const QString &message)
{
    if (runId != runId_)
        return;
    loaded_ = false;
    setState(State::Idle);
    emit errorOccurred(message);
}

double RunController::replicationSeconds() const
{
    return replicating_ ? replicationClock_.elapsed() / 1000.0 : replicationSeconds_;
}

double RunController::speedForSlider(int position)
{
    if (position >= SpeedSliderMax)
        return 0;
    return 0.1 * std::pow(10.0, std::max(0, position) / 10.0);
}

int RunController::sliderForSpeed(double simTimePerSecond)
{
    if (simTimePerSecond <= 0)
        return SpeedSliderMax;
    const int position = int(std::lround(10.0 * std::log10(simTimePerSecond / 0.1)));
    return std::clamp(position, 0, SpeedSliderMax - 1);
}

QString RunController::speedText(double simTimePerSecond, TimeUnit unit)
{
    if (simTimePerSecond <= 0)
        return tr("max");
    const QString u = QString::fromLatin1(timeUnitName(unit));
    const double s = simTimePerSecond;
    const QString number = s >= 100 ? QString::number(std::round(s), 'f', 0)
                                    : QString::number(s, 'g', 2);
    return tr("%1 %2/s").arg(number, u);
}

QString RunController::nodeToolTip(const QString &nodeId) const
{
    if (!lastStats_)
        return {};
    const int i = scenario_.nodeIndex(nodeId.toStdString());
    if (i < 0 || std::size_t(i) >= lastStats_->nodes.size())
        return {};
    const Node &node = scenario_.nodes[std::size_t(i)];
    const NodeRunStats &s = lastStats_->nodes[std::size_t(i)];
    const QString u = QString::fromLatin1(timeUnitName(scenario_.timeUnit));
    const double measured = lastStats_->measuredTime;
    auto rate = [&](std::uint64_t count) {
        return measured > 0 ? QString::number(double(count) / measured, 'g', 4) + QStringLiteral("/") + u
                            : QStringLiteral("-");
    };
    auto number = [](double v) { return QString::number(v, 'g', 4); };
    QStringList lines;
    lines << QStringLiteral("<b>%1</b> &middot; %2 &middot; t = %3")
                 .arg(nodeId.toHtmlEscaped(), QString::fromLatin1(nodeKindName(node.kind)), number(simTime_));
    switch (node.kind) {
    case NodeKind::Producer:
        lines << tr("published: %1 (%2)").arg(s.published).arg(rate(s.published));
        break;
    case NodeKind::Exchange:
        lines << tr("routed: %1 (%2)").arg(s.routed).arg(rate(s.routed));
        lines << tr("unroutable: %1").arg(s.unroutable);
        break;
    case NodeKind::Queue: {
        const int ready = std::size_t(i) < depth_.size() ? depth_[std::size_t(i)] : 0;
        lines << tr("ready now: %1").arg(ready);
        lines << tr("mean length: %1 (max %2)").arg(number(s.lengthMean), number(s.lengthMax));
        lines << tr("arrivals: %1 &middot; drops: %2").arg(s.arrivals).arg(s.drops);
        if (s.wait && s.wait->count() > 0)
            lines << tr("wait: mean %1 %3, p95 %2 %3").arg(number(s.wait->mean()), number(s.wait->quantile(0.95)), u);
        break;
    }
    case NodeKind::Consumer: {
        const int busy = std::size_t(i) < busy_.size() ? busy_[std::size_t(i)] : 0;
        lines << tr("busy now: %1 of %2 servers").arg(busy).arg(node.servers);
        lines << tr("utilization: %1%").arg(number(100.0 * s.utilization));
        lines << tr("completed: %1 (%2)").arg(s.completed).arg(rate(s.completed));
        if (s.service && s.service->count() > 0)
            lines << tr("service: mean %1 %2").arg(number(s.service->mean()), u);
        break;
    }
    case NodeKind::Delay:
        lines << tr("passed: %1 (%2)").arg(s.completed).arg(rate(s.completed));
        if (s.service && s.service->count() > 0)
            lines << tr("delay: mean %1 %2").arg(number(s.service->mean()), u);
        break;
    case NodeKind::Sink:
        break;
    }
    if (simTime_ < scenario_.run.warmup)
        lines << tr("<i>warm-up: statistics start at t = %1</i>").arg(number(scenario_.run.warmup));
    return lines.join(QStringLiteral("<br>"));
}

} // namespace ql
