#include "charttheme.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ql {

namespace {

const QColor LightSeries[] = {
    QColor(0x25, 0x63, 0xeb), QColor(0xea, 0x58, 0x0c), QColor(0x16, 0xa3, 0x4a), QColor(0x93, 0x33, 0xea),
    QColor(0x08, 0x91, 0xb2), QColor(0xdb, 0x27, 0x77), QColor(0xca, 0x8a, 0x04), QColor(0x47, 0x55, 0x69),
};
const QColor DarkSeries[] = {
    QColor(0x60, 0xa5, 0xfa), QColor(0xfb, 0x92, 0x3c), QColor(0x4a, 0xde, 0x80), QColor(0xc0, 0x84, 0xfc),
    QColor(0x22, 0xd3, 0xee), QColor(0xf4, 0x72, 0xb6), QColor(0xfa, 0xcc, 0x15), QColor(0x94, 0xa3, 0xb8),
};
constexpr int SeriesCount = int(sizeof LightSeries / sizeof LightSeries[0]);

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

} // namespace

ChartTheme ChartTheme::fromPalette(const QPalette &palette, const QFont &font)
{
    ChartTheme t;
    t.background = palette.color(QPalette::Window);
    t.plotArea = palette.color(QPalette::Base);
    t.dark = t.plotArea.lightnessF() < 0.5;
    t.text = palette.color(QPalette::WindowText);
    t.axis = withAlpha(t.text, 150);
    t.grid = withAlpha(t.text, t.dark ? 45 : 35);
    t.subGrid = withAlpha(t.text, t.dark ? 18 : 14);
    t.legendBackground = withAlpha(t.plotArea, 225);
    t.legendBorder = withAlpha(t.text, 40);
    t.readoutBackground = t.dark ? QColor(30, 32, 38, 235) : QColor(255, 255, 255, 240);
    t.warmup = withAlpha(t.text, t.dark ? 22 : 14);
    t.font = font;
    if (t.font.pointSizeF() > 0)
        t.font.setPointSizeF(std::max(7.5, font.pointSizeF() - 1));
    t.titleFont = font;
    t.titleFont.setBold(true);
    return t;
}

QColor ChartTheme::series(int i) const
{
    const int k = ((i % SeriesCount) + SeriesCount) % SeriesCount;
    return dark ? DarkSeries[k] : LightSeries[k];
}

void ChartTheme::applyTo(QCustomPlot *plot) const
{
    plot->setBackground(background);
    for (QCPAxisRect *rect : plot->axisRects()) {
        rect->setBackground(plotArea);
        for (QCPAxis *a : rect->axes()) {
            a->setBasePen(QPen(this->axis, 1));
            a->setTickPen(QPen(this->axis, 1));
            a->setSubTickPen(QPen(this->axis, 1));
            a->setTickLabelColor(text);
            a->setLabelColor(text);
            a->setTickLabelFont(font);
            a->setLabelFont(font);
            a->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
            a->grid()->setSubGridPen(QPen(subGrid, 1, Qt::DotLine));
            a->grid()->setZeroLinePen(QPen(grid, 1));
        }
    }
    plot->legend->setBrush(QBrush(legendBackground));
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setTextColor(text);
    plot->legend->setFont(font);
    plot->legend->setSelectedFont(font);
}

} // namespace ql
