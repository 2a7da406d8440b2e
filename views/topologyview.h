// The topology editor's canvas widget: a QGraphicsView on a TopologyScene with the
// navigation a diagram tool needs (wheel and keyboard zoom about the cursor, fit to view,
// middle-button and Space+drag panning, rubber-band selection, arrow-key nudging) and the
// drop target for node kinds dragged from the palette. Edits leave as signals.
#pragma once

#include "scenario/scenario.h"
#include "topologyscene.h"

#include <QGraphicsView>
#include <QPointer>

#include <functional>

namespace ql {

class AnimationOverlay;
class ScenarioDocument;

class TopologyView : public QGraphicsView
{
    Q_OBJECT
public:
    // The MIME type of a node kind dragged from the palette (payload: the kind's spec name).
    static const char *const NodeKindMimeType;

    explicit TopologyView(ScenarioDocument *document, QWidget *parent = nullptr);

    TopologyScene *topologyScene() const { return scene_; }
    // Hover read-out of live statistics: node items ask it for their tooltip when set
    // (an empty answer falls back to the node's summary).
    void setToolTipProvider(std::function<QString(const QString &nodeId)> provider);
    // The run overlay on this canvas: a left click on one of its tokens picks that message
    // (tokenClicked) instead of starting a selection; the overlay itself takes no mouse.
    void setAnimationOverlay(AnimationOverlay *overlay);

    double zoom() const;
    // The scene point at the centre of the visible area (where click-to-add puts nodes).
    QPointF visibleCentre() const;

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToView();
    void setZoom(double factor);

signals:
    void zoomChanged(double factor);
    void nodeDropRequested(ql::NodeKind kind, const QPointF &scenePos);
    // Arrow keys: the selected nodes moved by one grid step.
    void nudgeRequested(const QList<ql::NodeMove> &moves);
    // Running: a token was clicked (its message), the empty canvas was clicked, or Esc was
    // pressed while no link was being drawn (the event narrative stops following then).
    void tokenClicked(quint64 msg);
    void backgroundClicked();
    void escapePressed();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void zoomBy(double factor, const QPoint &anchor);
    void nudge(int dx, int dy);

    TopologyScene *scene_;
    QPointer<AnimationOverlay> overlay_;
    bool spaceHeld_ = false;
    bool panning_ = false;
    bool tokenPressed_ = false;
    QPoint panLast_;
};

} // namespace ql
