// The charts: they fill from a run, show theory where it applies and confidence intervals
// after replications, regroup the latency histogram faithfully, follow the palette, and the
// overlay shows what the simulation does.
#include "animationoverlay.h"
#include "chartsarea.h"
#include "chartspanel.h"
#include "histogramchart.h"
#include "runcontroller.h"
#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "sim/simulation.h"
#include "timeserieschart.h"

#include <QApplication>
#include <QDockWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QGraphicsScene>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <cmath>
#include <utility>

using namespace ql;

namespace {

Scenario example(const QString &name, double duration = 4000, int replications = 1)
{
    const QString path = QStringLiteral(QL_SOURCE_DIR "/scenarios/%1.json").arg(name);
    LoadResult loaded = loadScenarioFile(path.toStdString());
    if (!loaded.scenario)
        qFatal("cannot load %s", qPrintable(path));
    Scenario s = *loaded.scenario;
    s.run.duration = duration;
    s.run.warmup = duration / 20;
    s.run.replications = replications;
    return s;
}

RunSnapshot snapshotOf(const Scenario &s, quint64 runId = 1)
{
    Simulation sim(s, 1);
    sim.run();
    RunSnapshot snap;
    snap.runId = runId;
    snap.simTime = sim.now();
    snap.endTime = s.run.duration;
    snap.final = true;
    snap.stats = std::make_shared<RunStats>(sim.takeStats());
    return snap;
}

// The line of `chart` whose legend entry reads `label`; fails the test if there is none.
QCPGraph *lineNamed(const ChartWidget *chart, const QString &label)
{
    for (int i = 0; i < chart->plot()->graphCount(); ++i)
        if (chart->plot()->graph(i)->name() == label)
            return chart->plot()->graph(i);
    qFatal("%s has no line called %s", qPrintable(chart->name()), qPrintable(label));
}

// `line` draws the `metric` series of `node` from `series`: one point per sample, at the
// sample's time, with the sample's value times `scale` (a gap where a latency is 0).
void compareLineWithSeries(const QCPGraph *line, const TimeSeries &series, const std::string &node,
                           const std::string &metric, double scale, bool gapOnZero)
{
    const Series *match = nullptr;
    for (const Series &candidate : series.series)
        if (candidate.node == node && candidate.metric == metric)
            match = &candidate;
    QVERIFY2(match, (node + " " + metric).c_str());
    const QString what = QStringLiteral("%1 %2").arg(QString::fromStdString(node), QString::fromStdString(metric));
    QVERIFY2(std::size_t(line->data()->size()) == series.times.size(),
             qPrintable(QStringLiteral("%1: %2 points, %3 samples").arg(what).arg(line->data()->size())
                            .arg(series.times.size())));
    for (std::size_t k = 0; k < series.times.size(); ++k) {
        const QCPGraphData &point = *line->data()->at(int(k));
        QCOMPARE(point.key, series.times[k]);
        const double expected = match->values[k] * scale;
        if (gapOnZero && expected == 0)
            QVERIFY2(std::isnan(point.value), qPrintable(what));
        else
            QVERIFY2(point.value == expected,
                     qPrintable(QStringLiteral("%1 at %2: %3, sample %4").arg(what).arg(point.key).arg(point.value)
                                    .arg(expected)));
    }
}

AnimationEvent makeEvent(AnimationEvent::Kind kind, double t, std::uint64_t msg, int from, int to = -1)
{
    AnimationEvent e;
    e.kind = kind;
    e.t = t;
    e.msg = msg;
    e.from = from;
    e.to = to;
    return e;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chartsReceiveDataFromARun_data();
    void chartsReceiveDataFromARun();
    void aSnapshotAddsItsNewSamples();
    void linesFollowTheTopology();
    void theoryReferencesWhereTheoryApplies_data();
    void theoryReferencesWhereTheoryApplies();
    void confidenceIntervalsAfterReplications();
    void histogramRegroupsEveryObservation_data();
    void histogramRegroupsEveryObservation();
    void aNewRunClearsTheCharts();
    void chartsFollowThePalette();
    void docksAreNamedAndRearrangeable();
    void hoverReadoutDescribesTheNearestPoint();
    void overlayShowsDepthAndBusyServersAfterTheTokens();
    void overlaySwitchesToFlowAtHighRates();
    void overlayIgnoresTheMouse();
    void areaGivesEveryChartAReadableSize_data();
    void areaGivesEveryChartAReadableSize();
    void legendHasOneEntryPerDrawnLine_data();
    void legendHasOneEntryPerDrawnLine();
    void bandSwatchReadsInBothThemes();
};

void TestCharts::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the layout choice goes to a test QSettings
    QApplication::setOrganizationName(QStringLiteral("QueueLabTest"));
    QApplication::setApplicationName(QStringLiteral("tst_charts"));
    QSettings().remove(QStringLiteral("charts"));
}

