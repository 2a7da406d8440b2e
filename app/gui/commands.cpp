// The editor's undo commands (see commands.h).
#include "commands.h"

#include "autolayout.h"

#include "topology/nodekinds.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <map>

namespace ql {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ql::Commands", text);
}

QString quoted(const std::string &id)
{
    return QStringLiteral("\u201c%1\u201d").arg(QString::fromStdString(id));
}

// "service.mean#12" -> "service.mean"
QString fieldOf(const QString &mergeKey)
{
    return mergeKey.section(QLatin1Char('#'), 0, 0);
}

} // namespace

// --- InsertItemsCommand ----------------------------------------------------------------

InsertItemsCommand::InsertItemsCommand(ScenarioDocument *document, std::vector<Node> nodes,
                                       std::vector<std::optional<QPointF>> positions,
                                       std::vector<Link> links, const QString &text,
                                       QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , document_(document)
    , nodes_(std::move(nodes))
    , positions_(std::move(positions))
    , links_(std::move(links))
{
    positions_.resize(nodes_.size());
}

void InsertItemsCommand::redo()
{
    const Scenario &s = document_->scenario();
    firstNode_ = int(s.nodes.size());
    firstLink_ = int(s.links.size());
    document_->beginBatch();
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        document_->insertNode(firstNode_ + int(i), nodes_[i], positions_[i]);
    for (std::size_t i = 0; i < links_.size(); ++i)
        document_->insertLink(firstLink_ + int(i), links_[i]);
    document_->endBatch();
}

void InsertItemsCommand::undo()
{
    document_->beginBatch();
    for (int i = int(links_.size()) - 1; i >= 0; --i)
        document_->removeLink(firstLink_ + i);
    for (int i = int(nodes_.size()) - 1; i >= 0; --i)
        document_->removeNode(firstNode_ + i);
    document_->endBatch();
}

QStringList InsertItemsCommand::nodeIds() const
{
    QStringList out;
    for (const Node &n : nodes_)
        out.append(QString::fromStdString(n.id));
    return out;
}

// --- RemoveItemsCommand ----------------------------------------------------------------

RemoveItemsCommand::RemoveItemsCommand(ScenarioDocument *document, const QStringList &nodeIds,
                                       const QList<int> &linkIndexes, QUndoCommand *parent)
    : QUndoCommand(parent)
    , document_(document)
{
    const Scenario &s = document->scenario();
    std::vector<bool> takeLink(s.links.size(), false);
    for (int i : linkIndexes)
        if (i >= 0 && i < int(s.links.size()))
            takeLink[std::size_t(i)] = true;
    for (int i = 0; i < int(s.nodes.size()); ++i) {
        const Node &n = s.nodes[std::size_t(i)];
        if (!nodeIds.contains(QString::fromStdString(n.id)))
            continue;
        nodes_.push_back({i, n, document->nodePosition(n.id)});
        for (int l : document->linksOf(n.id))
            takeLink[std::size_t(l)] = true;
    }
    for (std::size_t i = 0; i < takeLink.size(); ++i)
        if (takeLink[i])
            links_.push_back({int(i), s.links[i]});

    if (nodes_.size() == 1)
        setText(tr("Delete %1").arg(quoted(nodes_.front().node.id)));
    else if (nodes_.empty() && links_.size() == 1)
        setText(tr("Delete link %1 \u2192 %2")
                    .arg(quoted(links_.front().link.from), quoted(links_.front().link.to)));
    else
        setText(tr("Delete %1 items").arg(nodes_.size() + links_.size()));
}

void RemoveItemsCommand::redo()
{
    document_->beginBatch();
    for (auto it = links_.rbegin(); it != links_.rend(); ++it)
        document_->removeLink(it->index);
    for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it)
        document_->removeNode(it->index);
    document_->endBatch();
}

void RemoveItemsCommand::undo()
{
    document_->beginBatch();
    for (const RemovedNode &n : nodes_)
        document_->insertNode(n.index, n.node, n.position);
    for (const RemovedLink &l : links_)
        document_->insertLink(l.index, l.link);
    document_->endBatch();
}

// --- MoveNodesCommand ------------------------------------------------------------------

