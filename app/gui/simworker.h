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
#include "scenario/scenario.h"
#include "sim/simobserver.h"
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
    std::atomic<double> replicationProgress{0};
};

class SimWorker : public QObject, public SimObserver
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
    // Runs every replication of the loaded scenario (blocking this thread, using all
    // cores); cancelled when RunShared::generation moves past `generation`.
    void replicate(quint64 runId, quint64 generation);

    // SimObserver: called by the simulation in this thread.
    void published(double t, std::uint64_t msg, int producer) override;
    void moved(double t, std::uint64_t msg, int from, int to) override;
    void enqueued(double t, std::uint64_t msg, int queue, int depth) override;
    void dropped(double t, std::uint64_t msg, int node, DropReason reason) override;
    void serviceStarted(double t, std::uint64_t msg, int consumer, int busy) override;
    void serviceEnded(double t, std::uint64_t msg, int consumer, int busy) override;
    void delivered(double t, std::uint64_t msg, double latency) override;

signals:
    void frameReady(const ql::AnimationFrame &frame);
    void snapshotReady(const ql::RunSnapshot &snapshot);
    // The animated run reached its end: results of that one replication.
    void runFinished(quint64 runId, const ql::Results &results);
    void replicationsDone(quint64 runId, const ql::Results &results, bool cancelled);
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
    void record(const AnimationEvent &event)
    {
        ++callbacks_;
        if (!buffering_)
            return;
        if (events_.size() < MaxEventsPerFrame)
            events_.push_back(event);
        else
            overflowed_ = true;
    }

    static constexpr std::size_t MaxEventsPerFrame = 8192;

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

    // The frame being collected.
    bool buffering_ = true;   // observer events go into events_ (rate low enough)
    bool frameBuffering_ = true; // buffering was on for the whole frame
    bool overflowed_ = false;
    std::uint64_t callbacks_ = 0;
    double frameSimFrom_ = 0;
    qint64 lastFrameAt_ = 0;
    qint64 lastSnapshotAt_ = 0;
    std::vector<AnimationEvent> events_;
    std::vector<std::uint32_t> linkCounts_;
    std::vector<std::uint32_t> drops_;
    std::vector<std::vector<std::pair<int, int>>> outgoing_; // node -> (target, link index)
};

} // namespace ql
