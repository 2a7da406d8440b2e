// The keyboard shortcuts dialog (see shortcutsdialog.h).
#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ql {

ShortcutsDialog::ShortcutsDialog(const QList<Section> &sections, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard and Mouse Shortcuts"));
    auto *tree = new QTreeWidget(this);
    tree->setColumnCount(2);
    tree->setHeaderLabels({tr("Action"), tr("Shortcut")});
    tree->setRootIsDecorated(false);
    tree->setAlternatingRowColors(true);
    tree->setSelectionMode(QAbstractItemView::NoSelection);
    tree->setFocusPolicy(Qt::NoFocus);

    auto section = [tree](const QString &title) {
        auto *item = new QTreeWidgetItem(tree, {title});
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
        item->setFirstColumnSpanned(true);
    };
    auto row = [tree](const QString &what, const QString &keys) {
        new QTreeWidgetItem(tree, {what, keys});
    };
    for (const auto &[title, actions] : sections) {
        section(title);
        for (QAction *a : actions) {
            QStringList keys;
            for (const QKeySequence &k : a->shortcuts())
                keys << k.toString(QKeySequence::NativeText);
            row(a->text().remove(QLatin1Char('&')).remove(QStringLiteral("...")),
                keys.join(QStringLiteral(", ")));
        }
    }
    section(tr("Canvas"));
    row(tr("Zoom about the cursor"), tr("Wheel, Ctrl+Wheel"));
    row(tr("Scroll sideways"), tr("Shift+Wheel"));
    row(tr("Pan"), tr("Middle-drag, Space+drag, scroll bars"));
    row(tr("Select several"), tr("Drag on empty canvas, Ctrl+click"));
    row(tr("Link two nodes"), tr("Drag from a node's right-hand port, Shift+drag, or the Link tool"));
    row(tr("Nudge the selection"), tr("Arrow keys (Shift: five grid steps)"));
    row(tr("Cancel drawing a link"), tr("Esc"));
    row(tr("Add a node"), tr("Drag from the palette, or click a palette tile"));
    tree->resizeColumnToContents(0);
    tree->header()->setStretchLastSection(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tree);
    layout->addWidget(buttons);
    resize(600, 640);
}

} // namespace ql
