// The palette-following SVG icon engine (see themedicon.h).
#include "themedicon.h"

#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace ql {

namespace {

class ThemedIconEngine : public QIconEngine
{
public:
    explicit ThemedIconEngine(const QString &path)
        : path_(path)
    {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            svg_ = file.readAll();
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QByteArray data = svg_;
        data.replace("currentColor", colorFor(mode).name(QColor::HexRgb).toLatin1());
        QSvgRenderer renderer(data);
        if (mode == QIcon::Disabled)
            painter->setOpacity(painter->opacity() * 0.6);
        renderer.render(painter, rect);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        const QColor color = colorFor(mode);
        const QString key = QStringLiteral("qlicon:%1:%2x%3:%4:%5")
                                .arg(path_)
                                .arg(size.width())
                                .arg(size.height())
                                .arg(color.rgba())
                                .arg(int(mode));
        QPixmap pm;
        if (QPixmapCache::find(key, &pm))
            return pm;
        pm = QPixmap(size);
        pm.fill(Qt::transparent);
        {
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            paint(&p, QRect(QPoint(), size), mode, state);
        }
        QPixmapCache::insert(key, pm);
        return pm;
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QIconEngine *clone() const override { return new ThemedIconEngine(*this); }
    QString key() const override { return QStringLiteral("ql-themed-svg"); }
    bool isNull() override { return svg_.isEmpty(); }

private:
    static QColor colorFor(QIcon::Mode mode)
    {
        const QPalette pal = QGuiApplication::palette();
        if (mode == QIcon::Selected)
            return pal.color(QPalette::HighlightedText);
        if (mode == QIcon::Disabled)
            return pal.color(QPalette::Disabled, QPalette::WindowText);
        // A touch softer than the text, as icon sets usually are.
        const QColor text = pal.color(QPalette::WindowText);
        const QColor window = pal.color(QPalette::Window);
        return QColor::fromRgbF(text.redF() * 0.85 + window.redF() * 0.15,
                                text.greenF() * 0.85 + window.greenF() * 0.15,
                                text.blueF() * 0.85 + window.blueF() * 0.15);
    }

    QString path_;
    QByteArray svg_;
};

} // namespace

QIcon themedIcon(const QString &name)
{
    return QIcon(new ThemedIconEngine(QStringLiteral(":/icons/%1.svg").arg(name)));
}

} // namespace ql
