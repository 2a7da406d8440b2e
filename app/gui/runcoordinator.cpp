#include "runcoordinator.h"

#include "animationoverlay.h"
#include "chartspanel.h"
#include "chartwidget.h"
#include "exportfiles.h"
#include "livecoordinator.h"
#include "mainwindow.h"
#include "precisiondialog.h"
#include "reportexporter.h"
#include "resultsview.h"
#include "runcontroller.h"
#include "runstatus.h"
#include "scenariodocument.h"
#include "timeserieschart.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "stats/numberformat.h"
#include "theory/theory.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollArea>
#include <QStatusBar>

namespace ql {

RunCoordinator::RunCoordinator(MainWindow *window)
    : QObject(window)
    , window_(window)
    , controller_(new RunController(this))
    , charts_(new ChartsPanel(this))
    , overlay_(new AnimationOverlay)
{
    ScenarioDocument *doc = window->document();
    TopologyView *view = window->topologyView();

    // Charts live in the Charts dock the editor reserved for them.
    // In a scroll area, so that the grid's minimum height (a readable height per chart)
    // never pushes the window past a laptop's screen: it scrolls instead.
    if (QDockWidget *dock = window->chartsDock()) {
        auto *scroll = new QScrollArea(dock);
        scroll->setObjectName(QStringLiteral("chartsScroll"));
        scroll->setWidget(charts_->createGrid(scroll));
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setMinimumHeight(120);
        dock->setWidget(scroll);
    }

    // The overlay sits above the editor's items and takes no mouse input.
    view->scene()->addItem(overlay_);
    overlay_->setZValue(100);
    if (auto *scene = qobject_cast<TopologyScene *>(view->scene()))
        connect(scene, &TopologyScene::nodeItemMoved, overlay_, &AnimationOverlay::updateNodePosition);
    view->setToolTipProvider([c = controller_](const QString &id) { return c->nodeToolTip(id); });

    // A change to what is simulated resets the run; moving nodes only moves the overlay.
    for (auto signal : {&ScenarioDocument::scenarioReset, &ScenarioDocument::structureChanged,
                        &ScenarioDocument::headerChanged})
        connect(doc, signal, this, &RunCoordinator::scenarioChanged);
    connect(doc, &ScenarioDocument::nodeChanged, this, &RunCoordinator::scenarioChanged);
    connect(doc, &ScenarioDocument::linkChanged, this, &RunCoordinator::scenarioChanged);

    connect(window, &MainWindow::speedChanged, controller_, &RunController::setSpeed);
    controller_->setSpeed(window->speed());
    // Whoever sets the speed (the slider, --speed, a lesson), the tool bar shows it.
    connect(controller_, &RunController::speedChanged, window, &MainWindow::showSpeed);

    connect(window->runAction(), &QAction::triggered, controller_, &RunController::run);
    connect(window->pauseAction(), &QAction::triggered, controller_, &RunController::pause);
    connect(window->stepAction(), &QAction::triggered, controller_, &RunController::step);
    connect(window->resetAction(), &QAction::triggered, controller_, &RunController::reset);

    connect(controller_, &RunController::frameReady, overlay_, &AnimationOverlay::applyFrame);
    // The charts follow the animated run until all replications' results arrive (within a
    // second, usually before the animation has got far): then they show the whole run
    // (replication 1's series and the replications' bands) and stop taking the animation's
    // snapshots, which would append its early stub to the finished curves.
    connect(controller_, &RunController::snapshotReady, this, [this](const RunSnapshot &s) {
        if (!chartsHaveAnswer_)
            charts_->addSnapshot(s);
    });
    connect(controller_, &RunController::resultsReady, this, [this](const Results &r) {
        if (controller_->hasReplicatedResults() && !chartsHaveAnswer_) {
            chartsHaveAnswer_ = true;
            charts_->clear();
            // The latency histogram has no series in the results: replication 1's final
            // statistics, as the time series show replication 1's.
            RunSnapshot first = controller_->replicationOne();
            if (first.stats) {
                first.runId = controller_->runId();
                for (ChartWidget *chart : charts_->charts())
                    if (!dynamic_cast<TimeSeriesChart *>(chart))
                        chart->addSnapshot(first);
            }
        }
        charts_->setResults(r);
    });
    connect(controller_, &RunController::runReset, this, [this] {
        chartsHaveAnswer_ = false;
        overlay_->clear();
        charts_->clear();
    });
    connect(controller_, &RunController::stateChanged, this, &RunCoordinator::updateActions);
    connect(controller_, &RunController::errorOccurred, this, &RunCoordinator::showError);

    // What the run is doing, in the status bar.
    status_ = new RunStatus(controller_, window->statusBar(), this);
    createResultsDock();
    createPrecisionAction();

    // Live mode: its actions, its dock and its runs, on the same charts and overlay.
    live_ = new LiveCoordinator(window, controller_, charts_, overlay_, this);
    connect(live_, &LiveCoordinator::runningChanged, this, &RunCoordinator::updateActions);
    connect(live_, &LiveCoordinator::exportComparisonRequested, this, &RunCoordinator::exportComparison);

    createExportActions();
    controller_->setScenario(doc->scenario());
    overlay_->setScenario(doc->scenario());
    charts_->setScenario(doc->scenario());
    updateActions();
}

RunCoordinator::~RunCoordinator() = default;

QDockWidget *RunCoordinator::resultsDock() const
{
    return resultsDock_;
}

void RunCoordinator::createResultsDock()
{
    results_ = new ResultsView;
    resultsDock_ = new QDockWidget(tr("Results"), window_);
    resultsDock_->setObjectName(QStringLiteral("resultsDock"));
    resultsDock_->setWidget(results_);
    // Where the last session left it; else at the bottom, left of the charts: the answer
    // first, the curves beside it. (restoreDockWidget() before addDockWidget().)
    if (!window_->restoreDockWidget(resultsDock_)) {
        window_->addDockWidget(Qt::BottomDockWidgetArea, resultsDock_);
        if (QDockWidget *charts = window_->chartsDock(); charts && !charts->isFloating()) {
            window_->splitDockWidget(resultsDock_, charts, Qt::Horizontal);
            // The table's nine columns need about 680 pixels; the charts keep the rest.
            const int width = window_->width();
            const int table = std::min(std::max(680, width * 2 / 5), width / 2);
            window_->resizeDocks({resultsDock_.data(), charts}, {table, width - table}, Qt::Horizontal);
        }
    }
    if (QMenu *panels = window_->panelsMenu())
        panels->addAction(resultsDock_->toggleViewAction());

    connect(controller_, &RunController::resultsReady, this, &RunCoordinator::showResults);
    connect(controller_, &RunController::runReset, this, [this] {
        results_->clear();
        results_->setSummary(tr("Press Run (F5): the replications run at full speed in the background and their "
                                "statistics appear here in seconds."));
    });
    connect(controller_, &RunController::replicationsStarted, this, [this](int count) {
        results_->setSummary(controller_->precision()
                                 ? tr("Computing replications until every interval is within %1% (at most %2)...")
                                       .arg(QString::fromStdString(fmt::percent(controller_->precision()->target)))
                                       .arg(count)
                                 : tr("Computing %1 at full speed...")
                                       .arg(QString::fromStdString(
                                           fmt::counted(std::uint64_t(count), "replication", "replications"))));
    });
    connect(controller_, &RunController::replicationsFinished, this, [this](bool cancelled) {
        if (cancelled)
            results_->setSummary(tr("Replications stopped before the end: no results from them."));
    });
    connect(results_, &ResultsView::exportRequested, this, &RunCoordinator::exportResultsTable);
}

void RunCoordinator::showResults(const Results &r)
{
    const Scenario &s = controller_->scenario();
    const TheoryResult theory = analyze(s);
    results_->setResults(s, r, theory);
    const QString unit = QLatin1String(timeUnitName(s.timeUnit));
    auto q = [](const std::string &t) { return QString::fromStdString(t); };
    QString summary = tr("%1 × %2 %3 (warm-up %4 %3)")
                          .arg(q(fmt::counted(std::uint64_t(std::max(0, r.replications)), "replication", "replications")),
                               q(fmt::number(r.duration)), unit, q(fmt::number(r.warmup)));
    if (controller_->hasReplicatedResults()) {
        const double seconds = controller_->replicationSeconds();
        summary += tr(", finished in %1").arg(q(fmt::seconds(seconds)));
        if (r.events > 0 && seconds > 0)
            summary += tr(" (%1 events/s)").arg(q(fmt::rate(r.events * std::max(1, r.replications) / seconds)));
    } else {
        summary += tr(", the animated run");
    }
    summary += QStringLiteral(". ")
        + (theory.applicable ? tr("Theory: %1.").arg(q(theory.model)) : tr("No theory: %1").arg(q(theory.reason)));
    if (r.precision)
        summary += QLatin1Char('\n') + q(precisionSummary(*r.precision, r.replications));
    if (r.partial)
        summary += QLatin1Char('\n') + tr("Partial: %1").arg(q(r.error));
    results_->setSummary(summary);
}

void RunCoordinator::exportResultsTable()
{
    if (results_->rowCount() == 0) {
        showError(tr("Nothing to export yet: run the scenario first (F5)."));
        return;
    }
    const QString path = askSavePath(tr("Export Results Table"), QStringLiteral("results-table.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    const QByteArray bytes = results_->csv().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        showError(tr("cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::createPrecisionAction()
{
    precisionAction_ = new QAction(tr("Stop at &Precision..."), this);
    precisionAction_->setObjectName(QStringLiteral("actionPrecision"));
    precisionAction_->setCheckable(true);
    precisionAction_->setToolTip(tr("Run replications until every 95% interval is tight enough, as JMT does"));
    connect(precisionAction_, &QAction::triggered, this, [this] {
        PrecisionDialog dialog(controller_->precision(), window_);
        if (dialog.exec() == QDialog::Accepted)
            controller_->setPrecision(dialog.rule());
        precisionAction_->setChecked(controller_->precision().has_value());
    });
    if (QMenu *run = window_->runMenu()) {
        run->addSeparator();
        run->addAction(precisionAction_);
    }
}

void RunCoordinator::scenarioChanged()
{
    const Scenario &s = window_->document()->scenario();
    overlay_->setScenario(s);
    charts_->setScenario(s);
    // What was simulated no longer matches the canvas: the run starts over (setScenario
    // resets it), as in any editor whose preview follows the document.
    controller_->setScenario(s);
    updateActions();
}

void RunCoordinator::updateActions()
{
    using State = RunController::State;
    const State s = controller_->state();
    // A live run has the charts: the simulation waits until it is over.
    const bool valid = !window_->diagnostics().hasErrors() && !(live_ && live_->isRunning());
    window_->runAction()->setEnabled(valid && s != State::Running);
    window_->pauseAction()->setEnabled(s == State::Running);
    window_->stepAction()->setEnabled(valid && s != State::Finished);
    window_->resetAction()->setEnabled(s != State::Idle);
}

void RunCoordinator::showError(const QString &message)
{
    window_->statusBar()->showMessage(message, 10000);
    QMessageBox::warning(window_, tr("Run"), message);
}

void RunCoordinator::createExportActions()
{
    QMenu *menu = window_->exportMenu();
    if (!menu)
        return;
    menu->menuAction()->setVisible(true);
    auto add = [&](QMenu *m, const QString &name, const QString &text, auto slot) {
        QAction *a = m->addAction(text, this, slot);
        a->setObjectName(name);
        return a;
    };
    add(menu, QStringLiteral("actionExportJson"), tr("Metrics as &JSON..."), [this] { exportMetrics(true); })
        ->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    add(menu, QStringLiteral("actionExportCsv"), tr("Metrics as &CSV..."), [this] { exportMetrics(false); });
    add(menu, QStringLiteral("actionExportSeries"), tr("Time &Series as CSV..."), [this] { exportSeries(); });
    exportComparisonAction_ = add(menu, QStringLiteral("actionExportComparison"),
                                  tr("&Live Comparison as JSON..."), [this] { exportComparison(); });
    menu->addSeparator();
    QMenu *charts = menu->addMenu(tr("C&hart"));
    const QList<ChartWidget *> list = charts_->charts();
    for (int i = 0; i < list.size(); ++i) {
        add(charts, QStringLiteral("actionExportChartPng_%1").arg(list[i]->name()),
            tr("%1 as PNG...").arg(list[i]->title()), [this, i] { exportChart(i, false); });
        add(charts, QStringLiteral("actionExportChartPdf_%1").arg(list[i]->name()),
            tr("%1 as PDF...").arg(list[i]->title()), [this, i] { exportChart(i, true); });
    }
    add(menu, QStringLiteral("actionExportCanvasPng"), tr("Canvas as &PNG..."), [this] { exportCanvas(false); });
    add(menu, QStringLiteral("actionExportCanvasSvg"), tr("Canvas as S&VG..."), [this] { exportCanvas(true); });
    menu->addSeparator();
    add(menu, QStringLiteral("actionExportReport"), tr("&Report (everything, into a folder)..."),
        [this] { exportReport(); })
        ->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
}

QString RunCoordinator::askSavePath(const QString &title, const QString &suggested, const QString &filter)
{
    const QString base = window_->document()->filePath().isEmpty()
        ? QString()
        : QFileInfo(window_->document()->filePath()).absolutePath() + QLatin1Char('/');
    return QFileDialog::getSaveFileName(window_, title, base + suggested, filter);
}

std::optional<Results> RunCoordinator::currentResults() const
{
    if (live_ && live_->showsLiveResults())
        return live_->results();
    return controller_->results();
}

void RunCoordinator::exportMetrics(bool json)
{
    const std::optional<Results> r = currentResults();
    if (!r) {
        showError(tr("Nothing to export yet: run the scenario first (F5)."));
        return;
    }
    const QString path = askSavePath(json ? tr("Export Metrics as JSON") : tr("Export Metrics as CSV"),
                                     json ? QStringLiteral("results.json") : QStringLiteral("results.csv"),
                                     json ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(json ? exportResultsJson(*r, path, &error) : exportResultsCsv(*r, path, &error)))
        showError(error);
    else
        window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::exportSeries()
{
    const std::optional<Results> r = currentResults();
    if (!r) {
        showError(tr("Nothing to export yet: run the scenario first (F5)."));
        return;
    }
    const QString path = askSavePath(tr("Export Time Series"), QStringLiteral("series.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportSeriesCsv(r->series, path, &error))
        showError(error);
    else
        window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::exportChart(int index, bool pdf)
{
    const QList<ChartWidget *> list = charts_->charts();
    if (index < 0 || index >= list.size())
        return;
    ChartWidget *chart = list[index];
    const QString path = askSavePath(tr("Export Chart"), chart->name() + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".png")),
                                     pdf ? tr("PDF (*.pdf)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(pdf ? chart->savePdf(path, &error) : chart->savePng(path, &error)))
        showError(error);
    else
        window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::exportCanvas(bool svg)
{
    const QString path = askSavePath(tr("Export Canvas"), svg ? QStringLiteral("canvas.svg") : QStringLiteral("canvas.png"),
                                     svg ? tr("SVG (*.svg)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    QGraphicsScene *scene = window_->topologyView()->scene();
    if (!(svg ? exportSceneSvg(scene, path, &error) : exportScenePng(scene, path, &error)))
        showError(error);
    else
        window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::exportComparison()
{
    const std::string json = live_ ? live_->comparisonJson() : std::string();
    if (json.empty()) {
        showError(tr("Nothing to export yet: run the scenario live first (Run > Live, F7)."));
        return;
    }
    const QString path = askSavePath(tr("Export Live Comparison"), QStringLiteral("comparison.json"),
                                     tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    const QByteArray bytes = QByteArray::fromStdString(json);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        showError(tr("cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    window_->statusBar()->showMessage(tr("Wrote %1.").arg(path), 5000);
}

void RunCoordinator::exportReport()
{
    const QString folder = QFileDialog::getExistingDirectory(window_, tr("Export Report into Folder"));
    if (folder.isEmpty())
        return;
    ReportExporter exporter;
    exporter.setScenario(window_->document()->scenario());
    exporter.setResults(currentResults());
    exporter.setScene(window_->topologyView()->scene());
    exporter.setCharts(charts_->charts());
    QString error;
    if (!exporter.exportTo(folder, &error))
        showError(error);
    else
        window_->statusBar()->showMessage(tr("Report written to %1 (%n file(s)).", nullptr,
                                             int(exporter.writtenFiles().size())).arg(folder), 8000);
}

} // namespace ql
