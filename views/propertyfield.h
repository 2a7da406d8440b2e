// One editable value of the properties dock: a line edit with room for the reason when the
// typed value is refused ("must be > 0, got -1"), shown in red under it. Numbers are typed
// as text rather than in spin boxes on purpose: a spin box silently clamps, while here the
// user sees what is wrong and the scenario keeps its last valid value.
#pragma once

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace ql {

class PropertyField : public QWidget
{
    Q_OBJECT
public:
    explicit PropertyField(const QString &name, QWidget *parent = nullptr);

    QLineEdit *lineEdit() const { return edit_; }
    QString text() const;
    // Shows a value from the document: no edited() signal, and any error is cleared.
    void setText(const QString &text);
    void setPlaceholderText(const QString &text);
    void setReadOnly(bool readOnly);
    // Empty clears the error.
    void setError(const QString &message);
    QString error() const { return error_; }
    bool hasError() const { return !error_.isEmpty(); }

signals:
    void edited(const QString &text);
    void editingFinished();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyErrorLook();

    QLineEdit *edit_;
    QLabel *errorLabel_;
    QString error_;
};

// Parsing of typed values, with the reason when the text is not a value.
std::optional<double> parseNumber(const QString &text, QString *error);
std::optional<qint64> parseInteger(const QString &text, QString *error);
std::optional<std::vector<double>> parseNumberList(const QString &text, QString *error);
QString formatNumber(double value);
QString formatNumberList(const std::vector<double> &values);
// Shows or hides a row of `form`: its field and its label. Used instead of
// QFormLayout::setRowVisible, which in Qt 6.4 writes past its height-for-width arrays when
// rows are hidden and a row wraps text (a heap corruption: pages lost their sections, and
// tst_editor crashed in the next layout).
void showRow(QFormLayout *form, QWidget *field, bool shown);
// A red message colour that reads on the current palette.
QColor errorColor(const QPalette &palette);

} // namespace ql