void TestCharts::chartsReceiveDataFromARun_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("work-queue") << "work-queue";
    QTest::newRow("fanout") << "fanout";
    QTest::newRow("tandem") << "tandem";
}

void TestCharts::chartsReceiveDataFromARun()
{
    QFETCH(QString, scenario);
    const Scenario s = example(scenario);
    ChartsPanel charts;
    charts.setScenario(s);
    RunController controller;
    controller.setReplicateOnRun(false);
    controller.setScenario(s);
    controller.setSpeed(0);
    connect(&controller, &RunController::snapshotReady, &charts, &ChartsPanel::addSnapshot);
    connect(&controller, &RunController::resultsReady, &charts, &ChartsPanel::setResults);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.run();
    QVERIFY(finished.wait(60000));
    // (The panel hands a snapshot to one chart after the other, a few milliseconds apart.)
    for (ChartWidget *chart : charts.charts())
        QTRY_VERIFY2(chart->dataCount() > 0, qPrintable(chart->name()));
    // Every line shows its series of the run the controller ran, whole: a point at each
    // sample time up to the end of the run, with that sample's value.
    const std::shared_ptr<const RunStats> run = controller.lastStats();
    QVERIFY(run);
    const TimeSeries &series = run->series;
    QVERIFY(!series.times.empty());
    QCOMPARE(series.times.back(), s.run.duration);
    const std::pair<const char *, const char *> percentiles[] = {
        {"mean", "latency_mean"}, {"p50", "latency_p50"}, {"p95", "latency_p95"}, {"p99", "latency_p99"}};
    for (const auto &[label, metric] : percentiles) {
        QTRY_VERIFY(!lineNamed(charts.latencyChart(), label)->data()->isEmpty());
        compareLineWithSeries(lineNamed(charts.latencyChart(), label), series, "", metric, 1, true);
        if (QTest::currentTestFailed())
            return;
    }
    for (const Node &node : s.nodes) {
        const QString id = QString::fromStdString(node.id);
        if (node.kind == NodeKind::Queue) {
            QTRY_VERIFY(!lineNamed(charts.queueDepthChart(), id)->data()->isEmpty());
            compareLineWithSeries(lineNamed(charts.queueDepthChart(), id), series, node.id, "length_mean", 1, false);
        } else if (node.kind == NodeKind::Consumer) {
            QTRY_VERIFY(!lineNamed(charts.utilizationChart(), id)->data()->isEmpty());
            compareLineWithSeries(lineNamed(charts.utilizationChart(), id), series, node.id, "utilization", 100, false);
        }
        if (QTest::currentTestFailed())
            return;
    }
}

