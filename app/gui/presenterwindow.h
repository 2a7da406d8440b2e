// The presenter view, for projectors: one window (full screen by default) with the canvas,
// ONE chart of the run (latency over time unless another is chosen), the lesson's step with
// its question and Back / Next, and Run / Pause / Reset. Everything is ~1.8 times the size of
// the main window's text and in a high-contrast palette (light or dark, following the
// program's theme), to be read from the back of a room. The canvas is a second view of the
// main window's scene, so edits, highlights and the run's animation show in both; the chart
// is fed from the run controller's snapshots as the Charts dock is. Esc leaves.
#pragma once

#include <QWidget>

class QAction;
class QComboBox;
class QGraphicsView;
class QLabel;
class QSplitter;
class QToolButton;
class QVBoxLayout;

namespace ql {

class ChartWidget;
class LessonCoordinator;
class LessonStepView;
class RunController;

class PresenterWindow : public QWidget
{
    Q_OBJECT
public:
    static constexpr double FontScale = 1.8;

    explicit PresenterWindow(LessonCoordinator *lessons, QWidget *parent = nullptr);
    ~PresenterWindow() override;

    LessonStepView *stepView() const { return step_; }
    QGraphicsView *canvas() const { return canvas_; }
    QComboBox *chartChooser() const { return chooser_; }
    ChartWidget *chart() const { return chart_; }
    // The step text shown without a lesson: the scenario's name and description.
    void showScenarioText();

public slots:
    // 0 latency over time, 1 latency histogram, 2 throughput, 3 queue depth, 4 utilization.
    void setChart(int index);
    void fitCanvas();

signals:
    void closed();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyContrast();
    void resetChart();
    void updateTime();
    QToolButton *actionButton(QAction *action); // a large button for one of the window's actions

    LessonCoordinator *lessons_;
    RunController *controller_;
    QLabel *title_ = nullptr;
    QLabel *time_ = nullptr;
    QToolButton *fullScreen_ = nullptr;
    QSplitter *columns_ = nullptr;
    QSplitter *left_ = nullptr;
    QGraphicsView *canvas_ = nullptr;
    QWidget *chartBox_ = nullptr;
    QVBoxLayout *chartLayout_ = nullptr;
    QComboBox *chooser_ = nullptr;
    ChartWidget *chart_ = nullptr;
    LessonStepView *step_ = nullptr;
    bool applyingPalette_ = false;
    void showReplicationOne();
    QString question_; // what the lesson's question run is doing, for the header
};

} // namespace ql
