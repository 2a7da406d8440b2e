#include "livecoordinator.h"

#include "animationoverlay.h"
#include "chartspanel.h"
#include "chartwidget.h"
#include "livejob.h"
#include "comparisonview.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "scenariodocument.h"

#include "live/comparison.h"
#include "live/liverunner.h"
#include "live/livesetup.h"
#include "scenario/scenarioio.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QSvgRenderer>
#include <QToolBar>
#include <QToolButton>

#include <cmath>

namespace ql {

namespace {

// Snapshots of live runs carry ids of their own, so the charts never take one for a
// snapshot of the simulation's animated run.
constexpr quint64 LiveRunIdBase = quint64(1) << 62;
constexpr int PollMs = 200;  // progress, status and charts
constexpr int FrameMs = 33;  // the canvas, as often as a simulation's

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// The tool bar's icons are line art in the palette's colour (resources/icons); Live is a
// broadcast mark in a fixed signal red, as Run is a fixed green, so it reads in both themes.
QIcon svgIcon(const QByteArray &svg)
{
    QIcon icon;
    QSvgRenderer renderer(svg);
    for (int size : {16, 20, 24, 32, 40, 48}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        renderer.render(&p, QRectF(0, 0, size, size));
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

QIcon liveIcon()
{
    return svgIcon(QByteArrayLiteral(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='#d8433b' "
        "stroke-width='1.9' stroke-linecap='round'>"
        "<circle cx='12' cy='12' r='3.2' fill='#d8433b' stroke='none'/>"
        "<path d='M7.6 7.6a6.2 6.2 0 0 0 0 8.8M16.4 7.6a6.2 6.2 0 0 1 0 8.8'/>"
        "<path d='M4.6 4.6a10.4 10.4 0 0 0 0 14.8M19.4 4.6a10.4 10.4 0 0 1 0 14.8'/></svg>"));
}

QIcon stopIcon()
{
    return svgIcon(QByteArrayLiteral(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'>"
        "<rect x='6' y='6' width='12' height='12' rx='1.6' fill='#d8433b'/></svg>"));
}

// The simulated series the charts draw under the measured ones: the mean over the
// replications at each sample instant (smoother than one replication, and what the
// comparison's "simulation" column means). An interval without deliveries has no latency
// (0 in the series): it does not count in the mean.
TimeSeries meanSeries(const std::vector<RunStats> &runs)
{
    if (runs.empty())
        return {};
    TimeSeries out = runs.front().series;
    std::size_t n = out.times.size();
    for (const RunStats &r : runs)
        n = std::min(n, r.series.times.size());
    out.times.resize(n);
    for (std::size_t i = 0; i < out.series.size(); ++i) {
        Series &s = out.series[i];
        const bool latency = s.metric.rfind("latency", 0) == 0;
        s.values.assign(n, 0.0);
        for (std::size_t k = 0; k < n; ++k) {
            double sum = 0;
            int count = 0;
            for (const RunStats &r : runs) {
                if (i >= r.series.series.size() || k >= r.series.series[i].values.size())
                    continue;
                const double v = r.series.series[i].values[k];
                if (!std::isfinite(v) || (latency && v == 0))
                    continue;
                sum += v;
                ++count;
            }
            s.values[k] = count ? sum / count : 0.0;
        }
    }
    return out;
}

} // namespace

LiveCoordinator::LiveCoordinator(MainWindow *window, RunController *controller, ChartsPanel *charts,
                                 AnimationOverlay *overlay, QObject *parent)
    : QObject(parent)
    , window_(window)
    , controller_(controller)
    , charts_(charts)
    , overlay_(overlay)
{
    QSettings s;
    settings_.backend = s.value(QStringLiteral("live/backend"), QStringLiteral("embedded")).toString();
    settings_.uri = s.value(QStringLiteral("live/uri")).toString();
    settings_.durationSeconds = s.value(QStringLiteral("live/durationSeconds"), 0.0).toDouble();
    settings_.timeScale = s.value(QStringLiteral("live/timeScale"), 0.0).toDouble();

    createActions();
    createDock();

    pollTimer_.setInterval(PollMs);
    connect(&pollTimer_, &QTimer::timeout, this, &LiveCoordinator::poll);
    frameTimer_.setInterval(FrameMs);
    connect(&frameTimer_, &QTimer::timeout, this, &LiveCoordinator::sendFrame);

    progressBar_ = new QProgressBar(window->statusBar());
    progressBar_->setObjectName(QStringLiteral("liveProgress"));
    progressBar_->setRange(0, 1000);
    progressBar_->setMaximumWidth(160);
    progressBar_->setFormat(tr("live %p%"));
    progressBar_->hide();
    window->statusBar()->addPermanentWidget(progressBar_);

    ScenarioDocument *doc = window->document();
    for (auto signal : {&ScenarioDocument::scenarioReset, &ScenarioDocument::structureChanged,
                        &ScenarioDocument::headerChanged})
        connect(doc, signal, this, &LiveCoordinator::scenarioEdited);
    connect(doc, &ScenarioDocument::nodeChanged, this, &LiveCoordinator::scenarioEdited);
    connect(doc, &ScenarioDocument::linkChanged, this, &LiveCoordinator::scenarioEdited);
    connect(controller, &RunController::stateChanged, this, &LiveCoordinator::controllerStateChanged);
    // Quitting ends a live run first: its threads wind down while the window closes.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &LiveCoordinator::stop);
    updateActions();
}

LiveCoordinator::~LiveCoordinator()
{
    pollTimer_.stop();
    frameTimer_.stop();
    job_.reset(); // stops the runner, cancels the simulation, joins both threads
}

void LiveCoordinator::createActions()
{
    liveAction_ = new QAction(liveIcon(), tr("&Live"), this);
    liveAction_->setObjectName(QStringLiteral("actionLive"));
    liveAction_->setShortcuts({QKeySequence(Qt::Key_F7), QKeySequence(QStringLiteral("Ctrl+Shift+L"))});
    liveAction_->setStatusTip(tr("Run this topology as real traffic on a queue backend and compare the "
                                 "measurements with the simulation"));
    liveAction_->setToolTip(tr("Live: real traffic on %1 <span style='color:gray'>F7</span>")
                                .arg(settings_.backend == QLatin1String("amqp") ? tr("RabbitMQ") : tr("the embedded broker")));
    connect(liveAction_, &QAction::triggered, this, &LiveCoordinator::start);

    stopAction_ = new QAction(stopIcon(), tr("S&top Live"), this);
    stopAction_->setObjectName(QStringLiteral("actionStopLive"));
    stopAction_->setShortcut(QKeySequence(QStringLiteral("Shift+F7")));
    stopAction_->setStatusTip(tr("End the live run now; what was measured so far is kept"));
    stopAction_->setToolTip(tr("Stop the live run <span style='color:gray'>Shift+F7</span>"));
    connect(stopAction_, &QAction::triggered, this, &LiveCoordinator::stop);

    settingsAction_ = new QAction(tr("Live &Settings..."), this);
    settingsAction_->setObjectName(QStringLiteral("actionLiveSettings"));
    settingsAction_->setStatusTip(tr("Backend (embedded or RabbitMQ), duration and time scale of live runs"));
    connect(settingsAction_, &QAction::triggered, this, &LiveCoordinator::editSettings);

    if (QMenu *menu = window_->runMenu()) {
        menu->addSeparator();
        menu->addAction(liveAction_);
        menu->addAction(stopAction_);
        menu->addAction(settingsAction_);
    }
    if (QToolBar *bar = window_->runToolBar()) {
        // After Reset: Run | Pause | Step | Reset | Live ▾ | Stop Live | speed, seed.
        QAction *before = nullptr;
        const QList<QAction *> actions = bar->actions();
        for (int i = 0; i < actions.size(); ++i)
            if (actions[i]->objectName() == QLatin1String("actionReset") && i + 1 < actions.size())
                before = actions[i + 1];
        bar->insertSeparator(before);
        bar->insertAction(before, liveAction_);
        bar->insertAction(before, stopAction_);
        if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(liveAction_))) {
            auto *menu = new QMenu(button);
            menu->addAction(settingsAction_);
            button->setMenu(menu);
            button->setPopupMode(QToolButton::MenuButtonPopup);
        }
    }
}

void LiveCoordinator::createDock()
{
    view_ = new ComparisonView;
    dock_ = new QDockWidget(tr("Live Comparison"), window_);
    dock_->setObjectName(QStringLiteral("liveComparisonDock"));
    dock_->setWidget(view_);
    // Where the last session left it; otherwise out of the way until the first live run.
    // (restoreDockWidget() before addDockWidget(): afterwards it would find the dock itself.)
    dockPlaced_ = window_->restoreDockWidget(dock_);
    if (!dockPlaced_) {
        window_->addDockWidget(Qt::BottomDockWidgetArea, dock_);
        dock_->hide();
    }
    if (QMenu *panels = window_->panelsMenu())
        panels->addAction(dock_->toggleViewAction());
    connect(view_, &ComparisonView::exportRequested, this, &LiveCoordinator::exportComparisonRequested);
}

void LiveCoordinator::placeDock()
{
    if (dockPlaced_)
        return;
    dockPlaced_ = true;
    // Beside the charts, which must keep most of the width: as a tab of another panel that
    // already sits there, else split off the charts' right-hand side.
    QDockWidget *charts = window_->chartsDock();
    QDockWidget *beside = nullptr;
    for (QDockWidget *d : window_->dockWidgets()) {
        if (d != dock_ && d != charts && !d->isHidden() && !d->isFloating()
            && window_->dockWidgetArea(d) == Qt::BottomDockWidgetArea) {
            beside = d;
            break;
        }
    }
    if (beside)
        window_->tabifyDockWidget(beside, dock_);
    else if (charts && !charts->isFloating())
        window_->splitDockWidget(charts, dock_, Qt::Horizontal);
    else
        return;
    dock_->show();
    // The table needs about 600 pixels; the charts keep the larger share.
    if (charts && !charts->isFloating()) {
        const int width = charts->width() + dock_->width();
        window_->resizeDocks({charts, dock_.data()}, {width * 11 / 20, width * 9 / 20}, Qt::Horizontal);
    }
}

void LiveCoordinator::setSettings(const LiveSettings &settings, bool remember)
{
    settings_ = settings;
    liveAction_->setToolTip(tr("Live: real traffic on %1 <span style='color:gray'>F7</span>")
                                .arg(settings_.backend == QLatin1String("amqp") ? tr("RabbitMQ") : tr("the embedded broker")));
    if (!remember)
        return;
    QSettings s;
    s.setValue(QStringLiteral("live/backend"), settings.backend);
    // Never the password: the URI is stored without it (uriWithoutPassword).
    s.setValue(QStringLiteral("live/uri"), q(uriWithoutPassword(settings.uri.toStdString())));
    s.setValue(QStringLiteral("live/durationSeconds"), settings.durationSeconds);
    s.setValue(QStringLiteral("live/timeScale"), settings.timeScale);
}

void LiveCoordinator::editSettings()
{
    LiveSettingsDialog dialog(window_->document()->scenario(), settings_, window_);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setSettings(dialog.settings(), true);
    if (dialog.startRequested())
        start();
}

bool LiveCoordinator::isRunning() const
{
    return job_ && !job_->finished;
}

void LiveCoordinator::updateActions()
{
    const bool running = isRunning();
    liveAction_->setEnabled(!running && !window_->diagnostics().hasErrors());
    stopAction_->setEnabled(running && job_ && !job_->stopRequested);
    settingsAction_->setEnabled(!running);
}

void LiveCoordinator::joinJob()
{
    job_.reset();
}

QString LiveCoordinator::clean(const std::string &text) const
{
    std::string s = text;
    if (job_)
        for (const std::string &secret : job_->secrets())
            s = redactSecret(s, secret);
    QString out = q(s);
    // The backends' advice names the CLI's flags; here the URI lives in Live Settings.
    out.replace(QStringLiteral("(--uri or QUEUELAB_AMQP_URI)"),
                tr("(Run > Live Settings, or QUEUELAB_AMQP_URI)"));
    out.replace(QStringLiteral("--uri"), tr("the URI in Run > Live Settings"));
    out.replace(QStringLiteral("--time-scale"), tr("the time scale in Run > Live Settings"));
    return out;
}

QString LiveCoordinator::runTitle() const
{
    const QString backend = job_ && job_->options().backend == "amqp" ? tr("RabbitMQ (AMQP)") : tr("the embedded broker");
    return tr("Live on %1 vs. simulation").arg(backend);
}

QString LiveCoordinator::planDetails() const
{
    if (!job_)
        return {};
    const Scenario &e = job_->effective();
    const QString unit = QString::fromLatin1(timeUnitName(e.timeUnit));
    const double perUnit = wallSecondsPerUnit(job_->scenario(), job_->options());
    return tr("%1 — %2 %3 of scenario time (warm-up %4 %3) ≈ %5 wall. %6.")
        .arg(q(e.name), QString::number(e.run.duration, 'g', 6), unit, QString::number(e.run.warmup, 'g', 6),
             q(wallSpan(e.run.duration * perUnit)), q(timeScaleLine(job_->scenario(), job_->options(), "")));
}

void LiveCoordinator::start()
{
    if (isRunning())
        return;
    joinJob();
    const Scenario &doc = window_->document()->scenario();
    lastError_.clear();
    if (window_->diagnostics().hasErrors()) {
        fail(tr("The scenario has errors; fix them before a live run (the status bar lists them)."));
        return;
    }
    const quint64 id = ++jobCounter_;
    auto job = std::make_unique<LiveJob>(id, LiveRunIdBase | id, doc, settings_.toOptions());
    job->addSecret(settings_.password.toStdString());
    const Diagnostics check = validateScenario(job->simScenario(), window_->document()->displayName().toStdString());
    if (check.hasErrors()) {
        fail(tr("The live settings make the scenario invalid: %1").arg(q(check.errors().front().message)));
        return;
    }

    // The charts now show the live run: the simulation's animated run makes way.
    if (controller_->isReplicating())
        controller_->cancelReplications();
    if (controller_->state() != RunController::State::Idle)
        controller_->reset();
    job_ = std::move(job);
    LiveJob *j = job_.get();

    results_.reset();
    comparisonJson_.clear();
    liveShown_ = true;
    if (charts_) {
        charts_->setScenario(j->effective()); // its duration and warm-up, the axes of both runs
        charts_->clear();
    }
    if (overlay_)
        overlay_->setScenario(j->scenario());

    view_->showRunning(runTitle(), planDetails());
    placeDock();
    dock_->show();
    dock_->raise();

    j->start(this, [this, id](std::shared_ptr<LiveReport> report) { onLiveDone(id, report); },
             [this, id](std::shared_ptr<SimulatedRuns> sim) { onSimulationDone(id, sim); });

    progressBar_->setValue(0);
    progressBar_->show();
    pollTimer_.start();
    frameTimer_.start();
    window_->statusBar()->showMessage(tr("Live run started on %1: %2")
                                          .arg(j->options().backend == "amqp" ? q(maskUri(configuredAmqpUri(j->options())))
                                                                              : tr("the embedded broker"),
                                               q(timeScaleLine(j->scenario(), j->options(), ""))),
                                      5000);
    updateActions();
    emit runningChanged(true);
}

void LiveCoordinator::stop()
{
    if (!isRunning() || job_->stopRequested)
        return;
    job_->stopRequested = true;
    job_->stop();
    window_->statusBar()->showMessage(tr("Stopping the live run..."), 3000);
    updateActions();
}

void LiveCoordinator::sendFrame()
{
    // The canvas shows the measured traffic by the simulation's path: the runner's observer
    // calls, collected into frames, with the broker's depths and busy servers.
    if (!job_ || job_->liveDone || job_->stoppedByEdit || !overlay_)
        return;
    overlay_->applyFrame(job_->takeFrame(controller_->animationEnabled()));
}

void LiveCoordinator::poll()
{
    if (!job_ || job_->liveDone)
        return;
    progressBar_->setValue(int(std::lround(job_->progress() * 1000)));
    TimeSeries series = job_->series();
    if (series.times.empty() || series.times.size() == job_->samplesShown || job_->stoppedByEdit)
        return;
    job_->samplesShown = series.times.size();
    const double now = series.times.back();
    if (charts_) {
        auto stats = std::make_shared<RunStats>();
        stats->series = std::move(series);
        RunSnapshot snap;
        snap.runId = job_->runId();
        snap.simTime = now;
        snap.endTime = job_->effective().run.duration;
        snap.stats = std::move(stats);
        charts_->addSnapshot(snap);
    }
    const double perUnit = wallSecondsPerUnit(job_->scenario(), job_->options());
    window_->statusBar()->showMessage(tr("Live on %1: %2 of %3 wall")
                                          .arg(job_->options().backend == "amqp" ? tr("RabbitMQ") : tr("the embedded broker"),
                                               q(wallSpan(now * perUnit)),
                                               q(wallSpan(job_->effective().run.duration * perUnit))),
                                      2000);
}

void LiveCoordinator::onLiveDone(quint64 id, const std::shared_ptr<LiveReport> &report)
{
    if (!job_ || job_->id() != id)
        return;
    poll(); // the last samples before the stop
    sendFrame();
    frameTimer_.stop();
    job_->liveDone = true;
    job_->report = report;
    job_->joinLive(); // it has handed over its report: done
    // Secrets never reach the screen or an export.
    report->error = clean(report->error).toStdString();
    report->results.error = clean(report->results.error).toStdString();
    for (std::string &w : report->warnings)
        w = clean(w).toStdString();
    if (!report->setupFailed) {
        results_ = report->results;
        if (charts_ && !job_->stoppedByEdit) {
            // The final figures: the series up to the stop and the latency distribution.
            RunSnapshot snap;
            snap.runId = job_->runId();
            snap.final = true;
            snap.endTime = job_->effective().run.duration;
            snap.simTime = report->stats.series.times.empty() ? 0.0 : report->stats.series.times.back();
            snap.stats = std::make_shared<const RunStats>(std::move(report->stats));
            charts_->addSnapshot(snap);
        }
    }
    progressBar_->hide();
    if (!job_->simDone)
        window_->statusBar()->showMessage(tr("Live run over; waiting for the simulation beside it..."));
    finish();
}

void LiveCoordinator::onSimulationDone(quint64 id, const std::shared_ptr<SimulatedRuns> &sim)
{
    if (!job_ || job_->id() != id)
        return;
    job_->simDone = true;
    job_->sim = sim;
    job_->joinSimulation();
    if (charts_ && !job_->stoppedByEdit && !sim->runs.empty()) {
        auto reference = std::make_shared<ChartReference>();
        reference->label = sim->runs.size() == 1 ? tr("simulated")
                                                 : tr("simulated (%1 runs)").arg(sim->runs.size());
        reference->dataLabel = tr("measured (%1)").arg(q(job_->options().backend));
        reference->series = meanSeries(sim->runs);
        for (const RunStats &r : sim->runs)
            reference->latency.merge(r.latency);
        charts_->setReference(reference);
    }
    finish();
}

void LiveCoordinator::finish()
{
    if (!job_ || !job_->liveDone || !job_->simDone || job_->finished)
        return;
    LiveJob &j = *job_;
    j.finished = true;
    pollTimer_.stop();
    frameTimer_.stop();
    progressBar_->hide();
    const LiveReport &report = *j.report;
    const QString unit = QString::fromLatin1(timeUnitName(j.scenario().timeUnit));

    if (report.setupFailed) {
        lastError_ = q(report.error);
        view_->setDetails(planDetails());
        view_->showProblem(ComparisonView::Status::Failed,
                           tr("The live run could not start: %1").arg(lastError_));
        window_->statusBar()->showMessage(tr("Live run failed: %1").arg(lastError_), 15000);
    } else {
        const Comparison comparison = compareResults(j.simScenario(), j.sim->results, j.sim->runs, report.results);
        ComparisonInfo info;
        info.backend = report.backend;
        info.wallPerUnit = report.wallPerUnit;
        info.timeScale = timeScaleOf(j.scenario(), report.wallPerUnit);
        info.wallSeconds = report.wallSeconds;
        comparisonJson_ = comparisonToJson(j.sim->results, report.results, comparison, info);
        const QString details = tr("%1 — live: %2 wall, %3 messages delivered on %4 (%5). Simulation: %6 "
                                   "replication(s) of %7 %8%9.")
                                    .arg(q(j.effective().name), q(wallSpan(report.wallSeconds)))
                                    .arg(std::llround(report.results.delivered))
                                    .arg(q(report.backend), q(report.where)) // where() masks the password
                                    .arg(j.sim->results.replications)
                                    .arg(QString::number(j.simScenario().run.duration, 'g', 6), unit,
                                         j.sim->results.partial ? tr(" (cut short)") : QString());
        view_->showComparison(j.simScenario(), comparison, runTitle(), details);
        if (report.results.partial) {
            const QString measured = tr("The figures cover the %1 measured (partial); export them with "
                                        "File > Export.")
                                         .arg(q(wallSpan(report.wallSeconds)));
            if (j.stopRequested || j.stoppedByEdit) {
                view_->showProblem(ComparisonView::Status::Partial,
                                   (j.stoppedByEdit ? tr("Stopped because the scenario was edited. ")
                                                    : tr("Stopped after %1 of %2 planned. ")
                                                          .arg(q(wallSpan(report.wallSeconds)),
                                                               q(wallSpan(j.effective().run.duration * report.wallPerUnit))))
                                       + measured);
            } else {
                lastError_ = q(report.results.error);
                view_->showProblem(ComparisonView::Status::Failed,
                                   tr("The live run ended early: %1\n").arg(lastError_) + measured);
            }
        }
        QStringList notes;
        for (const std::string &w : report.warnings)
            notes << q(w);
        view_->setNotes(notes);
        window_->statusBar()->showMessage(
            lastError_.isEmpty() ? tr("Live run finished: %1 messages in %2 wall; the comparison is in the "
                                      "Live Comparison panel.")
                                       .arg(std::llround(report.results.delivered))
                                       .arg(q(wallSpan(report.wallSeconds)))
                                 : tr("Live run ended early: %1").arg(lastError_),
            lastError_.isEmpty() ? 8000 : 15000);
    }
    dock_->show();
    dock_->raise();
    updateActions();
    emit runningChanged(false);
    emit finished();
}

void LiveCoordinator::fail(const QString &message)
{
    lastError_ = message;
    view_->clear();
    view_->showProblem(ComparisonView::Status::Failed, message);
    placeDock();
    dock_->show();
    dock_->raise();
    window_->statusBar()->showMessage(message, 10000);
}

void LiveCoordinator::scenarioEdited()
{
    // What runs live no longer matches the canvas: stop (the figures so far are kept in the
    // comparison), and the charts follow the edited scenario from now on.
    liveShown_ = false;
    if (isRunning() && !job_->stopRequested) {
        job_->stoppedByEdit = true;
        stop();
    } else if (job_ && isRunning()) {
        job_->stoppedByEdit = true;
    }
    updateActions();
}

void LiveCoordinator::controllerStateChanged()
{
    // A simulation run takes the charts back: its own scenario, no reference.
    if (controller_->state() == RunController::State::Idle || !liveShown_)
        return;
    liveShown_ = false;
    if (charts_)
        charts_->setScenario(window_->document()->scenario());
}

ComparisonView *LiveCoordinator::comparisonView() const
{
    return view_;
}

QDockWidget *LiveCoordinator::comparisonDock() const
{
    return dock_;
}

std::string LiveCoordinator::comparisonJson() const
{
    return comparisonJson_;
}

} // namespace ql
