// Predict, then run: a lesson question as the student meets it. The prompt, a number field
// with the unit and "Run and compare" (Enter); while the simulation runs, its progress and
// Cancel; afterwards the guess beside the simulated value (with its 95% interval) and the
// theory value, the verdict in plain words and the explanation of why. A view only: it asks
// for a run with runRequested() and the LessonCoordinator (app/gui) calls back, so the
// Lessons panel and the presenter view can each show one for the same question.
#pragma once

#include "lesson/lessonplan.h"
#include "scenario/lesson.h"

#include <QFrame>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QWidget;

namespace ql {

class QuestionPanel : public QFrame
{
    Q_OBJECT
public:
    explicit QuestionPanel(QWidget *parent = nullptr);

    // A new question: the field empties and any result goes away.
    void setQuestion(const LessonQuestion &question);
    // While running: the field and the button wait, progress and Cancel show.
    void setRunning(bool running);
    void setProgress(double fraction);
    // The outcome of a run; the guess field shows the guess that was compared.
    void showCheck(const AnswerCheck &check);
    // Instead of a result: the run was cancelled or failed, or the guess is no number.
    void showMessage(const QString &text);
    bool hasResult() const;

    // "0.82", "1,250", "0.0046": a figure with as many digits as a class can read aloud.
    static QString formatFigure(double value);

    QLineEdit *guessField() const { return guess_; }
    QPushButton *runButton() const { return run_; }
    QPushButton *cancelButton() const { return cancel_; }
    QLabel *guessValueLabel() const { return guessValue_; }
    QLabel *simulatedValueLabel() const { return simulatedValue_; }
    QLabel *theoryValueLabel() const { return theoryValue_; }
    QLabel *verdictLabel() const { return verdict_; }
    QLabel *explanationLabel() const { return explanation_; }

signals:
    void runRequested(double guess);
    void cancelRequested();
    // A result or a message appeared (the step view scrolls it into sight).
    void resultShown();

protected:
    void changeEvent(QEvent *event) override;

private:
    void submit();
    void updateFonts();
    void updateVerdictColour();
    QString withUnit(const QString &figure) const;

    LessonQuestion question_;
    QLabel *heading_ = nullptr;
    QLabel *prompt_ = nullptr;
    QLineEdit *guess_ = nullptr;
    QLabel *unit_ = nullptr;
    QPushButton *run_ = nullptr;
    QWidget *progressRow_;
    QProgressBar *progress_ = nullptr;
    QPushButton *cancel_ = nullptr;
    QWidget *result_ = nullptr;
    QLabel *guessValue_;
    QLabel *simulatedValue_;
    QLabel *theoryValue_;
    QLabel *verdict_ = nullptr;
    QLabel *explanation_ = nullptr;
    QLabel *message_ = nullptr;
    bool close_ = false;
    bool updatingFonts_ = false;
};

} // namespace ql
