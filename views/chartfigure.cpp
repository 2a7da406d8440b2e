// Figure presets, and a chart drawn at a figure's size (see chartfigure.h).
#include "chartfigure.h"

#include "chartwidget.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPalette>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ql {

ChartFigure ChartFigure::fromPreset(Preset preset)
{
    ChartFigure f;
    f.preset = preset;
    switch (preset) {
    case Preset::SingleColumn:
        f.inches = {3.5, 2.5};
        f.fontPoints = 8;
        break;
    case Preset::DoubleColumn:
        f.inches = {7, 3.2};
        f.fontPoints = 9;
        break;
    case Preset::Slide:
        f.inches = {10, 5.625};
        f.fontPoints = 16;
        break;
    }
    return f;
}

QString ChartFigure::presetLabel(Preset preset)
{
    switch (preset) {
    case Preset::SingleColumn:
        return QObject::tr("Single column (3.5 in)");
    case Preset::DoubleColumn:
        return QObject::tr("Double column (7 in)");
    case Preset::Slide:
        return QObject::tr("Slide 16:9 (10 in)");
    }
    return {};
}

namespace {

// Black on white, as a printed page is, whatever the desktop's theme.
QPalette paperPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, Qt::white);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::WindowText, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Text, QColor(0x1a, 0x1a, 0x1a));
    return p;
}

} // namespace

bool ChartWidget::exportFigure(const QString &path, const ChartFigure &figure, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize page = figure.points();
    if (page.isEmpty()) {
        if (error)
            *error = tr("cannot write %1: the figure has no size").arg(path);
        return false;
    }
    // The figure's own theme: one drawing unit is one point of the page, so a font of N
    // pixels is N points in the file.
    ChartTheme t = ChartTheme::fromPalette(figure.whiteBackground ? paperPalette() : palette(), font());
    QFont base = font();
    if (!figure.fontFamily.isEmpty())
        base.setFamily(figure.fontFamily);
    const int size = int(std::lround(std::max(figure.fontPoints, ChartFigure::MinimumFontPoints)));
    t.font = base;
    t.font.setPixelSize(size);
    t.titleFont = base;
    t.titleFont.setPixelSize(int(std::lround(size * 1.15)));
    t.titleFont.setBold(true);
    restyle(t);
    prepareExport(page);
    bool ok = false;
    if (suffix == QLatin1String("pdf")) {
        ok = writePdf(path, page, error);
    } else if (suffix == QLatin1String("svg")) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setResolution(72); // one unit a point
        svg.setSize(page);
        svg.setViewBox(QRect(QPoint(0, 0), page));
        svg.setTitle(title());
        svg.setDescription(QStringLiteral("QueueLab"));
        QCPPainter painter;
        if (painter.begin(&svg)) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            plot()->toPainter(&painter, page.width(), page.height());
            painter.end();
            ok = writeFile(path, buffer.data(), error);
        }
    } else {
        const QPixmap pixmap = plot()->toPixmap(page.width(), page.height(), figure.pngDpi / 72.0);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        ok = !pixmap.isNull() && pixmap.save(&buffer, "PNG") && writeFile(path, buffer.data(), error);
    }
    if (!ok && error && error->isEmpty())
        *error = tr("cannot write %1: the chart could not be drawn as %2").arg(path, suffix.toUpper());
    finishExport();
    restyle();
    return ok;
}

} // namespace ql
