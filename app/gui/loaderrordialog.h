// The dialog shown when a scenario file cannot be opened: the file, how many problems, and
// every message the loader gave (errors first, then warnings), selectable for copying.
// Opening it changes nothing else: the document on screen stays as it was.
#pragma once

#include "scenario/diagnostic.h"

#include <QDialog>

namespace ql {

class LoadErrorDialog : public QDialog
{
    Q_OBJECT
public:
    LoadErrorDialog(const QString &fileName, const Diagnostics &diagnostics, QWidget *parent = nullptr);

    // All messages, one a line, as shown.
    QString messages() const { return messages_; }

private:
    QString messages_;
};

} // namespace ql
