// A chart as a figure for a paper or a slide: its size in inches and its text size in
// points, chosen for where it goes (a single column of a two-column paper is 3.5 in wide,
// a full page width 7 in, a 16:9 slide 10 in), so the text in the file is as large as the
// page shows it. ChartWidget::exportFigure() writes it as vector PDF or SVG, or PNG.
#pragma once

#include <QSizeF>
#include <QString>

namespace ql {

struct ChartFigure
{
    enum class Preset { SingleColumn, DoubleColumn, Slide };

    Preset preset = Preset::SingleColumn;
    QSizeF inches{3.5, 2.5};
    double fontPoints = 8;   // tick labels, legend, axis titles; the title is a little larger
    QString fontFamily;      // empty: the chart's own
    bool whiteBackground = true; // black on white whatever the desktop theme
    int pngDpi = 300;

    static ChartFigure fromPreset(Preset preset);
    static QString presetLabel(Preset preset);
    // The page in points (1/72 in), as the PDF and SVG are written.
    QSize points() const { return (inches * 72).toSize(); }
    static constexpr double MinimumFontPoints = 7;
};

} // namespace ql
