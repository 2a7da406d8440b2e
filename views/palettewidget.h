// The palette of node kinds beside the canvas: one tile per kind (producer, exchange, queue,
// consumer, sink) showing the kind's badge, name and role. Drag a tile onto the canvas to
// place a node there, or click it to add one at the centre of the view.
#pragma once

#include "scenario/scenario.h"

#include <QWidget>

namespace ql {

class PaletteWidget : public QWidget
{
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget *parent = nullptr);

    // The tile of one kind (tests click it).
    QWidget *tile(NodeKind kind) const;

    // A picture of a fresh node of `kind`, as the canvas draws it (drag image, docs).
    static QPixmap nodePixmap(NodeKind kind, qreal scale = 1.0);

signals:
    void addRequested(ql::NodeKind kind);
};

} // namespace ql
