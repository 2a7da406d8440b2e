// A small two-column table for the list-valued properties: a producer's message headers and
// weighted routing keys, a headers binding's arguments. Rows with an empty key are ignored,
// so "add row, then type" never applies a half-written entry.
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QLabel;
class QTableWidget;
class QToolButton;

namespace ql {

class KeyValueEditor : public QWidget
{
    Q_OBJECT
public:
    KeyValueEditor(const QString &name, const QString &keyTitle, const QString &valueTitle,
                   QWidget *parent = nullptr);

    using Pairs = QList<QPair<QString, QString>>;
    void setPairs(const Pairs &pairs); // no edited() signal; clears the error
    Pairs pairs() const;
    void setError(const QString &message);
    QString error() const { return error_; }
    QTableWidget *table() const { return table_; }

signals:
    void edited();

private:
    void updateHeight();

    QTableWidget *table_;
    QToolButton *add_;
    QToolButton *remove_;
    QLabel *errorLabel_;
    QString error_;
    bool loading_ = false;
};

} // namespace ql
