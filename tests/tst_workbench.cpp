// The whole workbench as a user drives it: the real MainWindow, its Run action, the charts
// in its Charts dock, the overlay on its canvas, and the files its exports write.
#include "animationoverlay.h"
#include "chartspanel.h"
#include "chartwidget.h"
#include "exportfiles.h"
#include "mainwindow.h"
#include "reportexporter.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "scenariodocument.h"
#include "sim/simobserver.h"
#include "sim/simulation.h"
#include "topologyview.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <vector>

using namespace ql;

namespace {

// Writes down each observer callback as the run controller's frames carry it.
class EventRecorder : public SimObserver
{
public:
    void published(double t, std::uint64_t msg, int producer) override
    {
        add(AnimationEvent::Published, t, msg, producer, -1);
    }
    void moved(double t, std::uint64_t msg, int from, int to) override { add(AnimationEvent::Moved, t, msg, from, to); }
    void enqueued(double t, std::uint64_t msg, int queue, int depth) override
    {
        add(AnimationEvent::Enqueued, t, msg, queue, depth);
    }
    void dropped(double t, std::uint64_t msg, int node, DropReason) override
    {
        add(AnimationEvent::Dropped, t, msg, node, -1);
    }
    void serviceStarted(double t, std::uint64_t msg, int consumer, int busy) override
    {
        add(AnimationEvent::ServiceStarted, t, msg, consumer, busy);
    }
    void serviceEnded(double t, std::uint64_t msg, int consumer, int busy) override
    {
        add(AnimationEvent::ServiceEnded, t, msg, consumer, busy);
    }
    void delivered(double t, std::uint64_t msg, double) override { add(AnimationEvent::Delivered, t, msg, -1, -1); }

    std::vector<AnimationEvent> events;

private:
    void add(AnimationEvent::Kind kind, double t, std::uint64_t msg, int from, int to)
    {
        AnimationEvent e;
        e.kind = kind;
        e.t = t;
        e.msg = msg;
        e.from = from;
        e.to = to;
        events.push_back(e);
    }
};

} // namespace

