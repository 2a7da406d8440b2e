// Lessons, questions and the presenter view in the main window (see lessoncoordinator.h).
#include "lessoncoordinator.h"

#include "lessonpanel.h"
#include "lessonstepview.h"
#include "mainwindow.h"
#include "presenterwindow.h"
#include "questionpanel.h"
#include "scenariodocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "scenario/scenarioio.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QStringList toQStringList(const std::vector<std::string> &v)
{
    QStringList out;
    for (const std::string &s : v)
        out.append(q(s));
    return out;
}

} // namespace

LessonCoordinator::LessonCoordinator(MainWindow *window)
    : QObject(window)
    , window_(window)
{
    setObjectName(QStringLiteral("lessonCoordinator"));
    createActions();
    createDock();
    connect(window_->document(), &ScenarioDocument::scenarioReset, this, &LessonCoordinator::documentReset);
    connect(&questions_, &QuestionRunner::progress, this, [this](double f) {
        forEachQuestionPanel([f](QuestionPanel *p) { p->setProgress(f); });
        emit questionProgress(f);
    });
    connect(&questions_, &QuestionRunner::compared, this, &LessonCoordinator::showComparison);
    connect(&questions_, &QuestionRunner::failed, this, &LessonCoordinator::showQuestionFailure);
    updateActions();
    // The document may already hold a lesson (opened before the coordinator existed).
    if (window_->document()->scenario().lesson)
        documentReset();
}

LessonCoordinator::~LessonCoordinator()
{
    if (presenter_)
        delete presenter_.data();
    // questions_ goes next: it cancels a run still going and waits for its thread.
}

// --- Construction ------------------------------------------------------------------------

void LessonCoordinator::createActions()
{
    auto make = [this](const QString &name, const QString &text, const QString &iconText,
                       const QString &tip, std::initializer_list<QKeySequence> keys) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (!iconText.isEmpty())
            a->setIconText(iconText);
        a->setStatusTip(tip);
        a->setShortcuts(QList<QKeySequence>(keys));
        if (!a->shortcuts().isEmpty())
            a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, a->shortcut().toString(QKeySequence::NativeText)));
        window_->addAction(a); // shortcuts work wherever the window has focus
        return a;
    };
    backAction_ = make(QStringLiteral("actionLessonBack"), tr("Previous Lesson Step"), tr("Back"),
                       tr("Back to the previous step of the lesson"),
                       {QKeySequence(QStringLiteral("Alt+Left")), QKeySequence(QStringLiteral("Ctrl+["))});
    connect(backAction_, &QAction::triggered, this, &LessonCoordinator::back);
    nextAction_ = make(QStringLiteral("actionLessonNext"), tr("Next Lesson Step"), tr("Next"),
                       tr("On to the next step of the lesson"),
                       {QKeySequence(QStringLiteral("Alt+Right")), QKeySequence(QStringLiteral("Ctrl+]"))});
    connect(nextAction_, &QAction::triggered, this, &LessonCoordinator::next);
    closeAction_ = make(QStringLiteral("actionCloseLesson"), tr("&Close Lesson"), {},
                        tr("End the lesson; the canvas keeps the step shown"), {});
    connect(closeAction_, &QAction::triggered, this, &LessonCoordinator::closeLesson);
    presenterAction_ = make(QStringLiteral("actionPresenterView"), tr("&Presenter View"), {},
                            tr("Large text, the canvas, one chart and the lesson, for a projector"),
                            {QKeySequence(Qt::Key_F11), QKeySequence(QStringLiteral("Ctrl+Shift+P"))});
    presenterAction_->setCheckable(true);
    connect(presenterAction_, &QAction::toggled, this, [this](bool on) {
        if (on)
            showPresenter(true);
        else
            hidePresenter();
    });
    showLessonsAction_ = make(QStringLiteral("actionShowLessons"), tr("&Lessons"), {},
                              tr("Show the lessons: topologies explained step by step"), {});
    connect(showLessonsAction_, &QAction::triggered, this, [this] {
        if (!hasLesson())
            panel_->showList();
        showDock();
    });

    // File > Open Lesson: the built-in lessons, then any lesson file.
    lessonMenu_ = new QMenu(tr("Open &Lesson"), window_);
    lessonMenu_->setObjectName(QStringLiteral("menuLessons"));
    for (const LessonEntry &e : builtInLessons()) {
        QAction *a = lessonMenu_->addAction(e.title);
        a->setData(e.path);
        a->setStatusTip(e.summary);
        connect(a, &QAction::triggered, this, [this, path = e.path] {
            if (window_->maybeSave())
                openLesson(path);
        });
    }
    lessonMenu_->addSeparator();
    QAction *fromFile = lessonMenu_->addAction(tr("Lesson &File..."));
    fromFile->setObjectName(QStringLiteral("actionOpenLessonFile"));
    connect(fromFile, &QAction::triggered, this, &LessonCoordinator::chooseLesson);
    lessonMenu_->menuAction()->setObjectName(QStringLiteral("actionOpenLesson"));

    if (QMenu *file = window_->fileMenu()) {
        QAction *before = nullptr;
        if (QMenu *examples = window_->examplesMenu()) {
            const QList<QAction *> actions = file->actions();
            const qsizetype i = actions.indexOf(examples->menuAction());
            if (i >= 0 && i + 1 < actions.size())
                before = actions[i + 1];
        }
        file->insertMenu(before, lessonMenu_);
    }
    if (QMenu *view = window_->viewMenu()) {
        view->addSeparator();
        view->addAction(presenterAction_);
        view->addAction(backAction_);
        view->addAction(nextAction_);
    }
    if (QMenu *help = window_->helpMenu()) {
        QAction *first = help->actions().value(0);
        help->insertAction(first, showLessonsAction_);
        help->insertSeparator(first);
    }
}

