// The run controller: the simulation runs off the GUI thread, Run/Pause/Step/Reset do what
// their buttons say, results come out with confidence intervals, and the GUI event loop
// keeps turning while the engine runs flat out.
#include "animationoverlay.h"
#include "chartspanel.h"
#include "runcontroller.h"
#include "scenario/scenarioio.h"
#include "sim/simulation.h"

#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace ql;

namespace {

Scenario example(const QString &name)
{
    const QString path = QStringLiteral(QL_SOURCE_DIR "/scenarios/%1.json").arg(name);
    LoadResult loaded = loadScenarioFile(path.toStdString());
    if (!loaded.scenario)
        qFatal("cannot load %s: %s", qPrintable(path), loaded.diagnostics.toString().c_str());
    return *loaded.scenario;
}

Scenario shortRun(const QString &name, double duration, int replications = 1)
{
    Scenario s = example(name);
    s.run.duration = duration;
    s.run.warmup = duration / 20;
    s.run.replications = replications;
    return s;
}

// Lets queued signals from the worker arrive for `ms` milliseconds.
void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QTest::qWait(10);
}

std::uint64_t eventsOf(const QSignalSpy &spy)
{
    return spy.last().at(0).value<RunSnapshot>().stats->events;
}

} // namespace

class TestRunController : public QObject
{
    Q_OBJECT

private slots:
    void runToTheEndEmitsSnapshotsAndResults_data();
    void runToTheEndEmitsSnapshotsAndResults();
    void animatedRunEqualsReplicationOne();
    void stepAdvancesExactlyOneEvent_data();
    void stepAdvancesExactlyOneEvent();
    void pauseStopsProgress();
    void resetReturnsToTimeZero();
    void framesComeInBatches();
    void slowMotionShowsSingleMessages();
    void replicationsPublishConfidenceIntervals();
    void resetCancelsReplications();
    void stepAndPauseLeaveTheReplicationsRunning();
    void precisionRuleStopsWhenTheIntervalsAreTight();
    void invalidScenarioIsReportedNotRun();
    void seedFieldChangesTheRun();
    void speedSliderRoundTrips_data();
    void speedSliderRoundTrips();
    void toolTipShowsLiveStatistics();
    void guiStaysResponsiveAtFullSpeed();
};

void TestRunController::runToTheEndEmitsSnapshotsAndResults_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("animate");
    QTest::newRow("mm1 animated") << "mm1" << true;
    QTest::newRow("mm1 no animation") << "mm1" << false;
    QTest::newRow("fanout") << "fanout" << true;
    QTest::newRow("work-queue") << "work-queue" << true;
    QTest::newRow("topic") << "topic" << true;
}

void TestRunController::runToTheEndEmitsSnapshotsAndResults()
{
    QFETCH(QString, scenario);
    QFETCH(bool, animate);
    RunController controller;
    controller.setReplicateOnRun(false);
    controller.setScenario(shortRun(scenario, 5000));
    controller.setSpeed(0);
    controller.setAnimationEnabled(animate);
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    QSignalSpy results(&controller, &RunController::resultsReady);
    QSignalSpy finished(&controller, &RunController::finished);
    QSignalSpy states(&controller, &RunController::stateChanged);

    controller.run();
    QCOMPARE(controller.state(), RunController::State::Running);
    QVERIFY(finished.wait(60000));
    QCOMPARE(controller.state(), RunController::State::Finished);
    QVERIFY(snapshots.count() >= 1);
    const RunSnapshot last = snapshots.last().at(0).value<RunSnapshot>();
    QVERIFY(last.final);
    QCOMPARE(last.simTime, 5000.0);
    QVERIFY(last.stats->delivered > 0);
    QCOMPARE(results.count(), 1);
    const Results r = results.last().at(0).value<Results>();
    QCOMPARE(r.replications, 1);
    QVERIFY(r.delivered > 0);
    QVERIFY(controller.results().has_value());
    QCOMPARE(controller.simTime(), 5000.0);
    QCOMPARE(states.first().at(0).value<RunController::State>(), RunController::State::Running);
    QCOMPARE(states.last().at(0).value<RunController::State>(), RunController::State::Finished);
}

void TestRunController::animatedRunEqualsReplicationOne()
{
    // Pacing, slicing and the observer must not change what is simulated: the animated run
    // is replication 1 of the seed, event for event.
    const Scenario s = shortRun(QStringLiteral("work-queue"), 3000);
    Simulation reference(s, 1);
    reference.run();
    const RunStats expected = reference.takeStats();

    RunController controller;
    controller.setReplicateOnRun(false);
    controller.setScenario(s);
    controller.setSpeed(0);
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.run();
    QVERIFY(finished.wait(60000));
    const RunSnapshot last = snapshots.last().at(0).value<RunSnapshot>();
    // (Event counts differ by the extra samples of the animated run's finer time series.)
    QCOMPARE(last.stats->delivered, expected.delivered);
    QCOMPARE(last.stats->latency, expected.latency);
    for (std::size_t i = 0; i < expected.nodes.size(); ++i) {
        QCOMPARE(last.stats->nodes[i].completed, expected.nodes[i].completed);
        QCOMPARE(last.stats->nodes[i].lengthMean, expected.nodes[i].lengthMean);
        QCOMPARE(last.stats->nodes[i].utilization, expected.nodes[i].utilization);
    }
}

