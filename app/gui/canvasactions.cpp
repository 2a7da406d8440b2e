// Editing and viewing the canvas (see canvasactions.h).
#include "canvasactions.h"

#include "autolayout.h"
#include "canvasmetrics.h"
#include "commands.h"
#include "linkitem.h"
#include "makeaction.h"
#include "nodeitem.h"
#include "propertypage.h"
#include "scenariodocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "scenario/scenarioio.h"
#include "topology/nodekinds.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMimeData>
#include <QUndoStack>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ql {

namespace {

const char *const kFragmentMimeType = "application/x-queuelab-fragment";

} // namespace

CanvasActions::CanvasActions(ScenarioDocument *document, TopologyView *view, QWidget *window)
    : QObject(window)
    , document_(document)
    , view_(view)
    , window_(window)
{
    setObjectName(QStringLiteral("canvasActions"));
    createActions();
    connectView();
    updateEnabled();
}

void CanvasActions::createActions()
{
    cut_ = makeAction(this, QStringLiteral("actionCut"), tr("Cu&t"), QStringLiteral("edit-cut"),
                      tr("Remove the selected nodes and links and put them on the clipboard"));
    cut_->setShortcut(QKeySequence::Cut);
    connect(cut_, &QAction::triggered, this, &CanvasActions::cutSelection);
    copy_ = makeAction(this, QStringLiteral("actionCopy"), tr("&Copy"), QStringLiteral("edit-copy"),
                       tr("Copy the selected nodes with the links between them"));
    copy_->setShortcut(QKeySequence::Copy);
    connect(copy_, &QAction::triggered, this, &CanvasActions::copySelection);
    paste_ = makeAction(this, QStringLiteral("actionPaste"), tr("&Paste"), QStringLiteral("edit-paste"),
                        tr("Paste the copied nodes with new ids"));
    paste_->setShortcut(QKeySequence::Paste);
    connect(paste_, &QAction::triggered, this, &CanvasActions::paste);
    duplicate_ = makeAction(this, QStringLiteral("actionDuplicate"), tr("D&uplicate"), {},
                            tr("Copy and paste the selection in one step"));
    duplicate_->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    connect(duplicate_, &QAction::triggered, this, &CanvasActions::duplicateSelection);
    delete_ = makeAction(this, QStringLiteral("actionDelete"), tr("&Delete"), QStringLiteral("edit-delete"),
                         tr("Delete the selected nodes and links"));
    delete_->setShortcuts(shortcuts({QKeySequence(QKeySequence::Delete), QKeySequence(Qt::Key_Delete),
                                     QKeySequence(Qt::Key_Backspace)}));
    connect(delete_, &QAction::triggered, this, [this] { deleteSelection(); });
    selectAll_ = makeAction(this, QStringLiteral("actionSelectAll"), tr("Select &All"),
                            QStringLiteral("edit-select-all"), tr("Select every node and link"));
    selectAll_->setShortcut(QKeySequence::SelectAll);
    connect(selectAll_, &QAction::triggered, this, [this] { view_->topologyScene()->selectAllItems(); });

    zoomIn_ = makeAction(this, QStringLiteral("actionZoomIn"), tr("Zoom &In"), QStringLiteral("zoom-in"),
                         tr("Zoom in on the canvas"));
    zoomIn_->setShortcuts(shortcuts({QKeySequence(QKeySequence::ZoomIn), QKeySequence(QStringLiteral("Ctrl++")),
                                     QKeySequence(QStringLiteral("Ctrl+="))}));
    connect(zoomIn_, &QAction::triggered, view_, &TopologyView::zoomIn);
    zoomOut_ = makeAction(this, QStringLiteral("actionZoomOut"), tr("Zoom &Out"), QStringLiteral("zoom-out"),
                          tr("Zoom out of the canvas"));
    zoomOut_->setShortcuts(shortcuts({QKeySequence(QKeySequence::ZoomOut), QKeySequence(QStringLiteral("Ctrl+-"))}));
    connect(zoomOut_, &QAction::triggered, view_, &TopologyView::zoomOut);
    actualSize_ = makeAction(this, QStringLiteral("actionActualSize"), tr("&Actual Size"),
                             QStringLiteral("zoom-original"), tr("Show the canvas at 100 %"));
    actualSize_->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));
    connect(actualSize_, &QAction::triggered, view_, &TopologyView::resetZoom);
    fit_ = makeAction(this, QStringLiteral("actionFit"), tr("&Fit to View"), QStringLiteral("zoom-fit"),
                      tr("Zoom so that the whole topology is visible"));
    fit_->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
    connect(fit_, &QAction::triggered, view_, &TopologyView::fitToView);

    grid_ = makeAction(this, QStringLiteral("actionGrid"), tr("Show &Grid"), QStringLiteral("view-grid"),
                       tr("Show the grid on the canvas"));
    grid_->setCheckable(true);
    grid_->setChecked(true);
    connect(grid_, &QAction::toggled, this, [this](bool on) { view_->topologyScene()->setGridVisible(on); });
    snap_ = makeAction(this, QStringLiteral("actionSnap"), tr("&Snap to Grid"), {},
                       tr("Dragged nodes snap to the grid"));
    snap_->setCheckable(true);
    snap_->setChecked(true);
    connect(snap_, &QAction::toggled, this, [this](bool on) { view_->topologyScene()->setSnapToGrid(on); });
    linkTool_ = makeAction(this, QStringLiteral("actionLinkTool"), tr("&Link Tool"), QStringLiteral("link-tool"),
                           tr("Drag from one node to another to link them (or Shift+drag, "
                              "or drag from a node's port)"));
    linkTool_->setCheckable(true);
    connect(linkTool_, &QAction::toggled, this, [this](bool on) {
        view_->topologyScene()->setLinkMode(on);
        emit statusMessage(on ? tr("Link tool: drag from a node to the node it sends to.") : tr("Select tool."),
                           4000);
    });
    autoLayout_ = makeAction(this, QStringLiteral("actionAutoLayout"), tr("Auto &Layout"),
                             QStringLiteral("auto-layout"),
                             tr("Arrange the nodes left to right by their distance from the producers"));
    autoLayout_->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    connect(autoLayout_, &QAction::triggered, this, &CanvasActions::autoLayout);

    // Clipboard, delete and select-all keys act on the canvas only: Backspace in the headers
    // table of the properties dock must not delete the selected node.
    for (QAction *a : {cut_, copy_, paste_, duplicate_, delete_, selectAll_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        view_->addAction(a);
    }
    for (QAction *a : {cut_, copy_, paste_, delete_, zoomIn_, zoomOut_, fit_, autoLayout_})
        addShortcutToToolTip(a);
}

