// The recent files menu (see recentfiles.h).
#include "recentfiles.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace ql {

namespace {

const QString kKey = QStringLiteral("recentFiles");

} // namespace

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , menu_(menu)
{
    updateMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString &path)
{
    QStringList list = files();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > MaxFiles)
        list.removeLast();
    QSettings().setValue(kKey, list);
    updateMenu();
}

void RecentFiles::clear()
{
    QSettings().remove(kKey);
    updateMenu();
}

void RecentFiles::updateMenu()
{
    menu_->clear();
    const QStringList list = files();
    if (list.isEmpty()) {
        menu_->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    int n = 0;
    for (const QString &path : list) {
        ++n;
        // Mnemonics 1-8, then the file name; the full path in the status bar.
        QAction *a = menu_->addAction(QStringLiteral("&%1  %2").arg(n).arg(QFileInfo(path).fileName()));
        a->setData(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    menu_->addSeparator();
    menu_->addAction(tr("&Clear Menu"), this, &RecentFiles::clear);
}

} // namespace ql
