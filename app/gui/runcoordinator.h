// Connects the main window's editor to running: the RunController (simulation off the GUI
// thread), the animation overlay on the canvas, the charts in the Charts dock and the
// File > Export menu. The editor knows nothing of running and the run parts nothing of the
// editor; this class is the one place that knows both.
#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QProgressBar;

namespace ql {

class AnimationOverlay;
class ChartsPanel;
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
    QString askSavePath(const QString &title, const QString &suggested, const QString &filter);

    MainWindow *window_;
    RunController *controller_;
    ChartsPanel *charts_;
    AnimationOverlay *overlay_;
    QPointer<QProgressBar> progressBar_;
};

} // namespace ql
