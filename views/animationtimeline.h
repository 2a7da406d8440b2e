// What the run overlay shows when, with no drawing in it: the frames a run sends become
// tokens scheduled on the links, queue depths and busy servers that change when the token
// causing them arrives, drop bursts with a lifetime, and message rates per link for flow
// mode; and the Auto mode's choice between tokens and flow, with hysteresis.
//
// Failures have their own look: each burst keeps its DropReason (an expiry at the head of
// its queue, a reject or a delivery limit at the consumer that had the message, an
// overflow where it came in); a message its queue dead-letters keeps its token and rides the
// dead-letter link; and a message that comes back (requeued, or dead-lettered round a retry
// loop) is marked `returned` from then on, so its token looks different.
//
// It keeps a display clock apart from the simulation clock (as OMNeT++'s Qtenv does): it
// replays the run a fixed moment (displayDelay()) late, spreading each frame's events over
// the wall time between frames, so the hops a message makes at one simulated instant
// (producer -> exchange -> queue -> consumer) can be shown one after another and still
// arrive when that instant is shown; depths, busy servers and drops change exactly then.
//
// Every call that depends on the time takes the wall time in seconds from the caller (any
// steady clock), so a test can drive it frame by frame without a timer or a window. The
// overlay (AnimationOverlay) owns one, feeds it, and repaints what it says changed.
#pragma once

#include "animationframe.h"
#include "scenario/scenario.h"
#include "sim/simobserver.h"

#include <QHash>
#include <QLineF>
#include <QPointF>

#include <cstdint>
#include <vector>

namespace ql {

class FollowTracker;

class AnimationTimeline
{
public:
    enum class Mode { Auto, Tokens, Flow };
    static constexpr int ColourCount = 8;    // token colours: producers take them in turn
    static constexpr double FlashLife = 0.7; // seconds a drop burst lasts

    struct Node
    {
        NodeKind kind = NodeKind::Queue;
        QPointF centre; // scene coordinates
        int servers = 1;
        qint64 capacity = 0;
        bool dropHead = false;
        bool overflowDlx = false;  // reject-publish-dlx: a refused message is dead-lettered
        bool expires = false;      // a queue with a message TTL
        int deadLetterLink = -1;   // the queue's dead-letter link, if any
    };
    struct Link
    {
        int from = -1, to = -1;
        QLineF line; // where tokens travel: the link as drawn, clipped to the node boxes
    };
    struct Token
    {
        double start, end; // wall times it leaves and arrives
        int link;
        std::int16_t colour;
        bool returned;     // the message came back (requeued or dead-lettered round a loop)
        std::uint64_t msg;
    };
    struct Flash
    {
        double start;
        QPointF pos;
        int count;
        DropReason reason;
        bool deadLettered; // re-routed by the node's dead-letter link, not lost
    };

    // Nodes, links, producer colours and node centres (from the scenario's layout; nodes
    // without one stay at the origin) of a new scenario, then clear(). Link lines are empty
    // until setLinkLine() gives them.
    void setScenario(const Scenario &scenario);
    void setNodeCentre(int node, const QPointF &centre);
    void setLinkLine(int link, const QLineF &line);
    // The tracker told about every event of the message it follows, as it is scheduled.
    void setFollowTracker(FollowTracker *tracker) { follow_ = tracker; }

    // Auto switches between tokens and flow by the number of tokens in flight, the event rate
    // and how crowded the busiest link is, with hysteresis (a Step always shows tokens);
    // Tokens and Flow force one.
    void setMode(Mode mode);
    Mode mode() const { return mode_; }
    bool showingFlow() const { return flow_; }
    void setTokenTravelTime(double seconds); // clamped to [0.02, 10]
    double tokenTravelTime() const { return travel_; }
    double displayDelay() const { return delay_; }

    // Takes a frame that arrived at wall time `wall`; returns the messages it moved along
    // links (0 when it carries no link counts).
    double applyFrame(const AnimationFrame &frame, double wall);
    // To wall time `wall`: drops arrived tokens and ended bursts, applies the changes due.
    void advance(double wall);
    // Back to the quiet state of a run at t = 0: no tokens, flows, depths or flashes.
    void clear();
    // Something is still to move or change: someone must keep calling advance().
    bool hasMotion() const { return !tokens_.empty() || !flashes_.empty() || !changes_.empty(); }

    // Tokens on a link as of the last advance(), and those scheduled as well.
    int tokensInFlight() const { return visibleTokens_; }
    int tokensScheduled() const { return int(tokens_.size()); }
    // As shown now (not as the simulation has it already).
    int queueDepth(int node) const;
    int busyServers(int node) const;
    int peakDepth(int node) const; // the deepest shown since clear()
    double linkRate(int link) const; // messages per simulated time unit, smoothed

    const std::vector<Node> &nodes() const { return nodes_; }
    const std::vector<Link> &links() const { return links_; }
    const std::vector<Token> &tokens() const { return tokens_; }
    const std::vector<Flash> &flashes() const { return flashes_; }
    // Where the bursts that the last advance() ended were.
    const std::vector<QPointF> &endedFlashes() const { return endedFlashes_; }
    static bool onLink(const Token &k, double wall) { return k.start <= wall && k.end > wall; }
    QPointF tokenPosition(const Token &k, double wall) const;
    // The message whose token is nearest to `scenePos` within `radius`, 0 when none; and
    // where every token on a link is. Tokens exist only in token mode.
    quint64 tokenAt(const QPointF &scenePos, double radius, double wall) const;
    QHash<quint64, QPointF> tokenPositions(double wall) const;
    // A message on its way: its token colour (0 when unknown), and the queue it waits in as
    // a ready message (-1 when none).
    int colourOf(quint64 msg) const;
    int queueOf(quint64 msg) const;

    // For repaints: the nodes whose shown depth or busy count changed, and whether the mode
    // switched between tokens and flow, since the last call.
    std::vector<int> takeChangedNodes();
    bool takeModeChange();

private:
    struct Track
    {
        double readyAt = 0; // when the message's last token arrives (or its service shows)
        int colour = 0;
        int queued = -1;    // the queue it waits in as a ready message, if any
        int at = -1;        // the node its last token went to
        bool returned = false;
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

    int linkIndex(int from, int to) const;
    void setFlow(bool flow);
    void spawn(const AnimationFrame &f, double t, double window);
    void addFlash(double start, int node, DropReason reason, int count, int holder = -1);
    bool deadLetters(int node, DropReason reason) const;
    void applyChanges(double t);
    void nodeChanged(std::size_t node);

    std::vector<Node> nodes_;
    std::vector<Link> links_;
    std::vector<std::vector<std::pair<int, int>>> outgoing_; // node -> (target, link)
    std::vector<int> producerColour_;
    FollowTracker *follow_ = nullptr;

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
    QHash<quint64, Track> tracks_;
    std::vector<Track> lastInto_;       // per node: last message that arrived (fanout copies)
    std::vector<Flash> flashes_;
    std::vector<QPointF> endedFlashes_;
    std::vector<int> changedNodes_;
    std::vector<char> nodeChanged_;     // per node: in changedNodes_ already
    bool modeChanged_ = false;

    Mode mode_ = Mode::Auto;
    bool flow_ = false;
    double travel_ = 0.3;
    double delay_ = 0.9;
    double moveCount_ = 0;    // decayed moves ...
    double moveWall_ = 0;     // ... over this decayed wall time
    double moveRate_ = 0;     // moves per wall second, smoothed
    double lastFrameAt_ = -1;
};

} // namespace ql
