// The undo commands of the editor: one per user action, each with a text for the Edit menu
// and the history view. They change the scenario only through ScenarioDocument's mutators,
// so every view follows redo and undo alike. A command keeps what it removed (nodes, links,
// positions) and puts it back where it was. Drags push one MoveNodesCommand on mouse
// release; arrow-key nudges and keystrokes in one property field merge through id() and
// mergeWith(), as in Qt's undoframework example.
#pragma once

#include "scenario/scenario.h"
#include "scenariodocument.h"
#include "topologyscene.h"

#include <QPointF>
#include <QUndoCommand>

#include <optional>
#include <vector>

namespace ql {

enum CommandId {
    MoveNodesCommandId = 1001,
    EditNodeCommandId,
    EditLinkCommandId,
    EditHeaderCommandId,
};

// Appends nodes (with their positions) and links: add a node, draw a link, paste.
class InsertItemsCommand : public QUndoCommand
{
public:
    InsertItemsCommand(ScenarioDocument *document, std::vector<Node> nodes,
                       std::vector<std::optional<QPointF>> positions, std::vector<Link> links,
                       const QString &text, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    QStringList nodeIds() const;

private:
    ScenarioDocument *document_;
    std::vector<Node> nodes_;
    std::vector<std::optional<QPointF>> positions_;
    std::vector<Link> links_;
    int firstNode_ = 0;
    int firstLink_ = 0;
};

// Removes nodes (with every link touching them) and links; undo puts each back at its index.
class RemoveItemsCommand : public QUndoCommand
{
public:
    RemoveItemsCommand(ScenarioDocument *document, const QStringList &nodeIds,
                       const QList<int> &linkIndexes, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    bool isEmpty() const { return nodes_.empty() && links_.empty(); }

private:
    struct RemovedNode
    {
        int index;
        Node node;
        std::optional<QPointF> position;
    };
    struct RemovedLink
    {
        int index;
        Link link;
    };
    ScenarioDocument *document_;
    std::vector<RemovedNode> nodes_; // ascending index
    std::vector<RemovedLink> links_; // ascending index
};

// Moves nodes. A drag is pushed once, on release; `mergeable` commands (arrow-key nudges of
// the same nodes) merge into one step.
class MoveNodesCommand : public QUndoCommand
{
public:
    MoveNodesCommand(ScenarioDocument *document, const QList<NodeMove> &moves, const QString &text,
                     bool mergeable = false, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return mergeable_ ? MoveNodesCommandId : -1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    ScenarioDocument *document_;
    QList<NodeMove> moves_;
    bool mergeable_;
};

// Changes the parameters of one node. Edits with the same non-empty merge key (keystrokes
// in one field) merge.
class EditNodeCommand : public QUndoCommand
{
public:
    EditNodeCommand(ScenarioDocument *document, int index, const Node &after, const QString &mergeKey,
                    QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return EditNodeCommandId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    ScenarioDocument *document_;
    int index_;
    Node before_;
    Node after_;
    QString mergeKey_;
};

// Gives a node a new id; its links and layout entry follow.
class RenameNodeCommand : public QUndoCommand
{
public:
    RenameNodeCommand(ScenarioDocument *document, const QString &oldId, const QString &newId,
                      QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    ScenarioDocument *document_;
    std::string oldId_;
    std::string newId_;
};

class EditLinkCommand : public QUndoCommand
{
public:
    EditLinkCommand(ScenarioDocument *document, int index, const Link &after, const QString &mergeKey,
                    QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return EditLinkCommandId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    ScenarioDocument *document_;
    int index_;
    Link before_;
    Link after_;
    QString mergeKey_;
};

// Name, description, time unit and run settings.
class EditHeaderCommand : public QUndoCommand
{
public:
    EditHeaderCommand(ScenarioDocument *document, const ScenarioHeader &after, const QString &mergeKey,
                      QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return EditHeaderCommandId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    ScenarioDocument *document_;
    ScenarioHeader before_;
    ScenarioHeader after_;
    QString mergeKey_;
};

// "Link from -> to" as one undo step. When a consumer gets a second onward link, every
// onward link needs a probability (the spec): links without one share what is left equally.
QUndoCommand *makeAddLinkCommand(ScenarioDocument *document, const QString &from, const QString &to);

// The selected nodes `ids` with the links between them and their positions: what Copy puts
// on the clipboard.
Scenario copyFragment(const Scenario &scenario, const QStringList &ids);

// Paste: the fragment's nodes with ids new to the document (a copy of "queue" becomes
// "queue-2"), moved by `offset`, with their links renamed to match.
InsertItemsCommand *makePasteCommand(ScenarioDocument *document, const Scenario &fragment,
                                     const QPointF &offset);

// View > Auto Layout as one step; nullptr when every node is already where it would go.
QUndoCommand *makeAutoLayoutCommand(ScenarioDocument *document);

// A fresh node of `kind` with defaults that run as they are (a consumer a little faster than
// a producer, so a first topology is stable) and an id not used yet.
Node makeDefaultNode(const ScenarioDocument *document, NodeKind kind);

} // namespace ql
