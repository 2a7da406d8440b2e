// Runs a lesson step's predict-then-run question off the GUI thread: the step's scenario
// with all its replications on a low-priority thread of its own (the GUI and the animation
// stay responsive), its progress reported every 100 ms, and at the end the student's guess
// compared with the simulated and the theory value (checkAnswer).
//
// One question runs at a time. Starting another, or cancel(), abandons the run before: its
// thread is told to stop (the simulator checks the flag between events) and what it finds
// is never reported. The destructor cancels and waits for every thread still going.
// LessonCoordinator owns it and shows what it reports in the Lessons dock, the presenter
// view and the status bar.
#pragma once

#include "lesson/lessonplan.h"
#include "scenario/scenario.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

class QThread;

namespace ql {

struct QuestionJob;

class QuestionRunner : public QObject
{
    Q_OBJECT
public:
    explicit QuestionRunner(QObject *parent = nullptr);
    ~QuestionRunner() override;

    bool isRunning() const { return job_ != nullptr; }
    // Simulates `scenario` (which the caller validated), then compares `guess` with the
    // figure `question` asks for. A run still going is abandoned first.
    void start(const Scenario &scenario, const LessonQuestion &question, double guess);
    // Abandons the run without a word; false when none was going.
    bool cancel();

signals:
    void progress(double fraction);
    // The run ended with results: `check` compares the guess, on `scenario` as simulated.
    void compared(const ql::AnswerCheck &check, const ql::Scenario &scenario);
    // The run stopped early (an error, or partial results): nothing to compare.
    void failed(const QString &message);

private:
    void finish(const std::shared_ptr<QuestionJob> &job);

    std::shared_ptr<QuestionJob> job_; // the run whose results count, if any
    QList<QThread *> threads_;         // running (or cancelled, finishing) runs
    QTimer progressTimer_;
};

} // namespace ql
