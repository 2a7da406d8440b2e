// Drawing and hit-testing of a link arrow (see linkitem.h).
#include "linkitem.h"

#include "topology/nodekinds.h"

#include "canvasmetrics.h"
#include "nodeitem.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QWidget>

#include <array>
#include <cmath>

namespace ql {

namespace {

constexpr qreal kArrowLength = 10;
constexpr qreal kArrowHalfWidth = 4.5;

QFont labelFont()
{
    QFont f = QGuiApplication::font();
    f.setPixelSize(10);
    return f;
}

QString num(double v)
{
    return QString::number(v, 'g', 3);
}

// Where the segment from `from` (inside the body of a node centred at `centre`) towards `to`
// crosses the node's outline; the body shapes are convex, so there is one crossing.
QPointF clipToBody(NodeKind kind, const QPointF &centre, const QPointF &from, const QPointF &to)
{
    // One outline per node kind (the table's count: a fixed 5 missed the delay kind).
    static const auto outlines = [] {
        std::vector<QPolygonF> polys(nodeKinds().size());
        for (int k = 0; k < int(polys.size()); ++k)
        {
            QPolygonF p = NodeItem::bodyPath(NodeKind(k)).toFillPolygon();
            if (!p.isEmpty() && p.first() != p.last())
                p.append(p.first());
            polys[std::size_t(k)] = p;
        }
        return polys;
    }();
    const QPolygonF &outline = outlines[std::size_t(kind)];
    const QLineF ray(from, to);
    for (int i = 0; i + 1 < outline.size(); ++i) {
        const QLineF edge(outline[i] + centre, outline[i + 1] + centre);
        QPointF hit;
        if (ray.intersects(edge, &hit) == QLineF::BoundedIntersection)
            return hit;
    }
    return clipToBox(from, to, NodeBodyRect.translated(centre - from));
}

} // namespace

QPointF clipToBox(const QPointF &centre, const QPointF &towards, const QRectF &box)
{
    const QPointF d = towards - centre;
    qreal t = 1;
    if (d.x() > 0)
        t = std::min(t, box.right() / d.x());
    else if (d.x() < 0)
        t = std::min(t, box.left() / d.x());
    if (d.y() > 0)
        t = std::min(t, box.bottom() / d.y());
    else if (d.y() < 0)
        t = std::min(t, box.top() / d.y());
    return centre + d * std::max<qreal>(0, t);
}

LinkItem::LinkItem(NodeItem *source, NodeItem *target, int index)
    : source_(source)
    , target_(target)
    , index_(index)
{
    setFlags(ItemIsSelectable | ItemIsFocusable);
    setAcceptHoverEvents(true);
    setZValue(0);
    source_->addLink(this);
    target_->addLink(this);
    adjust();
}

LinkItem::~LinkItem()
{
    source_->removeLink(this);
    target_->removeLink(this);
}

void LinkItem::setLabel(const QString &label)
{
    if (label == label_)
        return;
    prepareGeometryChange();
    label_ = label;
    update();
}

void LinkItem::setDeadLetter(bool deadLetter)
{
    if (deadLetter == deadLetter_)
        return;
    deadLetter_ = deadLetter;
    update();
}

void LinkItem::setOffset(qreal offset)
{
    if (offset == offset_)
        return;
    offset_ = offset;
    adjust();
}

void LinkItem::setProblems(const QStringList &problems)
{
    if (problems == problems_)
        return;
    problems_ = problems;
    update();
}

QLineF LinkItem::lineBetween(const QPointF &from, NodeKind fromKind, const QPointF &to,
                             NodeKind toKind, qreal offset)
{
    const QPointF a = from + NodeBodyRect.center();
    const QPointF b = to + NodeBodyRect.center();
    const QLineF centres(a, b);
    QPointF shift;
    if (offset != 0 && centres.length() > 0) {
        const QLineF normal = centres.normalVector().unitVector();
        shift = QPointF(normal.dx(), normal.dy()) * offset;
    }
    return QLineF(clipToBody(fromKind, from, a + shift, b + shift),
                  clipToBody(toKind, to, b + shift, a + shift));
}

void LinkItem::adjust()
{
    prepareGeometryChange();
    // Items sit at the origin; the line is in scene coordinates.
    line_ = lineBetween(source_->pos(), source_->kind(), target_->pos(), target_->kind(), offset_);
    update();
}

QRectF LinkItem::labelRect() const
{
    if (label_.isEmpty())
        return {};
    const QFontMetricsF m(labelFont());
    const qreal w = std::min<qreal>(m.horizontalAdvance(label_) + 12, 110);
    const qreal h = m.height() + 4;
    auto at = [&](qreal t) {
        const QPointF c = line_.pointAt(t);
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h);
    };
    // Two links side by side (opposite directions) would put their labels on top of each
    // other at the middle: each label sits nearer its own link's source instead. The pill
    // slides along the link from there if it would cover one of its nodes (a short link, a
    // node's label); where there is no such place it stays (drawn without its fill, see
    // paint()).
    const qreal home = offset_ != 0 ? 0.3 : 0.5;
    for (qreal shift = 0; shift <= 0.3001; shift += 0.05)
        for (const qreal t : {home - shift, home + shift})
            if (t >= 0.15 && t <= 0.85 && !labelCoversNode(at(t)))
                return at(t);
    return at(home);
}

