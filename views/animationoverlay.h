// The live layer of a running simulation, drawn over the editor's canvas: messages as
// tokens travelling along the links, each queue's depth as a fill bar, each consumer's busy
// servers as dots, and a red burst where messages are dropped or unroutable. At high rates
// it switches to flow rendering (link thickness and colour by message rate), because
// thousands of tokens say less than one thick arrow and cost a frame each.
//
// One QGraphicsObject at z = 100 paints everything in one paint() (no item per token) and
// accepts no mouse or hover, so editing and tooltips on the items below keep working. It
// keeps its own animation clock apart from the simulation clock (as OMNeT++'s Qtenv does):
// it replays the run a fixed moment late, spreading each frame's events over the wall time
// between frames, so the hops a message makes at one simulated instant (producer ->
// exchange -> queue -> consumer) can be drawn one after another and still arrive when that
// instant is shown; depths, busy servers and drops change exactly then. Its timer runs
// only while something moves, and it repaints only what moves (the whole layer while
// tokens travel; otherwise the strips and bursts that changed, the flow lines a few times a
// second). Tokens are blitted from device-pixel sprites, flow lines from a cached pixmap.
#pragma once

#include "animationframe.h"
#include "scenario/scenario.h"

#include <QBrush>
#include <QElapsedTimer>
#include <QFont>
#include <QGraphicsObject>
#include <QHash>
#include <QPen>
#include <QPixmap>
#include <QTimer>

#include <cstdint>
#include <vector>

namespace ql {

class AnimationOverlay : public QGraphicsObject
{
    Q_OBJECT
public:
    enum { Type = UserType + 100 };
    enum class Mode { Auto, Tokens, Flow };

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
    Mode mode() const { return mode_; }
    bool showingFlow() const { return flow_; }

    // Wall-clock seconds a token takes for one link (default 0.3). Tokens are shown
    // displayDelay() seconds after their frame arrives (0.9 s), which leaves room for up to
    // three hops at one simulated instant; longer chains move faster.
    void setTokenTravelTime(double seconds);
    double tokenTravelTime() const { return travel_; }
    double displayDelay() const { return delay_; }

    // Tokens on a link right now (as of the last tick), and those scheduled as well.
    int tokensInFlight() const { return visibleTokens_; }
    int tokensScheduled() const { return int(tokens_.size()); }
    bool isAnimating() const { return timer_.isActive(); }
    int queueDepth(int node) const;
    int busyServers(int node) const;

    // Token picking for the event narrative: the message whose token is nearest to
    // `scenePos` within `radius` scene units (default: a little more than a token), 0 when
    // none; and where every token on a link is now. Tokens exist only in token mode.
    quint64 tokenAt(const QPointF &scenePos, double radius = 0) const;
    QHash<quint64, QPointF> tokenPositions() const;
    // The message drawn highlighted as it travels: a ring around its token on every link,
    // and a badge on the node where it waits or is served in between; 0 for none. clear()
    // forgets it (message numbers start again in a new run).
    void setFollowedMessage(quint64 msg);
    quint64 followedMessage() const { return followed_; }
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
    struct NodeGeom
    {
        QString id;
        NodeKind kind = NodeKind::Queue;
        QPointF centre;
        int servers = 1;
        qint64 capacity = 0;
        bool dropHead = false;
    };
    struct LinkGeom
    {
        int from = -1, to = -1;
        QLineF line; // clipped to the two node boxes
        QSizeF labelSize; // the editor's label box at the middle of the link, if any
    };
    struct Token
    {
        double start, end;
        int link;
        int colour;
        std::uint64_t msg;
    };
    struct Track
    {
        double readyAt = 0; // when the message's last token arrives (or its service shows)
        int colour = 0;
        int queued = -1;    // the queue it waits in as a ready message, if any
    };
    // A change of a shown queue depth or busy count, due when the token that causes it
    // arrives, so the bars agree with the tokens rather than running ahead of them.
    struct Change
    {
        double at;
        int node;
        int depth;
        int busy;
    };
    struct Flash
    {
        double start;
        QPointF pos;
        int count;
        bool unroutable;
    };

