// Drawing and hit-testing of a node card (see nodeitem.h).
#include "nodeitem.h"

#include "canvasmetrics.h"
#include "linkitem.h"
#include "topologyscene.h"

#include "topology/nodekinds.h"

#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QWidget>

#include <cmath>

namespace ql {

namespace {

constexpr qreal kBadgeRadius = 10;
constexpr qreal kPortRadius = 5;
constexpr qreal kGlowWidth = 12; // how far a lesson highlight reaches beyond the card
const QPointF kPortCentre{60, NodeBodyRect.center().y()};

// The lesson highlight: a highlighter-pen yellow, the one hue the canvas does not use for a
// kind, the selection, a problem or the run's flows (blue, violet, orange by load). On a
// light canvas yellow alone is faint, so its ring gets a dark edge there.
QColor highlightColor(bool dark)
{
    return dark ? QColor(0xff, 0xdd, 0x33) : QColor(0xff, 0xcc, 0x00);
}

QColor highlightEdge(bool dark)
{
    return dark ? QColor(0x00, 0x00, 0x00, 0) : QColor(0x5c, 0x47, 0x00);
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                            a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t,
                            a.alphaF() + (b.alphaF() - a.alphaF()) * t);
}

// Where each kind's badge sits and where its text may run, inside its outline.
qreal badgeX(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Exchange: return -36;
    case NodeKind::Sink: return -40;
    default: return -44;
    }
}

qreal textRight(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Producer: return 45;
    case NodeKind::Exchange: return 43;
    case NodeKind::Sink: return 48;
    default: return 54;
    }
}

// Labels use the condensed cut of the UI font where there is one: ids like "warning-writer"
// then fit the card without eliding.
QFont idFont(int pixelSize = 12)
{
    QFont f = QGuiApplication::font();
    f.setPixelSize(pixelSize);
    f.setWeight(QFont::DemiBold);
    f.setStretch(QFont::SemiCondensed);
    return f;
}

QFont subFont()
{
    QFont f = QGuiApplication::font();
    f.setPixelSize(10);
    f.setStretch(QFont::SemiCondensed);
    return f;
}

QString num(double v)
{
    return QString::number(v, 'g', 3);
}

} // namespace

NodeItem::NodeItem(const Node &node)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges | ItemIsFocusable);
    setAcceptHoverEvents(true);
    setZValue(1);
    setNode(node);
}

void NodeItem::setNode(const Node &node)
{
    node_ = node;
    id_ = QString::fromStdString(node.id);
    subLabel_ = subLabel(node);
    // A long id gets a slightly smaller font before it gets elided.
    const qreal width = textRight(node.kind) - (badgeX(node.kind) + kBadgeRadius + 6);
    idPixelSize_ = 12;
    while (idPixelSize_ > 10 && QFontMetricsF(idFont(idPixelSize_)).horizontalAdvance(id_) > width)
        --idPixelSize_;
    update();
}

void NodeItem::addLink(LinkItem *link)
{
    if (!links_.contains(link))
        links_.append(link);
}

void NodeItem::removeLink(LinkItem *link)
{
    links_.removeAll(link);
}

void NodeItem::setProblems(const QStringList &errors, const QStringList &warnings)
{
    if (errors == problems_ && warnings == warnings_)
        return;
    problems_ = errors;
    warnings_ = warnings;
    update();
}

void NodeItem::setTargetState(TargetState state)
{
    if (state == target_)
        return;
    target_ = state;
    update();
}

void NodeItem::setHighlighted(bool on)
{
    if (on == highlighted_)
        return;
    prepareGeometryChange(); // the glow reaches beyond the card
    highlighted_ = on;
    update();
}

void NodeItem::setShowPorts(bool show)
{
    if (show == showPorts_)
        return;
    showPorts_ = show;
    update();
}

QPointF NodeItem::portPosition() const
{
    return kPortCentre;
}

bool NodeItem::isOnPort(const QPointF &itemPos) const
{
    if (node_.kind == NodeKind::Sink)
        return false;
    // A little larger than drawn: a 10 px target is hard to hit at low zoom.
    return QLineF(itemPos, kPortCentre).length() <= kPortRadius + 4;
}

QRectF NodeItem::boundingRect() const
{
    const QRectF r = NodeBox.adjusted(-6, -6, 10, 2);
    return highlighted_ ? r.united(NodeBodyRect.adjusted(-kGlowWidth, -kGlowWidth, kGlowWidth, kGlowWidth)) : r;
}

QPainterPath NodeItem::shape() const
{
    QPainterPath p = bodyPath(node_.kind);
    if (node_.kind != NodeKind::Sink)
        p.addEllipse(kPortCentre, kPortRadius + 4, kPortRadius + 4);
    return p;
}

