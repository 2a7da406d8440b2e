#include "exportfiles.h"

#include "scenario/savefile.h"
#include "scenario/scenarioio.h"
#include "stats/resultsio.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QSaveFile>
#include <QSvgGenerator>

namespace ql {

namespace {

bool writeText(const std::string &text, const QString &path, QString *error)
{
    std::string message;
    if (writeTextFileAtomically(path.toStdString(), text, &message))
        return true;
    if (error)
        *error = QString::fromStdString(message);
    return false;
}

bool fail(const QString &path, const QString &reason, QString *error)
{
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason);
    return false;
}

bool writeBytes(const QByteArray &bytes, const QString &path, QString *error)
{
    if (QFileInfo(path).isDir())
        return fail(path, QStringLiteral("it is a folder"), error);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(path, file.errorString() + QStringLiteral("; check the folder exists and is writable"), error);
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return fail(path, reason, error);
    }
    if (!file.commit())
        return fail(path, file.errorString(), error);
    return true;
}

QRectF sceneArea(QGraphicsScene *scene)
{
    QRectF area = scene->itemsBoundingRect();
    return area.adjusted(-24, -24, 24, 24);
}

} // namespace

bool exportResultsJson(const Results &results, const QString &path, QString *error)
{
    return writeText(resultsToJson(results), path, error);
}

bool exportResultsCsv(const Results &results, const QString &path, QString *error)
{
    return writeText(resultsToCsv(results), path, error);
}

bool exportSeriesCsv(const TimeSeries &series, const QString &path, QString *error)
{
    return writeText(seriesToCsv(series), path, error);
}

bool exportScenarioJson(const Scenario &scenario, const QString &path, QString *error)
{
    return writeText(scenarioToJson(scenario), path, error);
}

bool exportScenePng(QGraphicsScene *scene, const QString &path, QString *error, double scale)
{
    if (!scene || scene->items().isEmpty())
        return fail(path, QStringLiteral("the canvas is empty"), error);
    const QRectF area = sceneArea(scene);
    const QSize size = (area.size() * scale).toSize();
    if (size.width() > 16000 || size.height() > 16000)
        return fail(path, QStringLiteral("the canvas is too large for one image; export SVG instead"), error);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(scene->palette().color(QPalette::Base));
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        scene->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), area);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return fail(path, QStringLiteral("the canvas could not be encoded as PNG"), error);
    return writeBytes(bytes, path, error);
}

bool exportSceneSvg(QGraphicsScene *scene, const QString &path, QString *error, const QString &title)
{
    if (!scene || scene->items().isEmpty())
        return fail(path, QStringLiteral("the canvas is empty"), error);
    const QRectF area = sceneArea(scene);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(area.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
    svg.setTitle(title.isEmpty() ? QStringLiteral("QueueLab topology") : title);
    svg.setDescription(QStringLiteral("Exported by QueueLab"));
    {
        QPainter painter(&svg);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.fillRect(QRectF(QPointF(0, 0), area.size()), scene->palette().color(QPalette::Base));
        scene->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
    }
    return writeBytes(bytes, path, error);
}

} // namespace ql
