#include "animationoverlay.h"

#include "autolayout.h"
#include "canvasmetrics.h"
#include "linkitem.h"
#include "sim/simobserver.h"

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGuiApplication>
#include <QPaintEngine>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>

namespace ql {

namespace {

constexpr double StripHeight = 12;     // the bottom strip node items leave free for us
constexpr double FlashLife = 0.7;      // seconds a drop burst lasts
constexpr double RateMemory = 0.5;     // seconds over which rates are smoothed
constexpr std::size_t MaxTokens = 50000;
constexpr std::size_t MaxTracks = 200000;
constexpr double TokenDiameter = 11;   // scene units
constexpr qint64 MaxFlowCachePixels = 8'000'000; // beyond that (deep zoom) flows draw directly
// Auto mode hysteresis, in tokens expected in flight (moves per second x travel time).
constexpr double EnterFlow = 2500;
constexpr double LeaveFlow = 1000;
constexpr std::size_t EnterFlowTokens = 3000;
// ... and in crowding of the busiest link: 1 = tokens touching each other along it (random
// arrivals bunch up, so a little more is still readable).
constexpr double TokenPitch = 14;
constexpr double EnterCrowding = 2.5;
constexpr double LeaveCrowding = 1.2;

// Token colours by producer: distinct hues that read on light and dark canvases; red is
// left out because it means "dropped".
const QColor TokenColours[] = {
    QColor(0x3b, 0x82, 0xf6), QColor(0xf5, 0x9e, 0x0b), QColor(0x10, 0xb9, 0x81),
    QColor(0xa8, 0x55, 0xf7), QColor(0x06, 0xb6, 0xd4), QColor(0xec, 0x48, 0x99),
    QColor(0x84, 0xcc, 0x16), QColor(0xf9, 0x73, 0x16),
};
constexpr int TokenColourCount = int(sizeof TokenColours / sizeof TokenColours[0]);

QColor mix(const QColor &a, const QColor &b, double f)
{
    f = std::clamp(f, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f),
                            float(a.alphaF() + (b.alphaF() - a.alphaF()) * f));
}

QString formatRate(double rate, const QString &unit)
{
    const int decimals = rate >= 100 ? 0 : rate >= 10 ? 1 : 2;
    return QString::number(rate, 'f', decimals) + QLatin1Char('/') + unit;
}

// Smooth start and end, so a token does not jump off or slam into a node.
double ease(double u)
{
    return u * u * (3 - 2 * u);
}

} // namespace

AnimationOverlay::AnimationOverlay(QGraphicsItem *parent)
    : QGraphicsObject(parent)
{
    setZValue(100);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
    setFlag(ItemIsSelectable, false);
    setFlag(ItemIsFocusable, false);
    clock_.start();
    timer_.setInterval(33); // 30 frames a second: smooth enough, and half the repaints of 60
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, &AnimationOverlay::tick);
    qRegisterMetaType<ql::AnimationFrame>();
}

AnimationOverlay::~AnimationOverlay() = default;

double AnimationOverlay::now() const
{
    return double(clock_.nsecsElapsed()) * 1e-9;
}

void AnimationOverlay::setScenario(const Scenario &given)
{
    // Nodes without a layout position get the one the editor would give them.
    Scenario placed;
    const bool complete = std::all_of(given.nodes.begin(), given.nodes.end(),
                                      [&](const Node &n) { return given.layout.count(n.id) > 0; });
    if (!complete) {
        placed = given;
        placeUnpositionedNodes(placed);
    }
    const Scenario &scenario = complete ? given : placed;
    nodes_.clear();
    index_.clear();
    producerColour_.assign(scenario.nodes.size(), 0);
    int producers = 0;
    for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
        const Node &node = scenario.nodes[i];
        NodeGeom g;
        g.id = QString::fromStdString(node.id);
        g.kind = node.kind;
        g.servers = std::max(1, node.servers);
        g.capacity = node.capacity;
        g.dropHead = node.overflow == Overflow::DropHead;
        const auto pos = scenario.layout.find(node.id);
        if (pos != scenario.layout.end())
            g.centre = QPointF(pos->second.first, pos->second.second);
        if (node.kind == NodeKind::Producer)
            producerColour_[i] = producers++ % TokenColourCount;
        index_.insert(g.id, int(i));
        nodes_.push_back(g);
    }
    links_.clear();
    outgoing_.assign(nodes_.size(), {});
    for (const Link &link : scenario.links) {
        LinkGeom g;
        g.from = scenario.nodeIndex(link.from);
        g.to = scenario.nodeIndex(link.to);
        if (g.from >= 0 && g.to >= 0)
            outgoing_[std::size_t(g.from)].push_back({g.to, int(links_.size())});
        // The editor labels some links at their middle (LinkItem); rate labels keep clear.
        const QString label = LinkItem::labelFor(scenario, link);
        if (!label.isEmpty()) {
            QFont font = QGuiApplication::font();
            font.setPixelSize(10);
            const QFontMetricsF m(font);
            g.labelSize = QSizeF(std::min<double>(m.horizontalAdvance(label) + 12, 110), m.height() + 4);
        }
        links_.push_back(g); // kept even when dangling: frames index links by position
    }
    timeUnit_ = QString::fromLatin1(timeUnitName(scenario.timeUnit));
    rebuildGeometry();
    clear();
}

void AnimationOverlay::updateNodePosition(const QString &nodeId, const QPointF &centre)
{
    const auto it = index_.constFind(nodeId);
    if (it == index_.constEnd())
        return;
    nodes_[std::size_t(*it)].centre = centre;
    rebuildGeometry();
    update();
}

