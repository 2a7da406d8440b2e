// Light and dark palettes (see apptheme.h).
#include "apptheme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QToolTip>

namespace ql {

namespace {

void setDisabled(QPalette &p, const QColor &text, const QColor &button)
{
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, text);
    p.setColor(QPalette::Disabled, QPalette::Button, button);
}

} // namespace

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xf3, 0xf4, 0xf6);
    const QColor text(0x1d, 0x23, 0x2c);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf6, 0xf7, 0xf9));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x74, 0x82));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0xf8, 0xf9, 0xfa));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe9, 0xeb, 0xee));
    p.setColor(QPalette::Mid, QColor(0xc9, 0xce, 0xd6));
    p.setColor(QPalette::Dark, QColor(0xa3, 0xaa, 0xb5));
    p.setColor(QPalette::Shadow, QColor(0x60, 0x66, 0x70));
    p.setColor(QPalette::Highlight, QColor(0x1a, 0x73, 0xe8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1a, 0x73, 0xe8));
    p.setColor(QPalette::LinkVisited, QColor(0x6a, 0x3d, 0xc8));
    setDisabled(p, QColor(0xa0, 0xa6, 0xb0), QColor(0xef, 0xf0, 0xf2));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x25, 0x29, 0x2f);
    const QColor text(0xe6, 0xe9, 0xee);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1c, 0x1f, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::ToolTipBase, QColor(0x30, 0x35, 0x3d));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x94, 0x9c, 0xa8));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x31, 0x36, 0x3e));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x3c, 0x42, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x34, 0x39, 0x41));
    p.setColor(QPalette::Mid, QColor(0x45, 0x4b, 0x55));
    p.setColor(QPalette::Dark, QColor(0x18, 0x1b, 0x1f));
    p.setColor(QPalette::Shadow, QColor(0x0e, 0x10, 0x13));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xf2));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6e, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xfa));
    setDisabled(p, QColor(0x6b, 0x72, 0x7d), QColor(0x2c, 0x30, 0x37));
    return p;
}

void applyTheme(bool dark)
{
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette p = dark ? darkPalette() : lightPalette();
    QApplication::setPalette(p);
    QToolTip::setPalette(p);
}

} // namespace ql