void LessonCoordinator::createDock()
{
    panel_ = new LessonPanel;
    panel_->setLessons(builtInLessons());
    panel_->stepView()->setNavigationActions(backAction_, nextAction_);
    auto *present = new QToolButton(panel_->stepView());
    present->setObjectName(QStringLiteral("lessonPresentButton"));
    present->setDefaultAction(presenterAction_);
    present->setAutoRaise(true);
    panel_->stepView()->headerLayout()->insertWidget(1, present, 0, Qt::AlignTop);
    connect(panel_, &LessonPanel::openRequested, this, [this](const QString &path) {
        if (window_->maybeSave())
            openLesson(path);
    });
    connect(panel_, &LessonPanel::closeRequested, this, &LessonCoordinator::closeLesson);
    QuestionPanel *question = panel_->stepView()->questionPanel();
    connect(question, &QuestionPanel::runRequested, this, &LessonCoordinator::runQuestion);
    connect(question, &QuestionPanel::cancelRequested, this, &LessonCoordinator::cancelQuestion);

    dock_ = new QDockWidget(tr("Lessons"), window_);
    dock_->setObjectName(QStringLiteral("lessonsDock"));
    dock_->setWidget(panel_);
    // Beside the canvas, tabbed with the scenario's description: a lesson is read there.
    // Where the user moved it last time wins (restoreDockWidget() before the dock is added:
    // afterwards it always "restores" the dock where it was just put).
    if (!window_->restoreDockWidget(dock_)) {
        window_->addDockWidget(Qt::LeftDockWidgetArea, dock_);
        if (QDockWidget *description = window_->descriptionDock()) {
            window_->tabifyDockWidget(description, dock_);
            description->raise();
        }
    }
    if (QMenu *panels = window_->panelsMenu())
        panels->addAction(dock_->toggleViewAction());
}

QList<LessonEntry> LessonCoordinator::builtInLessons()
{
    QList<LessonEntry> out;
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const LoadResult r = parseScenario(f.readAll().toStdString(), file.toStdString());
        if (!r.scenario || !r.scenario->lesson)
            continue;
        const Lesson &l = *r.scenario->lesson;
        out.append({dir.filePath(file), l.title.empty() ? file : q(l.title), q(l.summary), l.order});
    }
    std::stable_sort(out.begin(), out.end(), [](const LessonEntry &a, const LessonEntry &b) {
        if (a.order != b.order)
            return a.order < b.order;
        return QString::localeAwareCompare(a.title, b.title) < 0;
    });
    return out;
}

// --- Lessons and steps -------------------------------------------------------------------