void AnimationOverlay::rebuildGeometry()
{
    QRectF bounds;
    for (const NodeGeom &n : nodes_)
        bounds |= QRectF(n.centre - QPointF(NodeSize.width() / 2, NodeSize.height() / 2), NodeSize);
    // Links between one pair of nodes (a feedback loop) are drawn side by side, 16 units
    // apart, exactly as the editor's TopologyScene places them, and clipped by the same
    // clipToBox() as its LinkItems, so tokens ride on the arrows.
    std::map<std::pair<QString, QString>, std::vector<std::size_t>> pairs;
    for (std::size_t i = 0; i < links_.size(); ++i) {
        const LinkGeom &l = links_[i];
        if (l.from < 0 || l.to < 0)
            continue;
        const QString &a = nodes_[std::size_t(l.from)].id;
        const QString &b = nodes_[std::size_t(l.to)].id;
        pairs[a < b ? std::pair(a, b) : std::pair(b, a)].push_back(i);
    }
    const QRectF box(-NodeSize.width() / 2, -NodeSize.height() / 2, NodeSize.width(), NodeSize.height());
    for (const auto &[key, members] : pairs) {
        const std::size_t n = members.size();
        for (std::size_t j = 0; j < n; ++j) {
            LinkGeom &l = links_[members[j]];
            const QPointF a = nodes_[std::size_t(l.from)].centre;
            const QPointF b = nodes_[std::size_t(l.to)].centre;
            const double sign = nodes_[std::size_t(l.from)].id == key.first ? 1 : -1;
            const double offset = n > 1 ? sign * (double(j) - double(n - 1) / 2.0) * 16 : 0;
            QPointF shift;
            const QLineF centres(a, b);
            if (offset != 0 && centres.length() > 0) {
                const QLineF normal = centres.normalVector().unitVector();
                shift = QPointF(normal.dx(), normal.dy()) * offset;
            }
            l.line = QLineF(clipToBox(a + shift, b + shift, box), clipToBox(b + shift, a + shift, box));
        }
    }
    // Room for the drop bursts and the rate labels that stick out of the node boxes.
    bounds.adjust(-40, -40, 40, 40);
    ++flowVersion_;
    if (bounds != bounds_) {
        prepareGeometryChange();
        bounds_ = bounds;
    }
}

int AnimationOverlay::linkIndex(int from, int to) const
{
    if (from < 0 || std::size_t(from) >= outgoing_.size())
        return -1;
    for (const auto &[target, link] : outgoing_[std::size_t(from)])
        if (target == to)
            return link;
    return -1;
}

void AnimationOverlay::setMode(Mode mode)
{
    mode_ = mode;
    if (mode == Mode::Tokens)
        setFlow(false);
    else if (mode == Mode::Flow)
        setFlow(true);
}

void AnimationOverlay::setTokenTravelTime(double seconds)
{
    travel_ = std::clamp(seconds, 0.02, 10.0);
}

void AnimationOverlay::setFlow(bool flow)
{
    if (flow == flow_)
        return;
    flow_ = flow;
    ++flowVersion_;
    // Tokens of the other mode would be stale; messages already on their way are forgotten
    // (the flow lines show them) and token mode starts from the next frame.
    tokens_.clear();
    tracks_.clear();
    update();
    emit flowModeChanged(flow);
}

int AnimationOverlay::queueDepth(int node) const
{
    return node >= 0 && std::size_t(node) < depth_.size() ? depth_[std::size_t(node)] : 0;
}

int AnimationOverlay::busyServers(int node) const
{
    return node >= 0 && std::size_t(node) < busy_.size() ? busy_[std::size_t(node)] : 0;
}

void AnimationOverlay::clear()
{
    const std::size_t n = nodes_.size();
    depth_.assign(n, 0);
    busy_.assign(n, 0);
    truthDepth_.assign(n, 0);
    truthBusy_.assign(n, 0);
    changes_.clear();
    eventState_ = false;
    peakDepth_.assign(n, 0);
    lastFlashAt_.assign(n, -1e9);
    dropsSinceFlash_.assign(n, 0);
    lastInto_.assign(n, Track{});
    linkRate_.assign(links_.size(), 0.0);
    linkCount_.assign(links_.size(), 0.0);
    linkSpan_ = 0;
    ++flowVersion_;
    flowCache_ = QPixmap();
    tokens_.clear();
    visibleTokens_ = 0;
    tracks_.clear();
    flashes_.clear();
    moveCount_ = moveWall_ = moveRate_ = 0;
    lastFrameAt_ = -1;
    lastActivity_ = -1;
    lastFlowPaint_ = -1;
    tokensShown_ = false;
    finishedFlashes_.clear();
    followed_ = 0;
    followStops_.clear();
    shownFollowNode_ = -1;
    if (mode_ == Mode::Auto)
        setFlow(false);
    timer_.stop();
    update();
}

void AnimationOverlay::addFlash(double start, int node, std::uint8_t reason, int count)
{
    if (node < 0 || std::size_t(node) >= nodes_.size())
        return;
    const NodeGeom &g = nodes_[std::size_t(node)];
    QPointF pos = g.centre;
    // A rejected publish bursts where the message came in, a dropped head where the oldest
    // leaves, an unroutable message where it would have left the exchange: on the node's
    // edge, not over its name.
    if (g.kind == NodeKind::Queue) {
        const bool head = reason == std::uint8_t(DropReason::DropHead);
        pos.rx() += (head ? 1 : -1) * NodeSize.width() / 2;
    } else {
        pos.rx() += NodeSize.width() / 2;
    }
    flashes_.push_back(Flash{start, pos, count, reason == std::uint8_t(DropReason::Unroutable)});
}

