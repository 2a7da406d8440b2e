// Colours and pens of QueueLab's charts, derived from the widget's palette so the charts
// read well in light and dark desktop themes alike. Series colours are a qualitative set
// tuned per theme (darker on light backgrounds, lighter on dark ones).
#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

class QCustomPlot;

namespace ql {

struct ChartTheme
{
    bool dark = false;
    QColor background;   // outside the axes
    QColor plotArea;     // inside the axes
    QColor text;
    QColor axis;
    QColor grid;
    QColor subGrid;
    QColor legendBackground;
    QColor legendBorder;
    QColor readoutBackground;
    QColor warmup;       // shade of the warm-up period
    QFont font;          // tick labels and legend
    QFont titleFont;

    static ChartTheme fromPalette(const QPalette &palette, const QFont &font);
    // Series colour i (cycles through a set of eight).
    QColor series(int i) const;
    // Axes, grid, legend and backgrounds of `plot` (not its graphs).
    void applyTo(QCustomPlot *plot) const;
};

} // namespace ql