bool LinkItem::labelCoversNode(const QRectF &rect) const
{
    for (const NodeItem *node : {source_, target_})
        if (node && node->sceneBoundingRect().adjusted(-3, -3, 3, 3).intersects(rect))
            return true;
    return false;
}

QRectF LinkItem::boundingRect() const
{
    const qreal m = kArrowLength + 4;
    QRectF r = QRectF(line_.p1(), line_.p2()).normalized().adjusted(-m, -m, m, m);
    if (!label_.isEmpty())
        r = r.united(labelRect().adjusted(-2, -2, 2, 2));
    return r;
}

QPainterPath LinkItem::shape() const
{
    QPainterPath path(line_.p1());
    path.lineTo(line_.p2());
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    QPainterPath s = stroker.createStroke(path);
    if (!label_.isEmpty())
        s.addRect(labelRect());
    return s;
}

void LinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    if (line_.length() < 1)
        return;
    const QPalette pal = widget ? widget->palette() : QGuiApplication::palette();
    const CanvasColors colors = canvasColors(pal);
    const bool selected = option->state & QStyle::State_Selected;

    QColor color = deadLetter_ ? colors.warning : colors.link;
    qreal width = hovered_ ? 2.2 : 1.6;
    if (!problems_.isEmpty())
        color = colors.error;
    if (selected) {
        color = colors.selection;
        width = 2.4;
    }
    painter->setRenderHint(QPainter::Antialiasing);

    if (selected) {
        QColor halo = colors.selection;
        halo.setAlpha(50);
        painter->setPen(QPen(halo, 8, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(line_);
    }

    // Shaft, stopping where the arrow head starts so the tip stays sharp.
    const QLineF unit = line_.unitVector();
    const QPointF dir(unit.dx(), unit.dy());
    const QPointF normal(-dir.y(), dir.x());
    const QPointF tip = line_.p2();
    const QPointF base = tip - dir * kArrowLength;
    QPen shaft(color, width, Qt::SolidLine, deadLetter_ ? Qt::FlatCap : Qt::RoundCap);
    if (deadLetter_)
        shaft.setDashPattern({4, 3}); // in pen widths: dashes that read at every zoom
    painter->setPen(shaft);
    painter->drawLine(line_.p1(), base + dir * 1.0);

    QPolygonF head;
    head << tip << base + normal * kArrowHalfWidth << base - normal * kArrowHalfWidth;
    painter->setPen(QPen(color, 1, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(color);
    painter->drawPolygon(head);

    if (!label_.isEmpty()) {
        const QRectF r = labelRect();
        painter->setPen(QPen(selected ? colors.selection : deadLetter_ ? colors.warning : colors.gridMajor, 1));
        // Opaque only where it covers nothing but the canvas: over a node it would erase
        // part of the node's label.
        painter->setBrush(labelCoversNode(r) ? QBrush(Qt::NoBrush) : QBrush(colors.linkLabelFill));
        painter->drawRoundedRect(r, r.height() / 2, r.height() / 2);
        painter->setFont(labelFont());
        painter->setPen(selected ? colors.selection : deadLetter_ ? colors.warning : colors.subText);
        const QFontMetricsF m(labelFont());
        painter->drawText(r, Qt::AlignCenter, m.elidedText(label_, Qt::ElideRight, r.width() - 8));
    }
}

void LinkItem::hoverEnterEvent(QGraphicsSceneHoverEvent *)
{
    hovered_ = true;
    update();
}

void LinkItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    hovered_ = false;
    update();
}

QString LinkItem::labelFor(const Scenario &scenario, const Link &link)
{
    const Node *from = scenario.node(link.from);
    if (!from)
        return {};
    if (link.role == LinkRole::DeadLetter)
        return QStringLiteral("DLX");
    if (link.probability)
        return QStringLiteral("p %1").arg(num(*link.probability));
    if (from->kind != NodeKind::Exchange)
        return {};
    switch (from->exchangeType) {
    case ExchangeType::Direct:
    case ExchangeType::Topic:
        return QString::fromStdString(link.bindingKey);
    case ExchangeType::Fanout:
        return {};
    case ExchangeType::Headers: {
        QStringList parts;
        for (const auto &[k, v] : link.arguments)
            parts << QString::fromStdString(k + "=" + v);
        if (parts.isEmpty())
            return {};
        const QString sep = link.match == HeadersMatch::All ? QStringLiteral(" & ")
                                                            : QStringLiteral(" | ");
        return parts.join(sep);
    }
    }
    return {};
}

} // namespace ql
