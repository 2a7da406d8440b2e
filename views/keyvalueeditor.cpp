// The key/value table of the properties dock (see keyvalueeditor.h).
#include "keyvalueeditor.h"

#include "propertyfield.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace ql {

KeyValueEditor::KeyValueEditor(const QString &name, const QString &keyTitle,
                               const QString &valueTitle, QWidget *parent)
    : QWidget(parent)
    , table_(new QTableWidget(0, 2, this))
    , add_(new QToolButton(this))
    , remove_(new QToolButton(this))
    , errorLabel_(new QLabel(this))
{
    setObjectName(name);
    table_->setObjectName(name + QStringLiteral("_table"));
    table_->setHorizontalHeaderLabels({keyTitle, valueTitle});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table_->setEditTriggers(QAbstractItemView::AllEditTriggers);

    add_->setText(QStringLiteral("+"));
    add_->setToolTip(tr("Add a row"));
    add_->setAutoRaise(true);
    remove_->setText(QStringLiteral("\u2212"));
    remove_->setToolTip(tr("Remove the selected row"));
    remove_->setAutoRaise(true);

    errorLabel_->setWordWrap(true);
    errorLabel_->setVisible(false);

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(add_);
    buttons->addWidget(remove_);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(table_);
    layout->addLayout(buttons);
    layout->addWidget(errorLabel_);

    connect(add_, &QToolButton::clicked, this, [this] {
        const int row = table_->rowCount();
        loading_ = true;
        table_->insertRow(row);
        table_->setItem(row, 0, new QTableWidgetItem);
        table_->setItem(row, 1, new QTableWidgetItem);
        loading_ = false;
        updateHeight();
        table_->setCurrentCell(row, 0);
        table_->editItem(table_->item(row, 0));
    });
    connect(remove_, &QToolButton::clicked, this, [this] {
        const int row = table_->currentRow();
        if (row < 0)
            return;
        table_->removeRow(row);
        updateHeight();
        emit edited();
    });
    connect(table_, &QTableWidget::itemChanged, this, [this] {
        if (!loading_)
            emit edited();
    });
    updateHeight();
}

void KeyValueEditor::setPairs(const Pairs &pairs)
{
    loading_ = true;
    table_->setRowCount(0);
    for (const auto &[k, v] : pairs) {
        const int row = table_->rowCount();
        table_->insertRow(row);
        table_->setItem(row, 0, new QTableWidgetItem(k));
        table_->setItem(row, 1, new QTableWidgetItem(v));
    }
    loading_ = false;
    updateHeight();
    setError({});
}

KeyValueEditor::Pairs KeyValueEditor::pairs() const
{
    Pairs out;
    for (int row = 0; row < table_->rowCount(); ++row) {
        const QTableWidgetItem *k = table_->item(row, 0);
        const QTableWidgetItem *v = table_->item(row, 1);
        const QString key = k ? k->text().trimmed() : QString();
        if (!key.isEmpty())
            out.append({key, v ? v->text().trimmed() : QString()});
    }
    return out;
}

void KeyValueEditor::setError(const QString &message)
{
    error_ = message;
    errorLabel_->setText(message);
    errorLabel_->setVisible(!message.isEmpty());
    QPalette p = palette();
    p.setColor(QPalette::WindowText, errorColor(palette()));
    errorLabel_->setPalette(p);
}

void KeyValueEditor::updateHeight()
{
    // Grow with the rows up to five, then scroll.
    const int rows = std::clamp(table_->rowCount(), 1, 5);
    const int h = table_->horizontalHeader()->sizeHint().height()
                  + rows * table_->verticalHeader()->defaultSectionSize() + 2 * table_->frameWidth();
    table_->setFixedHeight(h);
}

} // namespace ql