void AnimationOverlay::applyFrame(const AnimationFrame &f)
{
    const double t = now();
    const double elapsed = lastFrameAt_ < 0 ? 0.0 : t - lastFrameAt_;
    // The frame's events are spread over the wall time since the previous frame (one frame
    // of lag, invisible), which keeps their simulated spacing instead of 30 bursts a second.
    const double window = std::clamp(elapsed, 0.0, 0.1);
    const bool lastFrameWasGap = lastFrameAt_ < 0 || elapsed > 0.1;
    lastFrameAt_ = t;
    const std::size_t n = nodes_.size();

    // Rates: counts and spans decay together, so tiny slow-motion spans do not make noise.
    const double span = std::max(0.0, f.simTo - f.simFrom);
    const double decay = std::exp(-elapsed / RateMemory);
    double moves = 0;
    if (f.linkMessages.size() == links_.size()) {
        linkSpan_ = linkSpan_ * decay + span;
        for (std::size_t i = 0; i < links_.size(); ++i) {
            linkCount_[i] = linkCount_[i] * decay + f.linkMessages[i];
            linkRate_[i] = linkSpan_ > 0 ? linkCount_[i] / linkSpan_ : 0.0;
            moves += f.linkMessages[i];
        }
    }
    // Frames come ~30 times a second; the first one after a pause has no interval of its
    // own, so it counts as one frame's worth.
    moveCount_ = moveCount_ * decay + moves;
    moveWall_ = moveWall_ * decay + (lastFrameWasGap ? 1.0 / 30 : std::max(window, 1.0 / 60));
    moveRate_ = moveCount_ / moveWall_;
    if (moves > 0 || !f.events.empty())
        lastActivity_ = t;

    if (mode_ == Mode::Auto && f.step) {
        setFlow(false); // a step is one event: always shown as tokens
    } else if (mode_ == Mode::Auto) {
        // Tokens stop saying anything once they queue up nose to tail on a link, long before
        // they cost too much to draw: switch on the busiest link's crowding as well as on the
        // total count.
        const double expected = moveRate_ * travel_;
        double crowding = 0;
        for (std::size_t i = 0; i < links_.size() && moveWall_ > 0; ++i) {
            const double length = links_[i].line.length();
            if (length > 1)
                crowding = std::max(crowding, linkCount_[i] / moveWall_ * travel_ * TokenPitch / length);
        }
        if (!flow_) {
            if ((!f.detailed && moves > 0) || expected > EnterFlow || crowding > EnterCrowding
                || std::size_t(visibleTokens_) > EnterFlowTokens)
                setFlow(true);
        } else if (f.detailed && expected < LeaveFlow && crowding < LeaveCrowding) {
            setFlow(false);
        }
    }

    // Shown depths and busy counts: in token mode with complete events they change when the
    // tokens that cause them arrive; otherwise they are the frame's own figures.
    const bool eventState = !flow_ && f.detailed;
    if (eventState && (!eventState_ || changes_.empty())) {
        // The state at this frame's start; also resynchronises whenever everything is shown.
        depth_ = truthDepth_;
        busy_ = truthBusy_;
        changes_.clear();
    }
    eventState_ = eventState;
    if (f.queueDepth.size() == n)
        truthDepth_ = f.queueDepth;
    if (f.busyServers.size() == n)
        truthBusy_ = f.busyServers;
    if (!eventState) {
        changes_.clear();
        for (std::size_t i = 0; i < n && i < truthDepth_.size() && i < truthBusy_.size(); ++i) {
            if (depth_[i] != truthDepth_[i] || busy_[i] != truthBusy_[i])
                update(stripRect(i));
            peakDepth_[i] = std::max(peakDepth_[i], truthDepth_[i]);
        }
        depth_ = truthDepth_;
        busy_ = truthBusy_;
    }

    if (!flow_) {
        spawn(f, t, window);
    } else if (f.drops.size() == n) {
        // One burst per node at a time, counting every drop since the last one.
        for (std::size_t i = 0; i < n; ++i) {
            dropsSinceFlash_[i] += f.drops[i];
            if (dropsSinceFlash_[i] == 0 || t - lastFlashAt_[i] < FlashLife)
                continue;
            lastFlashAt_[i] = t;
            const auto reason = nodes_[i].kind == NodeKind::Exchange ? DropReason::Unroutable
                : nodes_[i].dropHead ? DropReason::DropHead : DropReason::Overflow;
            addFlash(t, int(i), std::uint8_t(reason), int(std::min<std::uint64_t>(dropsSinceFlash_[i], INT_MAX)));
            dropsSinceFlash_[i] = 0;
        }
    }
    applyChanges(t);
    // Flow lines change slowly (their rates are smoothed over half a second): a few
    // repaints a second show them, the strips above follow every frame.
    if (flow_ && moves > 0 && t - lastFlowPaint_ >= 0.2) {
        lastFlowPaint_ = t;
        ++flowVersion_;
        update();
    }
    ensureTimer();
}

