// The edited scenario and its undo stack (see scenariodocument.h).
#include "scenariodocument.h"

#include "topology/nodekinds.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <utility>

namespace ql {

namespace {

QString quoted(const std::string &id)
{
    return QStringLiteral("\u201c%1\u201d").arg(QString::fromStdString(id));
}

} // namespace

ScenarioDocument::ScenarioDocument(QObject *parent)
    : QObject(parent)
    , undoStack_(new QUndoStack(this))
{
    connect(undoStack_, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
}

void ScenarioDocument::reset(const ql::Scenario &scenario, const QString &filePath,
                             const QString &displayName)
{
    const bool wasModified = isModified();
    undoStack_->clear();
    scenario_ = scenario;
    filePath_ = filePath;
    displayName_ = displayName;
    batch_ = 0;
    pendingStructure_ = pendingChange_ = false;
    undoStack_->setClean();
    emit scenarioReset();
    emit filePathChanged(filePath_);
    emit changed();
    if (wasModified)
        emit modifiedChanged(false);
}

void ScenarioDocument::setFilePath(const QString &path)
{
    if (path == filePath_)
        return;
    filePath_ = path;
    displayName_.clear();
    emit filePathChanged(filePath_);
}

QString ScenarioDocument::displayName() const
{
    if (!filePath_.isEmpty())
        return QFileInfo(filePath_).fileName();
    if (!displayName_.isEmpty())
        return displayName_;
    return tr("Untitled");
}

bool ScenarioDocument::isModified() const
{
    return !undoStack_->isClean();
}

void ScenarioDocument::setClean()
{
    undoStack_->setClean();
}

std::optional<QPointF> ScenarioDocument::nodePosition(const std::string &id) const
{
    const auto it = scenario_.layout.find(id);
    if (it == scenario_.layout.end())
        return std::nullopt;
    return QPointF(it->second.first, it->second.second);
}

std::string ScenarioDocument::uniqueId(const Scenario &scenario, const std::string &base)
{
    std::string stem = base.empty() ? std::string("node") : base;
    // "queue-3" copied again becomes "queue-4", not "queue-3-2".
    if (!scenario.node(stem))
        return stem;
    const auto dash = stem.find_last_of('-');
    if (dash != std::string::npos && dash > 0 && dash + 1 < stem.size()
        && std::all_of(stem.begin() + static_cast<long>(dash) + 1, stem.end(),
                       [](char c) { return c >= '0' && c <= '9'; }))
        stem.erase(dash);
    for (int n = 2;; ++n) {
        const std::string candidate = stem + "-" + std::to_string(n);
        if (!scenario.node(candidate))
            return candidate;
    }
}

QString ScenarioDocument::linkRefusal(const std::string &from, const std::string &to) const
{
    const ql::Node *a = scenario_.node(from);
    const ql::Node *b = scenario_.node(to);
    if (!a || !b)
        return tr("Both ends of a link must be nodes.");
    if (from == to)
        return tr("A node cannot link to itself.");
    const NodeKind fk = a->kind;
    const NodeKind tk = b->kind;
    // Which links are legal, and why not, is the node-kind table's (topology/nodekinds.h).
    const std::string why = ql::linkRefusal(fk, tk);
    if (!why.empty())
        return tr("Cannot link %1 to %2: %3.").arg(quoted(from), quoted(to), QString::fromStdString(why));

    for (const ql::Link &l : scenario_.links) {
        if (l.from == from && l.to == to)
            return tr("%1 is already linked to %2.").arg(quoted(from), quoted(to));
    }
    if (ql::nodeKindInfo(fk).outDegree == ql::OutDegree::One) {
        for (const ql::Link &l : scenario_.links) {
            if (l.from == from)
                return tr("Producer %1 already publishes to %2; a producer has exactly one "
                          "outgoing link. Publish to an exchange to reach several queues.")
                    .arg(quoted(from), quoted(l.to));
        }
    }
    if (fk == NodeKind::Queue && tk == NodeKind::Consumer) {
        for (const ql::Link &l : scenario_.links) {
            const ql::Node *src = scenario_.node(l.from);
            if (l.to == to && src && src->kind == NodeKind::Queue)
                return tr("Consumer %1 already subscribes to queue %2; a consumer reads from "
                          "exactly one queue. Add another consumer instead.")
                    .arg(quoted(to), quoted(l.from));
        }
    }
    return {};
}

QList<int> ScenarioDocument::linksOf(const std::string &id) const
{
    QList<int> out;
    for (int i = 0; i < static_cast<int>(scenario_.links.size()); ++i) {
        const ql::Link &l = scenario_.links[static_cast<std::size_t>(i)];
        if (l.from == id || l.to == id)
            out.append(i);
    }
    return out;
}

ScenarioHeader ScenarioDocument::header() const
{
    return {scenario_.name, scenario_.description, scenario_.timeUnit, scenario_.run};
}

// --- Mutators ---------------------------------------------------------------------------

void ScenarioDocument::insertNode(int index, const ql::Node &node, std::optional<QPointF> position)
{
    Q_ASSERT(index >= 0 && index <= static_cast<int>(scenario_.nodes.size()));
    scenario_.nodes.insert(scenario_.nodes.begin() + index, node);
    if (position)
        scenario_.layout[node.id] = {position->x(), position->y()};
    else
        scenario_.layout.erase(node.id);
    structureEdited();
}

void ScenarioDocument::removeNode(int index)
{
    Q_ASSERT(index >= 0 && index < static_cast<int>(scenario_.nodes.size()));
    const std::string id = scenario_.nodes[static_cast<std::size_t>(index)].id;
    Q_ASSERT(linksOf(id).isEmpty());
    scenario_.nodes.erase(scenario_.nodes.begin() + index);
    scenario_.layout.erase(id);
    structureEdited();
}

void ScenarioDocument::setNode(int index, const ql::Node &node)
{
    Q_ASSERT(index >= 0 && index < static_cast<int>(scenario_.nodes.size()));
    ql::Node &target = scenario_.nodes[static_cast<std::size_t>(index)];
    Q_ASSERT(target.id == node.id);
    if (target == node)
        return;
    const bool kindChanged = target.kind != node.kind;
    target = node;
    if (kindChanged)
        structureEdited();
    else {
        emit nodeChanged(QString::fromStdString(node.id));
        edited();
    }
}

void ScenarioDocument::renameNode(const std::string &oldId, const std::string &newId)
{
    const int index = scenario_.nodeIndex(oldId);
    Q_ASSERT(index >= 0 && !scenario_.node(newId));
    scenario_.nodes[static_cast<std::size_t>(index)].id = newId;
    for (ql::Link &l : scenario_.links) {
        if (l.from == oldId)
            l.from = newId;
        if (l.to == oldId)
            l.to = newId;
    }
    const auto it = scenario_.layout.find(oldId);
    if (it != scenario_.layout.end()) {
        const auto pos = it->second;
        scenario_.layout.erase(it);
        scenario_.layout[newId] = pos;
    }
    emit nodeRenamed(QString::fromStdString(oldId), QString::fromStdString(newId));
    structureEdited();
}

void ScenarioDocument::insertLink(int index, const ql::Link &link)
{
    Q_ASSERT(index >= 0 && index <= static_cast<int>(scenario_.links.size()));
    scenario_.links.insert(scenario_.links.begin() + index, link);
    structureEdited();
}

void ScenarioDocument::removeLink(int index)
{
    Q_ASSERT(index >= 0 && index < static_cast<int>(scenario_.links.size()));
    scenario_.links.erase(scenario_.links.begin() + index);
    structureEdited();
}

void ScenarioDocument::setLink(int index, const ql::Link &link)
{
    Q_ASSERT(index >= 0 && index < static_cast<int>(scenario_.links.size()));
    ql::Link &target = scenario_.links[static_cast<std::size_t>(index)];
    if (target == link)
        return;
    const bool endsChanged = target.from != link.from || target.to != link.to;
    target = link;
    if (endsChanged)
        structureEdited();
    else {
        emit linkChanged(index);
        edited();
    }
}

void ScenarioDocument::setNodePosition(const std::string &id, std::optional<QPointF> position)
{
    if (position)
        scenario_.layout[id] = {position->x(), position->y()};
    else
        scenario_.layout.erase(id);
    if (position)
        emit nodeMoved(QString::fromStdString(id), *position);
    edited();
}

void ScenarioDocument::setHeader(const ScenarioHeader &h)
{
    if (h == header())
        return;
    scenario_.name = h.name;
    scenario_.description = h.description;
    scenario_.timeUnit = h.timeUnit;
    scenario_.run = h.run;
    emit headerChanged();
    edited();
}

void ScenarioDocument::beginBatch()
{
    ++batch_;
}

void ScenarioDocument::endBatch()
{
    Q_ASSERT(batch_ > 0);
    if (--batch_ > 0)
        return;
    const bool structure = std::exchange(pendingStructure_, false);
    const bool change = std::exchange(pendingChange_, false);
    if (structure)
        emit structureChanged();
    if (structure || change)
        emit changed();
}

void ScenarioDocument::structureEdited()
{
    if (batch_ > 0) {
        pendingStructure_ = true;
        return;
    }
    emit structureChanged();
    emit changed();
}

void ScenarioDocument::edited()
{
    if (batch_ > 0) {
        pendingChange_ = true;
        return;
    }
    emit changed();
}

} // namespace ql
