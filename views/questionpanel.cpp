// The predict-then-run panel of a lesson question (see questionpanel.h).
#include "questionpanel.h"

#include "canvasmetrics.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QFont scaled(QFont f, double factor)
{
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else if (f.pixelSize() > 0)
        f.setPixelSize(int(std::lround(f.pixelSize() * factor)));
    return f;
}

QLabel *markdownLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::MarkdownText);
    label->setWordWrap(true);
    label->setOpenExternalLinks(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    return label;
}

} // namespace

QuestionPanel::QuestionPanel(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("questionPanel"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);

    heading_ = new QLabel(tr("Predict, then run"), this);
    heading_->setObjectName(QStringLiteral("questionHeading"));
    prompt_ = markdownLabel(this);
    prompt_->setObjectName(QStringLiteral("questionPrompt"));

    guess_ = new QLineEdit(this);
    guess_->setObjectName(QStringLiteral("guessField"));
    guess_->setPlaceholderText(tr("your guess"));
    guess_->setClearButtonEnabled(true);
    guess_->setMinimumWidth(80);
    unit_ = new QLabel(this);
    unit_->setObjectName(QStringLiteral("guessUnit"));
    run_ = new QPushButton(tr("Run and compare"), this);
    run_->setObjectName(QStringLiteral("runAndCompareButton"));
    run_->setToolTip(tr("Simulate this step with all its replications and compare (Enter)"));
    run_->setAutoDefault(true);
    auto *entry = new QHBoxLayout;
    entry->setSpacing(6);
    entry->addWidget(guess_, 1);
    entry->addWidget(unit_);
    entry->addWidget(run_);

    progressRow_ = new QWidget(this);
    progress_ = new QProgressBar(progressRow_);
    progress_->setObjectName(QStringLiteral("questionProgress"));
    progress_->setRange(0, 1000);
    progress_->setFormat(tr("simulating %p%"));
    cancel_ = new QPushButton(tr("Cancel"), progressRow_);
    cancel_->setObjectName(QStringLiteral("questionCancelButton"));
    auto *progressLayout = new QHBoxLayout(progressRow_);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(progress_, 1);
    progressLayout->addWidget(cancel_);
    progressRow_->hide();

    result_ = new QWidget(this);
    result_->setObjectName(QStringLiteral("questionResult"));
    auto *grid = new QGridLayout(result_);
    grid->setContentsMargins(0, 4, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(3);
    auto row = [&](int r, const QString &name, const QString &objectName) {
        auto *key = new QLabel(name, result_);
        key->setForegroundRole(QPalette::PlaceholderText);
        auto *value = new QLabel(result_);
        value->setObjectName(objectName);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        QFont bold;
        bold.setBold(true); // only the weight: the size follows the panel's font
        value->setFont(bold);
        grid->addWidget(key, r, 0, Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(value, r, 1);
        return value;
    };
    guessValue_ = row(0, tr("Your guess"), QStringLiteral("guessValue"));
    simulatedValue_ = row(1, tr("Simulated"), QStringLiteral("simulatedValue"));
    theoryValue_ = row(2, tr("Theory"), QStringLiteral("theoryValue"));
    grid->setColumnStretch(1, 1);
    verdict_ = new QLabel(result_);
    verdict_->setObjectName(QStringLiteral("verdictLabel"));
    verdict_->setWordWrap(true);
    grid->addWidget(verdict_, 3, 0, 1, 2);
    explanation_ = markdownLabel(result_);
    explanation_->setObjectName(QStringLiteral("explanationLabel"));
    grid->addWidget(explanation_, 4, 0, 1, 2);
    result_->hide();

    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("questionMessage"));
    message_->setWordWrap(true);
    message_->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(8);
    layout->addWidget(heading_);
    layout->addWidget(prompt_);
    layout->addLayout(entry);
    layout->addWidget(progressRow_);
    layout->addWidget(message_);
    layout->addWidget(result_);

    connect(guess_, &QLineEdit::returnPressed, this, &QuestionPanel::submit);
    connect(run_, &QPushButton::clicked, this, &QuestionPanel::submit);
    connect(cancel_, &QPushButton::clicked, this, &QuestionPanel::cancelRequested);
    updateFonts();
}

void QuestionPanel::setQuestion(const LessonQuestion &question)
{
    question_ = question;
    prompt_->setText(q(question.prompt));
    unit_->setText(q(question.unit));
    unit_->setVisible(!question.unit.empty());
    guess_->clear();
    setRunning(false);
    result_->hide();
    message_->hide();
}

void QuestionPanel::setRunning(bool running)
{
    guess_->setReadOnly(running);
    run_->setEnabled(!running);
    progressRow_->setVisible(running);
    if (running) {
        progress_->setValue(0);
        message_->hide();
        result_->hide();
    }
}

void QuestionPanel::setProgress(double fraction)
{
    progress_->setValue(int(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
}

QString QuestionPanel::formatFigure(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("\u2014");
    const double a = std::abs(value);
    if (a == 0)
        return QStringLiteral("0");
    if (a >= 1e7 || a < 1e-3)
        return QString::number(value, 'g', 3);
    const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::DefaultNumberOptions); // "1,250": thousands are grouped
    return c.toString(value, 'f', decimals);
}

QString QuestionPanel::withUnit(const QString &figure) const
{
    if (question_.unit.empty())
        return figure;
    // "0.82 s", but "45%" and "0.9/s" (a rate) without the space.
    const bool attached = question_.unit == "%" || question_.unit.front() == '/';
    return figure + (attached ? QString() : QStringLiteral(" ")) + q(question_.unit);
}

void QuestionPanel::showCheck(const AnswerCheck &check)
{
    setRunning(false);
    message_->hide();
    guess_->setText(formatFigure(check.guess));
    guessValue_->setText(withUnit(formatFigure(check.guess)));
    if (check.simulated) {
        QString text = withUnit(formatFigure(*check.simulated));
        if (check.simulatedCi95)
            text += tr("  \u00b1 %1 (95% interval)").arg(formatFigure(*check.simulatedCi95));
        simulatedValue_->setText(text);
    } else {
        simulatedValue_->setText(tr("\u2014 (the results have no such figure)"));
    }
    theoryValue_->setText(check.theory ? withUnit(formatFigure(*check.theory))
                                       : tr("\u2014 (no closed form for this topology)"));
    close_ = check.close;
    verdict_->setText((check.close ? QStringLiteral("\u2714 ") : QStringLiteral("\u2718 ")) + q(check.verdict));
    updateVerdictColour();
    explanation_->setText(q(question_.explanation));
    explanation_->setVisible(!question_.explanation.empty());
    result_->show();
    emit resultShown();
}

void QuestionPanel::showMessage(const QString &text)
{
    setRunning(false);
    result_->hide();
    message_->setText(text);
    message_->show();
    emit resultShown();
}

bool QuestionPanel::hasResult() const
{
    return !result_->isHidden();
}

void QuestionPanel::submit()
{
    if (!run_->isEnabled())
        return;
    const QString text = guess_->text().trimmed().remove(QLatin1Char('%'));
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    if (!ok || !std::isfinite(value)) {
        showMessage(text.isEmpty() ? tr("Type your guess first: a number, then Enter.")
                                   : tr("\u201c%1\u201d is not a number. Type one, e.g. 0.5.").arg(text));
        guess_->setFocus();
        return;
    }
    emit runRequested(value);
}

void QuestionPanel::updateVerdictColour()
{
    if (!verdict_)
        return; // a palette change while the panel is being built
    const bool dark = isDarkPalette(palette());
    QPalette p = verdict_->palette();
    const QColor good = dark ? QColor(0x6c, 0xd9, 0x9e) : QColor(0x16, 0x7a, 0x45);
    const QColor off = dark ? QColor(0xff, 0xb8, 0x5c) : QColor(0xa8, 0x4d, 0x00);
    p.setColor(QPalette::WindowText, close_ ? good : off);
    verdict_->setPalette(p);
}

void QuestionPanel::updateFonts()
{
    if (updatingFonts_ || !verdict_)
        return;
    updatingFonts_ = true;
    QFont h = scaled(font(), 0.9);
    h.setBold(true);
    h.setCapitalization(QFont::AllUppercase);
    h.setLetterSpacing(QFont::PercentageSpacing, 106);
    heading_->setFont(h);
    QFont v = scaled(font(), 1.08);
    v.setBold(true);
    verdict_->setFont(v);
    updatingFonts_ = false;
}

void QuestionPanel::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateFonts();
    else if (event->type() == QEvent::PaletteChange)
        updateVerdictColour();
}

} // namespace ql
