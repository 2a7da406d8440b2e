// The presenter view for projectors (see presenterwindow.h).
#include "presenterwindow.h"

#include "canvasmetrics.h"
#include "chartwidget.h"
#include "histogramchart.h"
#include "lessoncoordinator.h"
#include "lessonstepview.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "scenariodocument.h"
#include "stats/numberformat.h"
#include "theory/theory.h"
#include "timeserieschart.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QShortcut>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

namespace {

constexpr double kMaxCanvasScale = 2.4; // a two-node lesson should not fill the wall

QFont scaled(QFont f, double factor)
{
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else if (f.pixelSize() > 0)
        f.setPixelSize(int(std::lround(f.pixelSize() * factor)));
    return f;
}

} // namespace

PresenterWindow::PresenterWindow(LessonCoordinator *lessons, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , lessons_(lessons)
    , controller_(lessons->window()->runCoordinator()->controller())
{
    setObjectName(QStringLiteral("presenterWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("QueueLab \u2014 Presenter View"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/queuelab.svg")));
    setFont(scaled(QApplication::font(), FontScale));
    applyContrast();
    MainWindow *window = lessons->window();

    // Top bar: what is shown, the simulated time, and the controls a presenter needs.
    title_ = new QLabel(this);
    title_->setObjectName(QStringLiteral("presenterTitle"));
    title_->setTextFormat(Qt::PlainText);
    QFont titleFont = font();
    titleFont.setBold(true);
    title_->setFont(titleFont);
    time_ = new QLabel(this);
    time_->setObjectName(QStringLiteral("presenterTime"));
    time_->setTextFormat(Qt::PlainText);
    fullScreen_ = new QToolButton(this);
    fullScreen_->setObjectName(QStringLiteral("presenterFullScreenButton"));
    fullScreen_->setText(tr("Full Screen"));
    fullScreen_->setCheckable(true);
    connect(fullScreen_, &QToolButton::toggled, this, [this](bool on) {
        if (on != isFullScreen())
            on ? showFullScreen() : showNormal();
    });
    auto *leave = new QToolButton(this);
    leave->setObjectName(QStringLiteral("presenterCloseButton"));
    leave->setText(tr("Leave (Esc)"));
    connect(leave, &QToolButton::clicked, this, &QWidget::close);
    auto *bar = new QHBoxLayout;
    bar->setSpacing(10);
    bar->addWidget(title_, 1);
    bar->addWidget(time_);
    bar->addSpacing(16);
    for (QAction *a : {window->runAction(), window->pauseAction(), window->resetAction()})
        bar->addWidget(actionButton(a));
    bar->addSpacing(16);
    bar->addWidget(fullScreen_);
    bar->addWidget(leave);

    // The canvas: a second, read-only view of the editor's scene, without the grid.
    canvas_ = new QGraphicsView(window->topologyView()->scene(), this);
    canvas_->setObjectName(QStringLiteral("presenterCanvas"));
    canvas_->setInteractive(false);
    canvas_->setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    canvas_->setFrameShape(QFrame::NoFrame);
    canvas_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    canvas_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    canvas_->setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    canvas_->viewport()->installEventFilter(this);
    canvas_->setFocusPolicy(Qt::NoFocus);
    canvas_->setBackgroundBrush(canvasColors(palette()).background);

    // One chart, chosen here; it follows the run as the Charts dock does.
    chartBox_ = new QWidget(this);
    chooser_ = new QComboBox(chartBox_);
    chooser_->setObjectName(QStringLiteral("presenterChartChooser"));
    chooser_->addItems({tr("Latency over time"), tr("Latency histogram"), tr("Throughput"),
                        tr("Queue depth"), tr("Utilization")});
    chooser_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *chooserRow = new QHBoxLayout;
    chooserRow->addWidget(chooser_);
    chooserRow->addStretch(1);
    chartLayout_ = new QVBoxLayout(chartBox_);
    chartLayout_->setContentsMargins(0, 0, 0, 0);
    chartLayout_->setSpacing(4);
    chartLayout_->addLayout(chooserRow);

    left_ = new QSplitter(Qt::Vertical, this);
    left_->addWidget(canvas_);
    left_->addWidget(chartBox_);
    left_->setStretchFactor(0, 1); // a topology is wide and flat: the chart gets half
    left_->setStretchFactor(1, 1);
    left_->setChildrenCollapsible(false);
    left_->setSizes({1100, 900});

    step_ = new LessonStepView(this);
    step_->setObjectName(QStringLiteral("presenterStepView"));
    step_->setNavigationActions(lessons->backAction(), lessons->nextAction());

    columns_ = new QSplitter(Qt::Horizontal, this);
    columns_->addWidget(left_);
    columns_->addWidget(step_);
    columns_->setStretchFactor(0, 3);
    columns_->setStretchFactor(1, 2);
    columns_->setChildrenCollapsible(false);
    columns_->setSizes({6800, 3200});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(bar);
    layout->addWidget(columns_, 1);

    // The window's keys work here too: Run, Pause, Step, Reset, Back, Next, and the toggle
    // that brought the view up. Clickers send Page Up / Page Down.
    addActions({window->runAction(), window->pauseAction(), window->stepAction(), window->resetAction()});
    addAction(lessons->backAction());
    addAction(lessons->nextAction());
    addAction(lessons->presenterAction());
    new QShortcut(QKeySequence(Qt::Key_PageDown), this, lessons, &LessonCoordinator::next);
    new QShortcut(QKeySequence(Qt::Key_PageUp), this, lessons, &LessonCoordinator::back);

    connect(chooser_, &QComboBox::currentIndexChanged, this, &PresenterWindow::setChart);
    // As the Charts dock (RunCoordinator): the animation's snapshots until the
    // replications' results arrive, then the whole run.
    connect(controller_, &RunController::snapshotReady, this, [this](const RunSnapshot &s) {
        if (chart_ && !controller_->hasReplicatedResults())
            chart_->addSnapshot(s);
    });
    connect(controller_, &RunController::resultsReady, this, [this](const Results &r) {
        if (!chart_)
            return;
        if (controller_->hasReplicatedResults()) {
            chart_->clearData();
            showReplicationOne();
        }
        chart_->setResults(r);
    });
    connect(controller_, &RunController::runReset, this, [this] {
        resetChart();
        updateTime();
    });
    connect(controller_, &RunController::progress, this, &PresenterWindow::updateTime);
    connect(controller_, &RunController::stateChanged, this, &PresenterWindow::updateTime);
    connect(controller_, &RunController::replicationsFinished, this, &PresenterWindow::updateTime);
    // A question's run has figures of its own beside the step: the header says so, not
    // "not run yet".
    connect(lessons, &LessonCoordinator::questionStarted, this, [this] {
        question_ = tr("simulating the question...");
        updateTime();
    });
    connect(lessons, &LessonCoordinator::questionFinished, this, [this](bool compared) {
        question_ = compared ? tr("question simulated") : QString();
        updateTime();
    });
    connect(lessons, &LessonCoordinator::stepChanged, this, [this] {
        question_.clear();
        updateTime();
    });

    auto *scene = window->topologyView()->topologyScene();
    connect(scene, &TopologyScene::itemsSynced, this, &PresenterWindow::fitCanvas);
    ScenarioDocument *doc = window->document();
    for (auto signal : {&ScenarioDocument::headerChanged, &ScenarioDocument::scenarioReset}) {
        connect(doc, signal, this, [this] {
            if (!lessons_->hasLesson())
                showScenarioText();
            updateTime();
        });
    }

    setChart(0);
    updateTime();
    resize(1280, 800);
}

