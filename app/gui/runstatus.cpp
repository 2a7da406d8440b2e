#include "runstatus.h"

#include "chartdata.h"
#include "runcontroller.h"

#include "stats/numberformat.h"
#include "stats/resultrows.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <cmath>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

RunStatus::RunStatus(RunController *controller, QStatusBar *bar, QObject *parent)
    : QObject(parent)
    , controller_(controller)
    , bar_(bar)
    , clock_(new QLabel(bar))
    , replications_(new QLabel(bar))
    , progress_(new QProgressBar(bar))
{
    wall_.start();
    clock_->setObjectName(QStringLiteral("runClockLabel"));
    clock_->setContentsMargins(8, 0, 8, 0);
    clock_->setToolTip(tr("The animated run on the canvas: simulated time, events, speed"));
    replications_->setObjectName(QStringLiteral("replicationStatusLabel"));
    replications_->setContentsMargins(8, 0, 8, 0);
    replications_->setToolTip(tr("The replications that give the Results, at full speed in the background"));
    progress_->setObjectName(QStringLiteral("replicationProgress"));
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(120);
    progress_->setTextVisible(false);
    progress_->hide();
    // addPermanentWidget puts each new widget to the right: the run's, then the editor's.
    bar->insertPermanentWidget(0, clock_);
    bar->insertPermanentWidget(1, replications_);
    bar->insertPermanentWidget(2, progress_);

    connect(controller, &RunController::snapshotReady, this, &RunStatus::onSnapshot);
    connect(controller, &RunController::progress, this, &RunStatus::updateClock);
    connect(controller, &RunController::stateChanged, this, &RunStatus::updateClock);
    connect(controller, &RunController::speedChanged, this, &RunStatus::updateClock);
    connect(controller, &RunController::runReset, this, [this] {
        events_ = 0;
        eventsPerSecond_ = 0;
        rateFromEvents_ = 0;
        rateFromMs_ = wall_.elapsed();
        progress_->hide();
        replications_->clear();
        updateClock();
    });
    connect(controller, &RunController::replicationsStarted, this, [this](int count) {
        planned_ = count;
        progress_->setValue(0);
        progress_->setToolTip(controller_->precision()
                                  ? tr("Replications until the intervals are within %1% (at most %2)")
                                        .arg(q(fmt::percent(controller_->precision()->target)))
                                        .arg(count)
                                  : tr("%1 for 95% confidence intervals")
                                        .arg(q(fmt::counted(std::uint64_t(count), "replication", "replications"))));
        progress_->show();
        onReplicationProgress(0);
    });
    connect(controller, &RunController::replicationProgress, this, &RunStatus::onReplicationProgress);
    connect(controller, &RunController::replicationsFinished, this, &RunStatus::onReplicationsFinished);
    connect(controller, &RunController::finished, this, [this] {
        bar_->showMessage(tr("The animated run reached t = %1 %2.")
                              .arg(q(fmt::number(controller_->simTime())),
                                   QLatin1String(timeUnitName(controller_->scenario().timeUnit))),
                          8000);
    });
    updateClock();
}

void RunStatus::onSnapshot(const RunSnapshot &snapshot)
{
    if (!snapshot.stats)
        return;
    events_ = snapshot.stats->events;
    const qint64 now = wall_.elapsed();
    if (events_ < rateFromEvents_) { // a new run
        rateFromEvents_ = events_;
        rateFromMs_ = now;
    }
    if (now - rateFromMs_ >= 1000) {
        eventsPerSecond_ = double(events_ - rateFromEvents_) * 1000.0 / double(now - rateFromMs_);
        rateFromEvents_ = events_;
        rateFromMs_ = now;
    }
    updateClock();
}

QString RunStatus::clockText() const
{
    using State = RunController::State;
    const State state = controller_->state();
    if (state == State::Idle && controller_->simTime() <= 0)
        return {};
    const QString unit = QLatin1String(timeUnitName(controller_->scenario().timeUnit));
    const double t = controller_->simTime(), end = controller_->endTime();
    QString text = tr("t = %1 of %2 %3").arg(q(fmt::number(t)), q(fmt::number(end)), unit);
    if (end > 0)
        text += QStringLiteral(" (%1%)").arg(q(fmt::percent(std::clamp(t / end, 0.0, 1.0))));
    text += QStringLiteral(" \u00b7 ") + q(fmt::counted(events_, "event", "events"));
    if (state == State::Running) {
        if (eventsPerSecond_ > 0)
            text += QStringLiteral(" \u00b7 ") + tr("%1 events/s").arg(q(fmt::rate(eventsPerSecond_)));
        const double speed = controller_->speed();
        if (speed > 0 && end > t)
            text += QStringLiteral(" \u00b7 ") + tr("%1 left").arg(q(fmt::seconds((end - t) / speed)));
    } else if (state == State::Paused) {
        text += QStringLiteral(" \u00b7 ") + tr("paused");
    } else if (state == State::Finished) {
        text += QStringLiteral(" \u00b7 ") + tr("done");
    }
    return text;
}

void RunStatus::updateClock()
{
    clock_->setText(clockText());
    clock_->setVisible(!clock_->text().isEmpty());
}

QString RunStatus::replicationText() const
{
    return replications_->text();
}

void RunStatus::onReplicationProgress(double fraction)
{
    progress_->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    const double elapsed = controller_->replicationSeconds();
    QString text = controller_->precision()
        ? tr("Replications to %1%: %2%").arg(q(fmt::percent(controller_->precision()->target)),
                                             q(fmt::percent(fraction)))
        : tr("%1: %2%").arg(q(fmt::counted(std::uint64_t(planned_), "replication", "replications")),
                            q(fmt::percent(fraction)));
    if (fraction > 0.02 && elapsed > 0.5)
        text += tr(", about %1 left").arg(q(fmt::seconds(elapsed * (1 - fraction) / fraction)));
    replications_->setText(text);
}

void RunStatus::onReplicationsFinished(bool cancelled)
{
    progress_->hide();
    if (cancelled) {
        replications_->setText(tr("Stopped"));
        bar_->showMessage(tr("Replications stopped: no results from them."), 8000);
        return;
    }
    const double seconds = controller_->replicationSeconds();
    const std::optional<Results> &r = controller_->results();
    replications_->setText(tr("Finished in %1").arg(q(fmt::seconds(seconds))));
    if (!r)
        return;
    // The details, once: the label keeps the short form.
    QString text = tr("Results: %1").arg(q(fmt::counted(std::uint64_t(std::max(0, r->replications)), "replication",
                                                        "replications")));
    const double events = double(r->events) * std::max(1, r->replications);
    if (events > 0)
        text += tr(", %1 events").arg(q(fmt::number(events)));
    if (events > 0 && seconds > 0)
        text += tr(" at %1 events/s").arg(q(fmt::rate(events / seconds)));
    if (r->precision)
        text += QStringLiteral("; ") + q(precisionSummary(*r->precision, r->replications));
    bar_->showMessage(text);
}

} // namespace ql
