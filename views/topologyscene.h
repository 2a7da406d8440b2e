// The scene of the topology editor: one NodeItem per node and one LinkItem per link of the
// ScenarioDocument, kept in step with it (on reset, on structural edits, on property edits
// and moves, undo and redo alike). It turns mouse gestures into requests (move these nodes,
// link these two) and emits them; the window turns requests into undo commands, so the
// scene itself never changes the scenario. Draws the background grid and snaps dragged
// nodes to it.
#pragma once

#include "scenario/diagnostic.h"

#include <QGraphicsScene>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <functional>
#include <optional>

class QGraphicsPathItem;

namespace ql {

class LinkItem;
class NodeItem;
class ScenarioDocument;

// One node dragged from `from` to `to` (from is empty for a node that had no position).
struct NodeMove
{
    QString id;
    std::optional<QPointF> from;
    QPointF to;
};

class TopologyScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit TopologyScene(ScenarioDocument *document, QObject *parent = nullptr);
    ~TopologyScene() override;

    ScenarioDocument *document() const { return document_; }

    NodeItem *nodeItem(const QString &id) const;
    LinkItem *linkItem(int index) const;
    QList<NodeItem *> nodeItems() const;
    QList<LinkItem *> linkItems() const { return links_; }
    QRectF nodesBoundingRect() const;

    QStringList selectedNodeIds() const;   // in scenario order
    QList<int> selectedLinkIndexes() const; // ascending
    void selectItems(const QStringList &nodeIds, const QList<int> &linkIndexes = {});
    void selectAllItems();

    bool snapToGrid() const { return snap_; }
    void setSnapToGrid(bool snap) { snap_ = snap; }
    bool gridVisible() const { return grid_; }
    void setGridVisible(bool visible);
    bool linkMode() const { return linkMode_; }
    void setLinkMode(bool on);

    // Problems found by validateScenario: badges on nodes, red links, listed in tooltips.
    void setDiagnostics(const Diagnostics &diagnostics);
    void setToolTipProvider(std::function<QString(const QString &nodeId)> provider);
    // The nodes a lesson step points at (NodeItem::setHighlighted); kept across rebuilds and
    // renames until set again, an empty list removes every highlight.
    void setHighlightedNodes(const QStringList &ids);
    QStringList highlightedNodes() const { return highlighted_; }

    // Whether a node moving now should snap (the user is dragging and snapping is on).
    bool isSnapping() const { return snap_ && userDrag_; }
    bool isDrawingLink() const { return linkSource_ != nullptr; }
    void notifyNodeItemMoved(NodeItem *item);

signals:
    void nodesMoved(const QList<ql::NodeMove> &moves);
    void linkRequested(const QString &from, const QString &to);
    void linkRefused(const QString &reason);
    void statusHint(const QString &text);
    // A node item's centre changed (dragged, or moved by an edit): for the run overlay.
    void nodeItemMoved(const QString &id, const QPointF &centre);
    // Emitted after the items were rebuilt or re-synced with the document.
    void itemsSynced();

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void helpEvent(QGraphicsSceneHelpEvent *event) override;

private:
    void rebuild();
    void sync();
    void onNodeChanged(const QString &id);
    void onNodeMoved(const QString &id, const QPointF &pos);
    void onLinkChanged(int index);
    void updateLinkLabelsAndOffsets();
    void applyProblems();
    void applyHighlights();
    void growSceneRect();

    NodeItem *nodeAt(const QPointF &scenePos) const;
    void startLink(NodeItem *source, const QPointF &scenePos);
    void updateLink(const QPointF &scenePos);
    void finishLink(const QPointF &scenePos);
    void cancelLink();
    QString nodeToolTip(NodeItem *item) const;
    QString linkToolTip(LinkItem *item) const;

    ScenarioDocument *document_;
    QHash<QString, NodeItem *> nodes_;
    QList<LinkItem *> links_; // parallel to Scenario::links

    bool snap_ = true;
    bool grid_ = true;
    bool linkMode_ = false;
    bool userDrag_ = false;
    bool syncing_ = false;
    QHash<QString, QPointF> pressPositions_;

    NodeItem *linkSource_ = nullptr;
    NodeItem *linkTarget_ = nullptr;
    QGraphicsPathItem *rubberLink_ = nullptr;

    Diagnostics diagnostics_;
    std::function<QString(const QString &)> toolTipProvider_;
    QStringList highlighted_;
};

} // namespace ql
