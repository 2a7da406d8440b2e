// The actions that edit the canvas or change how it is seen: cut, copy, paste, duplicate,
// delete and select all; zoom, actual size, fit, the grid, snapping, the link tool and auto
// layout; adding a node (from the palette, a drop or the context menu), linking and moving
// nodes; and the canvas's context menu. Each edit is one undo command on the document.
//
// MainWindow owns it and builds the Edit and View menus and tool bars from its actions;
// files, docks, running and settings stay there. The actions keep their object names
// ("actionCut", "actionAutoLayout", ...): tests and the shortcuts dialog rely on them.
#pragma once

#include "scenario/scenario.h"

#include <QObject>
#include <QString>

class QAction;
class QPoint;
class QPointF;
class QWidget;

namespace ql {

class ScenarioDocument;
class TopologyView;

class CanvasActions : public QObject
{
    Q_OBJECT
public:
    // `window` parents the actions and the context menu; the clipboard, delete and
    // select-all keys act only while `view` has the focus.
    CanvasActions(ScenarioDocument *document, TopologyView *view, QWidget *window);

    QAction *cutAction() const { return cut_; }
    QAction *copyAction() const { return copy_; }
    QAction *pasteAction() const { return paste_; }
    QAction *duplicateAction() const { return duplicate_; }
    QAction *deleteAction() const { return delete_; }
    QAction *selectAllAction() const { return selectAll_; }
    QAction *zoomInAction() const { return zoomIn_; }
    QAction *zoomOutAction() const { return zoomOut_; }
    QAction *actualSizeAction() const { return actualSize_; }
    QAction *fitAction() const { return fit_; }
    QAction *gridAction() const { return grid_; }
    QAction *snapAction() const { return snap_; }
    QAction *linkToolAction() const { return linkTool_; }
    QAction *autoLayoutAction() const { return autoLayout_; }

    // Adds a node of `kind` centred at `scenePos` (snapped), as one undo step; returns its id.
    QString addNode(NodeKind kind, const QPointF &scenePos);
    // The next paste of the copied nodes lands at the first offset again (a new document).
    void resetPasteOffset() { pasteCount_ = 0; }

signals:
    // What the user should read in the status bar, for `timeout` milliseconds.
    void statusMessage(const QString &text, int timeout);

private:
    void createActions();
    void connectView();
    void updateEnabled();
    void showCanvasMenu(const QPoint &pos);
    void copySelection();
    void cutSelection();
    void paste();
    bool canPaste() const;
    void duplicateSelection();
    void deleteSelection(const QString &text = {});
    void autoLayout();

    ScenarioDocument *document_;
    TopologyView *view_;
    QWidget *window_;

    QAction *cut_ = nullptr;
    QAction *copy_ = nullptr;
    QAction *paste_ = nullptr;
    QAction *duplicate_ = nullptr;
    QAction *delete_ = nullptr;
    QAction *selectAll_ = nullptr;
    QAction *zoomIn_ = nullptr;
    QAction *zoomOut_ = nullptr;
    QAction *actualSize_ = nullptr;
    QAction *fit_ = nullptr;
    QAction *grid_ = nullptr;
    QAction *snap_ = nullptr;
    QAction *linkTool_ = nullptr;
    QAction *autoLayout_ = nullptr;

    Scenario clipboard_;   // the fragment last copied in this program
    QString clipboardTag_; // identifies it in the system clipboard
    int pasteCount_ = 0;
};

} // namespace ql
