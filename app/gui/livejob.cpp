#include "livejob.h"

#include "live/livesetup.h"

#include <QHash>
#include <QMetaObject>

#include <cstdlib>

namespace ql {

LiveJob::LiveJob(quint64 id, quint64 runId, const Scenario &scenario, const LiveOptions &options)
    : id_(id)
    , runId_(runId)
    , scenario_(scenario)
    , effective_(liveScenario(scenario, options))
    , simScenario_(comparisonScenario(scenario, options))
    , options_(options)
{
    const char *env = std::getenv("QUEUELAB_AMQP_URI");
    secrets_.push_back(uriPassword(!options_.uri.empty() ? options_.uri : (env ? env : "")));
    frames_.setScenario(scenario_);
    dropsShown_.assign(scenario_.nodes.size(), 0);
}

LiveJob::~LiveJob()
{
    if (runner_)
        runner_->stop();
    cancelSimulation_.store(true);
    for (std::thread *t : {&liveThread_, &simThread_})
        if (t->joinable())
            t->join();
}

void LiveJob::start(QObject *receiver, std::function<void(std::shared_ptr<LiveReport>)> liveDone,
                    std::function<void(std::shared_ptr<SimulatedRuns>)> simulationDone)
{
    runner_ = std::make_unique<LiveRunner>(scenario_, options_);
    runner_->setProgress([this](double f) { progress_.store(f); });
    runner_->setObserver(&frames_);
    frameClock_.start();

    // The simulation runs beside the live run, on one core: the live run's threads need
    // the others for timely sends and services.
    simThread_ = std::thread([this, receiver, done = std::move(simulationDone)] {
        RunOptions ro;
        ro.threads = 1;
        ro.cancel = &cancelSimulation_;
        auto sim = std::make_shared<SimulatedRuns>(simulateReplications(simScenario_, ro));
        QMetaObject::invokeMethod(receiver, [done, sim] { done(sim); }, Qt::QueuedConnection);
    });
    liveThread_ = std::thread([this, receiver, done = std::move(liveDone)] {
        auto report = std::make_shared<LiveReport>(runner_->run());
        QMetaObject::invokeMethod(receiver, [done, report] { done(report); }, Qt::QueuedConnection);
    });
}

void LiveJob::stop()
{
    if (runner_)
        runner_->stop();
}

double LiveJob::elapsed() const
{
    return runner_ ? runner_->elapsed() : 0.0;
}

TimeSeries LiveJob::series() const
{
    return runner_ ? runner_->seriesSnapshot() : TimeSeries{};
}

AnimationFrame LiveJob::takeFrame(bool animate)
{
    AnimationFrame f;
    f.runId = runId_;
    f.simFrom = frameFrom_;
    // Read before the events are taken: every event taken happened by then.
    f.simTo = std::max(frameFrom_, elapsed());
    frames_.take(f, double(frameClock_.restart()) * 1e-3, animate);
    frameFrom_ = f.simTo;
    // A broker hands a message on some microseconds after it was published: on the canvas
    // that is the same instant, as it is in a simulation. The overlay draws the hops of one
    // instant one after another and would hold each later hop back by a whole travel time,
    // so hops within 1% of the frame's span of the message's previous event join its instant.
    const double sliver = 0.01 * (f.simTo - f.simFrom);
    QHash<quint64, double> instant;
    for (AnimationEvent &e : f.events) {
        auto it = instant.find(e.msg);
        if (it != instant.end() && e.t >= *it && e.t - *it <= sliver)
            e.t = *it;
        else
            instant.insert(e.msg, e.t);
    }
    const LiveState state = runner_ ? runner_->state() : LiveState{};
    const std::size_t n = scenario_.nodes.size();
    f.queueDepth = state.queueDepth.size() == n ? state.queueDepth : std::vector<int>(n, 0);
    f.busyServers = state.busyServers.size() == n ? state.busyServers : std::vector<int>(n, 0);
    // Overflow drops happen inside the broker, which counts them per queue.
    if (state.drops.size() == n && f.drops.size() == n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (state.drops[i] > dropsShown_[i])
                f.drops[i] += std::uint32_t(state.drops[i] - dropsShown_[i]);
            dropsShown_[i] = std::max(dropsShown_[i], state.drops[i]);
        }
    }
    return f;
}

void LiveJob::joinLive()
{
    if (liveThread_.joinable())
        liveThread_.join();
}

void LiveJob::joinSimulation()
{
    if (simThread_.joinable())
        simThread_.join();
}

} // namespace ql
