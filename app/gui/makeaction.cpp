#include "makeaction.h"

#include "themedicon.h"

#include <QAction>

namespace ql {

QAction *makeAction(QObject *parent, const QString &name, const QString &text, const QString &icon,
                    const QString &tip)
{
    auto *a = new QAction(text, parent);
    a->setObjectName(name);
    if (!icon.isEmpty())
        a->setIcon(themedIcon(icon));
    a->setStatusTip(tip);
    a->setToolTip(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("...")));
    return a;
}

QList<QKeySequence> shortcuts(std::initializer_list<QKeySequence> keys)
{
    QList<QKeySequence> out;
    for (const QKeySequence &k : keys)
        if (!k.isEmpty() && !out.contains(k))
            out.append(k);
    return out;
}

void addShortcutToToolTip(QAction *a)
{
    if (!a->shortcut().isEmpty())
        a->setToolTip(QStringLiteral("%1 <span style='color:gray'>%2</span>")
                          .arg(a->toolTip(), a->shortcut().toString(QKeySequence::NativeText)));
}

} // namespace ql
