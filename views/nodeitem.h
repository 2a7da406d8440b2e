// One node of the topology on the canvas: a card whose shape and colour say its kind
// (producer chevron, exchange hexagon, queue, consumer, sink), with the id as label and the
// key parameter as sub-label ("exp 1", "fanout", "cap 50", "2 servers"). The item is a
// view of a ql::Node: it never edits the scenario, it only reports where the user dragged it.
// It keeps its links following it through itemChange(), as Qt's diagramscene example does.
#pragma once

#include "scenario/scenario.h"

#include <QGraphicsItem>
#include <QList>
#include <QString>
#include <QStringList>

namespace ql {

class LinkItem;

class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    // While a link is being drawn, the node under the cursor shows whether it may be the end.
    enum class TargetState { None, Valid, Invalid };

    explicit NodeItem(const Node &node);

    int type() const override { return Type; }
    QString id() const { return id_; }
    NodeKind kind() const { return node_.kind; }
    const Node &node() const { return node_; }
    void setNode(const Node &node);

    void addLink(LinkItem *link);
    void removeLink(LinkItem *link);
    const QList<LinkItem *> &links() const { return links_; }

    // Validation errors and warnings of this node (a badge; listed in the tooltip).
    void setProblems(const QStringList &errors, const QStringList &warnings);
    const QStringList &problems() const { return problems_; }
    const QStringList &warnings() const { return warnings_; }
    void setTargetState(TargetState state);
    // Shows the output ports permanently (link tool active) rather than on hover only.
    void setShowPorts(bool show);
    // A lesson step points at this node: a glow around the card, in a colour no kind,
    // selection or problem uses, so it reads on a projector in light and dark palettes.
    void setHighlighted(bool on);
    bool isHighlighted() const { return highlighted_; }

    // The output port: a small handle on the right edge that starts a link when dragged.
    QPointF portPosition() const;
    bool isOnPort(const QPointF &itemPos) const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // Shared with the palette and the properties dock, so a kind looks the same everywhere.
    static QPainterPath bodyPath(NodeKind kind);
    static void paintGlyph(QPainter *painter, NodeKind kind, const QRectF &rect, const QColor &color);
    static void paintBadge(QPainter *painter, NodeKind kind, const QPointF &centre, qreal radius,
                           bool dark);
    static QString kindTitle(NodeKind kind);   // "Producer", ...
    static QString subLabel(const Node &node);  // "exp 1 · order.created", "cap 50", ...
    static QString distributionSummary(const Distribution &d); // "exp 1", "U[0, 2]", ...

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QString id_;
    Node node_;
    QString subLabel_;
    int idPixelSize_ = 12;
    QList<LinkItem *> links_;
    QStringList problems_;
    QStringList warnings_;
    TargetState target_ = TargetState::None;
    bool hovered_ = false;
    bool portHovered_ = false;
    bool showPorts_ = false;
    bool highlighted_ = false;
};

} // namespace ql