void TestCharts::aSnapshotAddsItsNewSamples()
{
    // Snapshots of a run in progress: each one brings the samples taken since the last,
    // and the points already drawn stay as they were.
    const Scenario s = example(QStringLiteral("mm1"), 2000);
    TimeSeriesChart chart(TimeSeriesChart::Kind::Utilization);
    chart.setScenario(s, analyze(s));
    QCPGraph *line = lineNamed(&chart, QString::fromStdString(s.nodes[2].id));
    QVERIFY(line->data()->isEmpty());
    Simulation sim(s, 1);
    const auto snapshotAt = [&](double t) {
        sim.runUntil(t);
        RunSnapshot snap;
        snap.runId = 1;
        snap.simTime = sim.now();
        snap.endTime = s.run.duration;
        snap.stats = std::make_shared<RunStats>(sim.snapshot());
        return snap;
    };
    const RunSnapshot half = snapshotAt(s.run.duration / 2);
    chart.addSnapshot(half);
    compareLineWithSeries(line, half.stats->series, s.nodes[2].id, "utilization", 100, false);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(line->data()->size() > 0);
    QVERIFY((line->data()->constEnd() - 1)->key <= s.run.duration / 2);
    const QList<QCPGraphData> before(line->data()->constBegin(), line->data()->constEnd());

    const RunSnapshot whole = snapshotAt(s.run.duration);
    QVERIFY(whole.stats->series.times.size() > half.stats->series.times.size());
    chart.addSnapshot(whole);
    compareLineWithSeries(line, whole.stats->series, s.nodes[2].id, "utilization", 100, false);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE((line->data()->constEnd() - 1)->key, s.run.duration);
    for (int i = 0; i < before.size(); ++i) {
        QCOMPARE(line->data()->at(i)->key, before[i].key);
        QCOMPARE(line->data()->at(i)->value, before[i].value);
    }
    // The same snapshot again brings no new sample: no new point.
    const int count = line->data()->size();
    chart.addSnapshot(whole);
    QCOMPARE(line->data()->size(), count);
}

void TestCharts::linesFollowTheTopology()
{
    const Scenario s = example(QStringLiteral("fanout"));
    ChartsPanel charts;
    charts.setScenario(s);
    QCOMPARE(charts.latencyChart()->lineCount(), 4);         // mean, p50, p95, p99
    QCOMPARE(charts.queueDepthChart()->lineCount(), 3);      // one per queue
    QCOMPARE(charts.utilizationChart()->lineCount(), 3);     // one per consumer
    QCOMPARE(charts.throughputChart()->lineCount(), 1 + 1 + 1 + 3); // e2e, producer, exchange, consumers
    QCOMPARE(charts.queueDepthChart()->plot()->legend->itemCount() >= 3, true);
}

void TestCharts::theoryReferencesWhereTheoryApplies_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("applies");
    QTest::newRow("M/M/1") << "mm1" << true;
    QTest::newRow("M/M/2 work queue") << "work-queue" << true;
    QTest::newRow("Jackson fanout") << "fanout" << true;
    QTest::newRow("overload (unstable)") << "overload" << (analyze(example("overload")).applicable);
}

void TestCharts::theoryReferencesWhereTheoryApplies()
{
    QFETCH(QString, scenario);
    QFETCH(bool, applies);
    const Scenario s = example(scenario);
    QCOMPARE(analyze(s).applicable, applies);
    ChartsPanel charts;
    charts.setScenario(s);
    if (applies) {
        QVERIFY(charts.latencyChart()->theoryLineCount() >= 1);
        QCOMPARE(charts.queueDepthChart()->theoryLineCount(), charts.queueDepthChart()->lineCount());
        QCOMPARE(charts.utilizationChart()->theoryLineCount(), charts.utilizationChart()->lineCount());
    } else {
        QCOMPARE(charts.latencyChart()->theoryLineCount(), 0);
        QCOMPARE(charts.queueDepthChart()->theoryLineCount(), 0);
    }
}

void TestCharts::confidenceIntervalsAfterReplications()
{
    const Scenario s = example(QStringLiteral("work-queue"), 3000, 4);
    ChartsPanel charts;
    charts.setScenario(s);
    charts.addSnapshot(snapshotOf(s));
    QCOMPARE(charts.latencyChart()->confidenceBandCount(), 0);
    QVERIFY(!charts.histogramChart()->showsConfidenceInterval());

    const Results results = runReplications(s);
    QCOMPARE(results.replications, 4);
    charts.setResults(results);
    QCOMPARE(charts.latencyChart()->confidenceBandCount(), 1);
    QCOMPARE(charts.utilizationChart()->confidenceBandCount(), 2);
    QCOMPARE(charts.queueDepthChart()->confidenceBandCount(), 1);
    QVERIFY(charts.throughputChart()->confidenceBandCount() >= 1);
    QVERIFY(charts.histogramChart()->showsConfidenceInterval());

    // Results of a single replication carry no interval: the bands go.
    Results one = results;
    one.replications = 1;
    charts.setResults(one);
    QCOMPARE(charts.latencyChart()->confidenceBandCount(), 0);
}