class TestWorkbench : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(resources);
        QCoreApplication::setOrganizationName(QStringLiteral("QueueLabTests"));
    }

    void runFillsTheChartsAndTheOverlay()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/work-queue.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        QVERIFY(run);
        RunController *controller = run->controller();
        controller->setSpeed(0); // as fast as possible
        QSignalSpy results(controller, &RunController::resultsReady);
        QAction *runAction = window.findChild<QAction *>(QStringLiteral("actionRun"));
        QVERIFY(runAction && runAction->isEnabled());
        runAction->trigger();
        QVERIFY(controller->state() == RunController::State::Running);
        // The animated run, then the replications behind it.
        QTRY_VERIFY_WITH_TIMEOUT(controller->state() == RunController::State::Finished, 120000);
        QTRY_VERIFY_WITH_TIMEOUT(results.count() >= 1 && !controller->isReplicating(), 120000);

        for (ChartWidget *chart : run->charts()->charts())
            QTRY_VERIFY2(chart->dataCount() > 0, qPrintable(chart->name()));
        const std::optional<Results> &r = controller->results();
        QVERIFY(r.has_value());
        QCOMPARE(r->replications, window.document()->scenario().run.replications);
        QVERIFY(r->latency.ci95.has_value());
        QVERIFY(r->delivered > 1000);

        // Reset empties the charts and brings the controller back to t = 0.
        window.findChild<QAction *>(QStringLiteral("actionReset"))->trigger();
        QTRY_COMPARE(controller->state(), RunController::State::Idle);
        QCOMPARE(controller->simTime(), 0.0);
    }

    void stepAdvancesOneEventAndPauseHolds()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        RunController *controller = window.runCoordinator()->controller();
        QAction *step = window.findChild<QAction *>(QStringLiteral("actionStep"));
        QVERIFY(step);
        std::vector<AnimationFrame> frames;
        connect(controller, &RunController::frameReady, this,
                [&frames](const AnimationFrame &f) { frames.push_back(f); });

        // The same scenario and seed stepped here, one event at a time, with an observer
        // that writes down what each event did: each Step must match exactly one of them.
        Scenario reference = controller->scenario();
        reference.run.seed = controller->seed();
        if (reference.run.sampleInterval <= 0) // as the animated run samples (no effect on
            reference.run.sampleInterval = reference.run.duration / 200; // the first events)
        Simulation sim(reference, 1);
        EventRecorder recorder;
        sim.setObserver(&recorder);

        double before = 0;
        for (std::uint64_t n = 1; n <= 3; ++n) {
            recorder.events.clear();
            QVERIFY(sim.step());
            QVERIFY(!recorder.events.empty());
            frames.clear();
            step->trigger();
            QCOMPARE(controller->state(), RunController::State::Paused);
            QTRY_VERIFY(controller->lastStats() && controller->lastStats()->events == n);
            QCOMPARE(controller->simTime(), sim.now());
            QVERIFY(controller->simTime() > before);
            // One frame, marked a step, spanning from the previous event to this one and
            // holding this event's callbacks and nothing else.
            QCOMPARE(int(frames.size()), 1);
            const AnimationFrame &f = frames.front();
            QVERIFY(f.step && f.detailed);
            QCOMPARE(f.simFrom, before);
            QCOMPARE(f.simTo, sim.now());
            QCOMPARE(int(f.events.size()), int(recorder.events.size()));
            for (std::size_t i = 0; i < f.events.size(); ++i) {
                const AnimationEvent &got = f.events[i], &want = recorder.events[i];
                QCOMPARE(int(got.kind), int(want.kind));
                QCOMPARE(got.msg, want.msg);
                QCOMPARE(got.from, want.from);
                QCOMPARE(got.to, want.to);
                QCOMPARE(got.t, sim.now());
            }
            before = sim.now();
        }

        // Paused: neither the clock nor the event count moves, and no frame comes.
        frames.clear();
        QTest::qWait(200);
        QCOMPARE(controller->simTime(), before);
        QCOMPARE(controller->lastStats()->events, std::uint64_t(3));
        QCOMPARE(int(frames.size()), 0);
    }

    void anEditResetsTheRun()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        RunController *controller = window.runCoordinator()->controller();
        window.findChild<QAction *>(QStringLiteral("actionStep"))->trigger();
        QTRY_VERIFY(controller->simTime() > 0);
        // A change to what is simulated: the run starts over on the new scenario.
        window.addNode(NodeKind::Sink, QPointF(600, 300));
        QTRY_COMPARE(controller->state(), RunController::State::Idle);
        QCOMPARE(int(controller->scenario().nodes.size()), int(window.document()->scenario().nodes.size()));
    }

    void exportsWriteFilesThatParse()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/mm1.json")));
        window.show();
        RunController *controller = window.runCoordinator()->controller();
        controller->setSpeed(0);
        window.findChild<QAction *>(QStringLiteral("actionRun"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(controller->results().has_value() && !controller->isReplicating(), 120000);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ReportExporter exporter;
        exporter.setScenario(window.document()->scenario());
        exporter.setResults(controller->results());
        exporter.setScene(window.topologyView()->scene());
        exporter.setCharts(window.runCoordinator()->charts()->charts());
        QString error;
        QVERIFY2(exporter.exportTo(dir.filePath(QStringLiteral("report")), &error), qPrintable(error));

        QFile json(dir.filePath(QStringLiteral("report/results.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(r.value("format").toString(), QStringLiteral("queuelab-results"));
        QCOMPARE(r.value("source").toString(), QStringLiteral("simulation"));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("report/canvas.png"))).isNull());
        QFile svg(dir.filePath(QStringLiteral("report/canvas.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QFile scenario(dir.filePath(QStringLiteral("report/scenario.json")));
        QVERIFY(scenario.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(scenario.readAll()).object().value("format").toString(),
                 QStringLiteral("queuelab-scenario"));
        // Every chart as PNG and PDF.
        for (ChartWidget *chart : window.runCoordinator()->charts()->charts()) {
            QVERIFY(!QImage(dir.filePath(QStringLiteral("report/charts/%1.png").arg(chart->name()))).isNull());
            QFile pdf(dir.filePath(QStringLiteral("report/charts/%1.pdf").arg(chart->name())));
            QVERIFY2(pdf.open(QIODevice::ReadOnly), qPrintable(pdf.fileName()));
            QVERIFY(pdf.read(4) == "%PDF");
        }
        // Exports to a folder that cannot exist fail with a message naming the path.
        QVERIFY(!exporter.exportTo(QStringLiteral("/proc/no/such/folder"), &error));
        QVERIFY2(error.contains(QStringLiteral("/proc/no/such/folder")), qPrintable(error));
    }
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
