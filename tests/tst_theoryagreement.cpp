// The simulator against closed-form queueing theory. Each case is a topology where a
// classical result holds exactly; the simulation runs 20 independent replications long
// enough that the 95% confidence interval of each mean is narrow (the test asserts that
// too, so a loose interval cannot hide an error), and the theory value must lie inside the
// 99.9% interval of the simulated mean: with some thirty comparisons, a 95% criterion would
// fail about one in two seeds by chance alone, 99.9% about one in thirty-three.
#include "scenariobuilder.h"

#include "sim/replications.h"
#include "sim/simulation.h"
#include "stats/confidence.h"
#include "theory/theory.h"

#include <QTest>

#include <cmath>

using namespace ql;
using namespace ql::test;

Q_DECLARE_METATYPE(ql::Scenario)

namespace {

constexpr int Replications = 20;

// Student t quantile 0.9995 for 19 degrees of freedom (tables: 3.883).
constexpr double T9995_19 = 3.883;

void checkMean(const char *what, double simMean, std::optional<double> ci95, double theory,
               double maxRelativeCi)
{
    QVERIFY2(ci95.has_value(), what);
    const double widen = T9995_19 / studentT975(Replications - 1);
    const double half = *ci95 * widen;
    const QString msg = QStringLiteral("%1: simulated %2 ± %3 (99.9%), theory %4")
                            .arg(what).arg(simMean).arg(half).arg(theory);
    QVERIFY2(std::fabs(simMean - theory) <= half, qPrintable(msg));
    // The interval must be narrow enough for the comparison to mean something.
    QVERIFY2(*ci95 <= maxRelativeCi * std::max(std::fabs(theory), 1e-9),
             qPrintable(msg + QStringLiteral(" — interval too wide: %1").arg(*ci95)));
}

const NodeResult &nodeResult(const Results &r, const char *id)
{
    for (const NodeResult &n : r.nodes)
        if (n.id == id)
            return n;
    qFatal("no node %s", id);
}

const NodeTheory &station(const TheoryResult &t, const char *queue)
{
    for (const NodeTheory &q : t.queues)
        if (q.id == queue)
            return q;
    qFatal("no station %s", queue);
}

Scenario single(double lambda, double meanService, int servers, int consumers, std::int64_t capacity,
                double duration, Distribution service = {})
{
    ScenarioBuilder b;
    b.run(duration, duration * 0.05, Replications, 20261127)
        .producer("p", expo(1 / lambda)).queue("q", capacity).link("p", "q");
    for (int c = 0; c < consumers; ++c) {
        const std::string id = "c" + std::to_string(c + 1);
        Distribution d = service.kind == DistKind::Exponential && service.mean == 1 ? expo(meanService) : service;
        b.consumer(id, d, servers).link("q", id);
    }
    return b;
}

} // namespace

