// Teaching mode as a student and a teacher drive it, in the real MainWindow: the Lessons
// panel opens a lesson, Back and Next put each step's scenario into the document and move
// the highlights, a question compares a guess with the simulation and theory, and the
// presenter view comes up larger and leaves with Esc.
#include "chartwidget.h"
#include "commands.h"
#include "lessoncoordinator.h"
#include "lessonpanel.h"
#include "lessonstepview.h"
#include "mainwindow.h"
#include "nodeitem.h"
#include "presenterwindow.h"
#include "questionpanel.h"
#include "scenariodocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "lesson/lessonplan.h"
#include "scenario/scenarioio.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QUndoStack>

#include <cmath>

using namespace ql;

namespace {

Scenario example(const QString &resource)
{
    QFile f(resource);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const LoadResult r = parseScenario(f.readAll().toStdString(), "example.json");
    return r.scenario ? *r.scenario : Scenario{};
}

// The M/M/1 example with a three-step lesson written here: a step that only points at the
// queue, one that slows the arrivals down, and a short question about the wait at load 0.5
// (theory: 1 s).
Scenario lessonScenario()
{
    Scenario s = example(QStringLiteral(":/scenarios/mm1.json"));
    Lesson lesson;
    lesson.title = "Waiting at a single server";
    lesson.summary = "One queue, one server.";
    LessonStep one;
    one.title = "The queue";
    one.text = "Messages **wait** here.";
    one.highlight = {"queue"};
    LessonStep two;
    two.title = "Fewer arrivals";
    two.text = "Half as many messages arrive.";
    two.highlight = {"arrivals"};
    two.changes = {{"arrivals", "interarrival", R"({"dist": "exponential", "rate": 0.5})"}};
    LessonStep three;
    three.title = "Predict the wait";
    three.text = "How long does a message wait?";
    three.highlight = {"queue", "server"};
    three.changes = {{"", "duration", "20000"}, {"", "warmup", "1000"}, {"", "replications", "3"}};
    LessonQuestion question;
    question.prompt = "Mean wait in `queue`?";
    question.node = "queue";
    question.metric = "wait.mean";
    question.unit = "s";
    question.tolerance = 0.2;
    question.explanation = "At load 0.5 the wait equals the service time.";
    three.question = question;
    lesson.steps = {one, two, three};
    s.lesson = lesson;
    return s;
}

Scenario withoutLesson(Scenario s)
{
    s.lesson.reset();
    return s;
}

LessonCoordinator *coordinatorOf(MainWindow &window)
{
    return window.findChild<LessonCoordinator *>();
}

QStringList highlightedItems(MainWindow &window)
{
    QStringList ids;
    for (NodeItem *item : window.topologyView()->topologyScene()->nodeItems())
        if (item->isHighlighted())
            ids << item->id();
    ids.sort();
    return ids;
}

QStringList sorted(const std::vector<std::string> &ids)
{
    QStringList out;
    for (const std::string &id : ids)
        out << QString::fromStdString(id);
    out.sort();
    return out;
}

// The document shows step `index` of `base` exactly: the step's scenario without its lesson.
bool documentShowsStep(MainWindow &window, const Scenario &base, int index, QString *why)
{
    Scenario at;
    std::string error;
    if (!scenarioAtStep(base, index, &at, &error)) {
        *why = QString::fromStdString(error);
        return false;
    }
    at.lesson.reset();
    if (!(window.document()->scenario() == at)) {
        *why = QStringLiteral("the document differs from step %1").arg(index + 1);
        return false;
    }
    return true;
}

} // namespace

class TestLessonsGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(resources);
        QCoreApplication::setOrganizationName(QStringLiteral("QueueLabTests"));
    }

    void theWindowHasALessonsDockAndMenus()
    {
        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        QVERIFY(lessons);
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("lessonsDock"));
        QVERIFY(dock);
        QCOMPARE(dock->widget(), static_cast<QWidget *>(lessons->panel()));
        QVERIFY(window.findChild<QMenu *>(QStringLiteral("menuLessons")));
        QAction *presenter = window.findChild<QAction *>(QStringLiteral("actionPresenterView"));
        QVERIFY(presenter);
        QVERIFY(presenter->shortcuts().contains(QKeySequence(Qt::Key_F11)));
        QVERIFY(presenter->shortcuts().contains(QKeySequence(QStringLiteral("Ctrl+Shift+P"))));
        // Nothing to step through yet.
        QVERIFY(!lessons->backAction()->isEnabled());
        QVERIFY(!lessons->nextAction()->isEnabled());
    }

    void builtInLessonsAreListedInTheirOrder()
    {
        const QList<LessonEntry> entries = LessonCoordinator::builtInLessons();
        if (entries.isEmpty())
            QSKIP("no lessons are built in yet");
        for (int i = 1; i < entries.size(); ++i)
            QVERIFY2(entries[i - 1].order <= entries[i].order, qPrintable(entries[i].title));
        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        QCOMPARE(lessons->panel()->lessons().size(), entries.size());
        const QString list = lessons->panel()->listBrowser()->toPlainText();
        for (const LessonEntry &e : entries) {
            QVERIFY2(list.contains(e.title), qPrintable(e.title));
            QVERIFY2(e.summary.isEmpty() || list.contains(e.summary), qPrintable(e.summary));
        }
        // One menu entry per lesson, plus "Lesson File...".
        auto *menu = window.findChild<QMenu *>(QStringLiteral("menuLessons"));
        int entriesInMenu = 0;
        for (QAction *a : menu->actions())
            entriesInMenu += a->data().toString().startsWith(QLatin1String(":/lessons/")) ? 1 : 0;
        QCOMPARE(entriesInMenu, entries.size());
    }

    void aBuiltInLessonWalksForwardAndBack()
    {
        const QList<LessonEntry> entries = LessonCoordinator::builtInLessons();
        if (entries.isEmpty())
            QSKIP("no lessons are built in yet");
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        // Open the first lesson from File > Open Lesson, as a user does.
        auto *menu = window.findChild<QMenu *>(QStringLiteral("menuLessons"));
        QAction *open = nullptr;
        for (QAction *a : menu->actions())
            if (a->data().toString() == entries.first().path)
                open = a;
        QVERIFY(open);
        QSignalSpy opened(lessons, &LessonCoordinator::lessonOpened);
        open->trigger();
        QCOMPARE(opened.count(), 1);
        QVERIFY(lessons->hasLesson());
        QVERIFY(lessons->panel()->isShowingLesson());
        const Scenario base = lessons->baseScenario();
        const int n = lessons->stepCount();
        QVERIFY(n >= 1);

        QString why;
        for (int k = 0; k < n; ++k) {
            QCOMPARE(lessons->stepIndex(), k);
            QVERIFY2(documentShowsStep(window, base, k, &why), qPrintable(why));
            QCOMPARE(highlightedItems(window), sorted(base.lesson->steps[std::size_t(k)].highlight));
            QCOMPARE(lessons->panel()->stepView()->counterLabel()->text().section(QStringLiteral(" \u00b7"), 0, 0),
                     QStringLiteral("Step %1 of %2").arg(k + 1).arg(n));
            QCOMPARE(window.document()->undoStack()->count(), 0);
            QCOMPARE(lessons->nextAction()->isEnabled(), k + 1 < n);
            if (k + 1 < n)
                lessons->nextAction()->trigger();
        }
        for (int k = n - 1; k > 0; --k)
            lessons->backAction()->trigger();
        QCOMPARE(lessons->stepIndex(), 0);
        QVERIFY2(documentShowsStep(window, base, 0, &why), qPrintable(why));
        QVERIFY(!lessons->backAction()->isEnabled());
    }

    void lessonsOpenByFileNameOrTitle()
    {
        const QList<LessonEntry> entries = LessonCoordinator::builtInLessons();
        if (entries.isEmpty())
            QSKIP("no lessons are built in yet");
        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        const LessonEntry &last = entries.last();
        QVERIFY(lessons->openLesson(QFileInfo(last.path).completeBaseName()));
        QCOMPARE(QString::fromStdString(lessons->lesson()->title), last.title);
        QVERIFY(lessons->openLesson(entries.first().title.toUpper()));
        QCOMPARE(QString::fromStdString(lessons->lesson()->title), entries.first().title);
        QVERIFY(!lessons->openLesson(QStringLiteral("no-such-lesson")));
        QCOMPARE(QString::fromStdString(lessons->lesson()->title), entries.first().title);
        QVERIFY(!lessons->goToStep(lessons->stepCount()));
    }

    void stepsApplyTheirChangesAndMoveTheHighlights()
    {
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        const Scenario base = lessonScenario();
        window.document()->reset(base, {}, QStringLiteral("lesson.json"));
        QVERIFY(lessons->hasLesson());
        QCOMPARE(lessons->stepIndex(), 0);
        QCOMPARE(window.document()->scenario(), withoutLesson(base)); // step 1 changes nothing
        QCOMPARE(highlightedItems(window), QStringList{QStringLiteral("queue")});
        QVERIFY(window.document()->filePath().isEmpty()); // Save never overwrites the lesson

        QSignalSpy stepChanged(lessons, &LessonCoordinator::stepChanged);
        lessons->nextAction()->trigger();
        QCOMPARE(stepChanged.count(), 1);
        const Node *arrivals = window.document()->scenario().node("arrivals");
        QVERIFY(arrivals);
        QCOMPARE(arrivals->interarrival.expectation(), 2.0); // rate 0.5
        QCOMPARE(highlightedItems(window), QStringList{QStringLiteral("arrivals")});

        lessons->nextAction()->trigger();
        QCOMPARE(window.document()->scenario().run.duration, 20000.0);
        QCOMPARE(window.document()->scenario().node("arrivals")->interarrival.expectation(), 2.0);
        QCOMPARE(highlightedItems(window), (QStringList{QStringLiteral("queue"), QStringLiteral("server")}));
        QVERIFY(!lessons->nextAction()->isEnabled());

        // Back undoes the changes of the steps left.
        lessons->backAction()->trigger();
        lessons->backAction()->trigger();
        QCOMPARE(window.document()->scenario(), withoutLesson(base));
        QCOMPARE(highlightedItems(window), QStringList{QStringLiteral("queue")});
    }

    void eachStepStartsAFreshUndoHistory()
    {
        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        window.document()->reset(lessonScenario(), {}, QStringLiteral("lesson.json"));
        ScenarioDocument *doc = window.document();
        // A student's experiment in step 1: undoable within the step.
        Node queue = *doc->scenario().node("queue");
        queue.capacity = 5;
        doc->undoStack()->push(new EditNodeCommand(doc, 1, queue, {}));
        QCOMPARE(doc->undoStack()->count(), 1);
        QVERIFY(doc->isModified());
        // Next and Back show the steps as written, with nothing to undo into.
        lessons->next();
        QCOMPARE(doc->undoStack()->count(), 0);
        lessons->back();
        QCOMPARE(doc->undoStack()->count(), 0);
        QCOMPARE(doc->scenario().node("queue")->capacity, 0);
        QVERIFY(!doc->isModified());
    }

    void aLessonFileOpensWithItsLessonAndAPlainFileEndsIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("lesson.json"));
        std::string error;
        QVERIFY2(saveScenarioFile(lessonScenario(), path.toStdString(), &error), error.c_str());

        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        QVERIFY(window.openFile(path));
        QVERIFY(lessons->hasLesson());
        QCOMPARE(lessons->lesson()->title, std::string("Waiting at a single server"));
        QCOMPARE(lessons->stepCount(), 3);
        QVERIFY(lessons->panel()->isShowingLesson());
        QVERIFY(lessons->panel()->stepView()->textBrowser()->toPlainText().contains(QStringLiteral("wait")));
        // The lesson gets the column's height: palette, description and lesson become tabs.
        auto *palette = window.findChild<QDockWidget *>(QStringLiteral("paletteDock"));
        auto *description = window.findChild<QDockWidget *>(QStringLiteral("descriptionDock"));
        QVERIFY(palette && description);
        QVERIFY(window.tabifiedDockWidgets(palette).contains(lessons->dock()));
        QVERIFY(window.tabifiedDockWidgets(palette).contains(description));

        // Another scenario ends the lesson: highlights go, the panel lists the lessons again.
        QSignalSpy closed(lessons, &LessonCoordinator::lessonClosed);
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        QCOMPARE(closed.count(), 1);
        QVERIFY(!lessons->hasLesson());
        QVERIFY(highlightedItems(window).isEmpty());
        QVERIFY(!lessons->panel()->isShowingLesson());
        QVERIFY(window.topologyView()->topologyScene()->highlightedNodes().isEmpty());
        // ... and the editor's column comes back: the palette above, the description below.
        QVERIFY(!window.tabifiedDockWidgets(palette).contains(description));
        QVERIFY(window.tabifiedDockWidgets(description).contains(lessons->dock()));
    }

    void closingALessonKeepsTheCanvasAndDropsTheHighlights()
    {
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        window.document()->reset(lessonScenario(), {}, QStringLiteral("lesson.json"));
        lessons->next();
        const Scenario shown = window.document()->scenario();
        QTest::mouseClick(lessons->panel()->closeButton(), Qt::LeftButton);
        QVERIFY(!lessons->hasLesson());
        QCOMPARE(window.document()->scenario(), shown);
        QVERIFY(highlightedItems(window).isEmpty());
        QVERIFY(!lessons->nextAction()->isEnabled());
    }

    void aQuestionComparesTheGuessWithSimulationAndTheory()
    {
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        window.document()->reset(lessonScenario(), {}, QStringLiteral("lesson.json"));
        QVERIFY(lessons->goToStep(2));
        QuestionPanel *panel = lessons->panel()->stepView()->questionPanel();
        QVERIFY(panel->isVisibleTo(&window));
        QVERIFY(!panel->hasResult());

        QSignalSpy finished(lessons, &LessonCoordinator::questionFinished);
        panel->guessField()->setText(QStringLiteral("3"));
        QTest::keyClick(panel->guessField(), Qt::Key_Return);
        QVERIFY(lessons->isQuestionRunning());
        QVERIFY(!panel->runButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 300000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));

        const std::optional<AnswerCheck> &check = lessons->lastCheck();
        QVERIFY(check.has_value());
        QCOMPARE(check->guess, 3.0);
        QVERIFY(check->simulated.has_value());
        QVERIFY(check->theory.has_value());
        QVERIFY(std::abs(*check->theory - 1.0) < 1e-9);      // M/M/1, load 0.5: W_q = 1 s
        QVERIFY2(std::abs(*check->simulated - 1.0) < 0.25, qPrintable(QString::number(*check->simulated)));
        QVERIFY(!check->close);                               // 3 s is far off

        // What the student reads.
        QVERIFY(panel->hasResult());
        QVERIFY(panel->guessValueLabel()->text().startsWith(QStringLiteral("3")));
        QVERIFY(panel->simulatedValueLabel()->text().contains(QuestionPanel::formatFigure(*check->simulated)));
        QVERIFY(panel->theoryValueLabel()->text().contains(QStringLiteral("1.00 s")));
        QVERIFY(panel->verdictLabel()->text().contains(QString::fromStdString(check->verdict)));
        QVERIFY(panel->explanationLabel()->text().contains(QStringLiteral("service time")));
        QVERIFY(panel->runButton()->isEnabled());

        // A new step forgets the comparison.
        lessons->back();
        QVERIFY(!lessons->lastCheck().has_value());
    }

    void aQuestionRunCanBeCancelled()
    {
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        Scenario s = lessonScenario();
        // Long enough that Cancel comes first.
        s.lesson->steps[2].changes = {{"", "duration", "100000000"}, {"", "replications", "2"}};
        window.document()->reset(s, {}, QStringLiteral("lesson.json"));
        QVERIFY(lessons->goToStep(2));
        QuestionPanel *panel = lessons->panel()->stepView()->questionPanel();
        QSignalSpy finished(lessons, &LessonCoordinator::questionFinished);
        panel->guessField()->setText(QStringLiteral("1"));
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QVERIFY(lessons->isQuestionRunning());
        QVERIFY(panel->cancelButton()->isVisibleTo(&window));
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(!lessons->isQuestionRunning());
        QCOMPARE(finished.count(), 1);
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY(!lessons->lastCheck().has_value());
        QVERIFY(panel->runButton()->isEnabled());
        QVERIFY(!panel->hasResult());
        // The window closes while the cancelled run winds down: nothing may hang or crash.
    }

    void aGuessThatIsNoNumberIsRefused()
    {
        MainWindow window;
        LessonCoordinator *lessons = coordinatorOf(window);
        window.document()->reset(lessonScenario(), {}, QStringLiteral("lesson.json"));
        QVERIFY(lessons->goToStep(2));
        QuestionPanel *panel = lessons->panel()->stepView()->questionPanel();
        QSignalSpy started(lessons, &LessonCoordinator::questionStarted);
        panel->guessField()->setText(QStringLiteral("soon"));
        QTest::keyClick(panel->guessField(), Qt::Key_Return);
        QCOMPARE(started.count(), 0);
        QVERIFY(!lessons->isQuestionRunning());
    }

    void presenterViewIsLargerAndLeavesWithEscape()
    {
        MainWindow window;
        window.show();
        LessonCoordinator *lessons = coordinatorOf(window);
        window.document()->reset(lessonScenario(), {}, QStringLiteral("lesson.json"));
        lessons->next();
        QAction *toggle = window.findChild<QAction *>(QStringLiteral("actionPresenterView"));
        toggle->trigger();
        QPointer<PresenterWindow> presenter = lessons->presenter();
        QVERIFY(presenter);
        QVERIFY(presenter->isVisible());
        QVERIFY(toggle->isChecked());

        const auto size = [](const QFont &f) { return f.pointSizeF() > 0 ? f.pointSizeF() : f.pixelSize(); };
        QVERIFY(size(presenter->font()) >= 1.5 * size(window.font()));
        QVERIFY(size(presenter->stepView()->textBrowser()->font()) > size(lessons->panel()->stepView()->textBrowser()->font()));
        // The same step, the canvas of the same scene, latency over time by default.
        QCOMPARE(presenter->stepView()->stepTitleLabel()->text(), QStringLiteral("Fewer arrivals"));
        QCOMPARE(presenter->canvas()->scene(), window.topologyView()->scene());
        QVERIFY(presenter->chart());
        QCOMPARE(presenter->chart()->name(), QStringLiteral("latency"));
        presenter->chartChooser()->setCurrentIndex(3);
        QCOMPARE(presenter->chart()->name(), QStringLiteral("queue-depth"));
        // Next from the presenter moves the lesson in both places.
        lessons->nextAction()->trigger();
        QCOMPARE(presenter->stepView()->stepTitleLabel()->text(), QStringLiteral("Predict the wait"));
        QVERIFY(presenter->stepView()->questionPanel()->isVisibleTo(presenter));

        QTest::keyClick(presenter, Qt::Key_Escape);
        QTRY_VERIFY(!presenter);
        QVERIFY(!toggle->isChecked());
        QVERIFY(lessons->hasLesson()); // leaving the presenter leaves the lesson open

        // F11 again brings it back; the window may then close with it open.
        toggle->trigger();
        QVERIFY(lessons->presenter());
        QVERIFY(toggle->isChecked());
    }

    void highlightsDrawAGlowAndGoAway_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void highlightsDrawAGlowAndGoAway()
    {
        QFETCH(bool, dark);
        MainWindow window;
        window.setDarkTheme(dark);
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/mm1.json")));
        TopologyScene *scene = window.topologyView()->topologyScene();
        NodeItem *queue = scene->nodeItem(QStringLiteral("queue"));
        QVERIFY(queue);
        // Renders the queue's surroundings: the glow lies just outside the card.
        const auto render = [&] {
            QImage image(200, 120, QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::transparent);
            QPainter painter(&image);
            scene->render(&painter, QRectF(0, 0, 200, 120), QRectF(queue->pos() - QPointF(100, 60), QSizeF(200, 120)));
            return image;
        };
        const QImage plain = render();
        scene->setHighlightedNodes({QStringLiteral("queue")});
        QVERIFY(queue->isHighlighted());
        QVERIFY(!scene->nodeItem(QStringLiteral("server"))->isHighlighted());
        const QImage lit = render();
        QVERIFY(lit != plain);
        scene->setHighlightedNodes({});
        QVERIFY(!queue->isHighlighted());
        QCOMPARE(render(), plain);
        // Highlights survive the items being rebuilt (undo, redo, a reset of the document).
        scene->setHighlightedNodes({QStringLiteral("server")});
        window.document()->reset(window.document()->scenario());
        QVERIFY(scene->nodeItem(QStringLiteral("server"))->isHighlighted());
    }
};

QTEST_MAIN(TestLessonsGui)
#include "tst_lessonsgui.moc"