void TestCharts::histogramRegroupsEveryObservation_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::newRow("uniform-ish") << QList<double>{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    QTest::newRow("with a tail") << QList<double>{1, 1, 1, 2, 2, 3, 50, 1000};
    QTest::newRow("milliseconds") << QList<double>{0.001, 0.002, 0.002, 0.004};
}

void TestCharts::histogramRegroupsEveryObservation()
{
    QFETCH(QList<double>, values);
    Histogram h;
    for (double v : values)
        h.add(v);
    LatencyHistogramChart chart;
    chart.showHistogram(h);
    QVERIFY(chart.binWidth() > 0);
    double total = 0;
    auto *bars = qobject_cast<QCPBars *>(chart.plot()->plottable(0));
    QVERIFY(bars);
    for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
        total += it->value;
    QVERIFY2(qAbs(total - 100.0) < 1e-6, qPrintable(QString::number(total)));

    // forEachBucket() reports every observation once, in increasing bucket order.
    std::uint64_t counted = 0;
    double last = -1;
    h.forEachBucket([&](double lower, double upper, std::uint64_t n) {
        QVERIFY(lower < upper);
        QVERIFY(lower >= last);
        last = upper;
        counted += n;
    });
    QCOMPARE(counted, std::uint64_t(values.size()));
}

void TestCharts::aNewRunClearsTheCharts()
{
    const Scenario s = example(QStringLiteral("mm1"), 2000);
    ChartsPanel charts;
    charts.setScenario(s);
    charts.addSnapshot(snapshotOf(s, 1));
    const int once = charts.latencyChart()->dataCount();
    QVERIFY(once > 0);
    charts.addSnapshot(snapshotOf(s, 1)); // the same run again: nothing new to add
    QCOMPARE(charts.latencyChart()->dataCount(), once);
    charts.addSnapshot(snapshotOf(s, 2)); // another run starts over
    QCOMPARE(charts.latencyChart()->dataCount(), once);
    charts.clear();
    for (ChartWidget *chart : charts.charts())
        QCOMPARE(chart->dataCount(), 0);
}

void TestCharts::chartsFollowThePalette()
{
    TimeSeriesChart chart(TimeSeriesChart::Kind::Latency);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2e, 0x34));
    dark.setColor(QPalette::Base, QColor(0x1f, 0x22, 0x27));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    chart.setPalette(dark);
    QCOMPARE(chart.plot()->axisRect()->backgroundBrush().color(), QColor(0x1f, 0x22, 0x27));
    QCOMPARE(chart.plot()->xAxis->tickLabelColor(), QColor(0xe6, 0xe8, 0xeb));
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::WindowText, Qt::black);
    chart.setPalette(light);
    QCOMPARE(chart.plot()->axisRect()->backgroundBrush().color(), QColor(Qt::white));
    QCOMPARE(chart.plot()->xAxis->tickLabelColor(), QColor(Qt::black));
}

void TestCharts::docksAreNamedAndRearrangeable()
{
    QMainWindow window;
    ChartsPanel charts;
    const QList<QDockWidget *> docks = charts.createDocks(&window);
    QCOMPARE(docks.size(), 5);
    QStringList names;
    for (QDockWidget *dock : docks) {
        names << dock->objectName();
        QVERIFY(dock->features() & QDockWidget::DockWidgetMovable);
        QCOMPARE(dock->parent(), &window);
    }
    QCOMPARE(names, (QStringList{"latencyChartDock", "latencyhistogramChartDock", "throughputChartDock",
                                 "queuedepthChartDock", "utilizationChartDock"}));
    // saveState/restoreState round-trips the arrangement (object names are unique).
    const QByteArray state = window.saveState();
    QVERIFY(window.restoreState(state));
}