QPainterPath NodeItem::bodyPath(NodeKind kind)
{
    const QRectF r = NodeBodyRect;
    const qreal cy = r.center().y();
    QPainterPath p;
    switch (kind) {
    case NodeKind::Producer: {
        // A tag pointing downstream: messages start here.
        const qreal tip = 14;
        const qreal rad = 6;
        p.moveTo(r.left() + rad, r.top());
        p.lineTo(r.right() - tip, r.top());
        p.lineTo(r.right(), cy);
        p.lineTo(r.right() - tip, r.bottom());
        p.lineTo(r.left() + rad, r.bottom());
        p.arcTo(QRectF(r.left(), r.bottom() - 2 * rad, 2 * rad, 2 * rad), 270, -90);
        p.lineTo(r.left(), r.top() + rad);
        p.arcTo(QRectF(r.left(), r.top(), 2 * rad, 2 * rad), 180, -90);
        p.closeSubpath();
        break;
    }
    case NodeKind::Exchange: {
        // A hexagon: the router in the middle of the flow.
        const qreal inset = 14;
        QPolygonF poly;
        poly << QPointF(r.left(), cy) << QPointF(r.left() + inset, r.top())
             << QPointF(r.right() - inset, r.top()) << QPointF(r.right(), cy)
             << QPointF(r.right() - inset, r.bottom()) << QPointF(r.left() + inset, r.bottom());
        p.addPolygon(poly);
        p.closeSubpath();
        break;
    }
    case NodeKind::Queue:
        p.addRoundedRect(r, 4, 4);
        break;
    case NodeKind::Consumer:
        p.addRoundedRect(r, 12, 12);
        break;
    case NodeKind::Sink:
        p.addRoundedRect(r, r.height() / 2, r.height() / 2);
        break;
    case NodeKind::Delay:
        p.addRoundedRect(r, 8, 8);
        break;
    }
    return p;
}

