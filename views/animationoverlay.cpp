#include "animationoverlay.h"

#include "autolayout.h"
#include "canvasmetrics.h"
#include "linkitem.h"

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <map>

namespace ql {

AnimationOverlay::AnimationOverlay(QGraphicsItem *parent)
    : QGraphicsObject(parent)
{
    setZValue(100);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
    setFlag(ItemIsSelectable, false);
    setFlag(ItemIsFocusable, false);
    timeline_.setFollowTracker(&follow_);
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
    timeline_.setScenario(scenario);
    painter_.setScenario(scenario);
    ids_.clear();
    index_.clear();
    for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
        ids_.push_back(QString::fromStdString(scenario.nodes[i].id));
        index_.insert(ids_.back(), int(i));
    }
    rebuildGeometry();
    clear();
}

void AnimationOverlay::updateNodePosition(const QString &nodeId, const QPointF &centre)
{
    const auto it = index_.constFind(nodeId);
    if (it == index_.constEnd())
        return;
    timeline_.setNodeCentre(*it, centre);
    rebuildGeometry();
    update();
}

void AnimationOverlay::rebuildGeometry()
{
    const std::vector<AnimationTimeline::Node> &nodes = timeline_.nodes();
    const std::vector<AnimationTimeline::Link> &links = timeline_.links();
    QRectF bounds;
    for (const AnimationTimeline::Node &n : nodes)
        bounds |= QRectF(n.centre - QPointF(NodeSize.width() / 2, NodeSize.height() / 2), NodeSize);
    // Links between one pair of nodes (a feedback loop) are drawn side by side, 16 units
    // apart, exactly as the editor's TopologyScene places them, and clipped by the same
    // clipToBox() as its LinkItems, so tokens ride on the arrows.
    std::map<std::pair<QString, QString>, std::vector<std::size_t>> pairs;
    for (std::size_t i = 0; i < links.size(); ++i) {
        const AnimationTimeline::Link &l = links[i];
        if (l.from < 0 || l.to < 0)
            continue;
        const QString &a = ids_[std::size_t(l.from)];
        const QString &b = ids_[std::size_t(l.to)];
        pairs[a < b ? std::pair(a, b) : std::pair(b, a)].push_back(i);
    }
    const QRectF box(-NodeSize.width() / 2, -NodeSize.height() / 2, NodeSize.width(), NodeSize.height());
    for (const auto &[key, members] : pairs) {
        const std::size_t n = members.size();
        for (std::size_t j = 0; j < n; ++j) {
            const AnimationTimeline::Link &l = links[members[j]];
            const QPointF a = nodes[std::size_t(l.from)].centre;
            const QPointF b = nodes[std::size_t(l.to)].centre;
            const double sign = ids_[std::size_t(l.from)] == key.first ? 1 : -1;
            const double offset = n > 1 ? sign * (double(j) - double(n - 1) / 2.0) * 16 : 0;
            QPointF shift;
            const QLineF centres(a, b);
            if (offset != 0 && centres.length() > 0) {
                const QLineF normal = centres.normalVector().unitVector();
                shift = QPointF(normal.dx(), normal.dy()) * offset;
            }
            timeline_.setLinkLine(int(members[j]),
                                  QLineF(clipToBox(a + shift, b + shift, box), clipToBox(b + shift, a + shift, box)));
        }
    }
    // Room for the drop bursts and the rate labels that stick out of the node boxes.
    bounds.adjust(-40, -40, 40, 40);
    painter_.flowsChanged();
    if (bounds != bounds_) {
        prepareGeometryChange();
        bounds_ = bounds;
    }
}

void AnimationOverlay::setMode(Mode mode)
{
    timeline_.setMode(mode);
    showChanges();
}

void AnimationOverlay::setTokenTravelTime(double seconds)
{
    timeline_.setTokenTravelTime(seconds);
}

// What the timeline says changed becomes repaints of just those parts, and the signal.
void AnimationOverlay::showChanges()
{
    for (int node : timeline_.takeChangedNodes())
        update(AnimationPainter::stripRect(timeline_.nodes()[std::size_t(node)].centre));
    if (timeline_.takeModeChange()) {
        painter_.flowsChanged();
        update();
        emit flowModeChanged(timeline_.showingFlow());
    }
}

void AnimationOverlay::clear()
{
    follow_.clear();
    timeline_.clear();
    painter_.forgetFlows();
    lastFlowPaint_ = -1;
    tokensShown_ = false;
    finishedFlashes_.clear();
    showChanges();
    timer_.stop();
    update();
}

void AnimationOverlay::applyFrame(const AnimationFrame &f)
{
    const double t = now();
    const double moves = timeline_.applyFrame(f, t);
    // Flow lines change slowly (their rates are smoothed over half a second): a few
    // repaints a second show them, the strips follow every frame.
    if (timeline_.showingFlow() && moves > 0 && t - lastFlowPaint_ >= 0.2) {
        lastFlowPaint_ = t;
        painter_.flowsChanged();
        update();
    }
    showChanges();
    ensureTimer();
}

void AnimationOverlay::ensureTimer()
{
    const bool moving = timeline_.hasMotion() || follow_.movesAfter(now());
    if (moving && !timer_.isActive())
        timer_.start();
    else if (!moving && timer_.isActive())
        timer_.stop();
}

void AnimationOverlay::tick()
{
    const double t = now();
    timeline_.advance(t);
    // Repaint only what moves: the whole layer while tokens travel (and once more to wipe
    // the last ones), otherwise the bursts and the strips that changed. Every repaint also
    // redraws the editor's items and grid below, so this is what keeps the window light.
    const bool tokens = timeline_.tokensInFlight() > 0;
    if (tokens || tokensShown_)
        update();
    tokensShown_ = tokens;
    for (const AnimationTimeline::Flash &f : timeline_.flashes())
        if (f.start - 0.05 <= t)
            update(AnimationPainter::flashRect(f.pos));
    // Ended bursts are wiped now and once more at the next tick.
    for (const QPointF &pos : finishedFlashes_)
        update(AnimationPainter::flashRect(pos));
    finishedFlashes_ = timeline_.endedFlashes();
    for (const QPointF &pos : finishedFlashes_)
        update(AnimationPainter::flashRect(pos));
    if (follow_.advance(t))
        update();
    showChanges();
    ensureTimer();
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
    painter_.setPalette(pal);
}

void AnimationOverlay::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    refreshStyle();
    painter_.paint(painter, bounds_, now());
}

// --- Picking and following ---------------------------------------------------------------

quint64 AnimationOverlay::tokenAt(const QPointF &scenePos, double radius) const
{
    if (radius <= 0)
        radius = AnimationPainter::TokenDiameter / 2 + 5;
    return timeline_.tokenAt(scenePos, radius, now());
}

QHash<quint64, QPointF> AnimationOverlay::tokenPositions() const
{
    return timeline_.tokenPositions(now());
}

void AnimationOverlay::setFollowedMessage(quint64 msg)
{
    if (msg == follow_.message())
        return;
    follow_.follow(msg, timeline_, now());
    update();
    ensureTimer();
}

int AnimationOverlay::followedNode() const
{
    return follow_.nodeAt(now());
}

} // namespace ql
