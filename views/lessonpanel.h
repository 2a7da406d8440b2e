// The Lessons panel beside the canvas: while no lesson is open, the built-in lessons in
// their own order, each with its title and one-line summary (a click opens it); once one is
// open, its current step (LessonStepView) with "All lessons" to close it. A view only: it
// says what the user asked for; the LessonCoordinator (app/gui) opens lessons, applies steps
// to the document and runs questions.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QStackedWidget;
class QTextBrowser;
class QToolButton;
class QUrl;

namespace ql {

class LessonStepView;

// One lesson of the list: where it is (a resource or file path) and what it is called.
struct LessonEntry
{
    QString path;
    QString title;
    QString summary;
    int order = 0;
};

class LessonPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LessonPanel(QWidget *parent = nullptr);

    void setLessons(const QList<LessonEntry> &lessons);
    const QList<LessonEntry> &lessons() const { return lessons_; }

    // Which page shows: the list, or the step of the open lesson.
    void showList();
    void showLesson();
    bool isShowingLesson() const;

    LessonStepView *stepView() const { return step_; }
    QTextBrowser *listBrowser() const { return list_; }
    QToolButton *closeButton() const { return close_; }

signals:
    void openRequested(const QString &path);
    void closeRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void renderList();
    void onAnchor(const QUrl &url);

    QList<LessonEntry> lessons_;
    QStackedWidget *stack_ = nullptr;
    QTextBrowser *list_ = nullptr;
    LessonStepView *step_ = nullptr;
    QToolButton *close_ = nullptr;
};

} // namespace ql
