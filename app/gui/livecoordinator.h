// Live mode in the main window: the Live, Stop Live and Live Settings actions (Run menu and
// tool bar), a live run of the canvas' scenario on a real backend (model/live LiveRunner, on
// its own thread) with the simulation of the same scenario beside it (another thread), the
// measured series streaming into the charts over the simulated ones, the measured traffic on
// the canvas, progress in the status bar, the side-by-side comparison in its own dock when
// the run ends, and the live results for File > Export. Stop ends the run at once (the
// figures so far are kept as partial results); closing the window stops it and waits for
// its threads, which never block for long.
//
// RunCoordinator creates it and asks it which results the exports should write.
#pragma once

#include "livesettingsdialog.h"
#include "stats/results.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>

class QAction;
class QDockWidget;
class QProgressBar;

namespace ql {

class AnimationOverlay;
class LiveJob;
class ChartsPanel;
class ComparisonView;
class MainWindow;
class RunController;
struct LiveReport;
struct SimulatedRuns;

class LiveCoordinator : public QObject
{
    Q_OBJECT
public:
    LiveCoordinator(MainWindow *window, RunController *controller, ChartsPanel *charts,
                    AnimationOverlay *overlay, QObject *parent = nullptr);
    ~LiveCoordinator() override; // stops a live run and joins its threads

    // A live run (or the simulation beside it) is in progress.
    bool isRunning() const;
    // The charts and the exports are about the last live run (until a simulation run or an
    // edit takes its place).
    bool showsLiveResults() const { return liveShown_ && results_.has_value(); }
    // The live run's results (partial ones too); empty before one ended or when it could
    // not start.
    const std::optional<Results> &results() const { return results_; }
    // The last live run's failure, "" if none (setup failed or broker lost midway).
    QString lastError() const { return lastError_; }
    // `queuelab-cli compare --json` for the last live run, empty before one ended.
    std::string comparisonJson() const;

    LiveSettings settings() const { return settings_; }
    // `remember`: keep backend, URI (without password), duration and time scale in
    // QSettings for the next session. The password is never written anywhere.
    void setSettings(const LiveSettings &settings, bool remember);

    ComparisonView *comparisonView() const;
    QDockWidget *comparisonDock() const;
    QAction *liveAction() const { return liveAction_; }
    QAction *stopAction() const { return stopAction_; }

public slots:
    void start();
    void stop();
    void editSettings();

signals:
    void runningChanged(bool running);
    // The live run and its simulation are over; results() holds what was measured.
    void finished();
    // The comparison panel's Export button: File > Export Comparison should run.
    void exportComparisonRequested();

private:
    void createActions();
    void createDock();
    void placeDock();
    void updateActions();
    void poll();
    void sendFrame();
    void onLiveDone(quint64 id, const std::shared_ptr<LiveReport> &report);
    void onSimulationDone(quint64 id, const std::shared_ptr<SimulatedRuns> &sim);
    void finish();
    void fail(const QString &message);
    void scenarioEdited();
    void controllerStateChanged();
    void joinJob();
    QString clean(const std::string &text) const;
    QString runTitle() const;
    QString planDetails() const;

    MainWindow *window_;
    RunController *controller_;
    QPointer<ChartsPanel> charts_;
    QPointer<AnimationOverlay> overlay_;
    QPointer<ComparisonView> view_;
    QPointer<QDockWidget> dock_;
    QPointer<QProgressBar> progressBar_;
    QAction *liveAction_ = nullptr;
    QAction *stopAction_ = nullptr;
    QAction *settingsAction_ = nullptr;
    QTimer pollTimer_;
    QTimer frameTimer_;

    LiveSettings settings_;
    std::unique_ptr<LiveJob> job_;
    quint64 jobCounter_ = 0;
    bool liveShown_ = false;
    bool dockPlaced_ = false;
    std::optional<Results> results_;
    QString lastError_;
    std::string comparisonJson_;
};

} // namespace ql
