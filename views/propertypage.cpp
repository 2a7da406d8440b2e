// The common look and helpers of the properties pages (see propertypage.h).
#include "propertypage.h"

#include "canvasmetrics.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>

namespace ql {

PropertyPage::PropertyPage(ScenarioDocument *document, TrialValidator *validator, QWidget *parent)
    : QWidget(parent)
    , document_(document)
    , validator_(validator)
{
}

void PropertyPage::setDiagnostics(const Diagnostics &diagnostics)
{
    diagnostics_ = diagnostics;
    updateProblems();
}

QWidget *PropertyPage::makeHeader(QLabel **icon, QLabel **title, QLabel **subtitle)
{
    auto *header = new QWidget(this);
    auto *grid = new QGridLayout(header);
    grid->setContentsMargins(0, 0, 0, 10);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(0);
    *icon = new QLabel(header);
    (*icon)->setFixedSize(32, 32);
    *title = new QLabel(header);
    QFont f = (*title)->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setWeight(QFont::DemiBold);
    (*title)->setFont(f);
    (*title)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    (*title)->setWordWrap(true);
    *subtitle = new QLabel(header);
    (*subtitle)->setForegroundRole(QPalette::PlaceholderText);
    (*subtitle)->setWordWrap(true);
    grid->addWidget(*icon, 0, 0, 2, 1, Qt::AlignTop);
    grid->addWidget(*title, 0, 1);
    grid->addWidget(*subtitle, 1, 1);
    grid->setColumnStretch(1, 1);
    return header;
}

QLabel *PropertyPage::sectionLabel(const QString &text)
{
    auto *label = new QLabel(text.toUpper());
    label->setObjectName(QStringLiteral("section"));
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.82);
    f.setWeight(QFont::Bold);
    f.setLetterSpacing(QFont::PercentageSpacing, 106);
    label->setFont(f);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setContentsMargins(0, 12, 0, 2);
    return label;
}

QFormLayout *PropertyPage::newForm()
{
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(7);
    return form;
}

QLabel *PropertyPage::hintLabel()
{
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.92);
    label->setFont(f);
    return label;
}

QLabel *PropertyPage::newProblemsLabel()
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setContentsMargins(0, 0, 0, 6);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setVisible(false);
    return label;
}

QString PropertyPage::problemsHtml(const std::string &prefix, int limit) const
{
    std::vector<Diagnostic> items;
    for (const Diagnostic &d : diagnostics_.items) {
        if (d.path.compare(0, prefix.size(), prefix) == 0
            && (d.path.size() == prefix.size() || d.path[prefix.size()] == '.'))
            items.push_back(d);
    }
    return problemsHtml(items, limit);
}

QString PropertyPage::problemsHtml(const std::vector<Diagnostic> &items, int limit) const
{
    if (items.empty())
        return {};
    const CanvasColors colors = canvasColors(palette());
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    int shown = 0;
    for (const Diagnostic &d : items) {
        if (shown++ == limit) {
            html += QStringLiteral("<tr><td></td><td>%1</td></tr>")
                        .arg(tr("\u2026 and %1 more").arg(int(items.size()) - limit));
            break;
        }
        const bool error = d.severity == Diagnostic::Severity::Error;
        html += QStringLiteral("<tr><td valign='top' style='color:%1; padding-right:6px'>%2</td>"
                               "<td>%3</td></tr>")
                    .arg((error ? colors.error : colors.warning).name(),
                         error ? QStringLiteral("\u2716") : QStringLiteral("\u26a0"),
                         QString::fromStdString(d.message).toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}

QString PropertyPage::mergeKey(const QString &path) const
{
    return QStringLiteral("%1#%2").arg(path).arg(session_);
}

QString PropertyPage::describe(const Diagnostic &d, const QString &fieldPath)
{
    const QString path = QString::fromStdString(d.path);
    if (path.startsWith(fieldPath))
        return QString::fromStdString(d.message);
    return QStringLiteral("%1: %2").arg(path, QString::fromStdString(d.message));
}

QString countText(qsizetype n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace ql
