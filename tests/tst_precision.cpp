// Running to precision: the sequential stopping rule stops at the first replication where
// every watched metric's 95% interval is within the target, not before the minimum, at the
// budget when the target is out of reach, and the same way on any number of threads.
#include "scenariobuilder.h"

#include "sim/replications.h"
#include "stats/precision.h"
#include "stats/resultsio.h"

#include <QTest>

#include <chrono>
#include <cmath>
#include <limits>

using namespace ql;
using namespace ql::test;

namespace {

// An M/M/1 at load 0.5 (lambda 0.5, mu 1): W = 1 / (mu - lambda) = 2, Wq = 1. Short
// replications, so a tight target needs many of them.
Scenario mm1(double duration = 2000, int replications = 1)
{
    ScenarioBuilder b;
    b.run(duration, 100, replications).producer("p", expo(2)).queue("q").consumer("c", expo(1)).link("p", "q").link("q", "c");
    return b;
}

RunOptions toPrecision(double target, int maxReplications = 0, double maxSeconds = 0, int threads = 2)
{
    RunOptions o;
    o.threads = threads;
    PrecisionRule rule;
    rule.target = target;
    rule.maxReplications = maxReplications;
    rule.maxSeconds = maxSeconds;
    o.precision = rule;
    return o;
}

double relative(double mean, const std::optional<double> &ci)
{
    return ci && mean != 0 ? *ci / std::fabs(mean) : 0.0;
}

// The worst relative half-width of the default metrics, read from the results themselves
// (what the results file says), not from the rule's own bookkeeping.
double worstInResults(const Results &r)
{
    double worst = std::max(relative(r.latency.mean, r.latency.ci95), relative(r.throughput.mean, r.throughput.ci95));
    for (const NodeResult &n : r.nodes) {
        if (n.kind == NodeKind::Queue)
            worst = std::max(worst, relative(n.wait.mean, n.wait.ci95));
        if (n.kind == NodeKind::Consumer)
            worst = std::max(worst, relative(n.utilization.mean, n.utilization.ci95));
    }
    return worst;
}

Results plain(Scenario s, int replications)
{
    s.run.replications = replications;
    RunOptions o;
    o.threads = 2;
    return runReplications(s, o);
}

} // namespace

class TestPrecision : public QObject
{
    Q_OBJECT

private slots:
    void stopsAtTheFirstReplicationThatMeetsTheTarget()
    {
        const Scenario s = mm1();
        const Results r = runReplications(s, toPrecision(0.02));
        QVERIFY(r.precision);
        const PrecisionOutcome &p = *r.precision;
        QVERIFY(p.met);
        QCOMPARE(p.stoppedBy, std::string("precision"));
        QCOMPARE(p.minReplications, kPrecisionMinReplications);
        QVERIFY2(r.replications > p.minReplications + 5, qPrintable(QString::number(r.replications)));
        QVERIFY(p.worst <= 0.02);
        QVERIFY(p.worst > 0);
        // What the rule reports is what the results' intervals say, to the last bit.
        QCOMPARE(p.worst, worstInResults(r));
        QVERIFY(!p.worstMetric.empty());
        // The first such replication: one fewer did not meet the target.
        QVERIFY(worstInResults(plain(s, r.replications - 1)) > 0.02);
    }

    void aPrecisionRunIsThePlainRunOfThatManyReplications()
    {
        // Replication k has the same seed whatever the batches: the results are those of
        // a run of exactly that many replications, plus the "precision" key.
        const Scenario s = mm1();
        Results r = runReplications(s, toPrecision(0.02));
        QVERIFY(r.precision);
        const std::string withRule = resultsToJson(r);
        QVERIFY(withRule.find("\"precision\"") != std::string::npos);
        r.precision.reset();
        QCOMPARE(resultsToJson(r), resultsToJson(plain(s, r.replications)));
    }

    void neverStopsBeforeTheMinimum()
    {
        // An easy target met at once: the minimum is 5, or the scenario's replications.
        Results r = runReplications(mm1(20000, 1), toPrecision(0.5));
        QCOMPARE(r.replications, 5);
        QVERIFY(r.precision->met);
        r = runReplications(mm1(20000, 9), toPrecision(0.5));
        QCOMPARE(r.replications, 9);
        QCOMPARE(r.precision->minReplications, 9);
        QVERIFY(r.precision->met);
    }

    void stopsAtTheReplicationBudgetAndSaysSo()
    {
        const Results r = runReplications(mm1(), toPrecision(0.001, 12));
        QCOMPARE(r.replications, 12);
        QVERIFY(!r.precision->met);
        QCOMPARE(r.precision->stoppedBy, std::string("max_replications"));
        QCOMPARE(r.precision->maxReplications, 12);
        QVERIFY(r.precision->worst > 0.001);
        QCOMPARE(r.precision->worst, worstInResults(r));
        const std::string json = resultsToJson(r);
        QVERIFY(json.find("\"met\": false") != std::string::npos);
        QVERIFY(json.find("\"stopped_by\": \"max_replications\"") != std::string::npos);
    }

    void stopsAtTheTimeBudgetAndSaysSo()
    {
        const auto start = std::chrono::steady_clock::now();
        const Results r = runReplications(mm1(), toPrecision(1e-6, 1000000, 0.3));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(!r.precision->met);
        QCOMPARE(r.precision->stoppedBy, std::string("max_seconds"));
        QCOMPARE(r.precision->maxSeconds, 0.3);
        QVERIFY(r.replications >= 5);
        QVERIFY(r.replications < 1000000);
        QVERIFY2(seconds < 10, qPrintable(QString::number(seconds))); // one replication is milliseconds
    }