int LessonCoordinator::stepCount() const
{
    return base_.lesson ? int(base_.lesson->steps.size()) : 0;
}

const LessonStep *LessonCoordinator::currentStep() const
{
    if (!base_.lesson || index_ < 0 || index_ >= stepCount())
        return nullptr;
    return &base_.lesson->steps[std::size_t(index_)];
}

bool LessonCoordinator::openLesson(const QString &fileOrName)
{
    QString path = fileOrName;
    if (!QFileInfo::exists(path)) {
        // A built-in lesson by file name (with or without .json) or by title.
        const QString stem = QFileInfo(fileOrName).completeBaseName();
        path.clear();
        for (const LessonEntry &e : builtInLessons()) {
            if (QFileInfo(e.path).completeBaseName().compare(stem, Qt::CaseInsensitive) == 0
                || e.title.compare(fileOrName, Qt::CaseInsensitive) == 0) {
                path = e.path;
                break;
            }
        }
        if (path.isEmpty()) {
            window_->statusBar()->showMessage(tr("There is no lesson \u201c%1\u201d.").arg(fileOrName), 8000);
            return false;
        }
    }
    // The window loads it (placing nodes without positions, reporting errors); the reset
    // it makes comes back here through documentReset().
    const bool ok = path.startsWith(QLatin1Char(':')) ? window_->openExample(path) : window_->openFile(path);
    if (!ok)
        return false;
    if (!hasLesson()) {
        window_->statusBar()->showMessage(
            tr("%1 is a scenario without a lesson section; it is open as a scenario.")
                .arg(QFileInfo(path).fileName()),
            8000);
        return false;
    }
    return true;
}

void LessonCoordinator::chooseLesson()
{
    if (!window_->maybeSave())
        return;
    QString dir = QFileInfo(window_->document()->filePath()).absolutePath();
    if (window_->document()->filePath().isEmpty())
        dir = QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(window_, tr("Open Lesson"), dir,
                                                      tr("QueueLab scenarios with a lesson (*.json);;All files (*)"));
    if (!path.isEmpty())
        openLesson(path);
}

void LessonCoordinator::documentReset()
{
    if (applying_)
        return;
    const Scenario &s = window_->document()->scenario();
    if (s.lesson) {
        startLesson(s, window_->document()->displayName());
        return;
    }
    closeLesson();
    restoreColumn(); // a plain scenario: the editor's column comes back
}

void LessonCoordinator::showDock()
{
    dock_->show();
    // Wide enough to read a step beside the canvas, and the column's whole height.
    if (dock_->width() < 380)
        window_->resizeDocks({dock_}, {400}, Qt::Horizontal);
    gatherColumn();
    dock_->raise();
}

void LessonCoordinator::gatherColumn()
{
    // The editor's layout has the node palette above the description and the Lessons dock;
    // a lesson needs the height more than the palette, so the three become tabs of one group
    // (the palette one click away) until the lesson closes.
    QDockWidget *palette = window_->paletteDock();
    QDockWidget *description = window_->descriptionDock();
    if (!palette || !description || gathered_ || palette->isFloating() || dock_->isFloating()
        || description->isFloating() || palette->isHidden()
        || window_->dockWidgetArea(palette) != window_->dockWidgetArea(dock_)
        || window_->dockWidgetArea(description) != window_->dockWidgetArea(dock_)
        || window_->tabifiedDockWidgets(dock_).contains(palette))
        return;
    window_->tabifyDockWidget(palette, description);
    window_->tabifyDockWidget(palette, dock_);
    gathered_ = true;
}

void LessonCoordinator::restoreColumn()
{
    QDockWidget *palette = window_->paletteDock();
    QDockWidget *description = window_->descriptionDock();
    if (!gathered_ || !palette || !description)
        return;
    gathered_ = false;
    // Only when the user left the group as it was: a rearrangement of theirs stays.
    const QList<QDockWidget *> group = window_->tabifiedDockWidgets(palette);
    if (group.size() != 2 || !group.contains(description) || !group.contains(dock_))
        return;
    // A dock cannot be split off the tab group it is in: the three are placed anew.
    const Qt::DockWidgetArea area = window_->dockWidgetArea(palette);
    for (QDockWidget *d : {palette, description, dock_})
        window_->removeDockWidget(d);
    window_->addDockWidget(area, palette, Qt::Vertical);
    window_->addDockWidget(area, description, Qt::Vertical);
    window_->tabifyDockWidget(description, dock_);
    for (QDockWidget *d : {palette, description, dock_})
        d->show();
    window_->resizeDocks({palette, description}, {palette->widget()->sizeHint().height() + 24, 400}, Qt::Vertical);
    description->raise();
}

