// The live layer of a running simulation, drawn over the editor's canvas: messages as
// tokens travelling along the links, each queue's depth as a fill bar, each consumer's busy
// servers as dots, and a red burst where messages are dropped or unroutable. At high rates
// it switches to flow rendering (link thickness and colour by message rate), because
// thousands of tokens say less than one thick arrow and cost a frame each.
//
// One QGraphicsObject at z = 100 paints everything in one paint() (no item per token) and
// accepts no mouse or hover, so editing and tooltips on the items below keep working. It is
// the glue of three parts: an AnimationTimeline decides what is shown when (the display
// clock a fixed moment behind the run, tokens, depths, rates, the mode), a FollowTracker
// where the followed message is, and an AnimationPainter draws them. The overlay owns the
// wall clock, the node positions and link lines the editor gives, and the timer, which runs
// only while something moves; it repaints only what moves (the whole layer while tokens
// travel; otherwise the strips and bursts that changed, the flow lines a few times a second).
#pragma once

#include "animationpainter.h"
#include "animationtimeline.h"
#include "followtracker.h"
#include "scenario/scenario.h"

#include <QElapsedTimer>
#include <QGraphicsObject>
#include <QHash>
#include <QTimer>

#include <vector>

namespace ql {

class AnimationOverlay : public QGraphicsObject
{
    Q_OBJECT
public:
    enum { Type = UserType + 100 };
    using Mode = AnimationTimeline::Mode;

    explicit AnimationOverlay(QGraphicsItem *parent = nullptr);
    ~AnimationOverlay() override;

    // Takes node centres from the scenario's layout (nodes without one get the position the
    // editor's automatic layout gives them) and forgets the previous run's state.
    void setScenario(const Scenario &scenario);
    // Follows the editor: a node's item moved its centre to `centre` (scene coordinates).
    void updateNodePosition(const QString &nodeId, const QPointF &centre);

    // Auto switches between tokens and flow by the number of tokens in flight, the event rate
    // and how crowded the busiest link is, with hysteresis (a Step always shows tokens);
    // Tokens and Flow force one (the benchmark uses them).
    void setMode(Mode mode);
    Mode mode() const { return timeline_.mode(); }
    bool showingFlow() const { return timeline_.showingFlow(); }

    // Wall-clock seconds a token takes for one link (default 0.3). Tokens are shown
    // displayDelay() seconds after their frame arrives (0.9 s), which leaves room for up to
    // three hops at one simulated instant; longer chains move faster.
    void setTokenTravelTime(double seconds);
    double tokenTravelTime() const { return timeline_.tokenTravelTime(); }
    double displayDelay() const { return timeline_.displayDelay(); }

    // Tokens on a link right now (as of the last tick), and those scheduled as well.
    int tokensInFlight() const { return timeline_.tokensInFlight(); }
    int tokensScheduled() const { return timeline_.tokensScheduled(); }
    bool isAnimating() const { return timer_.isActive(); }
    int queueDepth(int node) const { return timeline_.queueDepth(node); }
    int busyServers(int node) const { return timeline_.busyServers(node); }

    // Token picking for the event narrative: the message whose token is nearest to
    // `scenePos` within `radius` scene units (default: a little more than a token), 0 when
    // none; and where every token on a link is now. Tokens exist only in token mode.
    quint64 tokenAt(const QPointF &scenePos, double radius = 0) const;
    QHash<quint64, QPointF> tokenPositions() const;
    // The message drawn highlighted as it travels: a ring around its token on every link,
    // and a badge on the node where it waits or is served in between; 0 for none. clear()
    // forgets it (message numbers start again in a new run).
    void setFollowedMessage(quint64 msg);
    quint64 followedMessage() const { return follow_.message(); }
    // The node where the followed message is shown resting now, -1 when it travels, left
    // the system or is not known yet.
    int followedNode() const;

    // Advances the animation to the current wall time: drops finished tokens and flashes
    // and schedules a repaint. The timer calls it; a benchmark may call it directly.
    void tick();

    QRectF boundingRect() const override;
    QPainterPath shape() const override; // empty: the overlay is never "under the mouse"
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    int type() const override { return Type; }

public slots:
    void applyFrame(const ql::AnimationFrame &frame);
    // Back to the quiet state of a run at t = 0 (Reset): no tokens, flows, depths or flashes.
    void clear();

signals:
    void flowModeChanged(bool flow);

private:
    double now() const;
    void rebuildGeometry();
    void refreshStyle();
    void showChanges();
    void ensureTimer();

    AnimationTimeline timeline_;
    FollowTracker follow_;
    AnimationPainter painter_{timeline_, follow_};
    std::vector<QString> ids_;
    QHash<QString, int> index_;
    QRectF bounds_;
    bool tokensShown_ = false;          // the last tick drew tokens: wipe them once more
    std::vector<QPointF> finishedFlashes_; // bursts the last tick ended: wipe them once more
    double lastFlowPaint_ = -1;

    QElapsedTimer clock_;
    QTimer timer_;
};

} // namespace ql