PresenterWindow::~PresenterWindow() = default;

QToolButton *PresenterWindow::actionButton(QAction *a)
{
    auto *b = new QToolButton(this);
    b->setDefaultAction(a);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const int icon = QFontMetrics(font()).height();
    b->setIconSize(QSize(icon, icon));
    return b;
}

void PresenterWindow::showScenarioText()
{
    const Scenario &s = lessons_->window()->document()->scenario();
    step_->showText(QString::fromStdString(s.name), QString::fromStdString(s.description));
}

void PresenterWindow::setChart(int index)
{
    if (chooser_->currentIndex() != index) {
        chooser_->setCurrentIndex(index); // comes back here
        return;
    }
    delete chart_;
    switch (index) {
    case 1: chart_ = new LatencyHistogramChart(chartBox_); break;
    case 2: chart_ = new TimeSeriesChart(TimeSeriesChart::Kind::Throughput, chartBox_); break;
    case 3: chart_ = new TimeSeriesChart(TimeSeriesChart::Kind::QueueDepth, chartBox_); break;
    case 4: chart_ = new TimeSeriesChart(TimeSeriesChart::Kind::Utilization, chartBox_); break;
    default: chart_ = new TimeSeriesChart(TimeSeriesChart::Kind::Latency, chartBox_); break;
    }
    chart_->setObjectName(QStringLiteral("presenterChart"));
    chartLayout_->addWidget(chart_, 1);
    resetChart();
    // Opened during a run: what has been simulated so far, then the results if there are some.
    std::shared_ptr<const RunStats> stats = controller_->lastStats();
    if (controller_->hasReplicatedResults())
        showReplicationOne();
    else if (stats) {
        RunSnapshot snapshot;
        snapshot.runId = controller_->runId();
        snapshot.simTime = controller_->simTime();
        snapshot.endTime = controller_->endTime();
        snapshot.final = controller_->state() == RunController::State::Finished;
        snapshot.stats = stats;
        chart_->addSnapshot(snapshot);
    }
    if (controller_->results())
        chart_->setResults(*controller_->results());
}

