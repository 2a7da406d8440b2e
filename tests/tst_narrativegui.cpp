// The event narrative in the real main window: Step tells what happens in the Narrative
// dock; the dock filters by text and by the nodes selected on the canvas; clicking a token
// on the canvas follows its message (ring on the canvas, dock filtered to it) until Esc or
// a click on the empty canvas; clicking a line selects its node; a run too fast to tell
// pauses the narrative with a banner, and a slow one resumes it.
#include "animationoverlay.h"
#include "canvasmetrics.h"
#include "mainwindow.h"
#include "narrativecoordinator.h"
#include "narrativedock.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAction>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

using namespace ql;

namespace {

struct Fixture
{
    MainWindow window;
    NarrativeCoordinator *narrative = nullptr;
    NarrativeDock *dock = nullptr;
    RunController *controller = nullptr;
    AnimationOverlay *overlay = nullptr;
    TopologyView *view = nullptr;
    QAction *step = nullptr;

    bool open(const QString &example)
    {
        if (!window.openExample(example))
            return false;
        window.resize(1400, 900);
        window.show();
        narrative = window.findChild<NarrativeCoordinator *>();
        dock = window.findChild<NarrativeDock *>(QStringLiteral("narrativeDock"));
        controller = window.runCoordinator()->controller();
        overlay = window.runCoordinator()->overlay();
        view = window.topologyView();
        step = window.findChild<QAction *>(QStringLiteral("actionStep"));
        return narrative && dock && controller && overlay && step && QTest::qWaitForWindowExposed(&window);
    }

    // Steps until the dock holds at least `lines` lines (Step is one simulation event,
    // which may tell nothing, e.g. a statistics sample).
    bool stepUntil(int lines)
    {
        for (int i = 0; i < 200 && dock->model()->rowCount() < lines; ++i) {
            const double before = controller->simTime();
            const quint64 told = narrative->narrator().nextSeq();
            step->trigger();
            // The step has come back when time moved or a line was told.
            if (!QTest::qWaitFor([&] { return controller->simTime() != before || narrative->narrator().nextSeq() != told; }, 20000))
                return false;
            QCoreApplication::processEvents();
        }
        return dock->model()->rowCount() >= lines;
    }

    QList<const NarrativeLine *> visible() const
    {
        QList<const NarrativeLine *> out;
        for (int row = 0; row < dock->filter()->rowCount(); ++row)
            out << dock->model()->lineAt(dock->filter()->mapToSource(dock->filter()->index(row, 0)).row());
        return out;
    }
};

} // namespace

class TestNarrativeGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(resources);
        QCoreApplication::setOrganizationName(QStringLiteral("QueueLabTests"));
        QCoreApplication::setApplicationName(QStringLiteral("NarrativeGui"));
    }

    void stepTellsWhatHappens()
    {
        Fixture f;
        QVERIFY(f.open(QStringLiteral(":/scenarios/work-queue.json")));
        QAction *toggle = f.window.findChild<QAction *>(QStringLiteral("actionShowNarrative"));
        QVERIFY(toggle);
        QVERIFY(!toggle->shortcut().isEmpty());
        QVERIFY(f.stepUntil(4));
        QVERIFY(f.dock->isVisible()); // the first Step shows it
        QVERIFY(!f.dock->isPaused());
        const QStringList lines = f.dock->visibleLines();
        QCOMPARE(lines.first(), QStringLiteral("t=%1: message #1 published by orders")
                                    .arg(QString::fromStdString(f.narrative->narrator().formatTime(f.narrative->narrator().line(0).time))));
        for (const QString &line : lines)
            QVERIFY2(line.startsWith(QLatin1String("t=")) && line.contains(QLatin1String(" s: message #")), qPrintable(line));
        QVERIFY(lines.filter(QStringLiteral("to consumer w")).size() >= 1);

        // Hidden, the narrative tells nothing (and costs nothing).
        toggle->trigger();
        QVERIFY(!f.dock->isVisible());
        const quint64 told = f.narrative->narrator().nextSeq();
        const double t = f.controller->simTime();
        f.step->trigger();
        QTRY_VERIFY(f.controller->simTime() > t);
        QCOMPARE(f.narrative->narrator().nextSeq(), told);
        toggle->trigger();
        QVERIFY(f.dock->isVisible());

        // Reset starts the narrative over.
        f.window.findChild<QAction *>(QStringLiteral("actionReset"))->trigger();
        QTRY_COMPARE(f.dock->model()->rowCount(), 0);
    }

    void filtersByTextAndByNode()
    {
        Fixture f;
        QVERIFY(f.open(QStringLiteral(":/scenarios/work-queue.json")));
        QVERIFY(f.stepUntil(25));
        const int total = f.dock->visibleLineCount();
        QCOMPARE(total, f.dock->model()->rowCount());

        f.dock->setFilterText(QStringLiteral("W2"));
        QVERIFY(f.dock->visibleLineCount() > 0);
        QVERIFY(f.dock->visibleLineCount() < total);
        for (const QString &line : f.dock->visibleLines())
            QVERIFY2(line.contains(QLatin1String("w2")), qPrintable(line));
        f.dock->setFilterText(QString());
        QCOMPARE(f.dock->visibleLineCount(), total);

        // Follow the node selected on the canvas.
        const int w1 = f.controller->scenario().nodeIndex("w1");
        f.view->topologyScene()->selectItems({QStringLiteral("w1")});
        f.dock->setFollow(NarrativeDock::Follow::SelectedNodes);
        QVERIFY(f.dock->visibleLineCount() > 0);
        QVERIFY(f.dock->visibleLineCount() < total);
        for (const NarrativeLine *line : f.visible())
            QVERIFY2(line->involvesNode(w1), line->text.c_str());
        // Another selection, another story; lines told later are filtered too.
        const int tasks = f.controller->scenario().nodeIndex("tasks");
        f.view->topologyScene()->selectItems({QStringLiteral("tasks")});
        QVERIFY(f.dock->visibleLineCount() > 0);
        QVERIFY(f.stepUntil(f.dock->model()->rowCount() + 5));
        for (const NarrativeLine *line : f.visible())
            QVERIFY2(line->involvesNode(tasks), line->text.c_str());
        f.dock->setFollow(NarrativeDock::Follow::Everything);
        QCOMPARE(f.dock->visibleLineCount(), f.dock->model()->rowCount());

        // Clicking a line selects where it happened.
        QListView *list = f.dock->listView();
        int row = -1;
        for (int r = 0; r < f.dock->filter()->rowCount() && row < 0; ++r)
            if (f.visible()[r]->kind == NarrativeLine::ToConsumer)
                row = r;
        QVERIFY(row >= 0);
        const NarrativeLine *line = f.visible()[row];
        const QModelIndex index = f.dock->filter()->index(row, 0);
        list->scrollTo(index);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
        QCOMPARE(f.view->topologyScene()->selectedNodeIds(),
                 QStringList{QString::fromStdString(f.controller->scenario().nodes[std::size_t(line->node)].id)});
    }

    void clickingATokenFollowsItsMessage()
    {
        Fixture f;
        QVERIFY(f.open(QStringLiteral(":/scenarios/work-queue.json")));
        // A few messages into the run, so that following one leaves others out; then the
        // earlier tokens arrive.
        QVERIFY(f.stepUntil(12));
        QTRY_COMPARE_WITH_TIMEOUT(f.overlay->tokensScheduled(), 0, 20000);
        // Slow tokens from here: the test clicks where the overlay says a token is, however
        // slow the machine; one step at a time, so a token is alone on the canvas.
        f.overlay->setTokenTravelTime(3);
        quint64 msg = 0;
        for (int i = 0; i < 200 && !msg; ++i) {
            QVERIFY(f.stepUntil(f.dock->model()->rowCount() + 1));
            const QHash<quint64, QPointF> tokens = f.overlay->tokenPositions();
            if (tokens.size() == 1)
                msg = tokens.constBegin().key();
            else if (tokens.size() > 1) // two messages moved in one step: wait for a quiet one
                QTRY_COMPARE_WITH_TIMEOUT(f.overlay->tokensScheduled(), 0, 60000);
        }
        QVERIFY(msg);
        const QPointF scenePos = f.overlay->tokenPositions().value(msg);
        QCOMPARE(f.overlay->tokenAt(scenePos), msg);
        QSignalSpy followed(f.dock, &NarrativeDock::followedMessageChanged);
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, f.view->mapFromScene(scenePos));
        QCOMPARE(f.dock->follow(), NarrativeDock::Follow::Message);
        QCOMPARE(f.dock->followedMessage(), msg);
        QCOMPARE(f.overlay->followedMessage(), msg);
        QCOMPARE(followed.count(), 1);
        QVERIFY(f.view->topologyScene()->selectedNodeIds().isEmpty()); // a token click is no selection
        // The canvas rings the token and tags it with its number, in the selection colour.
        const QColor ring = canvasColors(f.view->viewport()->palette()).selection;
        auto ringPixels = [&f, ring] {
            const QImage image = f.view->viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += QColor(image.pixel(x, y)) == ring;
            return n;
        };
        const int ringed = ringPixels();
        QVERIFY2(ringed > 30, qPrintable(QString::number(ringed)));
        // The dock tells only that message's story, from its publish on.
        QVERIFY(f.dock->visibleLineCount() >= 1);
        QVERIFY(f.dock->visibleLineCount() < f.dock->model()->rowCount());
        for (const NarrativeLine *line : f.visible())
            QVERIFY2(line->involvesMessage(msg), line->text.c_str());
        QVERIFY(f.visible().first()->kind == NarrativeLine::Published);
        // When its token arrives, the message is shown resting at a node (a queue or a
        // consumer), still ringed.
        QTRY_VERIFY_WITH_TIMEOUT(f.overlay->followedNode() >= 0, 60000);
        QVERIFY(ringPixels() > 30);
        // As it goes on, new lines about it are added and others are not.
        QVERIFY(f.stepUntil(f.dock->model()->rowCount() + 8));
        for (const NarrativeLine *line : f.visible())
            QVERIFY2(line->involvesMessage(msg), line->text.c_str());

        // Esc on the canvas stops following.
        f.view->setFocus();
        QTest::keyClick(f.view, Qt::Key_Escape);
        QCOMPARE(f.dock->followedMessage(), quint64(0));
        QCOMPARE(f.overlay->followedMessage(), quint64(0));
        QCOMPARE(f.dock->visibleLineCount(), f.dock->model()->rowCount());
        QVERIFY(ringPixels() < ringed / 4);

        // Following by number (as typed in the dock), then a click on the empty canvas.
        f.dock->followMessage(msg);
        QCOMPARE(f.overlay->followedMessage(), msg);
        QPoint empty(-1, -1);
        const QRect area = f.view->viewport()->rect();
        for (int y = area.top() + 10; y < area.bottom() && empty.x() < 0; y += 20) {
            for (int x = area.left() + 10; x < area.right() && empty.x() < 0; x += 20) {
                if (!f.view->itemAt(QPoint(x, y)) && !f.overlay->tokenAt(f.view->mapToScene(QPoint(x, y)), 40))
                    empty = QPoint(x, y);
            }
        }
        QVERIFY(empty.x() >= 0);
        QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, empty);
        QCOMPARE(f.dock->followedMessage(), quint64(0));
        QCOMPARE(f.overlay->followedMessage(), quint64(0));
    }

    void aFastRunPausesTheNarrativeAndASlowOneResumesIt()
    {
        Fixture f;
        QVERIFY(f.open(QStringLiteral(":/scenarios/work-queue.json")));
        f.dock->show();
        // Long enough not to end while the test changes speed.
        Scenario longer = f.controller->scenario();
        longer.run.duration = 1e7;
        longer.run.replications = 1;
        f.controller->setScenario(longer);
        f.controller->setSpeed(0); // as fast as possible
        f.window.findChild<QAction *>(QStringLiteral("actionRun"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(f.narrative->isPaused(), 60000);
        QVERIFY(f.dock->isPaused());
        QVERIFY2(f.dock->bannerText().contains(QLatin1String("paused")), qPrintable(f.dock->bannerText()));
        QVERIFY(f.dock->visibleLines().filter(QStringLiteral("narrative paused")).size() == 1);
        // Lines stay bounded however long it runs.
        QVERIFY(f.dock->model()->rowCount() <= int(Narrator::DefaultCapacity));

        f.window.findChild<QAction *>(QStringLiteral("actionPause"))->trigger();
        QTRY_COMPARE(f.controller->state(), RunController::State::Paused);
        f.controller->setSpeed(1); // one simulated second a second: a few events a second
        f.window.findChild<QAction *>(QStringLiteral("actionRun"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!f.narrative->isPaused(), 60000);
        QVERIFY(f.dock->bannerText().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(f.dock->visibleLines().filter(QStringLiteral("narrative resumed")).size() == 1, 20000);
        const int told = f.dock->model()->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(f.dock->model()->rowCount() > told, 30000);
    }
};

QTEST_MAIN(TestNarrativeGui)
#include "tst_narrativegui.moc"