class TestTheoryAgreement : public QObject
{
    Q_OBJECT

private slots:
    void singleStation_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("model");
        QTest::newRow("M/M/1 rho 0.5") << single(0.5, 1, 1, 1, 0, 40000) << "M/M/1";
        QTest::newRow("M/M/1 rho 0.9") << single(0.9, 1, 1, 1, 0, 200000) << "M/M/1";
        QTest::newRow("M/M/3 one consumer, 3 servers, rho 0.8") << single(2.4, 1, 3, 1, 0, 60000) << "M/M/3";
        QTest::newRow("M/M/2 two competing consumers, rho 0.75") << single(1.5, 1, 1, 2, 0, 60000) << "M/M/2";
        QTest::newRow("M/M/1/K capacity 5, overloaded") << single(1.2, 1, 1, 1, 5, 40000) << "M/M/1/6";
        QTest::newRow("M/M/2/K capacity 4") << single(2.5, 1, 2, 1, 4, 40000) << "M/M/2/6";
        QTest::newRow("M/D/1 rho 0.8") << single(0.8, 1, 1, 1, 0, 60000, det(1)) << "M/D/1";
        Distribution erlang;
        erlang.kind = DistKind::Erlang;
        erlang.k = 3;
        erlang.mean = 1;
        QTest::newRow("M/E3/1 rho 0.7 (P-K)") << single(0.7, 1, 1, 1, 0, 60000, erlang) << "M/G/1";
        Distribution hyper;
        hyper.kind = DistKind::Hyperexponential;
        hyper.probabilities = {0.9, 0.1};
        hyper.means = {0.5, 5.5}; // mean 1, scv 5.1
        QTest::newRow("M/H2/1 rho 0.6 (P-K, scv 5.1)") << single(0.6, 1, 1, 1, 0, 200000, hyper) << "M/G/1";
        Distribution uni;
        uni.kind = DistKind::Uniform;
        uni.min = 0.5;
        uni.max = 1.5;
        QTest::newRow("M/U/1 rho 0.85 (P-K)") << single(0.85, 1, 1, 1, 0, 100000, uni) << "M/G/1";
    }

    void singleStation()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, model);
        const TheoryResult theory = analyze(scenario);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        const NodeTheory &st = station(theory, "q");
        QCOMPARE(QString::fromStdString(st.station.model), model);

        const Results r = runReplications(scenario);
        const NodeResult &q = nodeResult(r, "q");
        checkMean("queue wait", q.wait.mean, q.wait.ci95, st.station.meanWait, 0.04);
        checkMean("queue length", q.length.mean, q.length.ci95, st.station.meanQueueLength, 0.04);
        checkMean("throughput", q.throughput.mean, q.throughput.ci95, st.station.throughput, 0.01);
        const NodeResult &c1 = nodeResult(r, "c1");
        checkMean("utilization", c1.utilization.mean, c1.utilization.ci95, st.station.utilization, 0.01);
        QVERIFY(theory.endToEndLatency.has_value());
        checkMean("end-to-end latency", r.latency.mean, r.latency.ci95, *theory.endToEndLatency, 0.03);
        if (st.station.blocking > 0) {
            const double blocked = q.drops / q.arrivals;
            QVERIFY2(std::fabs(blocked - st.station.blocking) < 0.01,
                     qPrintable(QStringLiteral("blocking %1 vs %2").arg(blocked).arg(st.station.blocking)));
        }
    }

    // Percentiles, where theory has them: the M/M/1 FIFO sojourn is exponential with rate
    // mu - lambda. 20 x 40000 x 0.5 = 400,000 pooled observations; the histogram adds < 1%.
    void mm1SojournPercentiles()
    {
        const Scenario s = single(0.5, 1, 1, 1, 0, 40000);
        const TheoryResult theory = analyze(s);
        const StationTheory &st = station(theory, "q").station;
        QVERIFY(st.sojournP50 && st.sojournP95 && st.sojournP99);
        const Results r = runReplications(s);
        const auto close = [](double sim, double th, double tol) {
            return std::fabs(sim - th) <= tol * th;
        };
        QVERIFY2(close(r.latency.p50, *st.sojournP50, 0.03), qPrintable(QString::number(r.latency.p50)));
        QVERIFY2(close(r.latency.p95, *st.sojournP95, 0.03), qPrintable(QString::number(r.latency.p95)));
        QVERIFY2(close(r.latency.p99, *st.sojournP99, 0.05), qPrintable(QString::number(r.latency.p99)));
        QVERIFY(r.latency.count > 300000);
    }

    // Delay nodes are M/G/inf stages: the figures downstream are the stations' closed forms,
    // the delay adds E[D] to the latency and holds lambda E[D] messages on average, whatever
    // the delay distribution (here a uniform hop before an M/M/1 and an exponential retry
    // hop after it, fed back a quarter of the time).
    void delayStagesAreMGInfinity()
    {
        Distribution hop;
        hop.kind = DistKind::Uniform;
        hop.min = 0.1;
        hop.max = 0.7; // E[D] = 0.4
        ScenarioBuilder b("delays");
        b.run(40000, 2000, Replications, 11).producer("p", expo(1 / 0.45)).delay("hop", hop)
            .queue("q").consumer("c1", expo(1.0)).delay("retry", expo(2.0)).sink("done")
            .link("p", "hop").link("hop", "q").link("q", "c1").linkP("c1", "retry", 0.25)
            .linkP("c1", "done", 0.75).link("retry", "q");
        const Scenario s = b.build();
        const TheoryResult theory = analyze(s);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        // Independently: lambda_q = 0.45 / 0.75 = 0.6, M/M/1 with mu 1: W = 1/(1 - 0.6) = 2.5
        // per visit, 1/0.75 visits, plus the hop once and the retry 1/3 times on average.
        const double visits = 1 / 0.75;
        const double expected = 0.4 + visits * 2.5 + (visits - 1) * 2.0;
        QVERIFY(theory.endToEndLatency.has_value());
        QVERIFY2(std::fabs(*theory.endToEndLatency - expected) < 1e-9,
                 qPrintable(QString::number(*theory.endToEndLatency)));
        QCOMPARE(int(theory.delays.size()), 2);
        const Results r = runReplications(s);
        const NodeResult &q = nodeResult(r, "q");
        const NodeTheory &st = station(theory, "q");
        checkMean("queue wait", q.wait.mean, q.wait.ci95, st.station.meanWait, 0.04);
        checkMean("end-to-end latency", r.latency.mean, r.latency.ci95, expected, 0.04);
        for (const DelayTheory &d : theory.delays) {
            const NodeResult &n = nodeResult(r, d.id.c_str());
            checkMean("delay throughput", n.throughput.mean, n.throughput.ci95, d.lambda, 0.02);
            checkMean("delay time", n.service.mean, n.service.ci95, d.meanDelay, 0.02);
            checkMean("in transit", n.length.mean, n.length.ci95, d.meanInTransit, 0.04);
        }
        QCOMPARE(nodeResult(r, "hop").service.max <= 0.7, true); // uniform: never longer
    }

    // A queue TTL makes a queue impatient: M/M/c+D, exact here because RabbitMQ expires at
    // the head and with one fixed TTL the head is always the oldest message. Served rate,
    // wait of the served, queue length, utilization and latency against the closed form
    // (checked against M/M/c and Erlang's loss formula at its limits in tst_theory).
    void ttlQueuesAreMMcPlusD_data()
    {
        QTest::addColumn<double>("lambda");
        QTest::addColumn<int>("servers");
        QTest::addColumn<double>("ttl");
        QTest::newRow("M/M/1+D at load 0.9") << 0.9 << 1 << 2.0;
        QTest::newRow("M/M/3+D at load 0.9") << 2.7 << 3 << 1.0;
        QTest::newRow("M/M/1+D overloaded (1.5), kept stable by the TTL") << 1.5 << 1 << 1.0;
    }
    void ttlQueuesAreMMcPlusD()
    {
        QFETCH(double, lambda);
        QFETCH(int, servers);
        QFETCH(double, ttl);
        ScenarioBuilder b("ttl");
        b.run(40000, 2000, Replications, 5).producer("p", expo(1 / lambda)).queue("q")
            .consumer("c", expo(1.0), servers).link("p", "q").link("q", "c");
        b.s.nodes[1].queueTtl = ttl;
        const Scenario s = b.build();
        const TheoryResult theory = analyze(s);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        const NodeTheory &st = station(theory, "q");
        QVERIFY2(st.station.model.find("+D") != std::string::npos, st.station.model.c_str());
        QVERIFY(st.station.abandonment > 0.01);
        const Results r = runReplications(s);
        const NodeResult &q = nodeResult(r, "q");
        checkMean("served rate", q.throughput.mean, q.throughput.ci95, st.station.throughput, 0.02);
        checkMean("wait of the served", q.wait.mean, q.wait.ci95, st.station.meanWait, 0.04);
        checkMean("queue length", q.length.mean, q.length.ci95, st.station.meanQueueLength, 0.04);
        checkMean("utilization", nodeResult(r, "c").utilization.mean, nodeResult(r, "c").utilization.ci95,
                  st.station.utilization, 0.02);
        QVERIFY(theory.endToEndLatency.has_value());
        checkMean("latency of the delivered", r.latency.mean, r.latency.ci95, *theory.endToEndLatency, 0.04);
        // The expired share, from the counts.
        const double share = q.expired / q.arrivals;
        QVERIFY2(std::fabs(share - st.station.abandonment) < 0.1 * st.station.abandonment + 0.002,
                 qPrintable(QStringLiteral("%1 vs %2").arg(share).arg(st.station.abandonment)));
    }

    // Rejects and requeues are routing: a requeue is feedback to the same queue (with
    // exponential service the number in the system does not care that it goes back to the
    // head), a reject goes to the dead-letter queue, a Jackson network of two stations.
    void rejectsAndRequeuesAreJacksonRouting()
    {
        ScenarioBuilder b("outcomes");
        b.run(40000, 2000, Replications, 3).producer("p", expo(1 / 0.4)).queue("q").consumer("c", expo(1.0))
            .queue("dlq").consumer("d", expo(2.0)).link("p", "q").link("q", "c").link("dlq", "d");
        b.s.nodes[2].rejectProbability = 0.1;
        b.s.nodes[2].requeueProbability = 0.3;
        b.deadLetter("q", "dlq");
        const Scenario s = b.build();
        const TheoryResult theory = analyze(s);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        // Independently: visits to q are 1 / 0.7, so lambda_q = 0.4 / 0.7; dlq gets 10% of them.
        const double lq = 0.4 / 0.7, ld = 0.1 * lq;
        const NodeTheory &tq = station(theory, "q"), &td = station(theory, "dlq");
        QVERIFY(std::fabs(tq.station.lambda - lq) < 1e-9);
        QVERIFY(std::fabs(td.station.lambda - ld) < 1e-9);
        const Results r = runReplications(s);
        const NodeResult &q = nodeResult(r, "q");
        checkMean("q visits", q.throughput.mean, q.throughput.ci95, lq, 0.02);
        checkMean("q length", q.length.mean, q.length.ci95, tq.station.meanQueueLength, 0.05);
        checkMean("q wait", q.wait.mean, q.wait.ci95, tq.station.meanWait, 0.05);
        checkMean("dlq throughput", nodeResult(r, "dlq").throughput.mean, nodeResult(r, "dlq").throughput.ci95, ld, 0.03);
        QVERIFY(theory.endToEndLatency.has_value());
        checkMean("latency", r.latency.mean, r.latency.ci95, *theory.endToEndLatency, 0.05);
    }

    // The delayed-retry pattern: the worker rejects a fifth into a retry queue nobody
    // consumes, whose fixed TTL dead-letters them back to the work queue. With expiry at
    // the head and one TTL, the retry queue holds each message exactly that long: an M/D/inf
    // stage, so the work queue is an M/M/1 with feedback and the latency adds the TTL per retry.
    void aRetryQueueWithATtlIsAFixedDelay()
    {
        ScenarioBuilder b("delayed retry");
        b.run(40000, 2000, Replications, 13).producer("p", expo(2.0)).queue("work").consumer("w", expo(1.0))
            .queue("retry").link("p", "work").link("work", "w");
        b.s.nodes[2].rejectProbability = 0.2;
        b.s.nodes[3].queueTtl = 5.0;
        b.deadLetter("work", "retry").deadLetter("retry", "work");
        const Scenario s = b.build();
        const TheoryResult theory = analyze(s);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        // Independently: lambda_work = 0.5 / 0.8, W = 1 / (1 - 0.625) per visit, 1/0.8 visits,
        // and 0.25 retries of 5 on average per message.
        const double lw = 0.5 / 0.8, visits = 1 / 0.8;
        const double expected = visits / (1 - lw) + (visits - 1) * 5.0;
        QVERIFY(theory.endToEndLatency.has_value());
        QVERIFY2(std::fabs(*theory.endToEndLatency - expected) < 1e-9, qPrintable(QString::number(*theory.endToEndLatency)));
        const Results r = runReplications(s);
        checkMean("work visits", nodeResult(r, "work").throughput.mean, nodeResult(r, "work").throughput.ci95, lw, 0.02);
        checkMean("latency", r.latency.mean, r.latency.ci95, expected, 0.05);
        // Little for the retry queue: what it holds = its arrival rate x the TTL.
        checkMean("retry queue length", nodeResult(r, "retry").length.mean, nodeResult(r, "retry").length.ci95,
                  0.2 * lw * 5.0, 0.04);
    }

    void jacksonNetworks_data()
    {
        QTest::addColumn<Scenario>("scenario");
        {
            ScenarioBuilder b("tandem");
            b.run(60000, 3000, Replications, 7).producer("p", expo(1 / 0.8))
                .queue("q1").consumer("c1", expo(0.8)).queue("q2").consumer("c2", expo(1.0), 2)
                .link("p", "q1").link("q1", "c1").link("c1", "q2").link("q2", "c2");
            QTest::newRow("tandem M/M/1 -> M/M/2") << b.build();
        }
        {
            ScenarioBuilder b("feedback");
            b.run(80000, 4000, Replications, 8).producer("p", expo(2)).queue("q").consumer("c", expo(0.5)).sink("out")
                .link("p", "q").link("q", "c").linkP("c", "q", 0.3).linkP("c", "out", 0.7);
            QTest::newRow("feedback 30%") << b.build();
        }
        {
            ScenarioBuilder b("split");
            b.run(60000, 3000, Replications, 9).producer("p", expo(1))
                .queue("front").consumer("triage", expo(0.5))
                .queue("fast").consumer("f", expo(1.0)).queue("slow").consumer("s", expo(2.0))
                .link("p", "front").link("front", "triage")
                .linkP("triage", "fast", 0.6).linkP("triage", "slow", 0.3).link("fast", "f").link("slow", "s");
            QTest::newRow("probabilistic split with 10% leaving") << b.build();
        }
        {
            ScenarioBuilder b("direct exchange");
            b.run(60000, 3000, Replications, 10).producer("a", expo(2), "a").producer("b", expo(4), "b")
                .exchange("x", ExchangeType::Direct).queue("qa").consumer("ca", expo(1.5)).queue("qb").consumer("cb", expo(3.0))
                .link("a", "x").link("b", "x").link("x", "qa", "a").link("x", "qb", "b").link("qa", "ca").link("qb", "cb");
            QTest::newRow("direct routing into two stations") << b.build();
        }
    }

    void jacksonNetworks()
    {
        QFETCH(Scenario, scenario);
        const TheoryResult theory = analyze(scenario);
        QVERIFY2(theory.applicable, theory.reason.c_str());
        const Results r = runReplications(scenario);
        for (const NodeTheory &st : theory.queues) {
            const NodeResult &q = nodeResult(r, st.id.c_str());
            const std::string w = st.id + " wait", l = st.id + " length", t = st.id + " throughput";
            checkMean(w.c_str(), q.wait.mean, q.wait.ci95, st.station.meanWait, 0.05);
            checkMean(l.c_str(), q.length.mean, q.length.ci95, st.station.meanQueueLength, 0.05);
            checkMean(t.c_str(), q.throughput.mean, q.throughput.ci95, st.station.throughput, 0.02);
        }
        QVERIFY(theory.endToEndLatency.has_value());
        checkMean("end-to-end latency", r.latency.mean, r.latency.ci95, *theory.endToEndLatency, 0.03);
        QVERIFY(theory.endToEndThroughput.has_value());
        checkMean("end-to-end throughput", r.throughput.mean, r.throughput.ci95, *theory.endToEndThroughput, 0.02);
    }

    // Little's law, L = lambda W, holds for any discipline and distribution: checked on the
    // waiting room of single long runs (edge effects of a few messages aside).
    void littlesLaw_data()
    {
        QTest::addColumn<Scenario>("scenario");
        Scenario a = single(0.9, 1, 1, 1, 0, 300000);
        a.run.replications = 1;
        QTest::newRow("M/M/1") << a;
        Scenario b = single(0.8, 1, 1, 1, 0, 300000, det(1));
        b.run.replications = 1;
        b.nodes[1].discipline = Discipline::Lifo;
        QTest::newRow("M/D/1 LIFO") << b;
        Distribution g;
        g.kind = DistKind::Gamma;
        g.shape = 0.5;
        g.scale = 2.0;
        Scenario c = single(1.6, 1, 2, 1, 0, 300000, g);
        c.run.replications = 1;
        QTest::newRow("M/G/2 gamma") << c;
    }

    void littlesLaw()
    {
        QFETCH(Scenario, scenario);
        Simulation sim(scenario);
        sim.run();
        const RunStats r = sim.takeStats();
        const NodeRunStats &q = r.nodes[1];
        const double lambda = double(q.wait->count()) / r.measuredTime;
        const double L = q.lengthMean, W = q.wait->mean();
        QVERIFY(q.wait->count() > 100000);
        QVERIFY2(std::fabs(L - lambda * W) <= 0.01 * L,
                 qPrintable(QStringLiteral("L = %1, lambda W = %2").arg(L).arg(lambda * W)));
    }
};

QTEST_GUILESS_MAIN(TestTheoryAgreement)
#include "tst_theoryagreement.moc"