void AnimationOverlay::spawn(const AnimationFrame &f, double t, double window)
{
    const std::size_t n = nodes_.size();
    const double span = std::max(0.0, f.simTo - f.simFrom);
    if (std::size_t(tracks_.size()) > MaxTracks)
        tracks_.clear();
    auto valid = [n](int node) { return node >= 0 && std::size_t(node) < n; };

    // The display replays the simulation `delay_` seconds late: queue depths, busy servers
    // and drops change exactly when the simulation changed them, shifted by the delay, so
    // they stay as long as they did there. The hops a message makes at one simulated instant
    // (producer -> exchange -> queue -> consumer) are drawn one after another in the time
    // before that instant's display time, and the last one arrives at it. First pass: the
    // chains of hops per message and instant.
    struct Chain
    {
        int hops = 0;
        int done = 0;
        bool placed = false;
        double start = 0;
        double hop = 0;
    };
    std::vector<Chain> chains;
    std::vector<int> chainOf(f.events.size());
    QHash<quint64, std::pair<double, int>> current;
    for (std::size_t i = 0; i < f.events.size(); ++i) {
        const AnimationEvent &e = f.events[i];
        auto it = current.find(e.msg);
        if (it == current.end() || it->first != e.t) {
            it = current.insert(e.msg, {e.t, int(chains.size())});
            chains.push_back(Chain{});
        }
        chainOf[i] = it->second;
        if (e.kind == AnimationEvent::Moved)
            ++chains[std::size_t(it->second)].hops;
    }

    for (std::size_t i = 0; i < f.events.size(); ++i) {
        const AnimationEvent &e = f.events[i];
        Chain &c = chains[std::size_t(chainOf[i])];
        auto track = tracks_.find(e.msg);
        if (!c.placed) {
            c.placed = true;
            // A step is shown at once; a run is spread over the wall time between frames.
            const double wall = t + (span > 0 && !f.step ? (e.t - f.simFrom) / span * window : 0.0);
            c.hop = c.hops > 0 ? (f.step ? travel_ : std::min(travel_, delay_ / c.hops)) : 0.0;
            const double end = f.step ? wall + c.hops * c.hop : wall + delay_;
            c.start = end - c.hops * c.hop;
            if (track != tracks_.end()) // never leave before the last arrival was shown
                c.start = std::max(c.start, track->readyAt);
        }
        const double at = c.start + c.done * c.hop;   // when this hop starts
        const double shown = c.start + c.hops * c.hop; // when the instant shows
        if (followed_ && e.msg == followed_)
            noteFollowed(e, at, at + c.hop, shown);
        switch (e.kind) {
        case AnimationEvent::Published:
            if (valid(e.from))
                tracks_.insert(e.msg, Track{c.start, producerColour_[std::size_t(e.from)], -1});
            break;
        case AnimationEvent::Moved: {
            if (!valid(e.from) || !valid(e.to))
                break;
            if (track == tracks_.end()) { // a fanout copy: it looks like its original
                Track copy = lastInto_[std::size_t(e.from)];
                copy.queued = -1;
                track = tracks_.insert(e.msg, copy);
            }
            if (track->queued == e.from) { // leaves the queue's ready messages
                changes_.push_back(Change{shown, e.from, -1, 0});
                track->queued = -1;
            }
            const int link = linkIndex(e.from, e.to);
            if (link >= 0 && tokens_.size() < MaxTokens)
                tokens_.push_back(Token{at, at + c.hop, link, track->colour, e.msg});
            ++c.done;
            track->readyAt = shown;
            lastInto_[std::size_t(e.to)] = *track;
            break;
        }
        case AnimationEvent::Enqueued:
            if (track == tracks_.end() || !valid(e.from))
                break;
            changes_.push_back(Change{shown, e.from, +1, 0});
            track->queued = e.from;
            break;
        case AnimationEvent::ServiceStarted:
        case AnimationEvent::ServiceEnded:
            if (!valid(e.from))
                break;
            changes_.push_back(Change{shown, e.from, 0, e.kind == AnimationEvent::ServiceStarted ? +1 : -1});
            break;
        case AnimationEvent::Dropped:
            if (track != tracks_.end() && track->queued == e.from && valid(e.from))
                changes_.push_back(Change{shown, e.from, -1, 0}); // dropped from the head
            addFlash(shown, e.from, e.reason, 1);
            if (track != tracks_.end())
                tracks_.erase(track);
            break;
        case AnimationEvent::Delivered:
            if (track != tracks_.end())
                tracks_.erase(track);
            break;
        }
    }
}

void AnimationOverlay::applyChanges(double t)
{
    if (changes_.empty())
        return;
    const auto due = std::stable_partition(changes_.begin(), changes_.end(), [t](const Change &c) { return c.at > t; });
    // In time order, so a +1 and a -1 at nearly the same moment do not dip below zero; and
    // stable, so changes at the same moment keep the simulation's order (a server freed
    // and taken again at one instant must not be taken first and clamped at its count).
    std::stable_sort(due, changes_.end(), [](const Change &a, const Change &b) { return a.at < b.at; });
    for (auto it = due; it != changes_.end(); ++it) {
        const std::size_t i = std::size_t(it->node);
        if (i >= depth_.size())
            continue;
        depth_[i] = std::max(0, depth_[i] + it->depth);
        busy_[i] = std::clamp(busy_[i] + it->busy, 0, nodes_[i].servers);
        peakDepth_[i] = std::max(peakDepth_[i], depth_[i]);
        update(stripRect(i));
    }
    changes_.erase(due, changes_.end());
}

void AnimationOverlay::ensureTimer()
{
    const bool moving = !tokens_.empty() || !flashes_.empty() || !changes_.empty()
        || (followed_ && !followStops_.empty() && followStops_.back().first > now());
    if (moving && !timer_.isActive())
        timer_.start();
    else if (!moving && timer_.isActive())
        timer_.stop();
}

