// One link of the topology on the canvas: a straight arrow from one node card to another,
// clipped to the two node boxes (the run overlay moves its tokens along the same line), with
// a small label for what the link carries: the binding key of a binding, the header match of
// a headers binding, the probability of a consumer's onward link. Two links between the same
// pair of nodes in opposite directions (a feedback loop) are drawn side by side. A
// dead-letter link (where a queue re-routes what it expires, rejects or pushes out) is
// dashed, in the warning colour, labelled "DLX".
#pragma once

#include "scenario/scenario.h"

#include <QGraphicsItem>
#include <QLineF>
#include <QStringList>

namespace ql {

class NodeItem;

class LinkItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };

    LinkItem(NodeItem *source, NodeItem *target, int index);
    ~LinkItem() override;

    int type() const override { return Type; }
    NodeItem *source() const { return source_; }
    NodeItem *target() const { return target_; }
    // Position of the link in Scenario::links.
    int index() const { return index_; }
    void setIndex(int index) { index_ = index; }

    void setLabel(const QString &label);
    QString label() const { return label_; }
    void setDeadLetter(bool deadLetter);
    bool isDeadLetter() const { return deadLetter_; }
    // Sideways shift in scene units, so two opposite links between one pair stay apart.
    void setOffset(qreal offset);
    void setProblems(const QStringList &problems);
    const QStringList &problems() const { return problems_; }

    // Recomputes the line after a node moved.
    void adjust();
    QLineF line() const { return line_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // The label a link gets in `scenario`: binding key, header match or probability; "DLX"
    // on a dead-letter link.
    static QString labelFor(const Scenario &scenario, const Link &link);

    // The arrow between two nodes centred (layout positions) at `from` and `to`: along the
    // line joining the centres of their drawn bodies (NodeBodyRect, 6 units above the
    // layout point), shifted sideways by `offset`, cut where it leaves the one outline and
    // enters the other. The run overlay uses it too, so tokens ride on the arrows.
    static QLineF lineBetween(const QPointF &from, NodeKind fromKind, const QPointF &to,
                              NodeKind toKind, qreal offset = 0);

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QRectF labelRect() const;
    bool labelCoversNode(const QRectF &rect) const;

    NodeItem *source_;
    NodeItem *target_;
    int index_;
    QString label_;
    qreal offset_ = 0;
    QLineF line_;
    QStringList problems_;
    bool hovered_ = false;
    bool deadLetter_ = false;
};

// The point where the segment from the box centre `centre` towards `towards` leaves `box`
// (box in coordinates relative to the centre).
QPointF clipToBox(const QPointF &centre, const QPointF &towards, const QRectF &box);

} // namespace ql