void PresenterWindow::showReplicationOne()
{
    // The histogram has no series in the results: replication 1's final statistics, as the
    // time series show replication 1's (TimeSeriesChart::setResults).
    RunSnapshot first = controller_->replicationOne();
    if (chart_ && first.stats && !dynamic_cast<TimeSeriesChart *>(chart_)) {
        first.runId = controller_->runId();
        chart_->addSnapshot(first);
    }
}

void PresenterWindow::resetChart()
{
    if (chart_) {
        const Scenario &s = controller_->scenario();
        chart_->setScenario(s, analyze(s));
    }
}

void PresenterWindow::updateTime()
{
    const Scenario &s = lessons_->window()->document()->scenario();
    title_->setText(QString::fromStdString(s.name));
    const QString unit = QLatin1String(timeUnitName(s.timeUnit));
    const double t = controller_->simTime();
    QString text;
    if (controller_->state() != RunController::State::Idle)
        text = tr("t = %1 of %2 %3").arg(q(fmt::number(t)), q(fmt::number(controller_->endTime())), unit);
    else if (controller_->isReplicating())
        text = tr("computing the replications...");
    else if (controller_->results())
        text = tr("%1 done").arg(q(fmt::counted(std::uint64_t(std::max(0, controller_->results()->replications)),
                                                "replication", "replications")));
    if (!question_.isEmpty())
        text = text.isEmpty() ? question_ : text + QStringLiteral(" \u00b7 ") + question_;
    time_->setText(text.isEmpty() ? tr("not run yet") : text);
}

void PresenterWindow::fitCanvas()
{
    auto *scene = lessons_->window()->topologyView()->topologyScene();
    QRectF r = scene->nodesBoundingRect();
    if (r.isEmpty())
        return;
    r.adjust(-30, -30, 30, 30);
    canvas_->fitInView(r, Qt::KeepAspectRatio);
    if (canvas_->transform().m11() > kMaxCanvasScale) {
        canvas_->setTransform(QTransform::fromScale(kMaxCanvasScale, kMaxCanvasScale));
        canvas_->centerOn(r.center());
    }
}

void PresenterWindow::applyContrast()
{
    if (applyingPalette_)
        return;
    applyingPalette_ = true;
    // Stronger than the desktop palette: pure text on pure background, secondary text
    // still well above 7:1, so a washed-out projector keeps it legible.
    QPalette p = QApplication::palette();
    const bool dark = isDarkPalette(p);
    const QColor bg = dark ? QColor(0x0b, 0x0d, 0x10) : QColor(0xff, 0xff, 0xff);
    const QColor fg = dark ? QColor(0xff, 0xff, 0xff) : QColor(0x00, 0x00, 0x00);
    const QColor alt = dark ? QColor(0x1c, 0x20, 0x26) : QColor(0xee, 0xf1, 0xf5);
    const QColor sub = dark ? QColor(0xd0, 0xd6, 0xdf) : QColor(0x2e, 0x35, 0x40);
    const QColor button = dark ? QColor(0x26, 0x2b, 0x33) : QColor(0xe6, 0xe9, 0xee);
    for (QPalette::ColorGroup g : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(g, QPalette::Window, bg);
        p.setColor(g, QPalette::Base, bg);
        p.setColor(g, QPalette::AlternateBase, alt);
        p.setColor(g, QPalette::WindowText, fg);
        p.setColor(g, QPalette::Text, fg);
        p.setColor(g, QPalette::ButtonText, fg);
        p.setColor(g, QPalette::Button, button);
        p.setColor(g, QPalette::PlaceholderText, sub);
        p.setColor(g, QPalette::Link, dark ? QColor(0x8c, 0xc4, 0xff) : QColor(0x00, 0x4a, 0xad));
    }
    setPalette(p);
    if (canvas_)
        canvas_->setBackgroundBrush(canvasColors(p).background);
    applyingPalette_ = false;
}

void PresenterWindow::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

void PresenterWindow::closeEvent(QCloseEvent *event)
{
    emit closed();
    QWidget::closeEvent(event);
}

void PresenterWindow::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange)
        applyContrast(); // the program's theme switched between light and dark
    else if (event->type() == QEvent::WindowStateChange) {
        const QSignalBlocker blocker(fullScreen_);
        fullScreen_->setChecked(isFullScreen());
    }
}

bool PresenterWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == canvas_->viewport() && event->type() == QEvent::Resize)
        fitCanvas();
    return QWidget::eventFilter(watched, event);
}

} // namespace ql
