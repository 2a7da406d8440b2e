// A lesson question's simulation on its own thread, and the comparison of the guess with
// what it found (see questionrunner.h).
#include "questionrunner.h"

#include "sim/replications.h"

#include <QThread>

#include <atomic>

namespace ql {

// One predict-then-run simulation: what it runs, and what it found. Shared by the GUI
// thread and the thread that runs it; the GUI reads `results` only after the thread ended.
struct QuestionJob
{
    Scenario scenario;
    LessonQuestion question;
    double guess = 0;
    std::atomic<bool> cancel{false};
    std::atomic<double> progress{0};
    Results results;
};

QuestionRunner::QuestionRunner(QObject *parent)
    : QObject(parent)
{
    progressTimer_.setInterval(100);
    connect(&progressTimer_, &QTimer::timeout, this, [this] {
        if (job_)
            emit progress(job_->progress.load());
    });
}

QuestionRunner::~QuestionRunner()
{
    if (job_)
        job_->cancel = true;
    // Every run still going was cancelled; the simulator checks the flag between events.
    for (QThread *thread : std::as_const(threads_)) {
        thread->disconnect(this);
        thread->wait();
        delete thread;
    }
}

void QuestionRunner::start(const Scenario &scenario, const LessonQuestion &question, double guess)
{
    cancel();
    auto job = std::make_shared<QuestionJob>();
    job->scenario = scenario;
    job->question = question;
    job->guess = guess;
    QThread *thread = QThread::create([job] {
        RunOptions options;
        options.cancel = &job->cancel;
        options.progress = [j = job.get()](double f) { j->progress.store(f); };
        job->results = runReplications(job->scenario, options);
    });
    thread->setObjectName(QStringLiteral("lessonQuestion"));
    connect(thread, &QThread::finished, this, [this, thread, job] {
        threads_.removeOne(thread);
        thread->deleteLater();
        finish(job);
    });
    job_ = job;
    threads_.append(thread);
    thread->start(QThread::LowPriority); // the GUI and the animation stay responsive
    progressTimer_.start();
}

bool QuestionRunner::cancel()
{
    if (!job_)
        return false;
    job_->cancel = true; // its thread ends soon; finish() ignores what it found
    job_.reset();
    progressTimer_.stop();
    return true;
}

void QuestionRunner::finish(const std::shared_ptr<QuestionJob> &job)
{
    if (job != job_)
        return; // cancelled, or another question started meanwhile
    job_.reset();
    progressTimer_.stop();
    const Results &r = job->results;
    if (r.partial || !r.error.empty()) {
        emit failed(tr("The simulation stopped early: %1")
                        .arg(r.error.empty() ? tr("no reason given") : QString::fromStdString(r.error)));
        return;
    }
    emit compared(checkAnswer(job->question, job->guess, r, job->scenario), job->scenario);
}

} // namespace ql