void TestRunController::stepAdvancesExactlyOneEvent_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("mm1") << "mm1";
    QTest::newRow("fanout") << "fanout";
    QTest::newRow("feedback") << "feedback";
}

void TestRunController::stepAdvancesExactlyOneEvent()
{
    QFETCH(QString, scenario);
    RunController controller;
    controller.setScenario(shortRun(scenario, 1000));
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    QSignalSpy frames(&controller, &RunController::frameReady);

    for (std::uint64_t n = 1; n <= 5; ++n) {
        controller.step();
        QCOMPARE(controller.state(), RunController::State::Paused);
        QVERIFY(snapshots.wait(10000));
        QCOMPARE(eventsOf(snapshots), n);
    }
    // Each step's frame covers that one event, in detail.
    QTRY_VERIFY(frames.count() >= 5);
    const AnimationFrame frame = frames.last().at(0).value<AnimationFrame>();
    QVERIFY(frame.detailed);
    QVERIFY(frame.simTo >= frame.simFrom);
}

void TestRunController::pauseStopsProgress()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 1e6));
    controller.setSpeed(200); // 200 simulated seconds per second: a run of ~80 minutes
    QSignalSpy frames(&controller, &RunController::frameReady);
    controller.run();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 5, 10000);
    QVERIFY(controller.simTime() > 0);
    controller.pause();
    QCOMPARE(controller.state(), RunController::State::Paused);
    // Frames already on their way (and the worker's last one) arrive; then nothing more.
    int seen = -1;
    while (seen != frames.count()) {
        seen = frames.count();
        settle(300);
    }
    const double pausedAt = controller.simTime();
    const int framesAtPause = frames.count();
    settle(400);
    QCOMPARE(controller.simTime(), pausedAt);
    QCOMPARE(frames.count(), framesAtPause);
    // Run resumes where it stopped.
    controller.run();
    QTRY_VERIFY_WITH_TIMEOUT(controller.simTime() > pausedAt, 10000);
}

void TestRunController::resetReturnsToTimeZero()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 1e6));
    controller.setSpeed(1000);
    QSignalSpy resets(&controller, &RunController::runReset);
    QSignalSpy progress(&controller, &RunController::progress);
    controller.run();
    QTRY_VERIFY_WITH_TIMEOUT(controller.simTime() > 0, 10000);
    const quint64 before = controller.runId();

    controller.reset();
    QCOMPARE(controller.state(), RunController::State::Idle);
    QCOMPARE(controller.simTime(), 0.0);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(progress.last().at(0).toDouble(), 0.0);
    QVERIFY(controller.runId() != before);
    settle(300); // stale frames of the old run are dropped
    QCOMPARE(controller.simTime(), 0.0);
    QVERIFY(!controller.results().has_value());

    // The next step is the first event of a fresh run.
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    controller.step();
    QVERIFY(snapshots.wait(10000));
    QCOMPARE(eventsOf(snapshots), std::uint64_t(1));
}

void TestRunController::framesComeInBatches()
{
    RunController controller;
    controller.setReplicateOnRun(false);
    controller.setScenario(shortRun(QStringLiteral("work-queue"), 200000));
    controller.setSpeed(0);
    QSignalSpy frames(&controller, &RunController::frameReady);
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.run();
    QVERIFY(finished.wait(60000));
    const std::uint64_t events = snapshots.last().at(0).value<RunSnapshot>().stats->events;
    QVERIFY(events > 500000);
    // Never a signal per event: at most one frame per thousand events here.
    QVERIFY2(std::uint64_t(frames.count()) * 1000 < events,
             qPrintable(QStringLiteral("%1 frames for %2 events").arg(frames.count()).arg(events)));
    QVERIFY(snapshots.count() < frames.count() + 2);
}

void TestRunController::slowMotionShowsSingleMessages()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 1e6));
    controller.setSpeed(20); // ~18 messages a second: every one shown
    QSignalSpy frames(&controller, &RunController::frameReady);
    controller.run();
    bool sawMove = false;
    QElapsedTimer t;
    t.start();
    while (!sawMove && t.elapsed() < 10000) {
        QTest::qWait(20);
        for (const QList<QVariant> &args : frames) {
            const AnimationFrame f = args.at(0).value<AnimationFrame>();
            QVERIFY(f.detailed);
            for (const AnimationEvent &e : f.events)
                sawMove = sawMove || e.kind == AnimationEvent::Moved;
        }
    }
    QVERIFY(sawMove);
    controller.pause();
}

