#include "narrativecoordinator.h"

#include "animationoverlay.h"
#include "mainwindow.h"
#include "narrativedock.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAction>
#include <QLocale>
#include <QMenu>

#include <cmath>

namespace ql {

namespace {

constexpr double RateMemory = 0.5; // seconds over which the event rate is smoothed
constexpr double FrameGap = 0.25;  // a longer pause between frames starts the rate afresh

} // namespace

NarrativeCoordinator::NarrativeCoordinator(MainWindow *window)
    : QObject(window)
    , window_(window)
{
    clock_.start();
    if (RunCoordinator *run = window->runCoordinator()) {
        controller_ = run->controller();
        overlay_ = run->overlay();
    }

    dock_ = new NarrativeDock(window);
    dock_->setNarrator(&narrator_);
    // A tab beside the charts, across the window's width: the sentences are long, and
    // while one steps through a run the charts have little to show yet.
    // restoreDockWidget() before addDockWidget(): afterwards it would find the dock itself
    // and always report it placed, so the narrative would open at every start.
    dockPlaced_ = window->restoreDockWidget(dock_);
    if (!dockPlaced_) {
        window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
        if (QDockWidget *charts = window->chartsDock())
            window->tabifyDockWidget(charts, dock_);
        dock_->hide(); // until asked for, or the first Step
    }
    QAction *toggle = showAction_ = dock_->toggleViewAction();
    toggle->setObjectName(QStringLiteral("actionShowNarrative"));
    toggle->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+N")));
    toggle->setToolTip(tr("Show the event narrative: what happens to each message, in words"));
    connect(toggle, &QAction::triggered, this, [this](bool shown) {
        if (shown && dock_)
            dock_->raise(); // the front tab, not one behind the charts
    });
    if (QMenu *panels = window->panelsMenu())
        panels->addAction(toggle);
    else
        window->addAction(toggle);
    if (QAction *step = window->stepAction()) {
        // Step is where the narrative tells the most: show it the first time, unless the
        // user has placed (or closed) it in an earlier session.
        connect(step, &QAction::triggered, this, [this] {
            if (!dockPlaced_ && !shownOnStep_ && dock_ && !dock_->isVisible()) {
                shownOnStep_ = true;
                dock_->show();
                dock_->raise();
            }
        });
    }

    if (controller_) {
        narrator_.setScenario(controller_->scenario());
        connect(controller_, &RunController::frameReady, this, &NarrativeCoordinator::onFrame);
        connect(controller_, &RunController::runReset, this, &NarrativeCoordinator::onReset);
        // A finished run sends nothing more: the banner's advice is moot (the note stays).
        connect(controller_, &RunController::finished, this, [this] {
            if (dock_)
                dock_->setPaused(paused_, QString());
        });
    }
    TopologyView *view = window->topologyView();
    view->setAnimationOverlay(overlay_);
    connect(view, &TopologyView::tokenClicked, this, &NarrativeCoordinator::followMessage);
    connect(view, &TopologyView::backgroundClicked, this, &NarrativeCoordinator::stopFollowing);
    connect(view, &TopologyView::escapePressed, this, &NarrativeCoordinator::stopFollowing);
    connect(view->topologyScene(), &QGraphicsScene::selectionChanged, this, &NarrativeCoordinator::onSelectionChanged);

    connect(dock_, &NarrativeDock::followedMessageChanged, this, [this](quint64 msg) {
        if (overlay_)
            overlay_->setFollowedMessage(msg);
    });
    connect(dock_, &NarrativeDock::lineClicked, this, &NarrativeCoordinator::onLineClicked);
    connect(dock_, &NarrativeDock::clearRequested, this, [this] {
        narrator_.clearLines();
        due_.clear();
        releaseTimer_.stop();
        dock_->showLines();
    });

    releaseTimer_.setInterval(40);
    connect(&releaseTimer_, &QTimer::timeout, this, &NarrativeCoordinator::release);
    onSelectionChanged();
}

NarrativeCoordinator::~NarrativeCoordinator() = default;

double NarrativeCoordinator::wallNow() const
{
    return double(clock_.nsecsElapsed()) * 1e-9;
}

void NarrativeCoordinator::onFrame(const AnimationFrame &f)
{
    // Off while nobody reads it: one branch per frame.
    if (!dock_ || !dock_->isVisible()) {
        missed_ = true;
        lastFrameAt_ = -1;
        return;
    }
    if (f.step) { // one event: always told, at once (its tokens start moving now too)
        if (paused_)
            resume(f.simFrom);
        narrate(f);
        releaseAll();
        return;
    }
    const double now = wallNow();
    const double elapsed = lastFrameAt_ < 0 ? 0.0 : now - lastFrameAt_;
    const bool gap = lastFrameAt_ < 0 || elapsed > FrameGap;
    lastFrameAt_ = now;
    double count = 0;
    if (f.detailed) {
        count = double(f.events.size());
    } else { // events not sent: the worker found them too many; estimate from the moves
        for (std::uint32_t n : f.linkMessages)
            count += n;
        count *= 2;
    }
    const double decay = gap ? 0.0 : std::exp(-elapsed / RateMemory);
    rateCount_ = rateCount_ * decay + count;
    rateWall_ = rateWall_ * decay + (gap ? 1.0 / 30 : std::max(elapsed, 1.0 / 60));
    rateSpan_ = rateSpan_ * decay + std::max(0.0, f.simTo - f.simFrom);
    const double rate = rateCount_ / rateWall_;
    if (!paused_ && (rate > PauseRate || (!f.detailed && count > 0)))
        pause(f.simFrom, rate, rateSpan_ > 0 ? rateCount_ / rateSpan_ : 0.0);
    else if (paused_ && f.detailed && rate < ResumeRate)
        resume(f.simFrom);
    if (paused_ || !f.detailed) {
        missed_ = true;
        return;
    }
    narrate(f);
    // Held back as long as the overlay holds back the tokens, so a sentence appears when
    // its token arrives.
    due_.emplace_back(now + (overlay_ ? overlay_->displayDelay() : 0.0), narrator_.nextSeq());
    if (!releaseTimer_.isActive())
        releaseTimer_.start();
}

void NarrativeCoordinator::narrate(const AnimationFrame &f)
{
    if (missed_) { // what it knew about messages in flight may be stale
        narrator_.forgetMessages();
        missed_ = false;
    }
    for (const AnimationEvent &e : f.events) {
        switch (e.kind) {
        case AnimationEvent::Published:
            narrator_.published(e.t, e.msg, e.from);
            break;
        case AnimationEvent::Moved:
            narrator_.moved(e.t, e.msg, e.from, e.to);
            break;
        case AnimationEvent::Enqueued:
            narrator_.enqueued(e.t, e.msg, e.from, e.to);
            break;
        case AnimationEvent::Dropped:
            narrator_.dropped(e.t, e.msg, e.from, DropReason(e.reason));
            break;
        case AnimationEvent::ServiceStarted:
            narrator_.serviceStarted(e.t, e.msg, e.from, e.to);
            break;
        case AnimationEvent::ServiceEnded:
            narrator_.serviceEnded(e.t, e.msg, e.from, e.to);
            break;
        case AnimationEvent::Delivered:
            narrator_.delivered(e.t, e.msg, std::nan("")); // from the publish time it saw
            break;
        }
    }
    narrator_.flush();
}

void NarrativeCoordinator::release()
{
    const double now = wallNow();
    bool any = false;
    std::uint64_t end = 0;
    while (!due_.empty() && due_.front().first <= now) {
        end = due_.front().second;
        due_.pop_front();
        any = true;
    }
    if (any && dock_)
        dock_->showLines(end);
    if (due_.empty())
        releaseTimer_.stop();
}

void NarrativeCoordinator::releaseAll()
{
    due_.clear();
    releaseTimer_.stop();
    if (dock_)
        dock_->showLines();
}

void NarrativeCoordinator::pause(double simTime, double rate, double perSimUnit)
{
    paused_ = true;
    const QLocale locale;
    const QString events = locale.toString(qRound64(rate));
    narrator_.addNote(simTime, tr("narrative paused: about %1 events a second are too many to tell").arg(events).toStdString());
    releaseAll();
    QString slower;
    if (perSimUnit > 0 && controller_)
        slower = tr("slow the run to about %1 or less, or use Step (F10)")
                     .arg(RunController::speedText(ResumeRate / perSimUnit, controller_->scenario().timeUnit));
    else
        slower = tr("slow the run down, or use Step (F10)");
    if (dock_)
        dock_->setPaused(true, tr("Narrative paused: this run makes about %1 events a second, too many to tell in words. "
                                  "It resumes below %2 a second: %3.")
                                   .arg(events, locale.toString(qRound(ResumeRate)), slower));
}

void NarrativeCoordinator::resume(double simTime)
{
    paused_ = false;
    narrator_.forgetMessages();
    missed_ = false;
    narrator_.addNote(simTime, tr("narrative resumed").toStdString());
    releaseAll();
    if (dock_)
        dock_->setPaused(false);
}

void NarrativeCoordinator::onReset()
{
    if (controller_)
        narrator_.setScenario(controller_->scenario());
    due_.clear();
    releaseTimer_.stop();
    paused_ = missed_ = false;
    lastFrameAt_ = -1;
    rateCount_ = rateWall_ = rateSpan_ = 0;
    if (!dock_)
        return;
    dock_->setPaused(false);
    dock_->resetLines();
    // The same seed replays the same run: a message followed before a reset is the same
    // message after it. The overlay forgot it on reset; tell it again.
    if (overlay_)
        overlay_->setFollowedMessage(dock_->followedMessage());
    onSelectionChanged(); // node indexes may have changed with the scenario
}

void NarrativeCoordinator::followMessage(quint64 msg)
{
    if (!dock_ || !msg)
        return;
    if (!dock_->isVisible())
        dock_->show();
    dock_->raise();
    dock_->followMessage(msg);
    if (overlay_)
        overlay_->setFollowedMessage(msg);
}

void NarrativeCoordinator::stopFollowing()
{
    if (dock_)
        dock_->stopFollowingMessage();
    if (overlay_)
        overlay_->setFollowedMessage(0);
}

void NarrativeCoordinator::onSelectionChanged()
{
    if (!dock_ || !controller_)
        return;
    const TopologyScene *scene = window_->topologyView()->topologyScene();
    const QStringList ids = scene->selectedNodeIds();
    QList<int> nodes;
    QStringList known;
    for (const QString &id : ids) {
        const int i = controller_->scenario().nodeIndex(id.toStdString());
        if (i >= 0) {
            nodes << i;
            known << id;
        }
    }
    dock_->setSelectedNodes(nodes, known);
}

void NarrativeCoordinator::onLineClicked(int node, quint64 msg)
{
    if (!dock_)
        return;
    // The line's message shows ringed on the canvas; where it happened gets selected,
    // unless the selection is what the list follows (then the list would change under the
    // click).
    if (overlay_ && msg && dock_->follow() != NarrativeDock::Follow::Message)
        overlay_->setFollowedMessage(msg);
    if (dock_->follow() == NarrativeDock::Follow::SelectedNodes || !controller_)
        return;
    const Scenario &s = controller_->scenario();
    if (node < 0 || std::size_t(node) >= s.nodes.size())
        return;
    window_->topologyView()->topologyScene()->selectItems({QString::fromStdString(s.nodes[std::size_t(node)].id)});
}

} // namespace ql
