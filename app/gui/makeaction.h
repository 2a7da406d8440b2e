// How the main window's actions are made, so that every menu entry, wherever it is built
// (MainWindow, CanvasActions), has the same object name rule, icon, tips and shortcut style.
#pragma once

#include <QKeySequence>
#include <QList>
#include <QString>

#include <initializer_list>

class QAction;
class QObject;

namespace ql {

// An action named `name` (tests and settings find it by that name) with a themed icon, a
// status tip and a tool tip without the mnemonic.
QAction *makeAction(QObject *parent, const QString &name, const QString &text, const QString &icon,
                    const QString &tip);

// Standard keys first, then the ones users of other desktops expect, without duplicates
// (the same key twice on one action would be an ambiguous shortcut).
QList<QKeySequence> shortcuts(std::initializer_list<QKeySequence> keys);

// "Undo" tool tips that name the shortcut, as desktop tools do.
void addShortcutToToolTip(QAction *a);

} // namespace ql