void LessonCoordinator::startLesson(const Scenario &scenario, const QString &name)
{
    stopQuestion();
    base_ = scenario;
    name_ = name;
    index_ = -1;
    check_.reset();
    panel_->showLesson();
    showDock();
    if (stepCount() == 0 || !goToStep(0)) {
        // Nothing to apply: show the lesson as it is, so its title and error are visible.
        step_ = base_;
        showStepInViews();
        updateActions();
    }
    emit lessonOpened();
}

bool LessonCoordinator::goToStep(int index)
{
    if (!hasLesson() || index < 0 || index >= stepCount())
        return false;
    Scenario at;
    std::string error;
    if (!scenarioAtStep(base_, index, &at, &error)) {
        window_->statusBar()->showMessage(q(error), 10000);
        QMessageBox::warning(window_, tr("Lesson"),
                             tr("Step %1 of this lesson cannot be shown.\n\n%2").arg(index + 1).arg(q(error)));
        return false;
    }
    ScenarioDocument *doc = window_->document();
    const bool leftEdits = index_ >= 0 && index != index_ && doc->isModified();
    stopQuestion();
    check_.reset();
    index_ = index;
    step_ = at;

    // The document gets the step as a plain scenario, as if it had been opened: a fresh undo
    // history, no file path (Save must not overwrite the lesson with one of its steps).
    Scenario shown = at;
    shown.lesson.reset();
    applying_ = true;
    doc->reset(shown, {}, tr("%1 \u2014 step %2 of %3").arg(q(base_.lesson->title)).arg(index + 1).arg(stepCount()));
    applying_ = false;
    window_->topologyView()->topologyScene()->setHighlightedNodes(toQStringList(currentStep()->highlight));

    showStepInViews();
    updateActions();
    QString message = tr("Step %1 of %2: %3").arg(index + 1).arg(stepCount()).arg(q(currentStep()->title));
    if (leftEdits)
        message += tr(" (your edits to the previous step were not kept)");
    // After the window's own "Opened ..." message, when this step came with a file.
    QTimer::singleShot(0, this, [this, message] { window_->statusBar()->showMessage(message, 6000); });
    emit stepChanged(index);
    return true;
}

void LessonCoordinator::next()
{
    if (hasLesson() && index_ + 1 < stepCount())
        goToStep(index_ + 1);
}

void LessonCoordinator::back()
{
    if (hasLesson() && index_ > 0)
        goToStep(index_ - 1);
}

void LessonCoordinator::closeLesson()
{
    if (!hasLesson())
        return;
    stopQuestion();
    base_ = Scenario{};
    step_ = Scenario{};
    index_ = -1;
    check_.reset();
    window_->topologyView()->topologyScene()->setHighlightedNodes({});
    panel_->showList();
    if (presenter_)
        presenter_->showScenarioText();
    updateActions();
    window_->statusBar()->showMessage(tr("Lesson closed; the canvas keeps its last step."), 5000);
    emit lessonClosed();
}

void LessonCoordinator::updateActions()
{
    backAction_->setEnabled(hasLesson() && index_ > 0);
    nextAction_->setEnabled(hasLesson() && index_ + 1 < stepCount());
    closeAction_->setEnabled(hasLesson());
}

void LessonCoordinator::showStepInViews()
{
    if (!hasLesson())
        return;
    panel_->stepView()->showStep(*lesson(), index_);
    if (presenter_)
        presenter_->stepView()->showStep(*lesson(), index_);
}

void LessonCoordinator::forEachQuestionPanel(const std::function<void(QuestionPanel *)> &f) const
{
    f(panel_->stepView()->questionPanel());
    if (presenter_)
        f(presenter_->stepView()->questionPanel());
}