MoveNodesCommand::MoveNodesCommand(ScenarioDocument *document, const QList<NodeMove> &moves,
                                   const QString &text, bool mergeable, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , document_(document)
    , moves_(moves)
    , mergeable_(mergeable)
{
    if (text.isEmpty())
        setText(moves.size() == 1 ? tr("Move %1").arg(quoted(moves.front().id.toStdString()))
                                  : tr("Move %1 nodes").arg(moves.size()));
}

void MoveNodesCommand::redo()
{
    document_->beginBatch();
    for (const NodeMove &m : std::as_const(moves_))
        document_->setNodePosition(m.id.toStdString(), m.to);
    document_->endBatch();
}

void MoveNodesCommand::undo()
{
    document_->beginBatch();
    for (const NodeMove &m : std::as_const(moves_))
        document_->setNodePosition(m.id.toStdString(), m.from);
    document_->endBatch();
}

bool MoveNodesCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const MoveNodesCommand *>(other);
    if (!o->mergeable_ || o->moves_.size() != moves_.size())
        return false;
    for (int i = 0; i < moves_.size(); ++i)
        if (moves_[i].id != o->moves_[i].id)
            return false;
    for (int i = 0; i < moves_.size(); ++i)
        moves_[i].to = o->moves_[i].to;
    return true;
}

// --- EditNodeCommand -------------------------------------------------------------------

EditNodeCommand::EditNodeCommand(ScenarioDocument *document, int index, const Node &after,
                                 const QString &mergeKey, QUndoCommand *parent)
    : QUndoCommand(parent)
    , document_(document)
    , index_(index)
    , before_(document->scenario().nodes[std::size_t(index)])
    , after_(after)
    , mergeKey_(mergeKey)
{
    const QString field = fieldOf(mergeKey);
    setText(field.isEmpty() ? tr("Edit %1").arg(quoted(after.id))
                            : tr("Change %1 of %2").arg(field, quoted(after.id)));
}

void EditNodeCommand::redo()
{
    document_->setNode(index_, after_);
}

void EditNodeCommand::undo()
{
    document_->setNode(index_, before_);
}

bool EditNodeCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const EditNodeCommand *>(other);
    if (mergeKey_.isEmpty() || o->mergeKey_ != mergeKey_ || o->index_ != index_)
        return false;
    after_ = o->after_;
    setObsolete(after_ == before_);
    return true;
}

// --- RenameNodeCommand -----------------------------------------------------------------

RenameNodeCommand::RenameNodeCommand(ScenarioDocument *document, const QString &oldId,
                                     const QString &newId, QUndoCommand *parent)
    : QUndoCommand(parent)
    , document_(document)
    , oldId_(oldId.toStdString())
    , newId_(newId.toStdString())
{
    setText(tr("Rename %1 to %2").arg(quoted(oldId_), quoted(newId_)));
}

void RenameNodeCommand::redo()
{
    document_->renameNode(oldId_, newId_);
}

void RenameNodeCommand::undo()
{
    document_->renameNode(newId_, oldId_);
}

// --- EditLinkCommand -------------------------------------------------------------------

EditLinkCommand::EditLinkCommand(ScenarioDocument *document, int index, const Link &after,
                                 const QString &mergeKey, QUndoCommand *parent)
    : QUndoCommand(parent)
    , document_(document)
    , index_(index)
    , before_(document->scenario().links[std::size_t(index)])
    , after_(after)
    , mergeKey_(mergeKey)
{
    const QString field = fieldOf(mergeKey);
    setText(tr("Change %1 of %2 \u2192 %3")
                .arg(field.isEmpty() ? tr("link") : field, quoted(after.from), quoted(after.to)));
}

void EditLinkCommand::redo()
{
    document_->setLink(index_, after_);
}

void EditLinkCommand::undo()
{
    document_->setLink(index_, before_);
}

bool EditLinkCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const EditLinkCommand *>(other);
    if (mergeKey_.isEmpty() || o->mergeKey_ != mergeKey_ || o->index_ != index_)
        return false;
    after_ = o->after_;
    setObsolete(after_ == before_);
    return true;
}

// --- EditHeaderCommand -----------------------------------------------------------------

EditHeaderCommand::EditHeaderCommand(ScenarioDocument *document, const ScenarioHeader &after,
                                     const QString &mergeKey, QUndoCommand *parent)
    : QUndoCommand(parent)
    , document_(document)
    , before_(document->header())
    , after_(after)
    , mergeKey_(mergeKey)
{
    const QString field = fieldOf(mergeKey);
    setText(field.isEmpty() ? tr("Edit scenario settings") : tr("Change %1").arg(field));
}

void EditHeaderCommand::redo()
{
    document_->setHeader(after_);
}

void EditHeaderCommand::undo()
{
    document_->setHeader(before_);
}