    void aLargerTargetNeedsFewerReplications()
    {
        const Scenario s = mm1(10000);
        auto replicationsFor = [&](double target) {
            const Results r = runReplications(s, toPrecision(target));
            return r.precision->met ? r.replications : -1;
        };
        const int loose = replicationsFor(0.05);
        const int medium = replicationsFor(0.02);
        const int tight = replicationsFor(0.01);
        QVERIFY(loose > 0);
        QVERIFY2(loose <= medium && medium < tight, qPrintable(QStringLiteral("%1 %2 %3").arg(loose).arg(medium).arg(tight)));
        QVERIFY(loose < tight);
        // Half-widths shrink as 1/sqrt(n): halving the target takes about four times as many.
        QVERIFY2(tight > 2 * medium, qPrintable(QStringLiteral("%1 %2").arg(medium).arg(tight)));
    }

    void threadsDoNotChangeTheResult()
    {
        const Scenario s = mm1();
        const std::string one = resultsToJson(runReplications(s, toPrecision(0.02, 0, 0, 1)));
        const std::string two = resultsToJson(runReplications(s, toPrecision(0.02, 0, 0, 2)));
        const std::string three = resultsToJson(runReplications(s, toPrecision(0.02, 0, 0, 3)));
        QVERIFY(one.find("\"met\": true") != std::string::npos);
        QCOMPARE(two, one);
        QCOMPARE(three, one);
    }

    void theMeanLandsInItsIntervalAroundTheClosedForm()
    {
        // M/M/1, lambda 0.5, mu 1: W = 1 / (mu - lambda) = 2, Wq = lambda / (mu (mu - lambda)) = 1.
        const Results r = runReplications(mm1(5000), toPrecision(0.01));
        QVERIFY(r.precision->met);
        QVERIFY(r.latency.ci95);
        QVERIFY(*r.latency.ci95 <= 0.01 * r.latency.mean);
        QVERIFY2(std::fabs(r.latency.mean - 2.0) <= *r.latency.ci95,
                 qPrintable(QStringLiteral("%1 ± %2").arg(r.latency.mean).arg(*r.latency.ci95)));
        const NodeResult &q = r.nodes[1];
        QVERIFY2(std::fabs(q.wait.mean - 1.0) <= *q.wait.ci95,
                 qPrintable(QStringLiteral("%1 ± %2").arg(q.wait.mean).arg(*q.wait.ci95)));
    }

    void anInterruptedRunSaysSo()
    {
        std::atomic<bool> cancel{true};
        RunOptions o = toPrecision(0.01);
        o.cancel = &cancel;
        const Results r = runReplications(mm1(), o);
        QVERIFY(r.partial);
        QVERIFY(!r.precision->met);
        QCOMPARE(r.precision->stoppedBy, std::string("interrupted"));
    }

    void metricsWithoutObservationsOrWithMeanZeroAreExempt()
    {
        const Scenario s = mm1();
        PrecisionTracker t(s, {{"q", "wait"}, {"c", "utilization"}});
        auto run = [](double utilization, bool waited) {
            RunStats r;
            r.measuredTime = 1;
            r.nodes.resize(3);
            r.nodes[1].wait = std::make_unique<Histogram>();
            if (waited)
                r.nodes[1].wait->add(1.0);
            r.nodes[2].utilization = utilization;
            return r;
        };
        // Utilization 0 in every run, the queue never waited: nothing to judge.
        t.add(run(0, false));
        t.add(run(0, false));
        QCOMPARE(t.check(2).worstIndex, -1);
        QCOMPARE(t.check(2).worst, 0.0);
        QCOMPARE(t.firstWithin(0.01, 2), 2);
        // Utilization 0.4 and 0.6 now: its interval counts; the wait, seen once, still not.
        PrecisionTracker u(s, {{"q", "wait"}, {"c", "utilization"}});
        u.add(run(0.4, true));
        u.add(run(0.6, false));
        const PrecisionCheck c = u.check(2);
        QCOMPARE(c.worstIndex, 1);
        const MeanCi expected = meanCi({0.4, 0.6});
        QCOMPARE(c.worst, *expected.ci95 / expected.mean);
        QCOMPARE(u.firstWithin(0.01, 2), 0);
    }

    void metricsNamedWrongAreRefusedWithTheFix()
    {
        const Scenario s = mm1();
        QCOMPARE(precisionMetricProblem(s, {"q", "wait"}), std::string());
        QCOMPARE(precisionMetricProblem(s, {"", "latency"}), std::string());
        QVERIFY(precisionMetricProblem(s, {"nowhere", "wait"}).find("\"nowhere\"") != std::string::npos);
        QVERIFY(precisionMetricProblem(s, {"q", "arrivals"}).find("counts have none") != std::string::npos);
        QVERIFY(precisionMetricProblem(s, {"", "delivered"}).find("latency and throughput") != std::string::npos);
        const std::vector<PrecisionMetric> defaults = defaultPrecisionMetrics(s);
        const std::vector<PrecisionMetric> expected = {{"", "latency"}, {"", "throughput"}, {"q", "wait"}, {"c", "utilization"}};
        QCOMPARE(defaults, expected);
        QCOMPARE(precisionMetricLabel({"q", "wait"}), std::string("q wait"));
        QCOMPARE(precisionMetricLabel({"", "latency"}), std::string("end-to-end latency"));
    }
};

QTEST_GUILESS_MAIN(TestPrecision)
#include "tst_precision.moc"