void TestRunController::replicationsPublishConfidenceIntervals()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mmc"), 4000, 4));
    controller.setSpeed(0);
    QSignalSpy started(&controller, &RunController::replicationsStarted);
    QSignalSpy done(&controller, &RunController::replicationsFinished);
    QSignalSpy results(&controller, &RunController::resultsReady);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.run(); // the animated run, and all replications beside it
    QCOMPARE(started.count(), 1); // at once, not after the animation
    QCOMPARE(started.first().at(0).toInt(), 4);
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().at(0).toBool(), false);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    // All four, whichever ended first: the animated run's one replication never replaces them.
    QVERIFY(results.count() >= 1 && results.count() <= 2);
    const Results r = results.last().at(0).value<Results>();
    QCOMPARE(r.replications, 4);
    QVERIFY(r.latency.ci95.has_value());
    QVERIFY(*r.latency.ci95 > 0);
    QCOMPARE(controller.results()->replications, 4);
    QVERIFY(controller.hasReplicatedResults());
    QVERIFY(!controller.isReplicating());
}

void TestRunController::resetCancelsReplications()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 3e6, 8));
    QSignalSpy done(&controller, &RunController::replicationsFinished);
    QSignalSpy results(&controller, &RunController::resultsReady);
    controller.runReplications();
    QVERIFY(controller.isReplicating());
    QTest::qWait(100);
    controller.reset();
    QVERIFY(!controller.isReplicating());
    QCOMPARE(done.count(), 1);
    QCOMPARE(done.first().at(0).toBool(), true);
    // The worker stops early and is free again: a step runs at once.
    QSignalSpy snapshots(&controller, &RunController::snapshotReady);
    controller.step();
    QVERIFY(snapshots.wait(30000));
    QCOMPARE(eventsOf(snapshots), std::uint64_t(1));
    QCOMPARE(results.count(), 0);
}

void TestRunController::stepAndPauseLeaveTheReplicationsRunning()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 3e5, 4));
    controller.setSpeed(10); // the animation crawls; the answer must not wait for it
    QSignalSpy done(&controller, &RunController::replicationsFinished);
    controller.run();
    QVERIFY(controller.isReplicating());
    controller.pause();
    controller.step();
    QCOMPARE(controller.state(), RunController::State::Paused);
    QVERIFY(done.wait(120000));
    QCOMPARE(done.first().at(0).toBool(), false);
    QVERIFY(controller.hasReplicatedResults());
    QCOMPARE(controller.results()->replications, 4);
    QCOMPARE(controller.state(), RunController::State::Paused); // the animated run is where it was
    // Run from Paused goes on; it does not start over and throw the answer away.
    controller.run();
    QCOMPARE(controller.state(), RunController::State::Running);
    QVERIFY(controller.hasReplicatedResults());
    QVERIFY(!controller.isReplicating());
    controller.reset();
    QVERIFY(!controller.results().has_value());

    // A few Steps from t = 0, then Run: the replications start then.
    controller.step();
    controller.step();
    QVERIFY(!controller.isReplicating());
    controller.run();
    QVERIFY(controller.isReplicating());
    controller.reset();
}

void TestRunController::precisionRuleStopsWhenTheIntervalsAreTight()
{
    RunController controller;
    controller.setScenario(shortRun(QStringLiteral("mm1"), 20000, 2));
    PrecisionRule rule;
    rule.target = 0.2;
    rule.maxReplications = 50;
    controller.setPrecision(rule);
    QSignalSpy started(&controller, &RunController::replicationsStarted);
    QSignalSpy done(&controller, &RunController::replicationsFinished);
    controller.runReplications();
    QCOMPARE(started.first().at(0).toInt(), 50);
    QVERIFY(done.wait(120000));
    const std::optional<Results> &r = controller.results();
    QVERIFY(r && r->precision);
    QVERIFY(r->precision->met);
    QVERIFY(r->replications >= kPrecisionMinReplications); // never below the minimum
    QVERIFY(r->precision->worst <= 0.2);
}

void TestRunController::invalidScenarioIsReportedNotRun()
{
    Scenario s = shortRun(QStringLiteral("mm1"), 1000);
    s.links.pop_back(); // the consumer no longer subscribes to a queue
    RunController controller;
    controller.setScenario(s);
    QSignalSpy errors(&controller, &RunController::errorOccurred);
    controller.run();
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().at(0).toString().contains(QStringLiteral("server")));
    QCOMPARE(controller.state(), RunController::State::Idle);
    controller.step();
    QCOMPARE(errors.count(), 2);
    QCOMPARE(controller.state(), RunController::State::Idle);

    controller.setScenario(Scenario{});
    controller.run();
    QCOMPARE(errors.count(), 3);
    QVERIFY(errors.last().at(0).toString().contains(QStringLiteral("empty")));
}

