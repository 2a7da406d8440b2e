// One live run and the simulation of the same scenario beside it, for LiveCoordinator: the
// live run on a thread of its own (model/live LiveRunner), the simulation on another, and
// the canvas frames of the live run, built from the runner's observer calls by the same
// FrameBuilder the simulation's worker uses.
//
// The threads read only what is set before start(), write through atomics and the shared
// frame builder, and hand their results back by queued calls to the receiver given to
// start(). Destroying a job stops the run, cancels the simulation and joins both threads,
// which never block for long.
#pragma once

#include "animationoverlay.h"
#include "framebuilder.h"

#include "live/comparison.h"
#include "live/liverunner.h"
#include "scenario/scenario.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ql {

class LiveJob
{
public:
    // `id` tells this job's queued results from an older job's; `runId` marks its chart
    // snapshots and canvas frames.
    LiveJob(quint64 id, quint64 runId, const Scenario &scenario, const LiveOptions &options);
    ~LiveJob();
    LiveJob(const LiveJob &) = delete;
    LiveJob &operator=(const LiveJob &) = delete;

    quint64 id() const { return id_; }
    quint64 runId() const { return runId_; }
    const Scenario &scenario() const { return scenario_; }     // the canvas' scenario at Start
    const Scenario &effective() const { return effective_; }   // what the live run executes
    const Scenario &simScenario() const { return simScenario_; } // the simulation beside it
    const LiveOptions &options() const { return options_; }
    // Passwords to keep out of every message shown or exported (the URI's is known).
    const std::vector<std::string> &secrets() const { return secrets_; }
    void addSecret(const std::string &secret) { secrets_.push_back(secret); }

    // Starts both threads; `liveDone` and `simulationDone` are called in `receiver`'s thread.
    void start(QObject *receiver, std::function<void(std::shared_ptr<LiveReport>)> liveDone,
               std::function<void(std::shared_ptr<SimulatedRuns>)> simulationDone);
    // Ends the live run now (its figures so far are kept); safe to call twice.
    void stop();
    // 0..1 of the planned wall time.
    double progress() const { return progress_.load(); }
    // The scenario time the live run has reached.
    double elapsed() const;
    // The time series measured so far.
    TimeSeries series() const;
    // What the canvas shows since the previous frame: the messages' hops (tokens while the
    // rate allows, else per-link counts) with the broker's depths, busy servers and drops.
    AnimationFrame takeFrame(bool animate);
    // Joins the thread that has handed over its result.
    void joinLive();
    void joinSimulation();

    // The coordinator's bookkeeping of this job.
    bool stopRequested = false;
    bool stoppedByEdit = false;
    bool liveDone = false;
    bool simDone = false;
    bool finished = false;
    std::size_t samplesShown = 0;
    std::shared_ptr<LiveReport> report;
    std::shared_ptr<SimulatedRuns> sim;

private:
    quint64 id_, runId_;
    Scenario scenario_, effective_, simScenario_;
    LiveOptions options_;
    std::vector<std::string> secrets_;
    SharedFrameBuilder frames_;
    std::unique_ptr<LiveRunner> runner_;
    std::atomic<double> progress_{0};
    std::atomic<bool> cancelSimulation_{false};
    std::thread liveThread_, simThread_;
    QElapsedTimer frameClock_;
    double frameFrom_ = 0;
    std::vector<std::uint64_t> dropsShown_; // the backend's drops already in a frame
};

} // namespace ql
