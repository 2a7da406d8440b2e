// Palette tiles: painting, click-to-add and drag-to-place (see palettewidget.h).
#include "palettewidget.h"

#include "canvasmetrics.h"
#include "nodeitem.h"
#include "topologyview.h"

#include "topology/nodekinds.h"

#include <QApplication>
#include <QDrag>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QVBoxLayout>

namespace ql {

namespace {

// The tiles and their one-line roles come from the node-kind table (topology/nodekinds.h).
QString kindRole(NodeKind kind)
{
    return QObject::tr(nodeKindInfo(kind).summary);
}

class PaletteTile : public QWidget
{
public:
    PaletteTile(NodeKind kind, PaletteWidget *palette)
        : QWidget(palette)
        , kind_(kind)
        , palette_(palette)
    {
        setObjectName(QStringLiteral("paletteTile_%1").arg(QLatin1String(nodeKindName(kind))));
        setAttribute(Qt::WA_Hover);
        setCursor(Qt::OpenHandCursor);
        setFocusPolicy(Qt::TabFocus);
        setToolTip(QObject::tr("Drag onto the canvas, or click to add a %1 at the centre of the view")
                       .arg(NodeItem::kindTitle(kind).toLower()));
        setAccessibleName(NodeItem::kindTitle(kind));
        setMinimumHeight(54);
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }

    QSize sizeHint() const override { return {210, 54}; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QPalette pal = palette();
        const bool dark = isDarkPalette(pal);
        const QRectF r = QRectF(rect()).adjusted(2, 2, -2, -2);
        const bool hover = underMouse() || hasFocus();
        if (hover) {
            QColor bg = kindColor(kind_, dark);
            bg.setAlpha(dark ? 46 : 26);
            p.setPen(QPen(kindColor(kind_, dark), 1));
            p.setBrush(bg);
            p.drawRoundedRect(r, 8, 8);
        }
        NodeItem::paintBadge(&p, kind_, QPointF(r.left() + 24, r.center().y()), 14, dark);
        QFont title = font();
        title.setWeight(QFont::DemiBold);
        QFont small = font();
        small.setPointSizeF(font().pointSizeF() * 0.88);
        const qreal x = r.left() + 48;
        const qreal w = r.right() - x - 4;
        p.setFont(title);
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRectF(x, r.top() + 6, w, r.height() / 2 - 6), Qt::AlignLeft | Qt::AlignBottom,
                   NodeItem::kindTitle(kind_));
        p.setFont(small);
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QFontMetrics fm(small);
        p.drawText(QRectF(x, r.center().y() + 1, w, r.height() / 2 - 4), Qt::AlignLeft | Qt::AlignTop,
                   fm.elidedText(kindRole(kind_), Qt::ElideRight, int(w)));
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton)
            pressPos_ = event->position().toPoint();
        event->accept();
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (!(event->buttons() & Qt::LeftButton) || pressPos_.isNull())
            return;
        if ((event->position().toPoint() - pressPos_).manhattanLength()
            < QApplication::startDragDistance())
            return;
        pressPos_ = {};
        auto *mime = new QMimeData;
        mime->setData(QLatin1String(TopologyView::NodeKindMimeType), nodeKindName(kind_));
        auto *drag = new QDrag(this);
        drag->setMimeData(mime);
        const QPixmap pm = PaletteWidget::nodePixmap(kind_, devicePixelRatioF());
        drag->setPixmap(pm);
        drag->setHotSpot(QPoint(int(pm.width() / pm.devicePixelRatio() / 2),
                                int(pm.height() / pm.devicePixelRatio() / 2)));
        drag->exec(Qt::CopyAction);
    }

    void mouseReleaseEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton && !pressPos_.isNull() && rect().contains(event->position().toPoint()))
            emit palette_->addRequested(kind_);
        pressPos_ = {};
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter
            || event->key() == Qt::Key_Space) {
            emit palette_->addRequested(kind_);
            return;
        }
        QWidget::keyPressEvent(event);
    }

    void enterEvent(QEnterEvent *) override { update(); }
    void leaveEvent(QEvent *) override { update(); }
    void focusInEvent(QFocusEvent *) override { update(); }
    void focusOutEvent(QFocusEvent *) override { update(); }

private:
    NodeKind kind_;
    PaletteWidget *palette_;
    QPoint pressPos_;
};

} // namespace

PaletteWidget::PaletteWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("paletteWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(2);
    for (const NodeKindInfo &kind : nodeKinds())
        layout->addWidget(new PaletteTile(kind.kind, this));
    auto *hint = new QLabel(tr("Drag onto the canvas, or click to add."), this);
    hint->setToolTip(tr("Link nodes by dragging from a node's right-hand port, with Shift+drag, "
                        "or with the Link tool."));
    hint->setWordWrap(true);
    hint->setObjectName(QStringLiteral("paletteHint"));
    QFont f = hint->font();
    f.setPointSizeF(f.pointSizeF() * 0.88);
    hint->setFont(f);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setContentsMargins(6, 10, 6, 0);
    layout->addWidget(hint);
    layout->addStretch(1);
}

QWidget *PaletteWidget::tile(NodeKind kind) const
{
    return findChild<QWidget *>(QStringLiteral("paletteTile_%1").arg(QLatin1String(nodeKindName(kind))));
}

QPixmap PaletteWidget::nodePixmap(NodeKind kind, qreal scale)
{
    Node node;
    node.kind = kind;
    node.id = nodeKindName(kind);
    node.interarrival = Distribution::exponential(1);
    node.service = Distribution::exponential(1);
    NodeItem item(node);
    const QRectF box = item.boundingRect();
    QPixmap pm((box.size() * scale).toSize());
    pm.setDevicePixelRatio(scale);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.translate(-box.topLeft());
    QStyleOptionGraphicsItem option;
    item.paint(&p, &option, nullptr);
    return pm;
}

} // namespace ql