// --- Questions ---------------------------------------------------------------------------

bool LessonCoordinator::isQuestionRunning() const
{
    return questions_.isRunning();
}

void LessonCoordinator::runQuestion(double guess)
{
    const LessonStep *step = currentStep();
    if (!step || !step->question)
        return;
    stopQuestion();
    check_.reset();
    const Diagnostics diagnostics = validateScenario(step_, name_.toStdString());
    if (diagnostics.hasErrors()) {
        const QString message = tr("This step cannot be simulated: %1").arg(q(diagnostics.toString()));
        forEachQuestionPanel([&](QuestionPanel *p) { p->showMessage(message); });
        emit questionFinished(false, message);
        return;
    }

    // The step as the lesson wrote it, whatever the canvas holds now.
    questions_.start(step_, *step->question, guess);
    forEachQuestionPanel([](QuestionPanel *p) { p->setRunning(true); });
    window_->statusBar()->showMessage(
        tr("Simulating %n replication(s) to compare with your guess...", nullptr, step_.run.replications));
    emit questionStarted();
}

void LessonCoordinator::stopQuestion()
{
    questions_.cancel(); // what its thread finds is never reported
}

void LessonCoordinator::cancelQuestion()
{
    if (!questions_.cancel())
        return;
    const QString message = tr("Cancelled. Change your guess or press Run and compare again.");
    forEachQuestionPanel([&](QuestionPanel *p) { p->showMessage(message); });
    window_->statusBar()->showMessage(tr("Comparison cancelled."), 4000);
    emit questionFinished(false, message);
}

void LessonCoordinator::showQuestionFailure(const QString &message)
{
    forEachQuestionPanel([&](QuestionPanel *p) { p->showMessage(message); });
    emit questionFinished(false, message);
}

void LessonCoordinator::showComparison(const AnswerCheck &check, const Scenario &simulated)
{
    check_ = check;
    forEachQuestionPanel([this](QuestionPanel *p) { p->showCheck(*check_); });
    QString status = q(check_->verdict);
    Scenario plain = simulated;
    plain.lesson.reset();
    if (!(window_->document()->scenario() == plain))
        status += tr(" (Compared on the step as written; your edits on the canvas were not part of it.)");
    window_->statusBar()->showMessage(status, 10000);
    emit questionFinished(true, {});
}

// --- Presenter view ----------------------------------------------------------------------

PresenterWindow *LessonCoordinator::presenter() const
{
    return presenter_.data();
}

PresenterWindow *LessonCoordinator::showPresenter(bool fullScreen)
{
    if (!presenter_) {
        presenter_ = new PresenterWindow(this, window_);
        connect(presenter_, &PresenterWindow::closed, this, [this] {
            const QSignalBlocker blocker(presenterAction_);
            presenterAction_->setChecked(false);
        });
        QuestionPanel *question = presenter_->stepView()->questionPanel();
        connect(question, &QuestionPanel::runRequested, this, &LessonCoordinator::runQuestion);
        connect(question, &QuestionPanel::cancelRequested, this, &LessonCoordinator::cancelQuestion);
        if (hasLesson()) {
            presenter_->stepView()->showStep(*lesson(), index_);
            if (check_)
                question->showCheck(*check_);
            else if (questions_.isRunning())
                question->setRunning(true);
        } else {
            presenter_->showScenarioText();
        }
    }
    {
        const QSignalBlocker blocker(presenterAction_);
        presenterAction_->setChecked(true);
    }
    if (fullScreen) {
        // With a projector attached, on the screen the main window is not on.
        QScreen *screen = window_->screen();
        for (QScreen *s : QGuiApplication::screens()) {
            if (s != window_->screen()) {
                screen = s;
                break;
            }
        }
        if (screen)
            presenter_->setGeometry(screen->availableGeometry());
        presenter_->showFullScreen();
    } else {
        presenter_->showNormal();
    }
    presenter_->raise();
    presenter_->activateWindow();
    return presenter_;
}

void LessonCoordinator::hidePresenter()
{
    if (presenter_)
        presenter_->close(); // deletes itself
    const QSignalBlocker blocker(presenterAction_);
    presenterAction_->setChecked(false);
}

} // namespace ql
