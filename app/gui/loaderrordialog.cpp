// The "cannot open" dialog (see loaderrordialog.h).
#include "loaderrordialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>

namespace ql {

LoadErrorDialog::LoadErrorDialog(const QString &fileName, const Diagnostics &diagnostics,
                                 QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("loadErrorDialog"));
    setWindowTitle(tr("Cannot open %1").arg(fileName));
    messages_ = QString::fromStdString(diagnostics.toString()).trimmed();
    const int errors = int(diagnostics.errors().size());

    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(40, 40));
    auto *title = new QLabel(tr("<b>%1 cannot be opened.</b>").arg(fileName.toHtmlEscaped()), this);
    auto *summary = new QLabel(tr("The loader found %1 %2; the scenario on screen is unchanged. "
                                  "Fix the file and open it again.")
                                   .arg(errors)
                                   .arg(errors == 1 ? tr("error") : tr("errors")),
                               this);
    summary->setWordWrap(true);
    auto *text = new QPlainTextEdit(messages_, this);
    text->setObjectName(QStringLiteral("loadErrorMessages"));
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    text->setMinimumSize(560, 160);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy Messages"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(messages_); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *grid = new QGridLayout(this);
    grid->setHorizontalSpacing(14);
    grid->addWidget(icon, 0, 0, 2, 1, Qt::AlignTop);
    grid->addWidget(title, 0, 1);
    grid->addWidget(summary, 1, 1);
    grid->addWidget(text, 2, 0, 1, 2);
    grid->addWidget(buttons, 3, 0, 1, 2);
    grid->setColumnStretch(1, 1);
}

} // namespace ql
