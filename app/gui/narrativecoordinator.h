// Connects the event narrative to the main window: the run controller's animation frames
// feed a ql::Narrator, whose lines the Narrative dock shows; clicking a token on the canvas
// follows its message (the overlay rings it, the dock filters to it); selecting nodes on
// the canvas is what "Selected nodes" follows; clicking a line selects its node.
//
// When it narrates: only while the dock is visible, and only while the run's observer
// events come slowly enough to tell (Step always does). Above PauseRate events per wall
// second it pauses, with a note in the log and a banner saying how slow the run must be,
// and resumes below ResumeRate. It reads the events the worker already sends for the
// tokens, so narrating costs the simulation nothing, and when it is off or paused it costs
// the GUI one branch per frame. Lines are held back by the overlay's display delay, so a
// sentence appears as its token arrives rather than a moment before.
#pragma once

#include "narrativedock.h"
#include "sim/narrator.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <utility>

class QAction;

namespace ql {

class AnimationOverlay;
class MainWindow;
class RunController;
struct AnimationFrame;

class NarrativeCoordinator : public QObject
{
    Q_OBJECT
public:
    // Observer events per wall second above which the narrative pauses, and below which it
    // resumes (the hysteresis keeps it from flickering at the edge).
    static constexpr double PauseRate = 600;
    static constexpr double ResumeRate = 300;

    explicit NarrativeCoordinator(MainWindow *window);
    ~NarrativeCoordinator() override;

    NarrativeDock *dock() const { return dock_; }
    // View > Panels > Narrative ("actionShowNarrative", Ctrl+Shift+N): the dock's toggle.
    QAction *showAction() const { return showAction_; }
    const Narrator &narrator() const { return narrator_; }
    bool isPaused() const { return paused_; }

public slots:
    // Follows message `msg` on the canvas and in the dock (shows the dock).
    void followMessage(quint64 msg);
    void stopFollowing();

private:
    void onFrame(const ql::AnimationFrame &frame);
    void onReset();
    void narrate(const ql::AnimationFrame &frame);
    void release();
    void releaseAll();
    void pause(double simTime, double rate, double perSimUnit);
    void resume(double simTime);
    void onSelectionChanged();
    void onLineClicked(int node, quint64 msg);
    double wallNow() const;

    MainWindow *window_;
    QPointer<RunController> controller_;
    QPointer<AnimationOverlay> overlay_;
    QPointer<NarrativeDock> dock_;
    QAction *showAction_ = nullptr;
    Narrator narrator_;

    QElapsedTimer clock_;
    double lastFrameAt_ = -1;
    double rateCount_ = 0; // decayed events ...
    double rateWall_ = 0;  // ... over this decayed wall time ...
    double rateSpan_ = 0;  // ... and this decayed simulated time
    bool paused_ = false;
    bool missed_ = false;  // frames went by untold (hidden, paused): messages are stale
    std::deque<std::pair<double, std::uint64_t>> due_; // (wall time, lines up to this seq)
    QTimer releaseTimer_;
    bool dockPlaced_ = false; // restored from the last session's layout
    bool shownOnStep_ = false;
};

} // namespace ql