void TestRunController::seedFieldChangesTheRun()
{
    auto latencyWith = [](std::optional<quint64> seed) {
        RunController controller;
        controller.setReplicateOnRun(false);
        controller.setScenario(shortRun(QStringLiteral("mm1"), 3000));
        if (seed)
            controller.setSeed(*seed);
        controller.setSpeed(0);
        QSignalSpy results(&controller, &RunController::resultsReady);
        controller.run();
        if (!results.wait(60000))
            return -1.0;
        const Results r = results.last().at(0).value<Results>();
        return r.latency.mean;
    };
    const double scenarioSeed = latencyWith(std::nullopt);
    QVERIFY(scenarioSeed > 0);
    QCOMPARE(latencyWith(42), scenarioSeed); // mm1.json's own seed
    QVERIFY(latencyWith(7) != scenarioSeed);
}

void TestRunController::speedSliderRoundTrips_data()
{
    QTest::addColumn<double>("speed");
    QTest::addColumn<int>("position");
    QTest::newRow("slowest") << 0.1 << 0;
    QTest::newRow("real time") << 1.0 << 10;
    QTest::newRow("x100") << 100.0 << 30;
    QTest::newRow("x10000") << 10000.0 << 50;
    QTest::newRow("max") << 0.0 << int(RunController::SpeedSliderMax);
}

void TestRunController::speedSliderRoundTrips()
{
    QFETCH(double, speed);
    QFETCH(int, position);
    QCOMPARE(RunController::sliderForSpeed(speed), position);
    QVERIFY(qFuzzyCompare(1 + RunController::speedForSlider(position), 1 + speed));
}

void TestRunController::toolTipShowsLiveStatistics()
{
    RunController controller;
    controller.setReplicateOnRun(false);
    controller.setScenario(shortRun(QStringLiteral("mm1"), 5000));
    QVERIFY(controller.nodeToolTip(QStringLiteral("queue")).isEmpty()); // idle: nothing live
    controller.setSpeed(0);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.run();
    QVERIFY(finished.wait(60000));
    const QString queue = controller.nodeToolTip(QStringLiteral("queue"));
    QVERIFY(queue.contains(QStringLiteral("mean length")));
    QVERIFY(controller.nodeToolTip(QStringLiteral("server")).contains(QStringLiteral("utilization")));
    QVERIFY(controller.nodeToolTip(QStringLiteral("nope")).isEmpty());
}

void TestRunController::guiStaysResponsiveAtFullSpeed()
{
    // A window like the real one: canvas with the overlay, charts in docks, all fed by the
    // controller while the engine runs flat out with animation on.
    const Scenario s = shortRun(QStringLiteral("fanout"), 1e8);
    QMainWindow window;
    auto *scene = new QGraphicsScene(&window);
    auto *overlay = new AnimationOverlay;
    scene->addItem(overlay);
    overlay->setScenario(s);
    auto *view = new QGraphicsView(scene);
    window.setCentralWidget(view);
    ChartsPanel charts;
    charts.createDocks(&window);
    charts.setScenario(s);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    RunController controller;
    controller.setScenario(s);
    controller.setSpeed(0);
    connect(&controller, &RunController::frameReady, overlay, &AnimationOverlay::applyFrame);
    connect(&controller, &RunController::snapshotReady, &charts, &ChartsPanel::addSnapshot);
    QSignalSpy frames(&controller, &RunController::frameReady);

    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest = 0;
    QTimer probe;
    probe.setInterval(10);
    connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    controller.run();
    clock.start();
    probe.start();
    settle(2000);
    probe.stop();
    const double simulated = controller.simTime();
    controller.reset();

    qInfo("longest GUI event-loop gap at full speed: %lld ms (%d frames, %.0f time units simulated in 2 s)",
          longest, int(frames.count()), simulated);
    QVERIFY(frames.count() > 10);
    QVERIFY(simulated > 0);
    // The product target is 50 ms and bench_animation measures it. A wall-clock bound here
    // would gate CI on how busy a shared machine is (sanitizers, parallel suites), so it is
    // opt-in: QUEUELAB_TIMING_TESTS=1 on a quiet machine.
    if (qEnvironmentVariableIntValue("QUEUELAB_TIMING_TESTS") == 1)
        QVERIFY2(longest < 200, qPrintable(QStringLiteral("longest gap %1 ms").arg(longest)));
}

QTEST_MAIN(TestRunController)
#include "tst_runcontroller.moc"
