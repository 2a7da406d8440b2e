// The run controller's worker: lives in its own QThread and owns the ql::Simulation of the
// animated run, so the GUI thread never waits for the engine. It advances the simulation in
// slices of at most ~10 ms of wall time, paced against a monotonic clock (or flat out), and
// returns to its event loop between slices so pause, step and reset take effect at once.
//
// Towards the GUI it sends batches, never a signal per event: an AnimationFrame at most
// ~30 times a second (observer events only while animation is on and the rate is low enough
// to show them; otherwise per-link counts for flow rendering) and a RunStats snapshot for
// the charts every ~200 ms. Frames are not sent while two are still unread, so a busy GUI
// gets fewer, fuller frames instead of a growing queue.
//
// Every slot runs in the worker thread; RunController calls them queued.
#pragma once

#include "animationoverlay.h"
#include "chartdata.h"
#include "framebuilder.h"
#include "scenario/scenario.h"
#include "sim/simulation.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace ql {

// State shared by the controller (GUI thread) and its worker.
struct RunShared
{
    std::atomic<int> framesInFlight{0};      // sent by the worker, not yet read by the GUI
    std::atomic<quint64> generation{0};      // bumped on reset: cancels replications
    std::atomic<double> replicationProgress{0}; // of the ReplicationWorker's runs
};

class SimWorker : public QObject
{
    Q_OBJECT
public:
    explicit SimWorker(RunShared *shared, QObject *parent = nullptr);
    ~SimWorker() override;

    // A new run: `scenario` must be valid; its run.seed is the seed to use. Drops any
    // current simulation.
    void load(const Scenario &scenario, quint64 runId);
    void start();
    void pause();
    void stepOnce();
    void reset(quint64 runId);
    void setSpeed(double simTimePerSecond);
    void setAnimation(bool on);

signals:
    void frameReady(const ql::AnimationFrame &frame);
    void snapshotReady(const ql::RunSnapshot &snapshot);
    // The animated run reached its end: results of that one replication.
    void runFinished(quint64 runId, const ql::Results &results);
    void failed(quint64 runId, const QString &message);

private:
    void ensureSimulation();
    void tick();
    void sendFrame(bool force, bool step = false);
    void sendSnapshot();
    void finishRun();
    void resetFrame();
    void updateObserver();
    void rebase();
    RunShared *shared_;
    Scenario scenario_;
    quint64 runId_ = 0;
    std::unique_ptr<Simulation> sim_;
    bool running_ = false;
    double speed_ = 0;
    bool animate_ = true;
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 wallAnchor_ = 0;   // pacing: wall time (ns) at which ...
    double simAnchor_ = 0;    // ... the simulation was at this time
    double chunk_ = 0;        // simulated time per runUntil() call, adapted to ~1 ms

    // The frame being collected: the simulation's observer calls, and its span.
    FrameBuilder frames_;
    double frameSimFrom_ = 0;
    qint64 lastFrameAt_ = 0;
    qint64 lastSnapshotAt_ = 0;
};

} // namespace ql