    double now() const;
    int linkIndex(int from, int to) const;
    void rebuildGeometry();
    void setFlow(bool flow);
    void ensureTimer();
    void refreshStyle();
    void ensureSprites(int size);
    static bool rasterTarget(QPainter *p); // pixel caches only where pixels are the output
    void paintFlows(QPainter *p);
    void drawFlows(QPainter *p);
    void paintTokens(QPainter *p, double t);
    void paintQueues(QPainter *p);
    void paintConsumers(QPainter *p);
    void paintFlashes(QPainter *p, double t);
    void paintFollowed(QPainter *p, double t);
    void noteFollowed(const AnimationEvent &e, double start, double arrive, double shown);
    int followNodeAt(double t) const;
    void addFlash(double start, int node, std::uint8_t reason, int count);
    void applyChanges(double t);
    static QRectF flashRect(const QPointF &pos);
    QRectF stripRect(std::size_t node) const;
    void spawn(const AnimationFrame &f, double t, double window);

    std::vector<NodeGeom> nodes_;
    QHash<QString, int> index_;
    std::vector<LinkGeom> links_;
    std::vector<std::vector<std::pair<int, int>>> outgoing_; // node -> (target, link)
    QString timeUnit_;
    QRectF bounds_;

    std::vector<int> depth_, busy_, peakDepth_; // as shown
    std::vector<int> truthDepth_, truthBusy_;     // at the end of the last frame
    std::vector<Change> changes_;
    bool eventState_ = false; // depth_/busy_ follow the events (token mode, detailed frames)
    std::vector<double> linkRate_;      // messages per simulated time unit, smoothed
    std::vector<double> linkCount_;     // decayed message counts per link ...
    double linkSpan_ = 0;               // ... over this decayed simulated span
    std::vector<double> lastFlashAt_;   // per node, flow mode: one burst per node at a time
    std::vector<std::uint64_t> dropsSinceFlash_;
    std::vector<Token> tokens_;
    int visibleTokens_ = 0;
    bool tokensShown_ = false;          // the last tick drew tokens: wipe them once more
    std::vector<QPointF> finishedFlashes_;
    double lastFlowPaint_ = -1;
    QHash<quint64, Track> tracks_;
    std::vector<Track> lastInto_;       // per node: last message that arrived (fanout copies)
    std::vector<Flash> flashes_;
    std::vector<int> producerColour_;
    quint64 followed_ = 0;
    std::vector<std::pair<double, int>> followStops_; // (display time, node or -1), in time order
    int shownFollowNode_ = -1;

    Mode mode_ = Mode::Auto;
    bool flow_ = false;
    double travel_ = 0.3;
    double delay_ = 0.9;
    double moveCount_ = 0;    // decayed moves ...
    double moveWall_ = 0;     // ... over this decayed wall time
    double moveRate_ = 0;     // moves per wall second, smoothed
    double lastFrameAt_ = -1;
    double lastActivity_ = -1; // wall time of the last frame with movement

    QElapsedTimer clock_;
    QTimer timer_;

    // Cached drawing resources, rebuilt when the palette changes.
    qint64 paletteKey_ = -1;
    std::vector<QPixmap> sprites_;
    int spriteSize_ = 0;      // device pixels
    QPixmap flowCache_;       // the flow lines and labels at the last zoom, device pixels
    quint64 flowVersion_ = 0; // bumped whenever what the flow lines show changes
    quint64 flowCacheVersion_ = ~quint64(0);
    double flowCacheScale_ = 0;
    bool darkSprites_ = false;
    QColor ring_, gap_;
    QColor text_, track_, fill_, busyColour_, idleColour_, dropColour_, flowLow_, flowMid_, flowHigh_;
    QFont smallFont_;
};

} // namespace ql