void AnimationOverlay::tick()
{
    const double t = now();
    tokens_.erase(std::remove_if(tokens_.begin(), tokens_.end(),
                                 [t](const Token &k) { return k.end <= t; }),
                  tokens_.end());
    visibleTokens_ = int(std::count_if(tokens_.begin(), tokens_.end(), [t](const Token &k) { return k.start <= t; }));
    // Repaint only what moves: the whole layer while tokens travel (and once more to wipe
    // the last ones), otherwise the bursts and the strips that changed. Every repaint also
    // redraws the editor's items and grid below, so this is what keeps the window light.
    if (visibleTokens_ > 0 || tokensShown_)
        update();
    tokensShown_ = visibleTokens_ > 0;
    for (const Flash &f : flashes_)
        if (f.start - 0.05 <= t)
            update(flashRect(f.pos));
    for (const QPointF &pos : finishedFlashes_)
        update(flashRect(pos));
    finishedFlashes_.clear();
    flashes_.erase(std::remove_if(flashes_.begin(), flashes_.end(),
                                  [this, t](const Flash &f) {
                                      if (f.start + FlashLife > t)
                                          return false;
                                      finishedFlashes_.push_back(f.pos);
                                      return true;
                                  }),
                   flashes_.end());
    applyChanges(t);
    if (followed_) {
        const int node = followNodeAt(t);
        if (node != shownFollowNode_) {
            shownFollowNode_ = node;
            update();
        }
    }
    ensureTimer();
}

QRectF AnimationOverlay::flashRect(const QPointF &pos)
{
    return QRectF(pos.x() - 64, pos.y() - 48, 128, 84);
}

QRectF AnimationOverlay::stripRect(std::size_t node) const
{
    const QPointF c = nodes_[node].centre;
    return QRectF(c.x() - NodeSize.width() / 2 - 2, c.y() + NodeSize.height() / 2 - StripHeight - 2,
                  NodeSize.width() + 4, StripHeight + 4);
}

QRectF AnimationOverlay::boundingRect() const
{
    return bounds_;
}

QPainterPath AnimationOverlay::shape() const
{
    return {};
}

void AnimationOverlay::refreshStyle()
{
    // The canvas' own colours (as the editor's items take them from the view), so the live
    // read-outs match the cards they sit on in light and dark palettes.
    QPalette pal = QGuiApplication::palette();
    if (scene() && !scene()->views().isEmpty())
        pal = scene()->views().constFirst()->viewport()->palette();
    else if (scene())
        pal = scene()->palette();
    if (pal.cacheKey() == paletteKey_)
        return;
    paletteKey_ = pal.cacheKey();
    const bool dark = isDarkPalette(pal);
    const CanvasColors canvas = canvasColors(pal);
    text_ = canvas.text;
    track_ = canvas.subText;
    track_.setAlphaF(dark ? 0.30f : 0.22f);
    fill_ = kindColor(NodeKind::Queue, dark);
    busyColour_ = canvas.valid;
    idleColour_ = canvas.subText;
    dropColour_ = canvas.error;
    ring_ = canvas.selection;
    gap_ = canvas.background;
    // Flow colours from quiet to busy: sky, violet, orange (no red: red means dropped).
    flowLow_ = dark ? QColor(0x38, 0xbd, 0xf8) : QColor(0x02, 0x84, 0xc7);
    flowMid_ = dark ? QColor(0xa7, 0x8b, 0xfa) : QColor(0x7c, 0x3a, 0xed);
    flowHigh_ = dark ? QColor(0xfb, 0x92, 0x3c) : QColor(0xea, 0x58, 0x0c);
    smallFont_ = QGuiApplication::font();
    smallFont_.setPixelSize(9);

    darkSprites_ = dark;
    ++flowVersion_;
    sprites_.clear(); // rebuilt at the next paint, at the size it needs
}

void AnimationOverlay::ensureSprites(int size)
{
    if (!sprites_.empty() && spriteSize_ == size)
        return;
    spriteSize_ = size;
    sprites_.clear();
    const double k = size / double(TokenDiameter); // drawn in scene units, scaled to pixels
    for (const QColor &c : TokenColours) {
        QPixmap sprite(size, size);
        sprite.fill(Qt::transparent);
        QPainter p(&sprite);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(k, k);
        const QColor colour = darkSprites_ ? c.lighter(115) : c;
        p.setPen(QPen(darkSprites_ ? colour.lighter(160) : colour.darker(160), 1.2));
        p.setBrush(colour);
        p.drawEllipse(QRectF(0.75, 0.75, TokenDiameter - 1.5, TokenDiameter - 1.5));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 110));
        p.drawEllipse(QRectF(3, 2.5, 3, 2.5));
        p.end();
        sprites_.push_back(sprite);
    }
}

void AnimationOverlay::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    refreshStyle();
    const double t = now();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    Q_UNUSED(option);
    if (flow_)
        paintFlows(painter);
    else
        paintTokens(painter, t);
    paintQueues(painter);
    paintConsumers(painter);
    paintFlashes(painter, t);
    if (followed_ && !flow_)
        paintFollowed(painter, t);
    painter->restore();
}

bool AnimationOverlay::rasterTarget(QPainter *p)
{
    return p->paintEngine() && p->paintEngine()->type() == QPaintEngine::Raster;
}

void AnimationOverlay::paintFlows(QPainter *p)
{
    // The flow lines change a few times a second but the layer is repainted far more often
    // (strips, bursts, zoom): draw them once into a device-pixel cache and blit it.
    const QTransform world = p->worldTransform();
    const double ratio = p->device() ? p->device()->devicePixelRatioF() : 1.0;
    const double zoom = world.m11();
    const bool plain = world.type() <= QTransform::TxScale && qFuzzyCompare(world.m11(), world.m22()) && zoom > 0;
    const QSize pixels = (bounds_.size() * zoom * ratio).toSize();
    if (!plain || !rasterTarget(p) || pixels.isEmpty() || qint64(pixels.width()) * pixels.height() > MaxFlowCachePixels) {
        drawFlows(p);
        return;
    }
    if (flowCache_.isNull() || flowCache_.size() != pixels || flowCacheVersion_ != flowVersion_
        || flowCacheScale_ != zoom * ratio) {
        flowCache_ = QPixmap(pixels);
        flowCache_.fill(Qt::transparent);
        QPainter cache(&flowCache_);
        cache.setRenderHint(QPainter::Antialiasing);
        cache.scale(zoom * ratio, zoom * ratio);
        cache.translate(-bounds_.topLeft());
        drawFlows(&cache);
        cache.end();
        flowCache_.setDevicePixelRatio(ratio);
        flowCacheVersion_ = flowVersion_;
        flowCacheScale_ = zoom * ratio;
    }
    const QPointF origin = world.map(bounds_.topLeft());
    p->save();
    p->resetTransform();
    p->drawPixmap(QPointF(std::round(origin.x() * ratio) / ratio, std::round(origin.y() * ratio) / ratio), flowCache_);
    p->restore();
}

