// A line edit that can show why its value was refused (see propertyfield.h).
#include "propertyfield.h"

#include "canvasmetrics.h"

#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

PropertyField::PropertyField(const QString &name, QWidget *parent)
    : QWidget(parent)
    , edit_(new QLineEdit(this))
    , errorLabel_(new QLabel(this))
{
    setObjectName(QStringLiteral("field_%1").arg(name));
    edit_->setObjectName(name);
    edit_->setClearButtonEnabled(false);
    errorLabel_->setObjectName(name + QStringLiteral("_error"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setVisible(false);
    errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = errorLabel_->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    errorLabel_->setFont(f);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(edit_);
    layout->addWidget(errorLabel_);
    connect(edit_, &QLineEdit::textEdited, this, &PropertyField::edited);
    connect(edit_, &QLineEdit::editingFinished, this, &PropertyField::editingFinished);
}

QString PropertyField::text() const
{
    return edit_->text();
}

void PropertyField::setText(const QString &text)
{
    if (edit_->text() != text) {
        edit_->setText(text);
        // Show the start of a long value, not its end.
        if (!edit_->hasFocus())
            edit_->setCursorPosition(0);
    }
    setError({});
}

void PropertyField::setPlaceholderText(const QString &text)
{
    edit_->setPlaceholderText(text);
}

void PropertyField::setReadOnly(bool readOnly)
{
    edit_->setReadOnly(readOnly);
}

void PropertyField::setError(const QString &message)
{
    if (message == error_)
        return;
    error_ = message;
    errorLabel_->setText(message);
    errorLabel_->setVisible(!message.isEmpty());
    edit_->setToolTip(message);
    applyErrorLook();
}

void PropertyField::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && !error_.isEmpty()) {
        // Re-derive from the new window palette, not from our own tinted one.
        edit_->setPalette(QPalette());
        applyErrorLook();
    }
    QWidget::changeEvent(event);
}

void PropertyField::applyErrorLook()
{
    const QPalette base = palette();
    if (error_.isEmpty()) {
        edit_->setPalette(base);
        errorLabel_->setPalette(base);
        return;
    }
    const QColor red = errorColor(base);
    QPalette p = base;
    const QColor field = base.color(QPalette::Base);
    p.setColor(QPalette::Base, QColor::fromRgbF(field.redF() * 0.82 + red.redF() * 0.18,
                                                field.greenF() * 0.82 + red.greenF() * 0.18,
                                                field.blueF() * 0.82 + red.blueF() * 0.18));
    p.setColor(QPalette::Text, red);
    p.setColor(QPalette::Highlight, red);
    edit_->setPalette(p);
    QPalette lp = base;
    lp.setColor(QPalette::WindowText, red);
    errorLabel_->setPalette(lp);
}

void showRow(QFormLayout *form, QWidget *field, bool shown)
{
    if (QWidget *label = form->labelForField(field))
        label->setVisible(shown);
    field->setVisible(shown);
}

QColor errorColor(const QPalette &palette)
{
    return canvasColors(palette).error;
}

std::optional<double> parseNumber(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        *error = QObject::tr("enter a number");
        return std::nullopt;
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v)) {
        *error = QObject::tr("\u201c%1\u201d is not a number").arg(t);
        return std::nullopt;
    }
    return v;
}

std::optional<qint64> parseInteger(const QString &text, QString *error)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        *error = QObject::tr("enter a whole number");
        return std::nullopt;
    }
    bool ok = false;
    const qint64 v = t.toLongLong(&ok);
    if (!ok) {
        bool isNumber = false;
        t.toDouble(&isNumber);
        *error = isNumber ? QObject::tr("must be a whole number, got %1").arg(t)
                          : QObject::tr("\u201c%1\u201d is not a whole number").arg(t);
        return std::nullopt;
    }
    return v;
}

std::optional<std::vector<double>> parseNumberList(const QString &text, QString *error)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    std::vector<double> out;
    const QStringList parts = text.trimmed().split(separators, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        bool ok = false;
        const double v = part.toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            *error = QObject::tr("\u201c%1\u201d is not a number; separate values with commas").arg(part);
            return std::nullopt;
        }
        out.push_back(v);
    }
    if (out.empty()) {
        *error = QObject::tr("enter at least one number, separated by commas");
        return std::nullopt;
    }
    return out;
}

QString formatNumber(double value)
{
    // The shortest text that reads back as the same double.
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString formatNumberList(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts << formatNumber(v);
    return parts.join(QStringLiteral(", "));
}

} // namespace ql
