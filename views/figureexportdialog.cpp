// The figure export dialog (see figureexportdialog.h).
#include "figureexportdialog.h"

#include "chartwidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QVBoxLayout>

namespace ql {

FigureExportDialog::FigureExportDialog(QWidget *parent)
    : QDialog(parent)
    , preset_(new QComboBox(this))
    , family_(new QFontComboBox(this))
    , size_(new QDoubleSpinBox(this))
    , white_(new QCheckBox(tr("White background (black text)"), this))
    , format_(new QComboBox(this))
    , summary_(new QLabel(this))
{
    setWindowTitle(tr("Export Figure"));
    setObjectName(QStringLiteral("figureExportDialog"));
    for (auto p : {ChartFigure::Preset::SingleColumn, ChartFigure::Preset::DoubleColumn, ChartFigure::Preset::Slide})
        preset_->addItem(ChartFigure::presetLabel(p), int(p));
    preset_->setObjectName(QStringLiteral("figurePreset"));
    family_->setCurrentFont(font());
    size_->setRange(ChartFigure::MinimumFontPoints, 36);
    size_->setDecimals(0);
    size_->setSuffix(tr(" pt"));
    size_->setObjectName(QStringLiteral("figureFontSize"));
    white_->setChecked(true);
    format_->addItem(tr("PDF (vector)"), QStringLiteral("pdf"));
    format_->addItem(tr("SVG (vector)"), QStringLiteral("svg"));
    format_->addItem(tr("PNG (300 dpi)"), QStringLiteral("png"));
    summary_->setForegroundRole(QPalette::PlaceholderText);
    summary_->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Size"), preset_);
    form->addRow(tr("Font"), family_);
    form->addRow(tr("Text size"), size_);
    form->addRow(QString(), white_);
    form->addRow(tr("Format"), format_);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(preset_, &QComboBox::currentIndexChanged, this, &FigureExportDialog::presetChosen);
    connect(size_, &QDoubleSpinBox::valueChanged, this, &FigureExportDialog::updateSummary);
    presetChosen();
}

void FigureExportDialog::presetChosen()
{
    size_->setValue(ChartFigure::fromPreset(ChartFigure::Preset(preset_->currentData().toInt())).fontPoints);
    updateSummary();
}

void FigureExportDialog::updateSummary()
{
    const ChartFigure f = figure();
    summary_->setText(tr("%1 \u00d7 %2 in; text %3 pt at that size.")
                          .arg(f.inches.width())
                          .arg(f.inches.height())
                          .arg(f.fontPoints));
}

ChartFigure FigureExportDialog::figure() const
{
    ChartFigure f = ChartFigure::fromPreset(ChartFigure::Preset(preset_->currentData().toInt()));
    f.fontPoints = size_->value();
    f.fontFamily = family_->currentFont().family();
    f.whiteBackground = white_->isChecked();
    return f;
}

QString FigureExportDialog::format() const
{
    return format_->currentData().toString();
}

void FigureExportDialog::exportChart(ChartWidget *chart)
{
    FigureExportDialog dialog(chart);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString suffix = dialog.format();
    const QString path = QFileDialog::getSaveFileName(chart, tr("Export Figure"), chart->name() + QLatin1Char('.') + suffix,
                                                      suffix.toUpper() + QStringLiteral(" (*.") + suffix + QLatin1Char(')'));
    if (path.isEmpty())
        return;
    QString error;
    if (!chart->exportFigure(path, dialog.figure(), &error))
        QMessageBox::warning(chart, tr("Export Figure"), error);
}

} // namespace ql
