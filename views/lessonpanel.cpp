// The Lessons panel: the list of lessons, or the open lesson's step (see lessonpanel.h).
#include "lessonpanel.h"

#include "lessonstepview.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace ql {

namespace {

const QString kScheme = QStringLiteral("lesson");

} // namespace

LessonPanel::LessonPanel(QWidget *parent)
    : QWidget(parent)
    , stack_(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("lessonPanel"));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);

    // The list is a small document: titles as links, summaries beneath them, wrapped to any
    // width, and keyboard-navigable (Tab to a title, Enter opens it).
    list_ = new QTextBrowser(stack_);
    list_->setObjectName(QStringLiteral("lessonList"));
    list_->setOpenLinks(false);
    list_->setFrameShape(QFrame::NoFrame);
    list_->document()->setDocumentMargin(12);
    connect(list_, &QTextBrowser::anchorClicked, this, &LessonPanel::onAnchor);

    step_ = new LessonStepView(stack_);
    close_ = new QToolButton(step_);
    close_->setObjectName(QStringLiteral("lessonCloseButton"));
    close_->setText(tr("All lessons"));
    close_->setToolTip(tr("Close the lesson and list all lessons; the canvas keeps this step"));
    close_->setAutoRaise(true);
    connect(close_, &QToolButton::clicked, this, &LessonPanel::closeRequested);
    step_->headerLayout()->addWidget(close_, 0, Qt::AlignTop);

    stack_->addWidget(list_);
    stack_->addWidget(step_);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
    renderList();
}

void LessonPanel::setLessons(const QList<LessonEntry> &lessons)
{
    lessons_ = lessons;
    renderList();
}

void LessonPanel::showList()
{
    stack_->setCurrentWidget(list_);
}

void LessonPanel::showLesson()
{
    stack_->setCurrentWidget(step_);
}

bool LessonPanel::isShowingLesson() const
{
    return stack_->currentWidget() == step_;
}

void LessonPanel::renderList()
{
    const QColor sub = palette().color(QPalette::PlaceholderText);
    QString html = QStringLiteral("<p>%1</p>")
                       .arg(tr("Topologies explained step by step; some steps ask you to predict "
                               "a number before the simulation shows it.")
                                .toHtmlEscaped());
    if (lessons_.isEmpty())
        html += QStringLiteral("<p><i>%1</i></p>").arg(tr("No lessons are built in.").toHtmlEscaped());
    for (int i = 0; i < lessons_.size(); ++i) {
        const LessonEntry &e = lessons_[i];
        html += QStringLiteral("<p style='margin-top:10px'><a href='%1:%2'><b>%3.&nbsp;%4</b></a>"
                               "<br><span style='color:%5'>%6</span></p>")
                    .arg(kScheme)
                    .arg(i)
                    .arg(i + 1)
                    .arg(e.title.toHtmlEscaped(), sub.name(), e.summary.toHtmlEscaped());
    }
    list_->setHtml(html);
}

void LessonPanel::onAnchor(const QUrl &url)
{
    if (url.scheme() != kScheme)
        return;
    bool ok = false;
    const int i = url.path().toInt(&ok);
    if (ok && i >= 0 && i < lessons_.size())
        emit openRequested(lessons_[i].path);
}

void LessonPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && list_)
        renderList(); // the summaries' colour comes from the palette
}

} // namespace ql
