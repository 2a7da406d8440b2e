#include "animationtimeline.h"

#include "canvasmetrics.h"
#include "followtracker.h"
#include "sim/simobserver.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <utility>

namespace ql {

namespace {

constexpr double RateMemory = 0.5;     // seconds over which rates are smoothed
constexpr std::size_t MaxTokens = 50000;
constexpr std::size_t MaxTracks = 200000;
// Auto mode hysteresis, in tokens expected in flight (moves per second x travel time).
constexpr double EnterFlow = 2500;
constexpr double LeaveFlow = 1000;
constexpr std::size_t EnterFlowTokens = 3000;
// ... and in crowding of the busiest link: 1 = tokens touching each other along it (random
// arrivals bunch up, so a little more is still readable).
constexpr double TokenPitch = 14;
constexpr double EnterCrowding = 2.5;
constexpr double LeaveCrowding = 1.2;

// Smooth start and end, so a token does not jump off or slam into a node.
double ease(double u)
{
    return u * u * (3 - 2 * u);
}

} // namespace

void AnimationTimeline::setScenario(const Scenario &scenario)
{
    nodes_.clear();
    producerColour_.assign(scenario.nodes.size(), 0);
    int producers = 0;
    for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
        const ql::Node &node = scenario.nodes[i];
        Node g;
        g.kind = node.kind;
        g.servers = std::max(1, node.servers);
        g.capacity = node.capacity;
        g.dropHead = node.overflow == Overflow::DropHead;
        g.overflowDlx = node.overflow == Overflow::RejectPublishDlx;
        g.expires = node.queueTtl.has_value();
        const auto pos = scenario.layout.find(node.id);
        if (pos != scenario.layout.end())
            g.centre = QPointF(pos->second.first, pos->second.second);
        if (node.kind == NodeKind::Producer)
            producerColour_[i] = producers++ % ColourCount;
        nodes_.push_back(g);
    }
    links_.clear();
    outgoing_.assign(nodes_.size(), {});
    for (const ql::Link &link : scenario.links) {
        Link g;
        g.from = scenario.nodeIndex(link.from);
        g.to = scenario.nodeIndex(link.to);
        if (g.from >= 0 && g.to >= 0)
            outgoing_[std::size_t(g.from)].push_back({g.to, int(links_.size())});
        if (g.from >= 0 && link.role == LinkRole::DeadLetter)
            nodes_[std::size_t(g.from)].deadLetterLink = int(links_.size());
        links_.push_back(g); // kept even when dangling: frames index links by position
    }
    clear();
}

void AnimationTimeline::setNodeCentre(int node, const QPointF &centre)
{
    if (node >= 0 && std::size_t(node) < nodes_.size())
        nodes_[std::size_t(node)].centre = centre;
}

void AnimationTimeline::setLinkLine(int link, const QLineF &line)
{
    if (link >= 0 && std::size_t(link) < links_.size())
        links_[std::size_t(link)].line = line;
}

int AnimationTimeline::linkIndex(int from, int to) const
{
    if (from < 0 || std::size_t(from) >= outgoing_.size())
        return -1;
    for (const auto &[target, link] : outgoing_[std::size_t(from)])
        if (target == to)
            return link;
    return -1;
}

void AnimationTimeline::setMode(Mode mode)
{
    mode_ = mode;
    if (mode == Mode::Tokens)
        setFlow(false);
    else if (mode == Mode::Flow)
        setFlow(true);
}

void AnimationTimeline::setTokenTravelTime(double seconds)
{
    travel_ = std::clamp(seconds, 0.02, 10.0);
}

void AnimationTimeline::setFlow(bool flow)
{
    if (flow == flow_)
        return;
    flow_ = flow;
    modeChanged_ = true;
    // Tokens of the other mode would be stale; messages already on their way are forgotten
    // (the flow lines show them) and token mode starts from the next frame.
    tokens_.clear();
    tracks_.clear();
}

int AnimationTimeline::queueDepth(int node) const
{
    return node >= 0 && std::size_t(node) < depth_.size() ? depth_[std::size_t(node)] : 0;
}

int AnimationTimeline::busyServers(int node) const
{
    return node >= 0 && std::size_t(node) < busy_.size() ? busy_[std::size_t(node)] : 0;
}

int AnimationTimeline::peakDepth(int node) const
{
    return node >= 0 && std::size_t(node) < peakDepth_.size() ? peakDepth_[std::size_t(node)] : 0;
}

