// Teaching mode in the main window: the Lessons dock (objectName "lessonsDock"), File > Open
// Lesson, Back / Next between steps, predict-then-run questions and the presenter view. It
// is the one place that knows lessons, the document, the canvas and running together; the
// main window only creates it.
//
// What opening a step does to the document: a step is not an edit. The coordinator keeps
// the lesson's base scenario and, for step k, puts scenarioAtStep(base, k) into the document
// with ScenarioDocument::reset() (without the lesson section and without a file path), so
// - the canvas and the properties show the step and the run starts over;
// - the undo history starts fresh at every step: Undo never walks back into another step and
//   moving between steps never fills the history; Back is how one returns to a step;
// - the student may edit a step freely (undo works within it); Back or Next leaves those
//   edits behind and shows the next step as the lesson wrote it;
// - Save writes the step as it stands as a plain scenario (Save As, never over the lesson
//   file, whose earlier steps would otherwise change).
// Any other reset of the document (File > Open, New, an example) ends the lesson, or opens
// the new file's lesson when it has one.
//
// The Lessons dock is tabbed with the scenario's description, beside the canvas. While a
// lesson is open it needs the column's height more than the node palette does, so the
// palette, the description and the lesson become tabs of one group; opening a scenario
// without a lesson puts the column back (unless the user rearranged it meanwhile).
#pragma once

#include "lesson/lessonplan.h"
#include "lessonpanel.h"
#include "questionrunner.h"
#include "scenario/scenario.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QAction;
class QDockWidget;
class QMenu;

namespace ql {

class MainWindow;
class PresenterWindow;
class QuestionPanel;

class LessonCoordinator : public QObject
{
    Q_OBJECT
public:
    explicit LessonCoordinator(MainWindow *window);
    ~LessonCoordinator() override; // cancels a question's run and waits for it

    // The built-in lessons (resources under :/lessons/), by their `order`, then title.
    static QList<LessonEntry> builtInLessons();

    MainWindow *window() const { return window_; }
    LessonPanel *panel() const { return panel_; }
    QDockWidget *dock() const { return dock_; }
    PresenterWindow *presenter() const; // null while closed
    QAction *backAction() const { return backAction_; }
    QAction *nextAction() const { return nextAction_; }
    QAction *presenterAction() const { return presenterAction_; }

    bool hasLesson() const { return base_.lesson.has_value(); }
    // The open lesson (null when none), its base scenario, and the scenario at the step shown.
    const Lesson *lesson() const { return base_.lesson ? &*base_.lesson : nullptr; }
    const Scenario &baseScenario() const { return base_; }
    const Scenario &stepScenario() const { return step_; }
    int stepIndex() const { return index_; }
    int stepCount() const;
    const LessonStep *currentStep() const;

    // A lesson file, or a built-in lesson by file name ("littles-law", "littles-law.json")
    // or title; shows its first step. False (with the loader's message) when it cannot.
    bool openLesson(const QString &fileOrName);
    // Shows step `index` (0-based); false when there is no such step or it does not apply.
    bool goToStep(int index);
    // Ends the lesson: highlights go, the panel lists the lessons, the canvas keeps the step.
    void closeLesson();

    bool isQuestionRunning() const;
    // The last comparison of the current step's question (reset when the step changes).
    const std::optional<AnswerCheck> &lastCheck() const { return check_; }

    // The presenter view, full screen or as a normal window (e.g. for screenshots).
    PresenterWindow *showPresenter(bool fullScreen = true);
    void hidePresenter();

public slots:
    void next();
    void back();
    // Simulates the current step's scenario with all its replications off the GUI thread,
    // then compares `guess` with the simulated and the theory value.
    void runQuestion(double guess);
    void cancelQuestion();

signals:
    void lessonOpened();
    void lessonClosed();
    void stepChanged(int index);
    void questionStarted();
    void questionProgress(double fraction);
    // The run ended: with a comparison (lastCheck()), cancelled, or failed (`message`).
    void questionFinished(bool compared, const QString &message);

private:
    void createActions();
    void createDock();
    void documentReset();
    void startLesson(const Scenario &scenario, const QString &name);
    void showDock();
    void gatherColumn();
    void restoreColumn();
    void updateActions();
    void showStepInViews();
    void stopQuestion(); // cancels the run without a word (the step changes)
    void showComparison(const AnswerCheck &check, const Scenario &simulated);
    void showQuestionFailure(const QString &message);
    void forEachQuestionPanel(const std::function<void(QuestionPanel *)> &f) const;
    void chooseLesson();

    MainWindow *window_;
    LessonPanel *panel_ = nullptr;
    QDockWidget *dock_ = nullptr;
    QPointer<PresenterWindow> presenter_;
    QAction *backAction_ = nullptr;
    QAction *nextAction_ = nullptr;
    QAction *closeAction_ = nullptr;
    QAction *presenterAction_ = nullptr;
    QAction *showLessonsAction_ = nullptr;
    QMenu *lessonMenu_ = nullptr;

    Scenario base_;        // the lesson as loaded (with its lesson section)
    Scenario step_;        // scenarioAtStep(base_, index_)
    QString name_;         // the file's name, for the title bar
    int index_ = -1;
    bool applying_ = false; // the document reset is ours
    bool gathered_ = false; // the left column was made one tab group for the lesson

    QuestionRunner questions_; // the current step's question, on a thread of its own
    std::optional<AnswerCheck> check_;
};

} // namespace ql
