// Navigation and drop handling of the canvas (see topologyview.h).
#include "topologyview.h"

#include "animationoverlay.h"
#include "canvasmetrics.h"
#include "nodeitem.h"
#include "scenariodocument.h"

#include <QDragEnterEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace ql {

const char *const TopologyView::NodeKindMimeType = "application/x-queuelab-node-kind";

namespace {

constexpr double kMinZoom = 0.15;
constexpr double kMaxZoom = 4.0;

} // namespace

TopologyView::TopologyView(ScenarioDocument *document, QWidget *parent)
    : QGraphicsView(parent)
    , scene_(new TopologyScene(document, this))
{
    setObjectName(QStringLiteral("topologyView"));
    setScene(scene_);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing
                   | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::NoAnchor);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setFrameShape(QFrame::NoFrame);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    connect(scene_, &TopologyScene::itemsSynced, this, [this] { viewport()->update(); });
}

void TopologyView::setToolTipProvider(std::function<QString(const QString &)> provider)
{
    scene_->setToolTipProvider(std::move(provider));
}

void TopologyView::setAnimationOverlay(AnimationOverlay *overlay)
{
    overlay_ = overlay;
}

double TopologyView::zoom() const
{
    return transform().m11();
}

QPointF TopologyView::visibleCentre() const
{
    return mapToScene(viewport()->rect().center());
}

void TopologyView::zoomIn()
{
    zoomBy(1.25, viewport()->rect().center());
}

void TopologyView::zoomOut()
{
    zoomBy(1 / 1.25, viewport()->rect().center());
}

void TopologyView::resetZoom()
{
    setZoom(1.0);
}

void TopologyView::setZoom(double factor)
{
    zoomBy(factor / zoom(), viewport()->rect().center());
}

void TopologyView::fitToView()
{
    QRectF r = scene_->nodesBoundingRect();
    if (r.isEmpty()) {
        setTransform(QTransform());
        centerOn(0, 0);
        emit zoomChanged(zoom());
        return;
    }
    r.adjust(-60, -50, 60, 50);
    const QRectF vp = viewport()->rect();
    double factor = std::min(vp.width() / r.width(), vp.height() / r.height());
    // A three-node scenario blown up to fill the screen looks like a toy: stop at 125 %.
    factor = std::clamp(factor, kMinZoom, 1.25);
    setTransform(QTransform::fromScale(factor, factor));
    centerOn(r.center());
    emit zoomChanged(zoom());
}

void TopologyView::zoomBy(double factor, const QPoint &anchor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    factor = target / zoom();
    if (std::abs(factor - 1) < 1e-9)
        return;
    // Keep the scene point under `anchor` where it is.
    const QPointF before = mapToScene(anchor);
    scale(factor, factor);
    const QPoint delta = mapFromScene(before) - anchor;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + delta.y());
    emit zoomChanged(zoom());
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ShiftModifier) {
        // Shift+wheel scrolls sideways; wheel and Ctrl+wheel zoom.
        const int step = angle.y() != 0 ? angle.y() : angle.x();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - step);
        event->accept();
        return;
    }
    if (angle.y() == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.0015, angle.y()), event->position().toPoint());
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat() && !scene_->isDrawingLink()) {
        spaceHeld_ = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Space) {
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && !scene_->isDrawingLink())
        emit escapePressed(); // the scene and its items still get the key below
    const int step = event->modifiers() & Qt::ShiftModifier ? 5 : 1;
    switch (event->key()) {
    case Qt::Key_Left: nudge(-step, 0); return;
    case Qt::Key_Right: nudge(step, 0); return;
    case Qt::Key_Up: nudge(0, -step); return;
    case Qt::Key_Down: nudge(0, step); return;
    default: break;
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        if (!panning_)
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void TopologyView::focusOutEvent(QFocusEvent *event)
{
    spaceHeld_ = false;
    if (!panning_)
        viewport()->unsetCursor();
    QGraphicsView::focusOutEvent(event);
}

void TopologyView::nudge(int dx, int dy)
{
    QList<NodeMove> moves;
    const ScenarioDocument *doc = scene_->document();
    for (const QString &id : scene_->selectedNodeIds()) {
        NodeItem *item = scene_->nodeItem(id);
        const QPointF to = item->pos() + QPointF(dx * GridSize, dy * GridSize);
        moves.append({id, doc->nodePosition(id.toStdString()), to});
    }
    if (!moves.isEmpty())
        emit nudgeRequested(moves);
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && spaceHeld_)) {
        panning_ = true;
        panLast_ = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && !(event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier))
        && !scene_->isDrawingLink()) {
        const QPoint pos = event->position().toPoint();
        // Tokens are small and fast: a few pixels of slack at any zoom.
        const double radius = std::max(10.5, 9.0 / std::max(zoom(), 0.01));
        const quint64 msg = overlay_ ? overlay_->tokenAt(mapToScene(pos), radius) : 0;
        if (msg) {
            tokenPressed_ = true; // its release is ours too
            emit tokenClicked(msg);
            event->accept();
            return;
        }
        if (!itemAt(pos))
            emit backgroundClicked();
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    if (panning_) {
        const QPoint p = event->position().toPoint();
        const QPoint delta = p - panLast_;
        panLast_ = p;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    if (tokenPressed_ && event->button() == Qt::LeftButton) {
        tokenPressed_ = false;
        event->accept();
        return;
    }
    if (panning_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        panning_ = false;
        if (spaceHeld_)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void TopologyView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(NodeKindMimeType)))
        event->acceptProposedAction();
    else
        event->ignore(); // .json files: the main window opens them
}

void TopologyView::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(NodeKindMimeType)))
        event->acceptProposedAction();
    else
        event->ignore();
}

void TopologyView::dropEvent(QDropEvent *event)
{
    const QByteArray name = event->mimeData()->data(QLatin1String(NodeKindMimeType));
    NodeKind kind;
    if (name.isEmpty() || !nodeKindFromName(name.toStdString(), &kind)) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    emit nodeDropRequested(kind, snapToGrid(mapToScene(event->position().toPoint())));
}

void TopologyView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        scene_->update();
        viewport()->update();
    }
    QGraphicsView::changeEvent(event);
}

} // namespace ql