double AnimationTimeline::linkRate(int link) const
{
    return link >= 0 && std::size_t(link) < linkRate_.size() ? linkRate_[std::size_t(link)] : 0.0;
}

int AnimationTimeline::colourOf(quint64 msg) const
{
    const auto track = tracks_.constFind(msg);
    return track != tracks_.constEnd() ? track->colour : 0;
}

int AnimationTimeline::queueOf(quint64 msg) const
{
    const auto track = tracks_.constFind(msg);
    return track != tracks_.constEnd() ? track->queued : -1;
}

void AnimationTimeline::clear()
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
    tokens_.clear();
    visibleTokens_ = 0;
    tracks_.clear();
    flashes_.clear();
    endedFlashes_.clear();
    changedNodes_.clear();
    nodeChanged_.assign(n, 0);
    moveCount_ = moveWall_ = moveRate_ = 0;
    lastFrameAt_ = -1;
    if (mode_ == Mode::Auto)
        setFlow(false);
}

void AnimationTimeline::nodeChanged(std::size_t node)
{
    if (nodeChanged_[node])
        return;
    nodeChanged_[node] = 1;
    changedNodes_.push_back(int(node));
}

std::vector<int> AnimationTimeline::takeChangedNodes()
{
    for (int node : changedNodes_)
        nodeChanged_[std::size_t(node)] = 0;
    return std::exchange(changedNodes_, {});
}

bool AnimationTimeline::takeModeChange()
{
    return std::exchange(modeChanged_, false);
}

// What RabbitMQ dead-letters, where the node has a dead-letter link (model/sim/simulation.cpp,
// drop()): the message is re-routed there rather than lost.
bool AnimationTimeline::deadLetters(int node, DropReason reason) const
{
    const Node &g = nodes_[std::size_t(node)];
    if (g.deadLetterLink < 0)
        return false;
    switch (reason) {
    case DropReason::Expired:
    case DropReason::Rejected:
    case DropReason::DeliveryLimit:
    case DropReason::DropHead:
        return true;
    case DropReason::Overflow:
        return g.overflowDlx;
    case DropReason::Unroutable:
    case DropReason::DeadLetterCycle:
        return false;
    }
    return false;
}

void AnimationTimeline::addFlash(double start, int node, DropReason reason, int count, int holder)
{
    if (node < 0 || std::size_t(node) >= nodes_.size())
        return;
    const Node &g = nodes_[std::size_t(node)];
    // A reject or a delivery limit is reported at the queue but decided by the consumer that
    // had the message: burst there (in flow mode, where nobody knows which, at the first).
    const bool consumers = reason == DropReason::Rejected || reason == DropReason::DeliveryLimit;
    if (consumers && g.kind == NodeKind::Queue && (holder < 0 || nodes_[std::size_t(holder)].kind != NodeKind::Consumer)) {
        holder = -1;
        for (const auto &[target, link] : outgoing_[std::size_t(node)])
            if (nodes_[std::size_t(target)].kind == NodeKind::Consumer && holder < 0)
                holder = target;
    }
    QPointF pos = g.centre;
    if (consumers && holder >= 0) {
        pos = nodes_[std::size_t(holder)].centre;
        pos.ry() -= NodeSize.height() / 2;
    } else if (g.kind == NodeKind::Queue) {
        // A rejected publish bursts where the message came in; a dropped head, an expired
        // message and a dead-letter cycle where messages leave: on the edge, not the name.
        pos.rx() += (reason == DropReason::Overflow ? -1 : 1) * NodeSize.width() / 2;
    } else {
        pos.rx() += NodeSize.width() / 2; // unroutable: where it would have left the exchange
    }
    flashes_.push_back(Flash{start, pos, count, reason, deadLetters(node, reason)});
}

double AnimationTimeline::applyFrame(const AnimationFrame &f, double t)
{
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
                nodeChanged(i);
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
            // The reasons of the span, where the frame has them (the first of them), else
            // what the node's settings make likely.
            DropReason reason = nodes_[i].kind == NodeKind::Exchange ? DropReason::Unroutable
                : nodes_[i].dropHead ? DropReason::DropHead
                : nodes_[i].expires ? DropReason::Expired : DropReason::Overflow;
            if (f.dropReasons.size() == n && f.dropReasons[i] != 0)
                reason = DropReason(std::countr_zero(unsigned(f.dropReasons[i])));
            addFlash(t, int(i), reason, int(std::min<std::uint64_t>(dropsSinceFlash_[i], INT_MAX)));
            dropsSinceFlash_[i] = 0;
        }
    }
    applyChanges(t);
    return moves;
}