void CanvasActions::connectView()
{
    TopologyScene *scene = view_->topologyScene();
    connect(view_, &TopologyView::nodeDropRequested, this,
            [this](NodeKind kind, const QPointF &pos) { addNode(kind, pos); });
    connect(scene, &TopologyScene::linkRequested, this, [this](const QString &from, const QString &to) {
        document_->undoStack()->push(makeAddLinkCommand(document_, from, to));
        emit statusMessage(tr("Linked %1 \u2192 %2.").arg(from, to), 4000);
        view_->topologyScene()->selectItems({}, {int(document_->scenario().links.size()) - 1});
    });
    connect(scene, &TopologyScene::linkRefused, this,
            [this](const QString &reason) { emit statusMessage(tr("Link refused: %1").arg(reason), 8000); });
    connect(scene, &TopologyScene::nodesMoved, this, [this](const QList<NodeMove> &moves) {
        document_->undoStack()->push(new MoveNodesCommand(document_, moves, {}));
    });
    connect(view_, &TopologyView::nudgeRequested, this, [this](const QList<NodeMove> &moves) {
        document_->undoStack()->push(new MoveNodesCommand(document_, moves, tr("Nudge"), true));
    });
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, &CanvasActions::showCanvasMenu);

    // What can be cut, copied, pasted and deleted follows the selection and the clipboard.
    connect(scene, &QGraphicsScene::selectionChanged, this, &CanvasActions::updateEnabled);
    connect(document_, &ScenarioDocument::changed, this, &CanvasActions::updateEnabled);
    connect(QApplication::clipboard(), &QClipboard::dataChanged, this, &CanvasActions::updateEnabled);
}

void CanvasActions::updateEnabled()
{
    TopologyScene *scene = view_->topologyScene();
    const bool nodes = !scene->selectedNodeIds().isEmpty();
    const bool any = nodes || !scene->selectedLinkIndexes().isEmpty();
    cut_->setEnabled(nodes);
    copy_->setEnabled(nodes);
    duplicate_->setEnabled(nodes);
    delete_->setEnabled(any);
    paste_->setEnabled(canPaste());
}

QString CanvasActions::addNode(NodeKind kind, const QPointF &scenePos)
{
    Node node = makeDefaultNode(document_, kind);
    // Where there is room: the requested place if no node is near it, else the nearest
    // free cell of the layout's grid (a column and a row pitch apart), so that nodes added
    // one after the other spread out like an auto-layout instead of stacking.
    const QPointF wanted = snapToGrid(scenePos);
    auto isFree = [this](const QPointF &p) {
        for (const auto &[id, q] : document_->scenario().layout)
            if (std::abs(q.first - p.x()) < NodeSize.width() + 2 * GridSize
                && std::abs(q.second - p.y()) < NodeSize.height() + 2 * GridSize)
                return false;
        return true;
    };
    QPointF pos = wanted;
    if (!isFree(pos)) {
        std::vector<QPointF> cells;
        for (int dy = -4; dy <= 4; ++dy)
            for (int dx = -4; dx <= 4; ++dx)
                cells.push_back(wanted + QPointF(dx * LayoutColumnPitch, dy * LayoutRowPitch));
        // Nearest first; ties to the right and below (the way a flow is read).
        std::stable_sort(cells.begin(), cells.end(), [&](const QPointF &a, const QPointF &b) {
            const QPointF da = a - wanted, db = b - wanted;
            const double ka = std::hypot(da.x() / LayoutColumnPitch, da.y() / LayoutRowPitch) - 0.01 * (da.x() > 0) - 0.005 * (da.y() > 0);
            const double kb = std::hypot(db.x() / LayoutColumnPitch, db.y() / LayoutRowPitch) - 0.01 * (db.x() > 0) - 0.005 * (db.y() > 0);
            return ka < kb;
        });
        for (const QPointF &c : cells) {
            if (isFree(snapToGrid(c))) {
                pos = snapToGrid(c);
                break;
            }
        }
    }
    const QString id = QString::fromStdString(node.id);
    document_->undoStack()->push(new InsertItemsCommand(
        document_, {node}, {pos}, {},
        tr("Add %1 \u201c%2\u201d").arg(NodeItem::kindTitle(kind).toLower(), id)));
    view_->topologyScene()->selectItems({id});
    view_->ensureVisible(QRectF(pos - QPointF(70, 40), QSizeF(140, 80)));
    view_->setFocus(); // Delete, arrows and the clipboard keys now act on the new node
    emit statusMessage(tr("Added %1 \u201c%2\u201d. Drag from its right-hand port to link it.")
                           .arg(NodeItem::kindTitle(kind).toLower(), id),
                       5000);
    return id;
}

