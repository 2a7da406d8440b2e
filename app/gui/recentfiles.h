// File > Open Recent: the last eight scenario files opened or saved, most recent first,
// kept in QSettings ("recentFiles") so they survive restarts.
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace ql {

class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxFiles = 8;

    // Fills `menu` and keeps it up to date.
    explicit RecentFiles(QMenu *menu, QObject *parent = nullptr);

    QStringList files() const;
    void add(const QString &path);
    void clear();

signals:
    void openRequested(const QString &path);

private:
    void updateMenu();

    QMenu *menu_;
};

} // namespace ql
