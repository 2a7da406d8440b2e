// "Export figure…" of a chart: where the figure goes (single column, double column, slide),
// its font and text size, white background or the chart's colours, and the format (vector
// PDF or SVG, or PNG at 300 dpi); then the file.
#pragma once

#include "chartfigure.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;

namespace ql {

class ChartWidget;

class FigureExportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FigureExportDialog(QWidget *parent = nullptr);

    ChartFigure figure() const;
    // "pdf", "svg" or "png".
    QString format() const;

    // Asks for the figure and the file, and writes it; a failure is shown in a message box.
    static void exportChart(ChartWidget *chart);

private:
    void presetChosen();
    void updateSummary();

    QComboBox *preset_;
    QFontComboBox *family_;
    QDoubleSpinBox *size_;
    QCheckBox *white_;
    QComboBox *format_;
    QLabel *summary_;
};

} // namespace ql