void TestCharts::hoverReadoutDescribesTheNearestPoint()
{
    const Scenario s = example(QStringLiteral("mm1"), 2000);
    TimeSeriesChart chart(TimeSeriesChart::Kind::Utilization);
    chart.setScenario(s, analyze(s));
    chart.addSnapshot(snapshotOf(s));
    chart.resize(600, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.plot()->replot();
    QCPGraph *line = chart.plot()->graph(0);
    const auto point = line->data()->at(line->data()->size() / 2);
    const QPoint pixel(int(chart.plot()->xAxis->coordToPixel(point->key)),
                       int(chart.plot()->yAxis->coordToPixel(point->value)));
    QTest::mouseMove(chart.plot(), pixel);
    QTRY_VERIFY(chart.plot()->itemCount() > 0);
    bool shown = false;
    for (int i = 0; i < chart.plot()->itemCount(); ++i) {
        if (auto *text = qobject_cast<QCPItemText *>(chart.plot()->item(i)); text && text->visible()
            && text->text().contains(QStringLiteral("server"))) {
            shown = true;
            QVERIFY(text->text().contains(QStringLiteral("%")));
        }
    }
    QVERIFY(shown);
}

void TestCharts::overlayShowsDepthAndBusyServersAfterTheTokens()
{
    // mm1: arrivals (0) -> queue (1) -> server (2).
    const Scenario s = example(QStringLiteral("mm1"), 100);
    QGraphicsScene scene;
    auto *overlay = new AnimationOverlay;
    scene.addItem(overlay);
    overlay->setScenario(s);
    QCOMPARE(overlay->zValue(), 100.0);

    AnimationFrame f;
    f.runId = 1;
    f.simFrom = 0;
    f.simTo = 1;
    f.detailed = true;
    f.step = true;
    // Message 1 goes straight into service; message 2 waits in the queue.
    f.events = {makeEvent(AnimationEvent::Published, 0.5, 1, 0), makeEvent(AnimationEvent::Moved, 0.5, 1, 0, 1),
                makeEvent(AnimationEvent::Moved, 0.5, 1, 1, 2), makeEvent(AnimationEvent::ServiceStarted, 0.5, 1, 2, 1),
                makeEvent(AnimationEvent::Published, 0.9, 2, 0), makeEvent(AnimationEvent::Moved, 0.9, 2, 0, 1),
                makeEvent(AnimationEvent::Enqueued, 0.9, 2, 1, 1)};
    f.queueDepth = {0, 1, 0};
    f.busyServers = {0, 0, 1};
    f.linkMessages = {2, 1};
    f.drops = {0, 0, 0};
    overlay->applyFrame(f);
    QCOMPARE(overlay->tokensScheduled(), 3);
    QVERIFY(overlay->isAnimating());
    // Nothing has arrived yet: the counts change when the tokens get there.
    QCOMPARE(overlay->queueDepth(1), 0);
    QCOMPARE(overlay->busyServers(2), 0);
    QTRY_COMPARE(overlay->busyServers(2), 1);
    QTRY_COMPARE(overlay->queueDepth(1), 1);
    // And then the animation stops by itself.
    QTRY_VERIFY(!overlay->isAnimating());
    QCOMPARE(overlay->tokensInFlight(), 0);

    overlay->clear();
    QCOMPARE(overlay->queueDepth(1), 0);
    QCOMPARE(overlay->busyServers(2), 0);
}

void TestCharts::overlaySwitchesToFlowAtHighRates()
{
    const Scenario s = example(QStringLiteral("mm1"), 100);
    QGraphicsScene scene;
    auto *overlay = new AnimationOverlay;
    scene.addItem(overlay);
    overlay->setScenario(s);
    QSignalSpy modes(overlay, &AnimationOverlay::flowModeChanged);
    QVERIFY(!overlay->showingFlow());
    // A frame without events but with lots of traffic: counts only, so flow it is.
    AnimationFrame f;
    f.simFrom = 0;
    f.simTo = 10;
    f.detailed = false;
    f.queueDepth = {0, 5, 0};
    f.busyServers = {0, 0, 1};
    f.linkMessages = {9000, 9000};
    f.drops = {0, 0, 0};
    overlay->applyFrame(f);
    QVERIFY(overlay->showingFlow());
    QCOMPARE(modes.count(), 1);
    QCOMPARE(overlay->queueDepth(1), 5); // without events the frame's own figures show
    // Back to a trickle of detailed frames: tokens again (after the rate has decayed).
    AnimationFrame quiet = f;
    quiet.detailed = true;
    quiet.linkMessages = {0, 0};
    QTRY_VERIFY_WITH_TIMEOUT((overlay->applyFrame(quiet), !overlay->showingFlow()), 5000);
    QCOMPARE(modes.count(), 2);

    overlay->setMode(AnimationOverlay::Mode::Flow); // forced
    overlay->applyFrame(quiet);
    QVERIFY(overlay->showingFlow());
}

void TestCharts::overlayIgnoresTheMouse()
{
    const Scenario s = example(QStringLiteral("mm1"), 100);
    QGraphicsScene scene;
    auto *below = scene.addRect(QRectF(150, -30, 100, 60));
    below->setToolTip(QStringLiteral("the queue"));
    auto *overlay = new AnimationOverlay;
    scene.addItem(overlay);
    overlay->setScenario(s);
    QCOMPARE(overlay->acceptedMouseButtons(), Qt::NoButton);
    QVERIFY(!overlay->acceptHoverEvents());
    // The item under the mouse is the one below, not the overlay that covers it.
    QCOMPARE(scene.itemAt(QPointF(200, 0), QTransform()), below);
}

void TestCharts::areaGivesEveryChartAReadableSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("laptop, short dock") << QSize(1366, 240);
    QTest::newRow("full HD") << QSize(1920, 320);
    QTest::newRow("narrow") << QSize(700, 420);
}