void CanvasActions::showCanvasMenu(const QPoint &pos)
{
    TopologyScene *scene = view_->topologyScene();
    const QPointF scenePos = view_->mapToScene(pos);
    // Right-clicking an item that is not selected acts on that item alone.
    QGraphicsItem *hit = nullptr;
    for (QGraphicsItem *item : scene->items(scenePos)) {
        if (qgraphicsitem_cast<NodeItem *>(item) || qgraphicsitem_cast<LinkItem *>(item)) {
            hit = item;
            break;
        }
    }
    if (hit && !hit->isSelected()) {
        scene->clearSelection();
        hit->setSelected(true);
    }
    QMenu menu(window_);
    QMenu *add = menu.addMenu(tr("Add Node Here"));
    for (const NodeKindInfo &info : nodeKinds()) {
        const NodeKind kind = info.kind;
        add->addAction(NodeItem::kindTitle(kind), this, [this, kind, scenePos] { addNode(kind, scenePos); });
    }
    menu.addSeparator();
    for (QAction *a : {cut_, copy_, paste_, duplicate_, delete_})
        menu.addAction(a);
    menu.addSeparator();
    menu.addAction(selectAll_);
    menu.addAction(autoLayout_);
    menu.addAction(fit_);
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

void CanvasActions::copySelection()
{
    const QStringList ids = view_->topologyScene()->selectedNodeIds();
    if (ids.isEmpty())
        return;
    clipboard_ = copyFragment(document_->scenario(), ids);
    clipboardTag_ = QUuid::createUuid().toString();
    pasteCount_ = 0;
    // The system clipboard gets the fragment as scenario JSON text (for a text editor) and a
    // tag that says the fragment held here is still the current clipboard content.
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(kFragmentMimeType), clipboardTag_.toUtf8());
    mime->setText(QString::fromStdString(scenarioToJson(clipboard_)));
    QApplication::clipboard()->setMimeData(mime);
    emit statusMessage(tr("Copied %1.").arg(countText(qsizetype(clipboard_.nodes.size()), "node", "nodes")), 3000);
    updateEnabled();
}

void CanvasActions::cutSelection()
{
    if (view_->topologyScene()->selectedNodeIds().isEmpty())
        return;
    copySelection();
    deleteSelection(tr("Cut %1").arg(countText(qsizetype(clipboard_.nodes.size()), "node", "nodes")));
}

bool CanvasActions::canPaste() const
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    return mime && !clipboard_.nodes.empty()
           && QString::fromUtf8(mime->data(QLatin1String(kFragmentMimeType))) == clipboardTag_;
}

void CanvasActions::paste()
{
    if (!canPaste())
        return;
    ++pasteCount_;
    // Each paste of one copy lands a little further down and right.
    const QPointF offset(2 * GridSize * pasteCount_, 2 * GridSize * pasteCount_);
    InsertItemsCommand *command = makePasteCommand(document_, clipboard_, offset);
    const QStringList ids = command->nodeIds();
    document_->undoStack()->push(command);
    view_->topologyScene()->selectItems(ids);
    emit statusMessage(tr("Pasted %1 with new ids.").arg(countText(ids.size(), "node", "nodes")), 3000);
}

void CanvasActions::duplicateSelection()
{
    copySelection();
    paste();
}

void CanvasActions::deleteSelection(const QString &text)
{
    TopologyScene *scene = view_->topologyScene();
    auto *command = new RemoveItemsCommand(document_, scene->selectedNodeIds(), scene->selectedLinkIndexes());
    if (command->isEmpty()) {
        delete command;
        return;
    }
    if (!text.isEmpty())
        command->setText(text);
    document_->undoStack()->push(command);
}

void CanvasActions::autoLayout()
{
    QUndoCommand *command = makeAutoLayoutCommand(document_);
    if (!command) {
        emit statusMessage(tr("The layout is already tidy."), 3000);
        return;
    }
    document_->undoStack()->push(command);
    view_->fitToView();
}

} // namespace ql
