// Keeping the canvas items in step with the document, and the mouse gestures of the editor
// (see topologyscene.h).
#include "topologyscene.h"

#include "canvasmetrics.h"
#include "linkitem.h"
#include "nodeitem.h"
#include "scenariodocument.h"

#include <QGraphicsPathItem>
#include <QGraphicsSceneHelpEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QToolTip>

#include <cmath>
#include <map>

namespace ql {

TopologyScene::TopologyScene(ScenarioDocument *document, QObject *parent)
    : QGraphicsScene(parent)
    , document_(document)
{
    setItemIndexMethod(QGraphicsScene::NoIndex); // few items, many moves
    connect(document_, &ScenarioDocument::scenarioReset, this, &TopologyScene::rebuild);
    connect(document_, &ScenarioDocument::structureChanged, this, &TopologyScene::sync);
    connect(document_, &ScenarioDocument::nodeChanged, this, &TopologyScene::onNodeChanged);
    connect(document_, &ScenarioDocument::nodeMoved, this, &TopologyScene::onNodeMoved);
    connect(document_, &ScenarioDocument::linkChanged, this, &TopologyScene::onLinkChanged);
    connect(document_, &ScenarioDocument::nodeRenamed, this,
            [this](const QString &oldId, const QString &newId) {
                // Keep the item (and its selection); sync() gives it the new id.
                if (NodeItem *item = nodes_.take(oldId))
                    nodes_.insert(newId, item);
                for (QString &h : highlighted_)
                    if (h == oldId)
                        h = newId;
            });
    rebuild();
}

TopologyScene::~TopologyScene()
{
    // Deleting selected items would announce selection changes to views half torn down.
    blockSignals(true);
    // Links first: they unregister from their nodes.
    qDeleteAll(links_);
    links_.clear();
    qDeleteAll(nodes_);
    nodes_.clear();
}

NodeItem *TopologyScene::nodeItem(const QString &id) const
{
    return nodes_.value(id);
}

LinkItem *TopologyScene::linkItem(int index) const
{
    return index >= 0 && index < links_.size() ? links_.at(index) : nullptr;
}

QList<NodeItem *> TopologyScene::nodeItems() const
{
    QList<NodeItem *> out;
    for (const Node &n : document_->scenario().nodes) {
        if (NodeItem *item = nodes_.value(QString::fromStdString(n.id)))
            out.append(item);
    }
    return out;
}

QRectF TopologyScene::nodesBoundingRect() const
{
    QRectF r;
    for (NodeItem *item : nodes_)
        r = r.united(item->sceneBoundingRect());
    return r;
}

QStringList TopologyScene::selectedNodeIds() const
{
    QStringList out;
    for (NodeItem *item : nodeItems()) {
        if (item->isSelected())
            out.append(item->id());
    }
    return out;
}

QList<int> TopologyScene::selectedLinkIndexes() const
{
    QList<int> out;
    for (LinkItem *item : links_) {
        if (item->isSelected())
            out.append(item->index());
    }
    return out;
}

void TopologyScene::selectItems(const QStringList &nodeIds, const QList<int> &linkIndexes)
{
    QSignalBlocker blocker(this);
    clearSelection();
    for (const QString &id : nodeIds) {
        if (NodeItem *item = nodes_.value(id))
            item->setSelected(true);
    }
    for (int i : linkIndexes) {
        if (LinkItem *item = linkItem(i))
            item->setSelected(true);
    }
    blocker.unblock();
    emit selectionChanged();
}

void TopologyScene::selectAllItems()
{
    QStringList ids = nodes_.keys();
    QList<int> links;
    for (int i = 0; i < links_.size(); ++i)
        links.append(i);
    selectItems(ids, links);
}

void TopologyScene::setGridVisible(bool visible)
{
    grid_ = visible;
    update();
}

void TopologyScene::setLinkMode(bool on)
{
    linkMode_ = on;
    for (NodeItem *item : std::as_const(nodes_))
        item->setShowPorts(on);
}

void TopologyScene::setToolTipProvider(std::function<QString(const QString &)> provider)
{
    toolTipProvider_ = std::move(provider);
}

void TopologyScene::setHighlightedNodes(const QStringList &ids)
{
    highlighted_ = ids;
    applyHighlights();
}

void TopologyScene::applyHighlights()
{
    for (NodeItem *item : std::as_const(nodes_))
        item->setHighlighted(highlighted_.contains(item->id()));
}

void TopologyScene::notifyNodeItemMoved(NodeItem *item)
{
    if (!syncing_)
        emit nodeItemMoved(item->id(), item->pos());
}

// --- Following the document ---------------------------------------------------------------

void TopologyScene::rebuild()
{
    cancelLink();
    {
        // Deleting a selected item emits selectionChanged(): not while the lists dangle.
        const QSignalBlocker blocker(this);
        qDeleteAll(links_);
        links_.clear();
        qDeleteAll(nodes_);
        nodes_.clear();
    }
    sync();
    emit selectionChanged();
}

void TopologyScene::sync()
{
    // Reconcile by id for nodes (keeps their selection) and by index for links. Signals wait
    // until the item lists are whole again.
    syncing_ = true;
    const QList<QGraphicsItem *> selectedBefore = selectedItems();
    blockSignals(true);
    const Scenario &s = document_->scenario();
    QHash<QString, NodeItem *> keep;
    QList<NodeItem *> added;
    for (const Node &n : s.nodes) {
        const QString id = QString::fromStdString(n.id);
        NodeItem *item = nodes_.take(id);
        if (!item) {
            item = new NodeItem(n);
            item->setShowPorts(linkMode_);
            addItem(item);
            added.append(item);
        } else {
            item->setNode(n);
        }
        const auto pos = document_->nodePosition(n.id);
        item->setPos(pos ? *pos : QPointF());
        keep.insert(id, item);
    }
    // Links referring to vanished nodes go before the nodes do.
    const QList<NodeItem *> gone = nodes_.values();
    nodes_ = keep;

    QList<LinkItem *> oldLinks = links_;
    links_.clear();
    for (int i = 0; i < static_cast<int>(s.links.size()); ++i) {
        const Link &l = s.links[static_cast<std::size_t>(i)];
        NodeItem *from = nodes_.value(QString::fromStdString(l.from));
        NodeItem *to = nodes_.value(QString::fromStdString(l.to));
        LinkItem *reuse = nullptr;
        if (i < oldLinks.size() && oldLinks[i] && oldLinks[i]->source() == from
            && oldLinks[i]->target() == to) {
            reuse = oldLinks[i];
            oldLinks[i] = nullptr;
        }
        if (!reuse && from && to) {
            reuse = new LinkItem(from, to, i);
            addItem(reuse);
        }
        if (reuse)
            reuse->setIndex(i);
        links_.append(reuse); // nullptr for a link whose ends are missing (never in a valid edit)
    }
    for (LinkItem *item : oldLinks)
        delete item;
    qDeleteAll(gone);
    links_.removeAll(nullptr);

    updateLinkLabelsAndOffsets();
    applyProblems();
    applyHighlights();
    growSceneRect();
    blockSignals(false);
    syncing_ = false;
    if (selectedItems() != selectedBefore)
        emit selectionChanged();
    for (NodeItem *item : nodes_)
        emit nodeItemMoved(item->id(), item->pos());
    emit itemsSynced();
}

void TopologyScene::onNodeChanged(const QString &id)
{
    NodeItem *item = nodes_.value(id);
    if (!item)
        return;
    if (const Node *n = document_->scenario().node(id.toStdString()))
        item->setNode(*n);
    // An exchange's type decides its links' labels.
    updateLinkLabelsAndOffsets();
}

void TopologyScene::onNodeMoved(const QString &id, const QPointF &pos)
{
    if (NodeItem *item = nodes_.value(id)) {
        if (item->pos() != pos)
            item->setPos(pos);
    }
    growSceneRect();
}

void TopologyScene::onLinkChanged(int)
{
    updateLinkLabelsAndOffsets();
}

void TopologyScene::updateLinkLabelsAndOffsets()
{
    const Scenario &s = document_->scenario();
    // Links between one pair of nodes (either direction) fan out side by side.
    std::map<std::pair<std::string, std::string>, QList<int>> pairs;
    for (int i = 0; i < links_.size(); ++i) {
        const Link &l = s.links[static_cast<std::size_t>(links_[i]->index())];
        pairs[std::minmax(l.from, l.to)].append(i);
    }
    for (const auto &[key, members] : pairs) {
        const int n = members.size();
        for (int j = 0; j < n; ++j) {
            LinkItem *item = links_[members[j]];
            const Link &l = s.links[static_cast<std::size_t>(item->index())];
            const qreal sign = l.from == key.first ? 1 : -1;
            item->setOffset(n > 1 ? sign * (j - (n - 1) / 2.0) * 16 : 0);
            item->setLabel(LinkItem::labelFor(s, l));
            item->setDeadLetter(l.role == LinkRole::DeadLetter);
        }
    }
}

void TopologyScene::setDiagnostics(const Diagnostics &diagnostics)
{
    diagnostics_ = diagnostics;
    applyProblems();
}

void TopologyScene::applyProblems()
{
    // Paths name their place: "nodes[3].service.mean", "links[2]", "layout.id".
    static const QRegularExpression re(QStringLiteral("^(nodes|links)\\[(\\d+)\\]"));
    const Scenario &s = document_->scenario();
    QHash<QString, QStringList> nodeErrors, nodeWarnings;
    QHash<int, QStringList> linkProblems;
    for (const Diagnostic &d : diagnostics_.items) {
        const QRegularExpressionMatch m = re.match(QString::fromStdString(d.path));
        if (!m.hasMatch())
            continue;
        const int index = m.captured(2).toInt();
        const QString text = QString::fromStdString(d.message);
        const bool error = d.severity == Diagnostic::Severity::Error;
        if (m.captured(1) == QLatin1String("nodes")) {
            if (index < static_cast<int>(s.nodes.size())) {
                const QString id = QString::fromStdString(s.nodes[static_cast<std::size_t>(index)].id);
                (error ? nodeErrors : nodeWarnings)[id].append(text);
            }
        } else if (error) {
            linkProblems[index].append(text);
        }
    }
    for (auto it = nodes_.cbegin(); it != nodes_.cend(); ++it)
        it.value()->setProblems(nodeErrors.value(it.key()), nodeWarnings.value(it.key()));
    for (LinkItem *item : std::as_const(links_))
        item->setProblems(linkProblems.value(item->index()));
}

void TopologyScene::growSceneRect()
{
    // A generous margin around the nodes, growing only, so scrolling never jumps.
    const QRectF wanted = nodesBoundingRect().adjusted(-1600, -1200, 1600, 1200);
    setSceneRect(sceneRect().united(wanted));
}

// --- Background -----------------------------------------------------------------------------

void TopologyScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QWidget *w = views().isEmpty() ? nullptr : views().first()->viewport();
    const CanvasColors colors = canvasColors(w ? w->palette() : QPalette());
    painter->fillRect(rect, colors.background);
    if (!grid_)
        return;
    const qreal scale = painter->worldTransform().m11();
    const bool minor = GridSize * scale >= 9;
    const qreal major = GridSize * 5;
    if (major * scale < 12)
        return;
    const qreal left = std::floor(rect.left() / GridSize) * GridSize;
    const qreal top = std::floor(rect.top() / GridSize) * GridSize;
    QVector<QPointF> minorDots, majorDots;
    for (qreal x = left; x <= rect.right(); x += GridSize) {
        const bool majorX = std::fmod(std::abs(x), major) < 0.5;
        for (qreal y = top; y <= rect.bottom(); y += GridSize) {
            const bool majorY = std::fmod(std::abs(y), major) < 0.5;
            if (majorX && majorY)
                majorDots.append(QPointF(x, y));
            else if (minor)
                minorDots.append(QPointF(x, y));
        }
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(colors.gridMinor, 1.6, Qt::SolidLine, Qt::RoundCap);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->drawPoints(minorDots.constData(), int(minorDots.size()));
    pen.setColor(colors.gridMajor);
    pen.setWidthF(2.6);
    painter->setPen(pen);
    painter->drawPoints(majorDots.constData(), int(majorDots.size()));
    painter->restore();
}

// --- Mouse: moving nodes and drawing links -----------------------------------------------

NodeItem *TopologyScene::nodeAt(const QPointF &scenePos) const
{
    for (QGraphicsItem *item : items(scenePos)) {
        if (auto *node = qgraphicsitem_cast<NodeItem *>(item))
            return node;
    }
    return nullptr;
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        NodeItem *node = nodeAt(event->scenePos());
        if (node && node->kind() != NodeKind::Sink
            && (linkMode_ || (event->modifiers() & Qt::ShiftModifier)
                || node->isOnPort(node->mapFromScene(event->scenePos())))) {
            startLink(node, event->scenePos());
            event->accept();
            return;
        }
        if (node && (linkMode_ || (event->modifiers() & Qt::ShiftModifier))) {
            emit linkRefused(tr("Sink \u201c%1\u201d is the end of the line: nothing leaves it.")
                                 .arg(node->id()));
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
    if (event->button() == Qt::LeftButton) {
        pressPositions_.clear();
        for (QGraphicsItem *item : selectedItems()) {
            if (auto *node = qgraphicsitem_cast<NodeItem *>(item))
                pressPositions_.insert(node->id(), node->pos());
        }
        userDrag_ = !pressPositions_.isEmpty() && nodeAt(event->scenePos());
    }
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (linkSource_) {
        updateLink(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (linkSource_) {
        if (event->button() == Qt::LeftButton)
            finishLink(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || !userDrag_)
        return;
    userDrag_ = false;
    QList<NodeMove> moves;
    for (auto it = pressPositions_.cbegin(); it != pressPositions_.cend(); ++it) {
        NodeItem *item = nodes_.value(it.key());
        if (item && item->pos() != it.value())
            moves.append({it.key(), document_->nodePosition(it.key().toStdString()), item->pos()});
    }
    pressPositions_.clear();
    if (!moves.isEmpty())
        emit nodesMoved(moves);
}

void TopologyScene::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && linkSource_) {
        cancelLink();
        emit statusHint(tr("Link cancelled."));
        event->accept();
        return;
    }
    QGraphicsScene::keyPressEvent(event);
}

void TopologyScene::startLink(NodeItem *source, const QPointF &scenePos)
{
    linkSource_ = source;
    linkTarget_ = nullptr;
    for (NodeItem *item : std::as_const(nodes_))
        item->setShowPorts(true);
    rubberLink_ = new QGraphicsPathItem;
    rubberLink_->setZValue(50);
    const QWidget *w = views().isEmpty() ? nullptr : views().first()->viewport();
    const CanvasColors colors = canvasColors(w ? w->palette() : QPalette());
    QPen pen(colors.selection, 2, Qt::DashLine, Qt::RoundCap);
    rubberLink_->setPen(pen);
    addItem(rubberLink_);
    updateLink(scenePos);
    emit statusHint(tr("Drag to the node that \u201c%1\u201d should send to; Esc cancels.")
                        .arg(source->id()));
}

void TopologyScene::updateLink(const QPointF &scenePos)
{
    NodeItem *target = nodeAt(scenePos);
    if (target == linkSource_)
        target = nullptr;
    if (target != linkTarget_) {
        if (linkTarget_)
            linkTarget_->setTargetState(NodeItem::TargetState::None);
        linkTarget_ = target;
        if (target) {
            const QString reason = document_->linkRefusal(linkSource_->id().toStdString(),
                                                          target->id().toStdString());
            target->setTargetState(reason.isEmpty() ? NodeItem::TargetState::Valid
                                                    : NodeItem::TargetState::Invalid);
            emit statusHint(reason.isEmpty()
                                ? tr("Release to link \u201c%1\u201d \u2192 \u201c%2\u201d.")
                                      .arg(linkSource_->id(), target->id())
                                : reason);
        } else {
            emit statusHint(tr("Drag to the node that \u201c%1\u201d should send to; Esc cancels.")
                                .arg(linkSource_->id()));
        }
    }
    const QPointF start = linkSource_->mapToScene(linkSource_->portPosition());
    QPointF end = scenePos;
    if (target)
        end = clipToBox(target->pos(), start, NodeBox);
    QPainterPath path(start);
    path.lineTo(end);
    // A small open arrow head at the cursor end.
    const QLineF l(end, start);
    if (l.length() > 12) {
        const QLineF unit = l.unitVector();
        const QPointF d(unit.dx(), unit.dy());
        const QPointF n(-d.y(), d.x());
        path.moveTo(end + d * 10 + n * 5);
        path.lineTo(end);
        path.lineTo(end + d * 10 - n * 5);
    }
    rubberLink_->setPath(path);
}

void TopologyScene::finishLink(const QPointF &scenePos)
{
    NodeItem *target = nodeAt(scenePos);
    const QString from = linkSource_->id();
    cancelLink();
    if (!target || target->id() == from) {
        emit statusHint(tr("No link drawn: release the mouse over another node."));
        return;
    }
    const QString reason = document_->linkRefusal(from.toStdString(), target->id().toStdString());
    if (!reason.isEmpty()) {
        emit linkRefused(reason);
        return;
    }
    emit linkRequested(from, target->id());
}

void TopologyScene::cancelLink()
{
    if (linkTarget_)
        linkTarget_->setTargetState(NodeItem::TargetState::None);
    linkTarget_ = nullptr;
    linkSource_ = nullptr;
    delete rubberLink_;
    rubberLink_ = nullptr;
    for (NodeItem *item : std::as_const(nodes_))
        item->setShowPorts(linkMode_);
}

// --- Tooltips -------------------------------------------------------------------------------

void TopologyScene::helpEvent(QGraphicsSceneHelpEvent *event)
{
    QString text;
    for (QGraphicsItem *item : items(event->scenePos())) {
        if (auto *node = qgraphicsitem_cast<NodeItem *>(item)) {
            if (toolTipProvider_)
                text = toolTipProvider_(node->id());
            if (text.isEmpty())
                text = nodeToolTip(node);
            break;
        }
        if (auto *link = qgraphicsitem_cast<LinkItem *>(item)) {
            text = linkToolTip(link);
            break;
        }
    }
    if (text.isEmpty()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->screenPos(), text, event->widget());
    event->accept();
}

namespace {

QString problemsHtml(const QStringList &errors, const QStringList &warnings)
{
    QString html;
    for (const QString &e : errors)
        html += QStringLiteral("<br><span style='color:#d93025'>\u2716 %1</span>").arg(e.toHtmlEscaped());
    for (const QString &w : warnings)
        html += QStringLiteral("<br><span style='color:#b06000'>\u26a0 %1</span>").arg(w.toHtmlEscaped());
    return html;
}

} // namespace

QString TopologyScene::nodeToolTip(NodeItem *item) const
{
    return QStringLiteral("<b>%1</b> <i>%2</i><br>%3%4")
        .arg(item->id().toHtmlEscaped(), NodeItem::kindTitle(item->kind()).toLower(),
             NodeItem::subLabel(item->node()).toHtmlEscaped(),
             problemsHtml(item->problems(), item->warnings()));
}

QString TopologyScene::linkToolTip(LinkItem *item) const
{
    QString text = QStringLiteral("<b>%1 \u2192 %2</b>")
                       .arg(item->source()->id().toHtmlEscaped(), item->target()->id().toHtmlEscaped());
    if (!item->label().isEmpty())
        text += QStringLiteral("<br>%1").arg(item->label().toHtmlEscaped());
    return text + problemsHtml(item->problems(), {});
}

} // namespace ql
