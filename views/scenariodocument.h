// The scenario being edited: one ql::Scenario, the file it came from and the undo stack of
// the edits made to it. Every change goes through the small set of mutators below, which the
// undo commands (app/gui/commands.h) call in redo() and undo(); each mutator emits a signal,
// so the canvas, the properties dock and the window title follow edits, undo and redo alike.
// The document holds no Qt Widgets state: views read it and ask for edits through signals.
#pragma once

#include "scenario/scenario.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>

class QUndoStack;

namespace ql {

// The scenario-wide settings the properties dock edits when nothing is selected.
struct ScenarioHeader
{
    std::string name;
    std::string description;
    ql::TimeUnit timeUnit = ql::TimeUnit::Seconds;
    ql::RunSettings run;

    bool operator==(const ScenarioHeader &) const = default;
};

class ScenarioDocument : public QObject
{
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject *parent = nullptr);

    const ql::Scenario &scenario() const { return scenario_; }
    QUndoStack *undoStack() const { return undoStack_; }

    // Replaces the whole scenario (New, Open): clears the undo history and marks the
    // document clean. `filePath` is empty for an untitled document or a built-in example.
    void reset(const ql::Scenario &scenario, const QString &filePath = {},
               const QString &displayName = {});
    QString filePath() const { return filePath_; }
    void setFilePath(const QString &path);
    // What the title bar shows: the file name, or "Untitled", or the example's file name.
    QString displayName() const;
    bool isModified() const;
    void setClean();

    // --- Queries the editor needs ---------------------------------------------------------
    std::optional<QPointF> nodePosition(const std::string &id) const;
    // "queue", "queue-2", ...: the first id with `base` as stem that no node uses yet.
    std::string uniqueId(const std::string &base) const { return uniqueId(scenario_, base); }
    static std::string uniqueId(const Scenario &scenario, const std::string &base);
    // Why a link from -> to may not be drawn (the spec's rules, plus no duplicates and no
    // loops onto the node itself); empty when it may.
    QString linkRefusal(const std::string &from, const std::string &to) const;
    // Indexes of the links touching node `id`.
    QList<int> linksOf(const std::string &id) const;
    ScenarioHeader header() const;

    // --- Mutators, for undo commands only --------------------------------------------------
    // Emit structureChanged() (nodes or links added/removed/renamed), nodeChanged(),
    // linkChanged(), nodeMoved() or headerChanged(), and always changed().
    void insertNode(int index, const ql::Node &node, std::optional<QPointF> position);
    void removeNode(int index);                 // the node only; its links must be gone
    void setNode(int index, const ql::Node &node); // same id
    void renameNode(const std::string &oldId, const std::string &newId); // links, layout too
    void insertLink(int index, const ql::Link &link);
    void removeLink(int index);
    void setLink(int index, const ql::Link &link);
    void setNodePosition(const std::string &id, std::optional<QPointF> position);
    void setHeader(const ScenarioHeader &header);

    // Groups the signals of several mutations into one structureChanged()/changed() pair, so
    // a command that removes ten items makes the views update once.
    void beginBatch();
    void endBatch();

signals:
    void scenarioReset();
    void structureChanged();
    void nodeChanged(const QString &id);
    // Sent before the structureChanged() of a rename, so views can keep the item.
    void nodeRenamed(const QString &oldId, const QString &newId);
    void linkChanged(int index);
    void nodeMoved(const QString &id, const QPointF &position);
    void headerChanged();
    void changed();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    void structureEdited();
    void edited();

    ql::Scenario scenario_;
    QUndoStack *undoStack_;
    QString filePath_;
    QString displayName_;
    int batch_ = 0;
    bool pendingStructure_ = false;
    bool pendingChange_ = false;
};

} // namespace ql
