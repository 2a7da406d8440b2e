// Canvas geometry shared by the editor (node and link items) and the run overlay: both draw
// in scene coordinates, which are the scenario's `layout` coordinates, and a node's layout
// position is the CENTRE of its item. Also the colours of the node kinds and of the canvas,
// so that the editor, the palette and the overlay speak with one visual voice in light and
// dark palettes.
#pragma once

#include "scenario/scenario.h"

#include <QColor>
#include <QPalette>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <cmath>

constexpr QSizeF NodeSize{120, 60};

namespace ql {

// The drawn body of every node: the top 48 px of the 120 x 60 box. The bottom 12 px stay free
// for the overlay's live read-outs (a queue's fill bar, a consumer's busy-server dots).
constexpr QRectF NodeBodyRect{-60, -30, 120, 48};
constexpr QRectF NodeStatusRect{-60, 18, 120, 12};
constexpr QRectF NodeBox{-60, -30, 120, 60};

// Grid pitch of the canvas; dragged nodes snap their centres to it.
constexpr qreal GridSize = 20;
// Spacing of the automatic layered layout: column pitch and row pitch.
constexpr qreal LayoutColumnPitch = 200;
constexpr qreal LayoutRowPitch = 120;

inline QPointF snapToGrid(QPointF p, qreal grid = GridSize)
{
    return {std::round(p.x() / grid) * grid, std::round(p.y() / grid) * grid};
}

inline bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

// The accent colour of a node kind (border, glyph badge, palette tile).
inline QColor kindColor(NodeKind kind, bool dark = false)
{
    switch (kind) {
    case NodeKind::Producer: return dark ? QColor(0x4a, 0xc4, 0x86) : QColor(0x1f, 0x9d, 0x5c);
    case NodeKind::Exchange: return dark ? QColor(0xf2, 0xa5, 0x3c) : QColor(0xdf, 0x83, 0x14);
    case NodeKind::Queue: return dark ? QColor(0x5f, 0x9b, 0xf5) : QColor(0x25, 0x68, 0xd8);
    case NodeKind::Consumer: return dark ? QColor(0xa7, 0x86, 0xf7) : QColor(0x7c, 0x4d, 0xe6);
    case NodeKind::Sink: return dark ? QColor(0x9a, 0xa5, 0xb5) : QColor(0x5b, 0x67, 0x79);
    case NodeKind::Delay: return dark ? QColor(0x3c, 0xc8, 0xc8) : QColor(0x0e, 0x8f, 0x94);
    }
    return Qt::gray;
}

// Colours of the canvas itself, derived from the widget palette.
struct CanvasColors
{
    QColor background;
    QColor gridMinor;
    QColor gridMajor;
    QColor text;
    QColor subText;
    QColor nodeFill;      // the card under the kind tint
    QColor link;
    QColor linkLabelFill;
    QColor selection;
    QColor error;
    QColor warning;
    QColor valid;
    QColor shadow;
};

inline CanvasColors canvasColors(const QPalette &palette)
{
    const bool dark = isDarkPalette(palette);
    CanvasColors c;
    if (dark) {
        c.background = QColor(0x1b, 0x1e, 0x23);
        c.gridMinor = QColor(0x2e, 0x33, 0x3b);
        c.gridMajor = QColor(0x3a, 0x40, 0x4a);
        c.text = QColor(0xe8, 0xeb, 0xef);
        c.subText = QColor(0xa3, 0xab, 0xb8);
        c.nodeFill = QColor(0x26, 0x2a, 0x31);
        c.link = QColor(0x8c, 0x97, 0xa8);
        c.linkLabelFill = QColor(0x2b, 0x30, 0x38);
        c.selection = QColor(0x4d, 0xa3, 0xff);
        c.error = QColor(0xff, 0x6b, 0x6b);
        c.warning = QColor(0xf2, 0xa5, 0x3c);
        c.valid = QColor(0x4a, 0xc4, 0x86);
        c.shadow = QColor(0, 0, 0, 110);
    } else {
        c.background = QColor(0xf6, 0xf7, 0xf9);
        c.gridMinor = QColor(0xdc, 0xe0, 0xe6);
        c.gridMajor = QColor(0xc5, 0xcb, 0xd4);
        c.text = QColor(0x1d, 0x23, 0x2c);
        c.subText = QColor(0x5c, 0x66, 0x75);
        c.nodeFill = QColor(0xff, 0xff, 0xff);
        c.link = QColor(0x6b, 0x76, 0x87);
        c.linkLabelFill = QColor(0xff, 0xff, 0xff);
        c.selection = QColor(0x1a, 0x73, 0xe8);
        c.error = QColor(0xd9, 0x30, 0x25);
        c.warning = QColor(0xe3, 0x8a, 0x00);
        c.valid = QColor(0x1f, 0x9d, 0x5c);
        c.shadow = QColor(0x10, 0x18, 0x28, 38);
    }
    return c;
}

} // namespace ql
