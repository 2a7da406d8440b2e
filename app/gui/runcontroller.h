// Runs the scenario on the canvas for the GUI: Run, Pause, Step (exactly one event), Reset,
// a speed from slow motion to as fast as possible, and the seed. The simulation lives in a
// worker thread (SimWorker); this object stays in the GUI thread, keeps the run's state,
// drops whatever a reset made stale, and hands the GUI batches: AnimationFrames for the
// canvas overlay (~30 a second at most), RunSnapshots for the charts (~5 a second), and
// Results. An answer first: Run also starts every replication at full speed in a second
// worker (ReplicationWorker), so the Results, with confidence intervals, arrive in seconds
// while the canvas still animates replication 1 at the chosen speed; when the animated run
// ends later, its one-replication results do not replace them.
//
// Wiring (the lead's MainWindow):
//   controller->setScenario(document->scenario());           // after every edit or load
//   connect(controller, &RunController::frameReady, overlay, &AnimationOverlay::applyFrame);
//   connect(controller, &RunController::runReset, overlay, &AnimationOverlay::clear);
//   connect(controller, &RunController::snapshotReady, charts, &ChartsPanel::addSnapshot);
//   connect(controller, &RunController::resultsReady, charts, &ChartsPanel::setResults);
//   connect(controller, &RunController::runReset, charts, &ChartsPanel::clear);
//   view->setToolTipProvider([c](const QString &id) { return c->nodeToolTip(id); });
#pragma once

#include "animationoverlay.h"
#include "chartdata.h"
#include "scenario/scenario.h"
#include "sim/replications.h"
#include "stats/results.h"

#include <QObject>
#include <QElapsedTimer>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>

namespace ql {

class ReplicationWorker;
class SimWorker;
struct RunShared;

class RunController : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Finished };
    Q_ENUM(State)

    explicit RunController(QObject *parent = nullptr);
    ~RunController() override; // stops the worker (cancelling replications) and waits

    // Copies the scenario and resets the run. Adopts the scenario's run.seed; call setSeed()
    // afterwards to override it. Validation happens when a run starts.
    void setScenario(const ql::Scenario &scenario);
    const ql::Scenario &scenario() const { return scenario_; }

    State state() const { return state_; }
    bool isReplicating() const { return replicating_; }
    double speed() const { return speed_; }
    quint64 seed() const { return seed_; }
    bool animationEnabled() const { return animate_; }
    // Run from t = 0 also computes all replications in the background (default on).
    bool replicateOnRun() const { return replicateOnRun_; }
    void setReplicateOnRun(bool on) { replicateOnRun_ = on; }
    // Replications until the intervals are tight enough instead of run.replications (none:
    // the scenario's count). Takes effect at the next replications.
    const std::optional<ql::PrecisionRule> &precision() const { return precision_; }
    void setPrecision(const std::optional<ql::PrecisionRule> &rule) { precision_ = rule; }
    // Wall seconds the current (or the last) replications took so far.
    double replicationSeconds() const;
    // The results come from all replications (not only the animated one).
    bool hasReplicatedResults() const { return replicated_; }
    // Replication 1 of them, whole (its final statistics), for charts such as the latency
    // histogram that the results carry no series for; stats null until then.
    const ql::RunSnapshot &replicationOne() const { return replicationOne_; }
    double simTime() const { return simTime_; }
    double endTime() const { return scenario_.run.duration; }
    // Changes on every reset; frames and snapshots carry it.
    quint64 runId() const { return runId_; }
    // The latest results (one replication after the animated run, all after replications).
    const std::optional<ql::Results> &results() const { return results_; }
    // The latest statistics snapshot of the animated run (null before the first one).
    std::shared_ptr<const ql::RunStats> lastStats() const { return lastStats_; }

    // Live statistics of one node as tooltip text (empty while idle), for the canvas'
    // TopologyView::setToolTipProvider().
    QString nodeToolTip(const QString &nodeId) const;

    // The speed slider: positions 0..SpeedSliderMax map logarithmically to 0.1 .. 100,000
    // simulated time units per second; the top position means as fast as possible (0).
    static constexpr int SpeedSliderMax = 60;
    static double speedForSlider(int position);
    static int sliderForSpeed(double simTimePerSecond);
    static QString speedText(double simTimePerSecond, ql::TimeUnit unit); // "10 s/s", "max"

public slots:
    void run();    // from Idle, Paused or Finished (which starts over at t = 0)
    void pause();
    void step();   // exactly one simulation event; pauses a running run first
    void reset();  // back to t = 0, nothing run (Idle)
    void setSpeed(double simTimePerSecond); // <= 0: as fast as possible
    void setSeed(quint64 seed);             // takes effect at the next run from t = 0
    void setAnimationEnabled(bool on);      // off: no tokens or flows, the fastest runs
    // Runs all replications of the scenario (in parallel, off the GUI thread, beside the
    // animated run) and publishes Results with 95% confidence intervals; also from Idle.
    void runReplications();
    void cancelReplications();

signals:
    void stateChanged(ql::RunController::State state);
    void progress(double simTime, double endTime);
    void finished(); // the animated run reached its end
    void errorOccurred(const QString &message);

    void frameReady(const ql::AnimationFrame &frame);
    void snapshotReady(const ql::RunSnapshot &snapshot);
    void resultsReady(const ql::Results &results);
    void replicationsStarted(int count);
    void replicationProgress(double fraction);
    void replicationsFinished(bool cancelled);
    // The animation speed changed, whoever set it (slider, --speed, a lesson).
    void speedChanged(double simTimePerSecond);
    // The run went back to t = 0 (reset, new scenario): clear the overlay and the charts.
    void runReset();

private:
    void setState(State state);
    bool validate();
    void newRun();
    void ensureLoaded();
    void onFrame(const ql::AnimationFrame &frame);
    void onSnapshot(const ql::RunSnapshot &snapshot);
    void onRunFinished(quint64 runId, const ql::Results &results);
    void onReplicationsDone(quint64 runId, const ql::Results &results, bool cancelled, const ql::RunSnapshot &first);
    void onFailed(quint64 runId, const QString &message);
    template<class F>
    void toWorker(F &&f);

    ql::Scenario scenario_;
    State state_ = State::Idle;
    quint64 seed_ = 1;
    double speed_ = 10;
    bool animate_ = true;
    bool replicateOnRun_ = true;
    bool replicating_ = false;
    bool replicated_ = false; // results_ are all replications'
    ql::RunSnapshot replicationOne_;
    std::optional<ql::PrecisionRule> precision_;
    QElapsedTimer replicationClock_;
    double replicationSeconds_ = 0;
    bool loaded_ = false;     // the worker holds the current scenario and seed
    quint64 runId_ = 1;
    double simTime_ = 0;
    std::optional<ql::Results> results_;
    std::shared_ptr<const ql::RunStats> lastStats_;
    std::vector<int> depth_, busy_;

    std::unique_ptr<RunShared> shared_;
    QThread thread_;
    SimWorker *worker_ = nullptr;
    QThread replicationThread_;
    ReplicationWorker *replicator_ = nullptr;
    QTimer replicationTimer_;
};

} // namespace ql
