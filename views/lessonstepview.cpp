// One lesson step on screen (see lessonstepview.h).
#include "lessonstepview.h"

#include "questionpanel.h"

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

QFont scaled(QFont f, double factor)
{
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else if (f.pixelSize() > 0)
        f.setPixelSize(int(std::lround(f.pixelSize() * factor)));
    return f;
}

QToolButton *navButton(Qt::ArrowType arrow, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setArrowType(arrow);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(false);
    b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return b;
}

} // namespace

LessonStepView::LessonStepView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("lessonStepView"));

    lessonTitle_ = new QLabel(this);
    lessonTitle_->setObjectName(QStringLiteral("lessonTitle"));
    lessonTitle_->setTextFormat(Qt::PlainText);
    lessonTitle_->setWordWrap(true);
    lessonTitle_->setForegroundRole(QPalette::PlaceholderText);
    header_ = new QHBoxLayout;
    header_->setSpacing(6);
    header_->addWidget(lessonTitle_, 1);

    counter_ = new QLabel(this);
    counter_->setObjectName(QStringLiteral("lessonStepCounter"));
    counter_->setTextFormat(Qt::PlainText);

    stepTitle_ = new QLabel(this);
    stepTitle_->setObjectName(QStringLiteral("lessonStepTitle"));
    stepTitle_->setTextFormat(Qt::PlainText);
    stepTitle_->setWordWrap(true);

    // The step's title, text and question scroll together, so a long step never makes the
    // dock (and with it the window) taller than the screen; Back and Next stay in view.
    auto *scroll = scroll_ = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("lessonStepScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *body = new QWidget(scroll);
    body->setBackgroundRole(QPalette::Base);
    scroll->setBackgroundRole(QPalette::Base);

    stepTitle_->setParent(body);
    text_ = new QTextBrowser(body);
    text_->setObjectName(QStringLiteral("lessonStepText"));
    text_->setOpenExternalLinks(true);
    text_->setFrameShape(QFrame::NoFrame);
    text_->document()->setDocumentMargin(2);
    // As tall as its text: the scroll area around it does the scrolling.
    text_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    text_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    text_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    connect(text_->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            [this](const QSizeF &size) {
                text_->setFixedHeight(int(std::ceil(size.height())) + 2);
                // The browser never scrolls by itself (the scroll area does): while its
                // height catches up with a reflow it would keep a stale offset and open the
                // step past its first paragraph.
                text_->verticalScrollBar()->setValue(0);
            });

    question_ = new QuestionPanel(body);
    question_->hide();
    connect(question_, &QuestionPanel::resultShown, this, [this, scroll] {
        // Once the layout has made room for it.
        QTimer::singleShot(0, scroll, [this, scroll] { scroll->ensureWidgetVisible(question_, 0, 0); });
    });

    auto *bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 4, 0);
    bodyLayout->setSpacing(6);
    bodyLayout->addWidget(stepTitle_);
    bodyLayout->addWidget(text_);
    bodyLayout->addWidget(question_);
    bodyLayout->addStretch(1);
    scroll->setWidget(body);

    navigation_ = new QWidget(this);
    back_ = navButton(Qt::LeftArrow, navigation_);
    back_->setObjectName(QStringLiteral("lessonBackButton"));
    next_ = navButton(Qt::RightArrow, navigation_);
    next_->setObjectName(QStringLiteral("lessonNextButton"));
    auto *nav = new QHBoxLayout(navigation_);
    nav->setContentsMargins(0, 0, 0, 0);
    nav->addWidget(back_);
    nav->addStretch(1);
    nav->addWidget(next_);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(6);
    layout->addLayout(header_);
    layout->addWidget(counter_);
    layout->addWidget(scroll, 1);
    layout->addWidget(navigation_);
    updateFonts();
}

void LessonStepView::setNavigationActions(QAction *back, QAction *next)
{
    back_->setDefaultAction(back);
    next_->setDefaultAction(next);
}

void LessonStepView::showStep(const Lesson &lesson, int index)
{
    const int count = int(lesson.steps.size());
    lessonTitle_->setText(QString::fromStdString(lesson.title));
    counter_->setText(index + 1 == count && count > 1
                          ? tr("Step %1 of %2 \u00b7 the last one").arg(index + 1).arg(count)
                          : tr("Step %1 of %2").arg(index + 1).arg(count));
    counter_->show();
    navigation_->show();
    if (index < 0 || index >= count) {
        stepTitle_->clear();
        text_->clear();
        question_->hide();
        return;
    }
    const LessonStep &step = lesson.steps[std::size_t(index)];
    stepTitle_->setText(QString::fromStdString(step.title));
    stepTitle_->setVisible(!step.title.empty());
    text_->setMarkdown(QString::fromStdString(step.text));
    scrollToTop();
    if (step.question) {
        question_->setQuestion(*step.question);
        question_->show();
    } else {
        question_->hide();
    }
}

void LessonStepView::showText(const QString &title, const QString &markdown)
{
    lessonTitle_->clear();
    counter_->hide();
    navigation_->hide();
    question_->hide();
    stepTitle_->setText(title);
    stepTitle_->setVisible(!title.isEmpty());
    text_->setMarkdown(markdown);
    scrollToTop();
}

void LessonStepView::scrollToTop()
{
    // A new step opens at its title, wherever the last one was scrolled to; and again once
    // the layout has given the text its height.
    text_->verticalScrollBar()->setValue(0);
    scroll_->verticalScrollBar()->setValue(0);
    QTimer::singleShot(0, scroll_, [this] {
        text_->verticalScrollBar()->setValue(0);
        scroll_->verticalScrollBar()->setValue(0);
    });
}

void LessonStepView::updateFonts()
{
    if (updatingFonts_ || !text_)
        return; // a font change while the view is being built
    updatingFonts_ = true;
    QFont small = scaled(font(), 0.92);
    small.setCapitalization(QFont::AllUppercase);
    small.setLetterSpacing(QFont::PercentageSpacing, 106);
    lessonTitle_->setFont(small);
    QFont counter = font();
    counter.setBold(true);
    counter_->setFont(counter);
    QFont title = scaled(font(), 1.35);
    title.setWeight(QFont::DemiBold);
    stepTitle_->setFont(title);
    // The step text a little larger than the controls around it: it is what gets read.
    text_->setFont(scaled(font(), 1.08));
    updatingFonts_ = false;
}

void LessonStepView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateFonts();
}

} // namespace ql