void NodeItem::paintGlyph(QPainter *painter, NodeKind kind, const QRectF &rect, const QColor &color)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal w = rect.width();
    const qreal h = rect.height();
    const qreal l = rect.left();
    const qreal t = rect.top();
    const QPointF c = rect.center();
    QPen pen(color, std::max<qreal>(1.2, w * 0.12), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    switch (kind) {
    case NodeKind::Producer: {
        QPolygonF tri;
        tri << QPointF(l + 0.30 * w, t + 0.18 * h) << QPointF(l + 0.30 * w, t + 0.82 * h)
            << QPointF(l + 0.84 * w, c.y());
        painter->setPen(QPen(color, w * 0.06, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter->setBrush(color);
        painter->drawPolygon(tri);
        break;
    }
    case NodeKind::Exchange: {
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        const QPointF fork(l + 0.42 * w, c.y());
        painter->drawLine(QPointF(l + 0.10 * w, c.y()), fork);
        painter->drawLine(fork, QPointF(l + 0.86 * w, t + 0.18 * h));
        painter->drawLine(fork, QPointF(l + 0.90 * w, c.y()));
        painter->drawLine(fork, QPointF(l + 0.86 * w, t + 0.82 * h));
        break;
    }
    case NodeKind::Queue: {
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        const qreal bw = 0.15 * w;
        const qreal bh = 0.56 * h;
        for (int i = 0; i < 3; ++i)
            painter->drawRoundedRect(QRectF(l + (0.10 + 0.22 * i) * w, c.y() - bh / 2, bw, bh),
                                     bw * 0.3, bw * 0.3);
        painter->setPen(pen);
        painter->drawLine(QPointF(l + 0.86 * w, t + 0.14 * h), QPointF(l + 0.86 * w, t + 0.86 * h));
        break;
    }
    case NodeKind::Consumer: {
        // A cog: the server that does the work.
        painter->setPen(QPen(color, w * 0.11));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(c, 0.20 * w, 0.20 * h);
        painter->setPen(QPen(color, w * 0.13, Qt::SolidLine, Qt::FlatCap));
        for (int i = 0; i < 8; ++i) {
            const qreal a = i * M_PI / 4;
            const QPointF dir(std::cos(a), std::sin(a));
            painter->drawLine(c + dir * 0.27 * w, c + dir * 0.42 * w);
        }
        break;
    }
    case NodeKind::Sink: {
        painter->setPen(QPen(color, w * 0.10));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(c, 0.36 * w, 0.36 * h);
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(c, 0.17 * w, 0.17 * h);
        break;
    }
    case NodeKind::Delay: {
        // A clock: the time each message spends here.
        painter->setPen(QPen(color, w * 0.10));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(c, 0.36 * w, 0.36 * h);
        painter->setPen(QPen(color, w * 0.11, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(c, QPointF(c.x(), t + 0.26 * h));
        painter->drawLine(c, QPointF(l + 0.70 * w, c.y() + 0.08 * h));
        break;
    }
    }
    painter->restore();
}

void NodeItem::paintBadge(QPainter *painter, NodeKind kind, const QPointF &centre, qreal radius,
                          bool dark)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(kindColor(kind, dark));
    painter->drawEllipse(centre, radius, radius);
    const qreal g = radius * 1.12;
    paintGlyph(painter, kind, QRectF(centre.x() - g / 2, centre.y() - g / 2, g, g),
               dark ? QColor(0x14, 0x17, 0x1c) : Qt::white);
    painter->restore();
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    const QPalette pal = widget ? widget->palette() : QGuiApplication::palette();
    const bool dark = isDarkPalette(pal);
    const CanvasColors colors = canvasColors(pal);
    const QColor accent = kindColor(node_.kind, dark);
    const bool selected = option->state & QStyle::State_Selected;
    const QPainterPath body = bodyPath(node_.kind);

    painter->setRenderHint(QPainter::Antialiasing);

    // The lesson highlight under everything: a soft glow of widening, fading strokes.
    if (highlighted_) {
        QColor glow = highlightColor(dark);
        painter->setBrush(Qt::NoBrush);
        for (int i = 4; i >= 1; --i) {
            glow.setAlphaF((dark ? 0.22 : 0.26) * (5 - i) / 4.0);
            painter->setPen(QPen(glow, kGlowWidth * i / 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter->drawPath(body);
        }
    }

    // Soft shadow, then the selection halo, then the card.
    painter->setPen(Qt::NoPen);
    painter->setBrush(colors.shadow);
    painter->drawPath(body.translated(0, 2));
    if (selected || target_ != TargetState::None) {
        QColor halo = target_ == TargetState::Valid     ? colors.valid
                      : target_ == TargetState::Invalid ? colors.error
                                                        : colors.selection;
        halo.setAlpha(dark ? 90 : 60);
        painter->setPen(QPen(halo, 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(body);
    }
    const QColor fill = mix(colors.nodeFill, accent, dark ? 0.17 : (hovered_ ? 0.11 : 0.07));
    QColor border = accent;
    qreal borderWidth = hovered_ ? 2.0 : 1.5;
    if (selected) {
        border = colors.selection;
        borderWidth = 2.0;
    }
    if (target_ == TargetState::Valid)
        border = colors.valid;
    else if (target_ == TargetState::Invalid)
        border = colors.error;
    painter->setPen(QPen(border, borderWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(fill);
    painter->drawPath(body);
    if (highlighted_ && !selected && target_ == TargetState::None) {
        // A ring just outside the card's own border, so the kind colour stays readable.
        QTransform grow;
        grow.translate(0, NodeBodyRect.center().y());
        grow.scale(1 + 9.0 / NodeBodyRect.width(), 1 + 9.0 / NodeBodyRect.height());
        grow.translate(0, -NodeBodyRect.center().y());
        const QPainterPath ring = grow.map(body);
        painter->setBrush(Qt::NoBrush);
        if (highlightEdge(dark).alpha() > 0) {
            painter->setPen(QPen(highlightEdge(dark), 6.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter->drawPath(ring);
        }
        painter->setPen(QPen(highlightColor(dark), 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter->drawPath(ring);
    }

    const qreal cy = NodeBodyRect.center().y();
    const qreal bx = badgeX(node_.kind);
    paintBadge(painter, node_.kind, QPointF(bx, cy), kBadgeRadius, dark);

    // Labels: id (bold) over the key parameter, elided to the card.
    const qreal x0 = bx + kBadgeRadius + 6;
    const qreal width = textRight(node_.kind) - x0;
    const QFont f1 = idFont(idPixelSize_);
    const QFont f2 = subFont();
    const QFontMetricsF m1(f1), m2(f2);
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setPen(colors.text);
    painter->setFont(f1);
    if (lod < 0.35) {
        // Too small to read two lines: the id alone, centred.
        painter->drawText(QRectF(x0, cy - 10, width, 20), Qt::AlignLeft | Qt::AlignVCenter,
                          m1.elidedText(id_, Qt::ElideRight, width));
    } else {
        painter->drawText(QRectF(x0, cy - 19, width, 17), Qt::AlignLeft | Qt::AlignVCenter,
                          m1.elidedText(id_, Qt::ElideRight, width));
        painter->setFont(f2);
        painter->setPen(colors.subText);
        painter->drawText(QRectF(x0, cy - 1, width, 15), Qt::AlignLeft | Qt::AlignVCenter,
                          m2.elidedText(subLabel_, Qt::ElideRight, width));
    }

    // The output port: visible on hover, with the link tool, or while a link is drawn.
    if (node_.kind != NodeKind::Sink && (hovered_ || showPorts_)) {
        painter->setPen(QPen(accent, 1.5));
        painter->setBrush(portHovered_ ? accent : colors.nodeFill);
        painter->drawEllipse(kPortCentre, kPortRadius, kPortRadius);
    }

    if (!problems_.isEmpty() || !warnings_.isEmpty()) {
        const QPointF c(NodeBodyRect.right() - 8, NodeBodyRect.top() + 1);
        painter->setPen(QPen(colors.nodeFill, 1.5));
        painter->setBrush(problems_.isEmpty() ? colors.warning : colors.error);
        painter->drawEllipse(c, 7, 7);
        QFont f = f1;
        f.setPixelSize(11);
        f.setWeight(QFont::Bold);
        painter->setFont(f);
        painter->setPen(Qt::white);
        painter->drawText(QRectF(c.x() - 7, c.y() - 7, 14, 14), Qt::AlignCenter, QStringLiteral("!"));
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    auto *topology = qobject_cast<TopologyScene *>(scene());
    if (change == ItemPositionChange && topology && topology->isSnapping())
        return snapToGrid(value.toPointF());
    if (change == ItemPositionHasChanged) {
        for (LinkItem *link : std::as_const(links_))
            link->adjust();
        if (topology)
            topology->notifyNodeItemMoved(this);
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    hovered_ = true;
    hoverMoveEvent(event);
    update();
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    const bool onPort = isOnPort(event->pos());
    if (onPort != portHovered_) {
        portHovered_ = onPort;
        update();
    }
    setCursor(onPort ? Qt::CrossCursor : Qt::ArrowCursor);
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    hovered_ = false;
    portHovered_ = false;
    unsetCursor();
    update();
}

// --- Text -----------------------------------------------------------------------------------

QString NodeItem::kindTitle(NodeKind kind)
{
    return QObject::tr(nodeKindInfo(kind).label);
}

QString NodeItem::distributionSummary(const Distribution &d)
{
    switch (d.kind) {
    case DistKind::Deterministic: return QStringLiteral("det %1").arg(num(d.value));
    case DistKind::Exponential: return QStringLiteral("exp %1").arg(num(d.mean));
    case DistKind::Uniform: return QStringLiteral("U[%1, %2]").arg(num(d.min), num(d.max));
    case DistKind::Normal: return QStringLiteral("N(%1, %2)").arg(num(d.mean), num(d.stddev));
    case DistKind::Lognormal: return QStringLiteral("LN(%1, %2)").arg(num(d.mean), num(d.stddev));
    case DistKind::Erlang: return QStringLiteral("Erlang-%1 %2").arg(d.k).arg(num(d.mean));
    case DistKind::Gamma: return QStringLiteral("\u0393(%1, %2)").arg(num(d.shape), num(d.scale));
    case DistKind::Weibull: return QStringLiteral("Weibull(%1, %2)").arg(num(d.shape), num(d.scale));
    case DistKind::Hyperexponential:
        return QStringLiteral("H%1 %2").arg(d.probabilities.size()).arg(num(d.expectation()));
    case DistKind::Empirical:
        return QObject::tr("empirical, %n samples", nullptr, int(d.samples.size()));
    }
    return {};
}

QString NodeItem::subLabel(const Node &node)
{
    switch (node.kind) {
    case NodeKind::Producer: {
        QString s = distributionSummary(node.interarrival);
        if (!node.routingKeys.empty())
            s += QObject::tr(" \u00b7 %n keys", nullptr, int(node.routingKeys.size()));
        else if (!node.routingKey.empty())
            s += QStringLiteral(" \u00b7 ") + QString::fromStdString(node.routingKey);
        return s;
    }
    case NodeKind::Exchange:
        return QString::fromLatin1(exchangeTypeName(node.exchangeType));
    case NodeKind::Queue: {
        QString s = node.capacity > 0 ? QObject::tr("cap %1").arg(node.capacity)
                                      : QObject::tr("unbounded");
        if (node.capacity > 0 && node.overflow == Overflow::DropHead)
            s += QObject::tr(" \u00b7 drop-head");
        if (node.discipline != Discipline::Fifo)
            s += QStringLiteral(" \u00b7 ") + QString::fromLatin1(disciplineName(node.discipline));
        return s;
    }
    case NodeKind::Consumer: {
        QString s = distributionSummary(node.service);
        if (node.servers > 1)
            s = QObject::tr("%1 servers").arg(node.servers) + QStringLiteral(" \u00b7 ") + s;
        return s;
    }
    case NodeKind::Sink:
        return QObject::tr("end of the line");
    case NodeKind::Delay:
        return QObject::tr("delay %1").arg(distributionSummary(node.delay));
    }
    return {};
}

} // namespace ql