void TestCharts::areaGivesEveryChartAReadableSize()
{
    QFETCH(QSize, size);
    QSettings().remove(QStringLiteral("charts"));
    const Scenario s = example(QStringLiteral("fanout"), 3000, 3);
    ChartsPanel charts;
    charts.setScenario(s);
    auto *area = qobject_cast<ChartsArea *>(charts.createGrid());
    QVERIFY(area);
    std::unique_ptr<QWidget> owner(area);
    area->resize(size);
    area->show();
    QVERIFY(QTest::qWaitForWindowExposed(area));
    charts.addSnapshot(snapshotOf(s));
    QTRY_VERIFY(charts.utilizationChart()->dataCount() > 0); // the panel staggers them
    charts.setResults(runReplications(s));
    QCOMPARE(area->mode(), ChartsArea::Mode::Tabs); // the default
    const QByteArray shots = qgetenv("QL_CHART_SHOTS"); // a folder: grabs to look at
    auto readable = [](const ChartWidget *c) {
        return c->isVisible() && c->width() >= ChartWidget::MinimumSize.width()
            && c->height() >= ChartWidget::MinimumSize.height();
    };
    // Tabs: each chart, when its tab is open, has the whole area.
    for (int i = 0; i < charts.charts().size(); ++i) {
        area->tabBar()->setCurrentIndex(i);
        ChartWidget *c = charts.charts().at(i);
        QTRY_VERIFY2(readable(c), qPrintable(c->name()));
        QCOMPARE(area->currentChart(), c);
        QVERIFY(c->width() >= size.width() - 20);
        if (!shots.isEmpty())
            c->grab().save(QStringLiteral("%1/%2-%3x%4.png").arg(QString::fromLocal8Bit(shots), c->name())
                               .arg(size.width()).arg(size.height()));
    }
    // Grid: every chart at least readable (the grid scrolls), two columns.
    area->setMode(ChartsArea::Mode::Grid);
    for (ChartWidget *c : charts.charts())
        QTRY_VERIFY2(readable(c), qPrintable(c->name()));
    // ... and tall enough for its whole legend, however many rows it wraps into.
    for (ChartWidget *c : charts.charts())
        QTRY_VERIFY2(c->height() >= c->plot()->legend->minimumOuterSizeHint().height() + 150, qPrintable(c->name()));
    QCOMPARE(charts.latencyChart()->y(), charts.histogramChart()->y());
    QVERIFY(charts.throughputChart()->y() > charts.latencyChart()->y());
    if (!shots.isEmpty())
        area->grab().save(QStringLiteral("%1/grid-%2x%3.png").arg(QString::fromLocal8Bit(shots)).arg(size.width())
                              .arg(size.height()));
    // Focus: one chart has the whole area, until "All charts".
    emit charts.queueDepthChart()->focusRequested();
    QCOMPARE(area->focusedChart(), charts.queueDepthChart());
    QTRY_VERIFY(charts.queueDepthChart()->width() >= size.width() - 20);
    QVERIFY(!charts.latencyChart()->isVisible());
    // The choice is remembered: a new area opens as this one was left.
    {
        ChartsPanel other;
        std::unique_ptr<QWidget> again(other.createGrid());
        auto *a = qobject_cast<ChartsArea *>(again.get());
        QCOMPARE(a->mode(), ChartsArea::Mode::Grid);
        QCOMPARE(a->focusedChart(), other.queueDepthChart());
    }
    area->focusChart(nullptr);
    QTRY_VERIFY(charts.latencyChart()->isVisible());
    area->setMode(ChartsArea::Mode::Tabs);
    QCOMPARE(QSettings().value(QStringLiteral("charts/layout")).toString(), QStringLiteral("tabs"));
}

