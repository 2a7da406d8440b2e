// Help > Keyboard Shortcuts: every menu action with its keys, by menu, followed by the mouse
// gestures of the canvas. Built from the actions themselves, so it never goes stale.
#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

class QAction;

namespace ql {

class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    using Section = QPair<QString, QList<QAction *>>;
    explicit ShortcutsDialog(const QList<Section> &sections, QWidget *parent = nullptr);
};

} // namespace ql
