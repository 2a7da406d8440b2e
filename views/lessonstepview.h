// One step of a lesson as the Lessons panel and the presenter view show it: the lesson's
// title, "Step k of n", the step's title and Markdown text, its question (a QuestionPanel)
// when it has one, and Back / Next buttons that show the LessonCoordinator's actions, so
// their shortcuts and enabled states are the same everywhere. Every font is relative to the
// widget's own, so the presenter's larger font enlarges all of it.
#pragma once

#include "scenario/lesson.h"

#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QScrollArea;
class QTextBrowser;
class QToolButton;

namespace ql {

class QuestionPanel;

class LessonStepView : public QWidget
{
    Q_OBJECT
public:
    explicit LessonStepView(QWidget *parent = nullptr);

    void setNavigationActions(QAction *back, QAction *next);
    // Step `index` (0-based) of `lesson`; the question panel shows when the step has one
    // and is reset for it.
    void showStep(const Lesson &lesson, int index);
    // No lesson: a title and Markdown text (the presenter shows the scenario's description).
    void showText(const QString &title, const QString &markdown);

    // Where the Lessons panel and the presenter put extra buttons, right of the lesson title.
    QHBoxLayout *headerLayout() const { return header_; }
    QuestionPanel *questionPanel() const { return question_; }
    QTextBrowser *textBrowser() const { return text_; }
    QLabel *lessonTitleLabel() const { return lessonTitle_; }
    QLabel *counterLabel() const { return counter_; }
    QLabel *stepTitleLabel() const { return stepTitle_; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateFonts();
    void scrollToTop();

    QHBoxLayout *header_ = nullptr;
    QLabel *lessonTitle_;
    QLabel *counter_ = nullptr;
    QLabel *stepTitle_;
    QTextBrowser *text_ = nullptr;
    QScrollArea *scroll_ = nullptr;
    QuestionPanel *question_ = nullptr;
    QWidget *navigation_ = nullptr;
    QToolButton *back_ = nullptr;
    QToolButton *next_ = nullptr;
    bool updatingFonts_ = false;
};

} // namespace ql