void AnimationOverlay::drawFlows(QPainter *p)
{
    double maxRate = 0;
    for (double r : linkRate_)
        maxRate = std::max(maxRate, r);
    if (maxRate <= 0)
        return;
    p->setFont(smallFont_);
    const QFontMetricsF fm(smallFont_);
    for (std::size_t i = 0; i < links_.size(); ++i) {
        const LinkGeom &l = links_[i];
        const double rate = linkRate_[i];
        if (l.from < 0 || l.to < 0 || rate <= 0 || l.line.length() < 4)
            continue;
        const double share = rate / maxRate;
        const double width = 2.0 + 9.0 * std::sqrt(share);
        QColor colour = share < 0.5 ? mix(flowLow_, flowMid_, share * 2) : mix(flowMid_, flowHigh_, share * 2 - 1);
        colour.setAlphaF(0.85f);
        QPen pen(colour, width, Qt::SolidLine, Qt::FlatCap);
        p->setPen(pen);
        // Stop short of the target so the arrowhead below has its own room.
        const QLineF unit = l.line.unitVector();
        const QPointF dir = unit.p2() - unit.p1();
        const double head = std::min(width + 6, l.line.length() / 3);
        const QPointF tip = l.line.p2();
        const QPointF base = tip - dir * head;
        p->drawLine(l.line.p1(), base);
        // Dashes along the line say "traffic" at a glance; the arrowhead gives the direction.
        QColor dash = QColor(255, 255, 255, 150);
        QPen dashPen(dash, std::max(1.0, width / 3), Qt::CustomDashLine, Qt::FlatCap);
        dashPen.setDashPattern({2.0, 4.0});
        p->setPen(dashPen);
        p->drawLine(l.line.p1(), base);
        const QPointF normal(-dir.y(), dir.x());
        const QPointF arrow[3] = {tip, base + normal * (width / 2 + 4), base - normal * (width / 2 + 4)};
        p->setPen(Qt::NoPen);
        p->setBrush(colour);
        p->drawPolygon(arrow, 3);

        if (l.line.length() < 70)
            continue;
        const QString label = formatRate(rate, timeUnit_);
        const QSizeF size(fm.horizontalAdvance(label) + 8, fm.height() + 2);
        // Beside the line, clear of the editor's own label there: extents along the normal
        // of two axis-aligned boxes.
        auto extent = [&](const QSizeF &box) {
            return box.width() / 2 * std::abs(normal.x()) + box.height() / 2 * std::abs(normal.y());
        };
        const double offset = std::max(width / 2, extent(l.labelSize)) + extent(size) + 2;
        const QPointF mid = l.line.center() + normal * offset;
        const QRectF box(mid - QPointF(size.width() / 2, size.height() / 2), size);
        QColor back = text_.lightnessF() > 0.5 ? QColor(20, 20, 24, 200) : QColor(255, 255, 255, 215);
        p->setBrush(back);
        p->drawRoundedRect(box, 3, 3);
        p->setPen(text_);
        p->drawText(box, Qt::AlignCenter, label);
    }
}

void AnimationOverlay::paintTokens(QPainter *p, double t)
{
    if (tokens_.empty())
        return;
    // One drawPixmapFragments() per colour in device pixels, with sprites made at the size
    // the current zoom needs: thousands of tokens cost plain blits, not path fills or scaled
    // pixmaps.
    if (!rasterTarget(p)) { // SVG, PDF, print: vector tokens
        p->setPen(Qt::NoPen);
        for (const Token &k : tokens_) {
            if (k.start > t || k.end <= t)
                continue;
            const LinkGeom &l = links_[std::size_t(k.link)];
            p->setBrush(TokenColours[k.colour]);
            p->drawEllipse(l.line.pointAt(ease((t - k.start) / (k.end - k.start))), TokenDiameter / 2,
                           TokenDiameter / 2);
        }
        return;
    }
    const QTransform world = p->worldTransform();
    const double zoom = std::sqrt(std::abs(world.determinant()));
    const double ratio = p->device() ? p->device()->devicePixelRatioF() : 1.0;
    ensureSprites(std::clamp(int(std::lround(TokenDiameter * zoom * ratio)), 3, 96));
    thread_local std::vector<QPainter::PixmapFragment> byColour[TokenColourCount];
    for (auto &v : byColour)
        v.clear();
    const QRectF source(0, 0, spriteSize_, spriteSize_);
    const double scale = 1.0 / ratio;
    for (const Token &k : tokens_) {
        if (k.start > t || k.end <= t)
            continue;
        const LinkGeom &l = links_[std::size_t(k.link)];
        const QPointF pos = world.map(l.line.pointAt(ease((t - k.start) / (k.end - k.start))));
        byColour[k.colour].push_back(QPainter::PixmapFragment::create(pos, source, scale, scale));
    }
    p->save();
    p->resetTransform();
    for (int c = 0; c < TokenColourCount; ++c)
        if (!byColour[c].empty())
            p->drawPixmapFragments(byColour[c].data(), int(byColour[c].size()), sprites_[std::size_t(c)]);
    p->restore();
}

