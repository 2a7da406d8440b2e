// Connects the main window's editor to running: the RunController (simulation off the GUI
// thread), the animation overlay on the canvas, the charts in the Charts dock, the Results
// dock, the status bar's account of the run (RunStatus) and the File > Export menu. The
// editor knows nothing of running and the run parts nothing of the editor; this class is
// the one place that knows both. Live runs (LiveCoordinator) share
// its charts and exports: the exports write whichever results the charts show.
#pragma once

#include "stats/results.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QAction;
class QDockWidget;

namespace ql {

class AnimationOverlay;
class ChartsPanel;
class LiveCoordinator;
class MainWindow;
class ResultsView;
class RunController;
class RunStatus;

class RunCoordinator : public QObject
{
    Q_OBJECT
public:
    explicit RunCoordinator(MainWindow *window);
    ~RunCoordinator() override;

    RunController *controller() const { return controller_; }
    AnimationOverlay *overlay() const { return overlay_; }
    ChartsPanel *charts() const { return charts_; }
    LiveCoordinator *live() const { return live_; }
    // The Results dock: the statistics table of the last results (ResultsView).
    QDockWidget *resultsDock() const;
    ResultsView *resultsView() const { return results_; }
    RunStatus *status() const { return status_; }
    // Run > Stop at Precision...
    QAction *precisionAction() const { return precisionAction_; }
    // File > Export > Live Comparison as JSON ("actionExportComparison"); the comparison
    // view's Export button triggers it.
    QAction *exportComparisonAction() const { return exportComparisonAction_; }
    // What the exports write: the last live run's results while the charts show it (source =
    // its backend), else the simulation's.
    std::optional<Results> currentResults() const;

private:
    void createExportActions();
    void createResultsDock();
    void createPrecisionAction();
    void showResults(const Results &results);
    void exportResultsTable();
    void scenarioChanged();
    void updateActions();
    void showError(const QString &message);
    void exportMetrics(bool json);
    void exportSeries();
    void exportChart(int index, bool pdf);
    void exportCanvas(bool svg);
    void exportReport();
    void exportComparison();
    QString askSavePath(const QString &title, const QString &suggested, const QString &filter);

    MainWindow *window_;
    RunController *controller_;
    ChartsPanel *charts_;
    AnimationOverlay *overlay_;
    LiveCoordinator *live_ = nullptr;
    QAction *exportComparisonAction_ = nullptr;
    RunStatus *status_ = nullptr;
    ResultsView *results_ = nullptr;
    QPointer<QDockWidget> resultsDock_;
    QAction *precisionAction_ = nullptr;
    bool chartsHaveAnswer_ = false; // the charts show all replications' results
};

} // namespace ql