void TestCharts::legendHasOneEntryPerDrawnLine_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("hello") << "hello";
    QTest::newRow("fanout") << "fanout";
    QTest::newRow("tandem") << "tandem";
}

void TestCharts::legendHasOneEntryPerDrawnLine()
{
    QFETCH(QString, scenario);
    const Scenario s = example(scenario, 3000, 3);
    ChartsPanel charts;
    charts.setScenario(s);
    charts.addSnapshot(snapshotOf(s));
    QTRY_VERIFY(charts.utilizationChart()->dataCount() > 0);
    charts.setResults(runReplications(s));
    for (ChartWidget *chart : charts.charts()) {
        QCustomPlot *plot = chart->plot();
        QStringList names;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            QCPAbstractPlottable *p = plot->plottable(i);
            auto *g = qobject_cast<QCPGraph *>(p);
            const bool drawn = p->visible() && (!g || !g->data()->isEmpty()) && p->pen().style() != Qt::NoPen;
            const bool listed = plot->legend->hasItemWithPlottable(p);
            const bool key = g && g->data()->isEmpty() && listed; // a data-less legend key
            // A drawn line without its legend entry is a confidence band's edge or mean
            // (told by the band's key) or a histogram marker not yet placed.
            if (drawn && !listed && chart != charts.histogramChart()) {
                const QString role = QString::number(p->property("qlRole").toInt());
                QVERIFY2(p->property("qlRole").toInt() >= 2 && p->property("qlRole").toInt() <= 4,
                         qPrintable(chart->name() + QStringLiteral(": unlisted line ") + p->name() + role));
            }
            if (listed) {
                QVERIFY2(drawn || key, qPrintable(chart->name() + QStringLiteral(": listed but not drawn: ") + p->name()));
                names << p->name();
            }
        }
        // Every entry names its own line: no two say the same ("theory (M/M/1)" four times).
        QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());
    }
    if (scenario == QLatin1String("hello")) {
        // One queue, one consumer: what the consumer completes is what is delivered, sample
        // for sample; it is drawn once and its entry says so.
        bool merged = false;
        QCustomPlot *plot = charts.throughputChart()->plot();
        for (int i = 0; i < plot->graphCount(); ++i)
            if (plot->graph(i)->visible() && plot->graph(i)->name().contains(QStringLiteral(" = ")))
                merged = true;
        QVERIFY(merged);
        QVERIFY(charts.latencyChart()->note().contains(QStringLiteral("M/M/1")));
    }
}

void TestCharts::bandSwatchReadsInBothThemes()
{
    const Scenario s = example(QStringLiteral("work-queue"), 2000, 3);
    for (const bool dark : {false, true}) {
        TimeSeriesChart chart(TimeSeriesChart::Kind::Latency);
        QPalette palette = chart.palette();
        if (dark) {
            palette.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x24));
            palette.setColor(QPalette::Base, QColor(0x16, 0x17, 0x1b));
            palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
            palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        }
        chart.setPalette(palette);
        chart.setScenario(s, analyze(s));
        chart.setResults(runReplications(s));
        QCPGraph *key = nullptr;
        for (int i = 0; i < chart.plot()->graphCount(); ++i)
            if (chart.plot()->graph(i)->name().startsWith(QStringLiteral("mean \u00b1 95% CI")))
                key = chart.plot()->graph(i);
        QVERIFY(key);
        QVERIFY(chart.plot()->legend->hasItemWithPlottable(key));
        // Its outline contrasts with the legend's background as the text does.
        const QColor bg = chart.plot()->legend->brush().color();
        const double contrast = std::abs(key->pen().color().lightnessF() - bg.lightnessF());
        QVERIFY2(contrast > 0.5, qPrintable(QString::number(contrast)));
    }
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