void AnimationOverlay::paintQueues(QPainter *p)
{
    p->setFont(smallFont_);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const NodeGeom &g = nodes_[i];
        if (g.kind != NodeKind::Queue)
            continue;
        const QRectF strip(g.centre.x() - NodeSize.width() / 2,
                           g.centre.y() + NodeSize.height() / 2 - StripHeight,
                           NodeSize.width(), StripHeight);
        const QRectF bar = strip.adjusted(8, 3.5, -42, -3.5);
        const int depth = depth_[i];
        // Unbounded queues scale to a round number above the deepest level seen this run, so
        // the bar does not jump about.
        double scale = double(g.capacity);
        if (g.capacity <= 0) {
            const double peak = std::max(10, peakDepth_[i]);
            scale = std::pow(10.0, std::ceil(std::log10(peak)));
            if (peak <= scale / 2)
                scale /= 2;
        }
        const double share = std::clamp(depth / scale, 0.0, 1.0);
        p->setPen(Qt::NoPen);
        p->setBrush(track_);
        p->drawRoundedRect(bar, 2.5, 2.5);
        if (share > 0) {
            QColor colour = fill_;
            if (g.capacity > 0 && share >= 1.0)
                colour = dropColour_;
            else if (g.capacity > 0 && share >= 0.8)
                colour = flowHigh_;
            p->setBrush(colour);
            p->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(std::max(bar.height(), bar.width() * share), bar.height())),
                               2.5, 2.5);
        }
        p->setPen(text_);
        const QString number = g.capacity > 0 && depth >= g.capacity ? QStringLiteral("%1 full").arg(depth)
                                                                      : QString::number(depth);
        p->drawText(QRectF(bar.right() + 4, strip.top(), strip.right() - bar.right() - 8, strip.height()),
                    Qt::AlignVCenter | Qt::AlignRight, number);
    }
}

void AnimationOverlay::paintConsumers(QPainter *p)
{
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const NodeGeom &g = nodes_[i];
        if (g.kind != NodeKind::Consumer)
            continue;
        const QRectF strip(g.centre.x() - NodeSize.width() / 2,
                           g.centre.y() + NodeSize.height() / 2 - StripHeight,
                           NodeSize.width(), StripHeight);
        const int busy = std::clamp(busy_[i], 0, g.servers);
        if (g.servers <= 12) {
            constexpr double dot = 7, gap = 2.5;
            const double width = g.servers * dot + (g.servers - 1) * gap;
            double x = strip.center().x() - width / 2;
            const double y = strip.center().y() - dot / 2;
            for (int s = 0; s < g.servers; ++s, x += dot + gap) {
                if (s < busy) {
                    p->setPen(Qt::NoPen);
                    p->setBrush(busyColour_);
                } else {
                    p->setPen(QPen(idleColour_, 1));
                    p->setBrush(Qt::NoBrush);
                }
                p->drawEllipse(QRectF(x, y, dot, dot));
            }
            continue;
        }
        // Many servers: a bar of busy servers and the count.
        const QRectF bar = strip.adjusted(8, 3.5, -42, -3.5);
        p->setPen(Qt::NoPen);
        p->setBrush(track_);
        p->drawRoundedRect(bar, 2.5, 2.5);
        if (busy > 0) {
            p->setBrush(busyColour_);
            p->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(std::max(bar.height(), bar.width() * busy / g.servers),
                                                            bar.height())), 2.5, 2.5);
        }
        p->setFont(smallFont_);
        p->setPen(text_);
        p->drawText(QRectF(bar.right() + 4, strip.top(), strip.right() - bar.right() - 8, strip.height()),
                    Qt::AlignVCenter | Qt::AlignRight, QStringLiteral("%1/%2").arg(busy).arg(g.servers));
    }
}

void AnimationOverlay::paintFlashes(QPainter *p, double t)
{
    for (const Flash &f : flashes_) {
        const double age = t - f.start;
        if (age < 0 || age >= FlashLife)
            continue;
        const double u = age / FlashLife;
        const double fade = 1 - u;
        const double radius = 6 + 22 * std::sqrt(u);
        QColor ring = dropColour_;
        ring.setAlphaF(float(0.9 * fade));
        p->setPen(QPen(ring, 2.5));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(f.pos, radius, radius);
        // Short rays make it a burst rather than a ripple.
        for (int k = 0; k < 8; ++k) {
            const double a = k * M_PI / 4 + (f.unroutable ? M_PI / 8 : 0);
            const QPointF d(std::cos(a), std::sin(a));
            p->drawLine(f.pos + d * (radius * 0.55), f.pos + d * (radius * 0.85));
        }
        QColor core = dropColour_;
        core.setAlphaF(float(0.85 * fade));
        p->setPen(Qt::NoPen);
        p->setBrush(core);
        p->drawEllipse(f.pos, 7 * fade + 2, 7 * fade + 2);
        if (f.count > 1 || f.unroutable) {
            p->setFont(smallFont_);
            p->setPen(ring);
            const QString text = f.unroutable ? QStringLiteral("unroutable%1").arg(f.count > 1 ? QStringLiteral(" x%1").arg(f.count) : QString())
                                              : QStringLiteral("x%1").arg(f.count);
            p->drawText(QRectF(f.pos.x() - 60, f.pos.y() - 44, 120, 12), Qt::AlignCenter, text);
        }
    }
}

// --- Picking and following ---------------------------------------------------------------