bool EditHeaderCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const EditHeaderCommand *>(other);
    if (mergeKey_.isEmpty() || o->mergeKey_ != mergeKey_)
        return false;
    after_ = o->after_;
    setObsolete(after_ == before_);
    return true;
}

// --- Builders --------------------------------------------------------------------------

QUndoCommand *makeAddLinkCommand(ScenarioDocument *document, const QString &from, const QString &to)
{
    const Scenario &s = document->scenario();
    Link link;
    link.from = from.toStdString();
    link.to = to.toStdString();
    auto *command = new QUndoCommand(
        QCoreApplication::translate("ql::Commands", "Link %1 \u2192 %2").arg(quoted(link.from), quoted(link.to)));

    const Node *source = s.node(link.from);
    if (source && nodeKindInfo(source->kind).outDegree == OutDegree::Probabilities) {
        std::vector<int> onward;
        for (int i = 0; i < int(s.links.size()); ++i)
            if (s.links[std::size_t(i)].from == link.from)
                onward.push_back(i);
        if (!onward.empty()) {
            const bool allHave = std::all_of(onward.begin(), onward.end(), [&](int i) {
                return s.links[std::size_t(i)].probability.has_value();
            });
            if (allHave) {
                double sum = 0;
                for (int i : onward)
                    sum += *s.links[std::size_t(i)].probability;
                link.probability = std::max(0.0, std::round((1 - sum) * 1000) / 1000);
            } else {
                // Share equally, rounded down so the sum stays at most 1.
                const double share = std::floor(1000.0 / double(onward.size() + 1)) / 1000;
                for (int i : onward) {
                    Link l = s.links[std::size_t(i)];
                    l.probability = share;
                    new EditLinkCommand(document, i, l, {}, command);
                }
                link.probability = share;
            }
        }
    }
    new InsertItemsCommand(document, {}, {}, {link}, command->text(), command);
    return command;
}

Scenario copyFragment(const Scenario &s, const QStringList &ids)
{
    Scenario fragment;
    for (const Node &n : s.nodes) {
        if (!ids.contains(QString::fromStdString(n.id)))
            continue;
        fragment.nodes.push_back(n);
        if (const auto it = s.layout.find(n.id); it != s.layout.end())
            fragment.layout[n.id] = it->second;
    }
    for (const Link &l : s.links) {
        if (ids.contains(QString::fromStdString(l.from)) && ids.contains(QString::fromStdString(l.to)))
            fragment.links.push_back(l);
    }
    return fragment;
}

InsertItemsCommand *makePasteCommand(ScenarioDocument *document, const Scenario &fragment,
                                     const QPointF &offset)
{
    // New ids that collide neither with the scenario nor with each other.
    Scenario scratch = document->scenario();
    std::map<std::string, std::string> rename;
    std::vector<Node> nodes;
    std::vector<std::optional<QPointF>> positions;
    for (Node n : fragment.nodes) {
        const std::string id = ScenarioDocument::uniqueId(scratch, n.id);
        rename[n.id] = id;
        std::optional<QPointF> pos;
        if (const auto it = fragment.layout.find(n.id); it != fragment.layout.end())
            pos = QPointF(it->second.first, it->second.second) + offset;
        n.id = id;
        scratch.nodes.push_back(n);
        nodes.push_back(n);
        positions.push_back(pos);
    }
    std::vector<Link> links;
    for (Link l : fragment.links) {
        l.from = rename[l.from];
        l.to = rename[l.to];
        links.push_back(l);
    }
    const QString text = nodes.size() == 1 ? tr("Paste %1").arg(quoted(nodes.front().id))
                                           : tr("Paste %1 nodes").arg(nodes.size());
    return new InsertItemsCommand(document, nodes, positions, links, text);
}

QUndoCommand *makeAutoLayoutCommand(ScenarioDocument *document)
{
    QList<NodeMove> moves;
    for (const auto &[id, p] : layeredLayout(document->scenario())) {
        const auto old = document->nodePosition(id);
        if (!old || *old != p)
            moves.append({QString::fromStdString(id), old, p});
    }
    if (moves.isEmpty())
        return nullptr;
    return new MoveNodesCommand(document, moves, tr("Auto layout"));
}

// The palette's default node of a kind is the node-kind table's (topology/nodekinds.h).
Node makeDefaultNode(const ScenarioDocument *document, NodeKind kind)
{
    return nodeKindInfo(kind).makeDefault(document->uniqueId(nodeKindName(kind)));
}

} // namespace ql
