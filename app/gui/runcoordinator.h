// Connects the main window's editor to running: the RunController (simulation off the GUI
// thread), the animation overlay on the canvas, the charts in the Charts dock and the
// File > Export menu. The editor knows nothing of running and the run parts nothing of the
// editor; this class is the one place that knows both. Live runs (LiveCoordinator) share
// its charts and exports: the exports write whichever results the charts show.
#pragma once

#include "stats/results.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QAction;
class QProgressBar;

namespace ql {

class AnimationOverlay;
class ChartsPanel;
class LiveCoordinator;
class MainWindow;
class RunController;

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
    // File > Export > Live Comparison as JSON ("actionExportComparison"); the comparison
    // view's Export button triggers it.
    QAction *exportComparisonAction() const { return exportComparisonAction_; }
    // What the exports write: the last live run's results while the charts show it (source =
    // its backend), else the simulation's.
    std::optional<Results> currentResults() const;

private:
    void createExportActions();
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
    QPointer<QProgressBar> progressBar_;
};

} // namespace ql