quint64 AnimationOverlay::tokenAt(const QPointF &scenePos, double radius) const
{
    if (flow_ || tokens_.empty())
        return 0;
    if (radius <= 0)
        radius = TokenDiameter / 2 + 5;
    const double t = now();
    double best = radius * radius;
    quint64 found = 0;
    for (const Token &k : tokens_) {
        if (k.start > t || k.end <= t)
            continue;
        const QPointF d = links_[std::size_t(k.link)].line.pointAt(ease((t - k.start) / (k.end - k.start))) - scenePos;
        const double d2 = QPointF::dotProduct(d, d);
        if (d2 <= best) {
            best = d2;
            found = k.msg;
        }
    }
    return found;
}

QHash<quint64, QPointF> AnimationOverlay::tokenPositions() const
{
    QHash<quint64, QPointF> out;
    if (flow_)
        return out;
    const double t = now();
    for (const Token &k : tokens_) {
        if (k.start <= t && k.end > t)
            out.insert(k.msg, links_[std::size_t(k.link)].line.pointAt(ease((t - k.start) / (k.end - k.start))));
    }
    return out;
}

void AnimationOverlay::setFollowedMessage(quint64 msg)
{
    if (msg == followed_)
        return;
    followed_ = msg;
    followStops_.clear();
    shownFollowNode_ = -1;
    if (msg) {
        // Where it is heading now: the ends of its tokens on their way, else the queue it
        // waits in, as far as the animation knows.
        for (const Token &k : tokens_)
            if (k.msg == msg)
                followStops_.push_back({k.end, links_[std::size_t(k.link)].to});
        std::sort(followStops_.begin(), followStops_.end());
        const auto track = tracks_.constFind(msg);
        if (followStops_.empty() && track != tracks_.constEnd() && track->queued >= 0)
            followStops_.push_back({now(), track->queued});
    }
    update();
    ensureTimer();
}

int AnimationOverlay::followedNode() const
{
    return followed_ ? followNodeAt(now()) : -1;
}

int AnimationOverlay::followNodeAt(double t) const
{
    for (auto it = followStops_.rbegin(); it != followStops_.rend(); ++it)
        if (it->first <= t)
            return it->second;
    return -1;
}

void AnimationOverlay::noteFollowed(const AnimationEvent &e, double start, double arrive, double shown)
{
    // Only the last stop already shown is needed to know the past: keep the list short.
    const double t = now();
    while (followStops_.size() > 1 && followStops_[1].first <= t)
        followStops_.erase(followStops_.begin());
    auto push = [this](double at, int node) {
        if (!followStops_.empty() && followStops_.back().first > at)
            at = followStops_.back().first; // never back in time
        followStops_.push_back({at, node});
    };
    switch (e.kind) {
    case AnimationEvent::Published:
        push(start, e.from);
        break;
    case AnimationEvent::Moved:
        push(start, -1); // on the link: its token carries the ring
        push(arrive, e.to);
        break;
    case AnimationEvent::Dropped:
    case AnimationEvent::Delivered:
        push(shown, -1);
        break;
    default:
        break;
    }
}

void AnimationOverlay::paintFollowed(QPainter *p, double t)
{
    const QString label = QStringLiteral("#%1").arg(followed_);
    QFont font = smallFont_;
    font.setPixelSize(10);
    font.setBold(true);
    const QFontMetricsF fm(font);
    auto tag = [&](const QPointF &anchor) { // a pill with the message number
        const QSizeF size(fm.horizontalAdvance(label) + 10, fm.height() + 2);
        const QRectF box(anchor, size);
        p->setPen(Qt::NoPen);
        p->setBrush(ring_);
        p->drawRoundedRect(box, size.height() / 2, size.height() / 2);
        p->setFont(font);
        p->setPen(Qt::white);
        p->drawText(box, Qt::AlignCenter, label);
    };
    auto ring = [&](const QPointF &pos, int colour, bool drawToken) {
        QColor halo = ring_;
        halo.setAlphaF(0.22f);
        p->setPen(Qt::NoPen);
        p->setBrush(halo);
        p->drawEllipse(pos, TokenDiameter / 2 + 8, TokenDiameter / 2 + 8);
        if (drawToken) {
            p->setBrush(TokenColours[colour]);
            p->drawEllipse(pos, TokenDiameter / 2 - 0.5, TokenDiameter / 2 - 0.5);
        }
        // A gap in the canvas colour between token and ring: the ring reads as a ring even
        // around a token of a similar hue.
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(gap_, 2));
        p->drawEllipse(pos, TokenDiameter / 2 + 1.5, TokenDiameter / 2 + 1.5);
        p->setPen(QPen(ring_, 2.5));
        p->drawEllipse(pos, TokenDiameter / 2 + 4, TokenDiameter / 2 + 4);
    };
    bool travelling = false;
    for (const Token &k : tokens_) {
        if (k.msg != followed_ || k.start > t || k.end <= t)
            continue;
        const QPointF pos = links_[std::size_t(k.link)].line.pointAt(ease((t - k.start) / (k.end - k.start)));
        ring(pos, k.colour, false);
        tag(pos + QPointF(TokenDiameter / 2 + 4, -TokenDiameter / 2 - fm.height() - 4));
        travelling = true;
    }
    if (travelling)
        return;
    const int node = followNodeAt(t);
    if (node < 0 || std::size_t(node) >= nodes_.size())
        return;
    // Resting at a node (waiting in a queue, in a consumer's buffer or service): a token on
    // the card's top edge, so the node's name and read-outs stay readable.
    const auto track = tracks_.constFind(followed_);
    const int colour = track != tracks_.constEnd() ? track->colour : 0;
    const QPointF c = nodes_[std::size_t(node)].centre;
    const QPointF pos(c.x() + NodeSize.width() / 2 - 14, c.y() - NodeSize.height() / 2);
    ring(pos, colour, true);
    tag(pos + QPointF(TokenDiameter / 2 + 5, -fm.height() / 2 - 1));
}

} // namespace ql