void AnimationTimeline::spawn(const AnimationFrame &f, double t, double window)
{
    const std::size_t n = nodes_.size();
    const double span = std::max(0.0, f.simTo - f.simFrom);
    if (std::size_t(tracks_.size()) > MaxTracks)
        tracks_.clear();
    auto valid = [n](int node) { return node >= 0 && std::size_t(node) < n; };
    const quint64 followed = follow_ ? follow_->message() : 0;

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
        if (followed && e.msg == followed)
            follow_->note(e, at, at + c.hop, shown, t);
        switch (e.kind) {
        case AnimationEvent::Published:
            if (valid(e.from))
                tracks_.insert(e.msg, Track{c.start, producerColour_[std::size_t(e.from)], -1, e.from, false});
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
                tokens_.push_back(Token{at, at + c.hop, link, std::int16_t(track->colour), track->returned, e.msg});
            ++c.done;
            track->readyAt = shown;
            track->at = e.to;
            lastInto_[std::size_t(e.to)] = *track;
            break;
        }
        case AnimationEvent::Enqueued:
            if (track == tracks_.end() || !valid(e.from))
                break;
            changes_.push_back(Change{shown, e.from, +1, 0});
            track->queued = e.from;
            // Back in its queue without a hop to it: a consumer returned it (nack with requeue).
            if (track->at != e.from)
                track->returned = true;
            track->at = e.from;
            break;
        case AnimationEvent::ServiceStarted:
        case AnimationEvent::ServiceEnded:
            if (!valid(e.from))
                break;
            changes_.push_back(Change{shown, e.from, 0, e.kind == AnimationEvent::ServiceStarted ? +1 : -1});
            break;
        case AnimationEvent::Dropped: {
            if (!valid(e.from))
                break;
            const auto reason = DropReason(e.reason);
            const bool kept = deadLetters(e.from, reason);
            if (track != tracks_.end() && track->queued == e.from) {
                changes_.push_back(Change{shown, e.from, -1, 0}); // dropped from the head
                track->queued = -1;
            }
            addFlash(shown, e.from, reason, 1, track != tracks_.end() ? track->at : -1);
            // A dead-lettered message goes on along the dead-letter link (the next event)
            // and keeps its token, marked as one that failed; anything else is gone.
            if (track != tracks_.end() && kept)
                track->returned = true;
            else if (track != tracks_.end())
                tracks_.erase(track);
            break;
        }
        case AnimationEvent::Delivered:
            if (track != tracks_.end())
                tracks_.erase(track);
            break;
        }
    }
}

void AnimationTimeline::applyChanges(double t)
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
        nodeChanged(i);
    }
    changes_.erase(due, changes_.end());
}

void AnimationTimeline::advance(double t)
{
    tokens_.erase(std::remove_if(tokens_.begin(), tokens_.end(),
                                 [t](const Token &k) { return k.end <= t; }),
                  tokens_.end());
    visibleTokens_ = int(std::count_if(tokens_.begin(), tokens_.end(), [t](const Token &k) { return k.start <= t; }));
    endedFlashes_.clear();
    flashes_.erase(std::remove_if(flashes_.begin(), flashes_.end(),
                                  [this, t](const Flash &f) {
                                      if (f.start + FlashLife > t)
                                          return false;
                                      endedFlashes_.push_back(f.pos);
                                      return true;
                                  }),
                   flashes_.end());
    applyChanges(t);
}

// --- Token geometry ------------------------------------------------------------------------

QPointF AnimationTimeline::tokenPosition(const Token &k, double t) const
{
    return links_[std::size_t(k.link)].line.pointAt(ease((t - k.start) / (k.end - k.start)));
}

quint64 AnimationTimeline::tokenAt(const QPointF &scenePos, double radius, double t) const
{
    if (flow_ || tokens_.empty())
        return 0;
    double best = radius * radius;
    quint64 found = 0;
    for (const Token &k : tokens_) {
        if (!onLink(k, t))
            continue;
        const QPointF d = tokenPosition(k, t) - scenePos;
        const double d2 = QPointF::dotProduct(d, d);
        if (d2 <= best) {
            best = d2;
            found = k.msg;
        }
    }
    return found;
}

QHash<quint64, QPointF> AnimationTimeline::tokenPositions(double t) const
{
    QHash<quint64, QPointF> out;
    if (flow_)
        return out;
    for (const Token &k : tokens_) {
        if (onLink(k, t))
            out.insert(k.msg, tokenPosition(k, t));
    }
    return out;
}

} // namespace ql
