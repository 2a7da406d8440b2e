// Live mode on the embedded backend, with real threads and real queues: the broker keeps the
// spec's routing, overflow, discipline and prefetch rules; the runner conserves every message
// (published = delivered + dropped + unroutable + in flight at the stop); a stopped run keeps
// what it measured; and `queuelab-cli live` / `compare` behave as a user meets them.
// Runs are short (well under a second of traffic each) and scenarios are in ms, so they run
// as written. The only timing-sensitive check is the fidelity one, marked as such, with a
// generous bound.
#include "scenariobuilder.h"

#include "live/comparison.h"
#include "live/embeddedtransport.h"
#include "live/liverunner.h"
#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "stats/resultsio.h"
#include "scenario/scenarioio.h"
#include "theory/theory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <map>
#include <mutex>
#include <csignal>
#include <fstream>
#include <thread>

using namespace ql;
using ql::test::det;
using ql::test::expo;
using ql::test::ScenarioBuilder;

namespace {

// Scenarios here are in ms: they run as written.
ScenarioBuilder msScenario(const std::string &name, double durationMs)
{
    ScenarioBuilder b(name);
    b.s.timeUnit = TimeUnit::Milliseconds;
    b.run(durationMs, 0, 1);
    return b;
}

LiveOptions embedded()
{
    LiveOptions o;
    o.backend = "embedded";
    o.seed = 7;
    return o;
}

int nodeOf(const Scenario &s, const std::string &id)
{
    return s.nodeIndex(id);
}

const QueueSnapshot *queueIn(const TransportSnapshot &snap, int node)
{
    for (const QueueSnapshot &q : snap.queues)
        if (q.node == node)
            return &q;
    return nullptr;
}

// Every message the producers published is accounted for.
void verifyConservation(const LiveReport &r)
{
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.publishedCopies + r.onwardCopies, r.completedTotal + r.droppedTotal + r.inFlightAtStop);
    std::int64_t brokerArrivals = 0;
    for (const QueueSnapshot &q : r.finalSnapshot.queues)
        brokerArrivals += q.arrivals.value_or(0);
    QCOMPARE(std::uint64_t(brokerArrivals), r.publishedCopies + r.onwardCopies);
}

struct CliOutcome
{
    int exitCode = -1;
    QString out, err;
};

QString cliPath()
{
    return QStringLiteral(QL_BINARY_DIR "/app/queuelab-cli");
}

QString scenarioPath(const char *name)
{
    return QStringLiteral(QL_SOURCE_DIR "/scenarios/") + QString::fromLatin1(name);
}

CliOutcome runCli(const QStringList &args, int timeoutMs = 60000,
                  const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, QStringLiteral("timed out")};
    }
    CliOutcome o;
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

double loadAverage()
{
    std::ifstream f("/proc/loadavg");
    double load = 0;
    f >> load;
    return load;
}

} // namespace

class TestLive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(tmp.isValid());
    }

    // --- the embedded broker on its own -----------------------------------------------

    // Ten messages into a queue of capacity 5 with nobody consuming, then one subscriber
    // takes what is left: which five remain, and in which order, is the spec's rule.
    void overflowAndDisciplineKeepTheRightMessages_data()
    {
        QTest::addColumn<int>("overflow");
        QTest::addColumn<int>("discipline");
        QTest::addColumn<QList<int>>("expected"); // seq numbers, in delivery order
        QTest::addColumn<int>("drops");
        const int reject = int(Overflow::RejectPublish), dropHead = int(Overflow::DropHead);
        const int fifo = int(Discipline::Fifo), lifo = int(Discipline::Lifo);
        const int prio = int(Discipline::Priority);
        QTest::newRow("reject-publish keeps the oldest, fifo") << reject << fifo << QList<int>{1, 2, 3, 4, 5} << 5;
        QTest::newRow("drop-head keeps the newest, fifo") << dropHead << fifo << QList<int>{6, 7, 8, 9, 10} << 5;
        QTest::newRow("reject-publish, lifo serves newest first") << reject << lifo << QList<int>{5, 4, 3, 2, 1} << 5;
        QTest::newRow("drop-head, lifo") << dropHead << lifo << QList<int>{10, 9, 8, 7, 6} << 5;
        // Even seq numbers carry priority 5, odd ones 1: the high ones come first.
        QTest::newRow("reject-publish, priority") << reject << prio << QList<int>{2, 4, 1, 3, 5} << 5;
        QTest::newRow("drop-head, priority drops the oldest of any level") << dropHead << prio
                                                                          << QList<int>{6, 8, 10, 7, 9} << 5;
    }
    void overflowAndDisciplineKeepTheRightMessages()
    {
        QFETCH(int, overflow);
        QFETCH(int, discipline);
        QFETCH(QList<int>, expected);
        QFETCH(int, drops);

        ScenarioBuilder b = msScenario("overflow", 100);
        b.producer("hi", expo(1)).last().priority = 5;
        b.producer("lo", expo(1)).last().priority = 1;
        b.queue("q", 5, Overflow(overflow), Discipline(discipline))
            .consumer("c", expo(1), 1, 100)
            .link("hi", "q").link("lo", "q").link("q", "c");
        const Scenario s = b.build();
        EmbeddedTransport t(embedded());
        std::string err;
        QVERIFY2(t.deploy(s, &err), err.c_str());
        {
            auto pub = t.openChannel(&err);
            QVERIFY(pub);
            for (int seq = 1; seq <= 10; ++seq) {
                OutMessage m;
                m.target = nodeOf(s, "q");
                m.priority = seq % 2 == 0 ? 5 : 1;
                m.payload.seq = std::uint64_t(seq);
                m.payload.hopNs = seq; // age order for drop-head
                QVERIFY(pub->publish(&m, 1, &err));
            }
            auto sub = t.openChannel(&err);
            QVERIFY(sub);
            QVERIFY(sub->subscribe(nodeOf(s, "q"), nodeOf(s, "c"), 100, &err));
            Delivery d[16];
            const int got = sub->receive(d, 16, std::chrono::steady_clock::now() + std::chrono::seconds(2), &err);
            QList<int> seqs;
            for (int i = 0; i < got; ++i)
                seqs << int(d[i].payload.seq);
            QCOMPARE(seqs, expected);
            TransportSnapshot snap;
            QVERIFY(t.snapshot(&snap, &err));
            const QueueSnapshot *q = queueIn(snap, nodeOf(s, "q"));
            QVERIFY(q);
            QCOMPARE(*q->arrivals, std::int64_t(10));
            QCOMPARE(*q->drops, std::int64_t(drops));
            QCOMPARE(*q->ready, std::int64_t(0));
            QCOMPARE(*q->unacked, std::int64_t(5));
        }
        QVERIFY2(t.teardown(&err), err.c_str());
    }

    // A subscriber never holds more than its window; acknowledging makes room for the next.
    void brokerRespectsTheWindow()
    {
        ScenarioBuilder b = msScenario("window", 100);
        b.producer("p", expo(1)).queue("q").consumer("c", expo(1), 1, 3).link("p", "q").link("q", "c");
        const Scenario s = b.build();
        EmbeddedTransport t(embedded());
        std::string err;
        QVERIFY(t.deploy(s, &err));
        auto pub = t.openChannel(&err);
        auto sub = t.openChannel(&err);
        QVERIFY(sub->subscribe(nodeOf(s, "q"), nodeOf(s, "c"), 3, &err));
        std::vector<OutMessage> batch(8);
        for (auto &m : batch)
            m.target = nodeOf(s, "q");
        QVERIFY(pub->publish(batch.data(), batch.size(), &err));
        Delivery d[16];
        const auto soon = [] { return std::chrono::steady_clock::now() + std::chrono::milliseconds(50); };
        QCOMPARE(sub->receive(d, 16, soon(), &err), 3);
        QCOMPARE(sub->receive(d, 16, soon(), &err), 0); // window full: nothing more
        const std::uint64_t tags[] = {d[0].tag, d[1].tag};
        QVERIFY(sub->ack(tags, 2, &err));
        QCOMPARE(sub->receive(d, 16, soon(), &err), 2);
        TransportSnapshot snap;
        QVERIFY(t.snapshot(&snap, &err));
        QCOMPARE(*queueIn(snap, nodeOf(s, "q"))->ready, std::int64_t(3));
        QCOMPARE(*queueIn(snap, nodeOf(s, "q"))->unacked, std::int64_t(3));
        pub.reset();
        sub.reset();
        QCOMPARE(t.peakUnacked(nodeOf(s, "c")), std::int64_t(3));
        QVERIFY(t.teardown(&err));
    }

    void payloadRoundTripsAndRefusesForeignBodies()
    {
        Payload p;
        p.originNs = 123456789012345;
        p.hopNs = -5;
        p.seq = (std::uint64_t(3) << 40) | 77;
        p.producer = 3;
        p.keyIndex = -1;
        unsigned char wire[kPayloadBytes];
        encodePayload(p, wire);
        Payload back;
        QVERIFY(decodePayload(wire, sizeof wire, &back));
        QCOMPARE(back.originNs, p.originNs);
        QCOMPARE(back.hopNs, p.hopNs);
        QCOMPARE(back.seq, p.seq);
        QCOMPARE(back.producer, p.producer);
        QCOMPARE(back.keyIndex, p.keyIndex);
        QVERIFY(!decodePayload("hello", 5, &back));
        wire[0] = 'X';
        QVERIFY(!decodePayload(wire, sizeof wire, &back));
    }

    void maskUriHidesThePassword_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("masked");
        QTest::newRow("user and password") << "amqp://guest:s3cret@localhost:5672/" << "amqp://guest:***@localhost:5672/";
        QTest::newRow("tls, vhost") << "amqps://u:p%40ss@h:5671/v" << "amqps://u:***@h:5671/v";
        QTest::newRow("no password") << "amqp://guest@localhost/" << "amqp://guest@localhost/";
        QTest::newRow("no credentials") << "amqp://localhost:5672/a@b" << "amqp://localhost:5672/a@b";
    }
    void maskUriHidesThePassword()
    {
        QFETCH(QString, uri);
        QFETCH(QString, masked);
        QCOMPARE(QString::fromStdString(maskUri(uri.toStdString())), masked);
    }

    void unknownBackendIsAnError()
    {
        std::string err;
        QVERIFY(!makeTransport("kafka", embedded(), &err));
        QVERIFY2(err.find("embedded or amqp") != std::string::npos, err.c_str());
    }

    // --- the runner on the embedded broker ---------------------------------------------

    // A delay node runs on the embedded backend too: the runner holds each message for its
    // drawn delay and then publishes it on. A fixed delay of 5 ms is measured as exactly 5 ms
    // (it is planned, not slept), every message is accounted for, the time in transit obeys
    // Little's law (mean in transit = arrival rate * 5 ms), the end-to-end latency carries
    // the delay, and the run says that the delay was emulated.
    void aDelayNodeRunsEmulatedOnTheEmbeddedBackend()
    {
        ScenarioBuilder b = msScenario("hop", 20000);
        b.producer("send", expo(0.5)).delay("hop", det(5)).queue("q").consumer("receive", expo(0.25))
            .link("send", "hop").link("hop", "q").link("q", "receive");
        b.s.nodes[0].limit = 1000;
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(!r.setupFailed, r.error.c_str());
        verifyConservation(r);
        QVERIFY(r.endedEarly);
        QCOMPARE(r.publishedTotal, std::uint64_t(1000));
        QCOMPARE(r.deliveredTotal, std::uint64_t(1000));
        QCOMPARE(r.onwardCopies, std::uint64_t(1000)); // the delay published every message on
        const NodeResult &hop = r.results.nodes[std::size_t(nodeOf(s, "hop"))];
        QCOMPARE(hop.completed, 1000.0);
        QCOMPARE(hop.service.count, std::uint64_t(1000));
        QVERIFY2(std::abs(hop.service.mean - 5.0) < 1e-6, QByteArray::number(hop.service.mean));
        // Little's law over the observation window (the planned 20 s, as in the simulator):
        // arrivals per ms times the delay.
        QCOMPARE(hop.arrivals, 1000.0);
        const double rate = hop.arrivals / (r.results.duration - r.results.warmup);
        QVERIFY2(std::abs(hop.length.mean - rate * 5.0) < 0.15 * rate * 5.0,
                 QByteArray::number(hop.length.mean) + " vs " + QByteArray::number(rate * 5.0));
        QVERIFY(r.results.latency.mean > 5.0);
        QVERIFY2(r.results.latency.p50 > 4.9, QByteArray::number(r.results.latency.p50));
        bool said = false;
        for (const std::string &w : r.warnings)
            said |= w.find("Delay \"hop\" emulated on the embedded backend") != std::string::npos;
        QVERIFY2(said, r.warnings.empty() ? "no warnings" : r.warnings.front().c_str());
        bool hasInTransit = false;
        for (const Series &series : r.results.series.series)
            hasInTransit |= series.node == "hop" && series.metric == "in_transit";
        QVERIFY(hasInTransit);
    }

    // Delays in a chain end at a sink (a retry that gives up, say): the latency is the sum
    // of the two delays, 2 ms fixed plus 3 ms exponential on average, as in the simulator.
    void chainedDelaysEndAtASinkWithTheSumOfTheirDelays()
    {
        ScenarioBuilder b = msScenario("chain", 20000);
        b.producer("send", expo(0.5)).delay("first", det(2)).delay("second", expo(3)).sink("done")
            .link("send", "first").link("first", "second").link("second", "done");
        b.s.nodes[0].limit = 2000;
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(!r.setupFailed && r.error.empty(), r.error.c_str());
        QVERIFY(r.endedEarly);
        QCOMPARE(r.deliveredTotal, std::uint64_t(2000));
        QCOMPARE(r.inFlightAtStop, std::uint64_t(0));
        QCOMPARE(r.results.latency.count, std::uint64_t(2000));
        // The mean of 2000 exponentials of mean 3 has a standard error of 0.067.
        QVERIFY2(std::abs(r.results.latency.mean - 5.0) < 0.3, QByteArray::number(r.results.latency.mean));
        QVERIFY2(r.results.latency.p50 > 2.0, QByteArray::number(r.results.latency.p50));
        const NodeResult &second = r.results.nodes[std::size_t(nodeOf(s, "second"))];
        QCOMPARE(second.completed, 2000.0);
        QVERIFY2(std::abs(second.service.mean - 3.0) < 0.3, QByteArray::number(second.service.mean));
    }

    // A live run tells an observer what happens to every message, as a simulation does, so
    // the canvas animates both by one path. Over a topic exchange that routes one key of two
    // to a queue, a delay and a consumer: every hop of every message is reported once, in
    // causal order per message, and the unroutable ones are reported as such.
    void anObserverSeesEveryHopOfEveryMessage()
    {
        ScenarioBuilder b = msScenario("observed", 20000);
        b.producer("send", expo(0.5));
        b.last().limit = 300;
        b.last().routingKeys = {{"order.new", 0.5}, {"audit", 0.5}};
        b.exchange("x", ExchangeType::Topic).queue("q").consumer("work", expo(0.2)).delay("hop", det(1)).sink("done")
            .link("send", "x").link("x", "q", "order.*").link("q", "work").link("work", "hop").link("hop", "done");
        const Scenario s = b.build();
        const int send = nodeOf(s, "send"), x = nodeOf(s, "x"), q = nodeOf(s, "q"), work = nodeOf(s, "work"),
                  hop = nodeOf(s, "hop"), done = nodeOf(s, "done");

        struct Recorder : SimObserver
        {
            std::mutex m;
            std::map<std::uint64_t, std::vector<std::pair<double, std::string>>> hops; // per message
            std::map<std::pair<int, int>, int> moves;
            int movesOf(int from, int to) { return moves[{from, to}]; }
            int nPublished = 0, nEnqueued = 0, unroutable = 0, started = 0, ended = 0, nDelivered = 0;
            int odd = 0; // a depth, busy count or latency that cannot be (checked after the run)
            void note(std::uint64_t msg, double t, std::string what)
            {
                hops[msg].emplace_back(t, std::move(what));
            }
            void published(double t, std::uint64_t msg, int) override
            {
                std::lock_guard l(m);
                ++nPublished;
                note(msg, t, "published");
            }
            void moved(double t, std::uint64_t msg, int from, int to) override
            {
                std::lock_guard l(m);
                ++moves[{from, to}];
                note(msg, t, "moved " + std::to_string(from) + ">" + std::to_string(to));
            }
            void enqueued(double t, std::uint64_t msg, int, int depth) override
            {
                std::lock_guard l(m);
                ++nEnqueued;
                odd += depth != -1;
                note(msg, t, "enqueued");
            }
            void dropped(double t, std::uint64_t msg, int, DropReason reason) override
            {
                std::lock_guard l(m);
                unroutable += reason == DropReason::Unroutable;
                note(msg, t, "dropped");
            }
            void serviceStarted(double t, std::uint64_t msg, int, int busy) override
            {
                std::lock_guard l(m);
                ++started;
                odd += busy != 1;
                note(msg, t, "started");
            }
            void serviceEnded(double t, std::uint64_t msg, int, int busy) override
            {
                std::lock_guard l(m);
                ++ended;
                odd += busy != 0;
                note(msg, t, "ended");
            }
            void delivered(double t, std::uint64_t msg, double latency) override
            {
                std::lock_guard l(m);
                ++nDelivered;
                odd += latency < 1.0;
                note(msg, t, "delivered");
            }
        } rec;

        LiveRunner runner(s, embedded());
        runner.setObserver(&rec);
        const LiveReport r = runner.run();
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(r.endedEarly);
        QCOMPARE(rec.nPublished, 300);
        QCOMPARE(rec.odd, 0);
        const int routed = int(r.results.nodes[std::size_t(x)].routed);
        QCOMPARE(routed + rec.unroutable, 300);
        QVERIFY(routed > 100 && rec.unroutable > 100); // half and half, give or take
        QCOMPARE(rec.movesOf(send, x), 300);
        QCOMPARE(rec.movesOf(x, q), routed);
        QCOMPARE(rec.nEnqueued, routed);
        QCOMPARE(rec.movesOf(q, work), routed);
        QCOMPARE(rec.started, routed);
        QCOMPARE(rec.ended, routed);
        QCOMPARE(rec.movesOf(work, hop), routed);
        QCOMPARE(rec.movesOf(hop, done), routed);
        QCOMPARE(rec.nDelivered, routed);
        QCOMPARE(std::uint64_t(rec.nDelivered), r.deliveredTotal);
        // Per message, in causal order and in time order.
        const std::vector<std::string> path = {"published", "moved " + std::to_string(send) + ">" + std::to_string(x),
                                               "moved " + std::to_string(x) + ">" + std::to_string(q), "enqueued",
                                               "moved " + std::to_string(q) + ">" + std::to_string(work), "started",
                                               "ended", "moved " + std::to_string(work) + ">" + std::to_string(hop),
                                               "moved " + std::to_string(hop) + ">" + std::to_string(done), "delivered"};
        int complete = 0;
        for (const auto &[msg, events] : rec.hops) {
            if (events.size() == 3) { // published, to the exchange, unroutable
                QCOMPARE(events.back().second, std::string("dropped"));
                continue;
            }
            QCOMPARE(events.size(), path.size());
            for (std::size_t i = 0; i < path.size(); ++i) {
                QCOMPARE(events[i].second, path[i]);
                if (i > 0)
                    QVERIFY(events[i].first >= events[i - 1].first);
            }
            // The delay's hop to the sink comes exactly 1 ms after the service ended.
            QVERIFY(std::abs(events[8].first - events[6].first - 1.0) < 1e-6);
            ++complete;
        }
        QCOMPARE(complete, routed);
        const LiveState state = runner.state();
        QCOMPARE(state.queueDepth.size(), s.nodes.size());
        QCOMPARE(state.queueDepth[std::size_t(q)], 0); // everything was served
        QVERIFY(runner.elapsed() > 0);
    }

    // Failures on the embedded broker, by RabbitMQ's rules. A queue TTL of 2 ms under load
    // 1.25: what expires at the head is dead-lettered ("expired") to a parking queue, and the
    // expired share matches the closed form M/M/1+D within the live run's noise.
    void ttlAndDeadLettersRunOnTheEmbeddedBroker()
    {
        ScenarioBuilder b = msScenario("ttl", 3000);
        b.producer("send", expo(1.0)).queue("work").consumer("receive", expo(1.25)).queue("parked")
            .link("send", "work").link("work", "receive");
        b.s.nodes[1].queueTtl = 2.0;
        b.deadLetter("work", "parked");
        const Scenario s = b.build();
        QVERIFY2(!validateScenario(s).hasErrors(), validateScenario(s).toString().c_str());
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(!r.setupFailed && r.error.empty(), r.error.c_str());
        const NodeResult &work = r.results.nodes[1];
        QVERIFY2(work.expired > 100, QByteArray::number(work.expired));
        QCOMPARE(work.deadLetteredExpired, work.expired);
        const QueueSnapshot *parked = queueIn(r.finalSnapshot, nodeOf(s, "parked"));
        QVERIFY(parked && parked->arrivals);
        QCOMPARE(double(*parked->arrivals), work.expired);
        QCOMPARE(r.results.nodes[std::size_t(nodeOf(s, "parked"))].arrivals, work.expired);
        // How much expires depends on how timely the emulated consumer is, i.e. on the
        // machine's load (the run warns when it is late): against the closed form only on a
        // quiet machine, as the other fidelity checks (bench_live measures them).
        if (qEnvironmentVariableIsSet("QUEUELAB_FIDELITY_TEST")) {
            const double share = work.expired / work.arrivals;
            const TheoryResult theory = analyze(s);
            QVERIFY2(theory.applicable, theory.reason.c_str());
            const double expected = theory.queues.front().station.abandonment;
            QVERIFY2(std::fabs(share - expected) < 0.25 * expected,
                     qPrintable(QStringLiteral("expired share %1 vs M/M/1+D %2").arg(share).arg(expected)));
        }
        // Nothing lost: published = delivered + parked + still in the work queue or a consumer.
        QCOMPARE(r.publishedTotal, r.deliveredTotal + r.inFlightAtStop);
    }

    // A consumer rejects a fifth of its messages into a dead-letter queue another consumer
    // drains, and returns a fifth to the head of its queue: the counts balance, every return
    // is delivered again, and every message is delivered in the end.
    void rejectsAndRequeuesRunOnTheEmbeddedBroker()
    {
        ScenarioBuilder b = msScenario("outcomes", 20000);
        b.producer("send", expo(1.0)).queue("work").consumer("receive", expo(0.3)).queue("dlq")
            .consumer("drain", expo(0.1)).link("send", "work").link("work", "receive").link("dlq", "drain");
        b.s.nodes[0].limit = 2000;
        b.s.nodes[2].rejectProbability = 0.2;
        b.s.nodes[2].requeueProbability = 0.2;
        b.deadLetter("work", "dlq");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(!r.setupFailed && r.error.empty(), r.error.c_str());
        QVERIFY(r.endedEarly);
        const NodeResult &work = r.results.nodes[1];
        const NodeResult &receive = r.results.nodes[2];
        QVERIFY2(std::fabs(receive.rejected / receive.completed - 0.2) < 0.04, QByteArray::number(receive.rejected));
        QVERIFY2(std::fabs(receive.requeued / receive.completed - 0.2) < 0.04, QByteArray::number(receive.requeued));
        QCOMPARE(work.requeued, receive.requeued);
        QCOMPARE(work.redelivered, work.requeued);
        QCOMPARE(work.deadLetteredRejected, receive.rejected);
        QCOMPARE(r.results.nodes[4].completed, receive.rejected);
        QCOMPARE(r.deliveredTotal, std::uint64_t(2000));
    }

    // `compare` lays the failure rates side by side: the dead-letter rate of a consumer
    // that rejects a fifth, simulated and measured on the embedded broker.
    void compareCoversDeadLetterRates()
    {
        ScenarioBuilder b = msScenario("dlq compare", 2000);
        b.run(2000, 0, 3);
        b.producer("send", expo(1.0)).queue("work").consumer("receive", expo(0.3)).queue("dlq")
            .consumer("drain", expo(0.1)).link("send", "work").link("work", "receive").link("dlq", "drain");
        b.s.nodes[2].rejectProbability = 0.2;
        b.deadLetter("work", "dlq");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(!r.setupFailed && r.error.empty(), r.error.c_str());
        const SimulatedRuns sim = simulateReplications(s);
        const Comparison c = compareResults(s, sim.results, sim.runs, r.results);
        const ComparisonRow *dlRate = nullptr;
        for (const ComparisonRow &row : c.rows)
            if (row.node == "work" && row.metric == "dead_letter_rate")
                dlRate = &row;
        QVERIFY(dlRate);
        QVERIFY2(std::fabs(dlRate->simulation - 0.2) < 0.03, QByteArray::number(dlRate->simulation));
        QVERIFY(dlRate->live.has_value());
        QVERIFY2(std::fabs(*dlRate->live - 0.2) < 0.05, QByteArray::number(*dlRate->live));
        // Without rejects there is nothing to dead-letter, and no such row.
        Scenario plain = s;
        plain.nodes[2].rejectProbability = 0;
        const SimulatedRuns quiet = simulateReplications(plain);
        for (const ComparisonRow &row : compareResults(plain, quiet.results, quiet.runs, quiet.results).rows)
            QVERIFY2(row.metric.find("_rate") == std::string::npos, row.metric.c_str());
    }

    // A quorum queue with delivery limit 2 and a consumer that returns everything: each
    // message is served three times, then dead-lettered with reason "delivery_limit".
    void quorumDeliveryLimitRunsOnTheEmbeddedBroker()
    {
        ScenarioBuilder b = msScenario("poison", 20000);
        b.producer("send", expo(1.0)).queue("work").consumer("receive", expo(0.2)).queue("parked")
            .link("send", "work").link("work", "receive");
        b.s.nodes[0].limit = 300;
        b.s.nodes[1].queueType = QueueType::Quorum;
        b.s.nodes[1].deliveryLimit = 2;
        b.s.nodes[2].requeueProbability = 1.0;
        b.deadLetter("work", "parked");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(r.error.empty() || r.results.partial, r.error.c_str());
        const NodeResult &work = r.results.nodes[1];
        QCOMPARE(r.results.nodes[2].completed, 900.0);
        QCOMPARE(work.deadLetteredDeliveryLimit, 300.0);
        QCOMPARE(work.redelivered, 600.0);
        const QueueSnapshot *parked = queueIn(r.finalSnapshot, nodeOf(s, "parked"));
        QVERIFY(parked && parked->ready);
        QCOMPARE(*parked->ready, std::int64_t(300));
    }

    // RabbitMQ does not get them yet: the run is refused before anything is deployed.
    void failuresAreRefusedOnAmqpByName()
    {
        ScenarioBuilder b = msScenario("ttl", 100);
        b.producer("send", expo(1.0)).queue("work").consumer("receive", expo(0.5)).link("send", "work")
            .link("work", "receive");
        b.s.nodes[1].queueTtl = 2.0;
        LiveOptions o = embedded();
        o.backend = "amqp";
        o.uri = "amqp://guest:guest@127.0.0.1:1/";
        LiveRunner runner(b.build(), o);
        const LiveReport r = runner.run();
        QVERIFY(r.setupFailed);
        QVERIFY2(r.error.find("queue \"work\" has a message TTL") != std::string::npos, r.error.c_str());
        QVERIFY2(r.error.find("use the embedded backend") != std::string::npos, r.error.c_str());
    }

    void helloConservesEveryMessage()
    {
        // A limit, so the run ends when every message is served (whatever the machine's
        // load), with a duration far beyond that as the cap.
        ScenarioBuilder b = msScenario("hello", 20000);
        b.producer("send", expo(0.5)).queue("hello").consumer("receive", expo(0.25))
            .link("send", "hello").link("hello", "receive");
        b.s.nodes[0].limit = 400;
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        QVERIFY(r.endedEarly);
        QVERIFY(!r.results.partial);
        QCOMPARE(r.results.source, std::string("embedded"));
        QVERIFY(!r.results.seed);
        QCOMPARE(r.publishedTotal, std::uint64_t(400));
        QCOMPARE(r.deliveredTotal, std::uint64_t(400));
        QCOMPARE(r.droppedTotal + r.unroutableTotal + r.inFlightAtStop, std::uint64_t(0));
        // No warm-up: the results count everything.
        QCOMPARE(r.results.nodes[0].published, 400.0);
        QCOMPARE(r.results.delivered, 400.0);
        QCOMPARE(r.results.latency.count, std::uint64_t(400));
        QVERIFY(r.results.latency.mean > 0);
        QVERIFY(r.results.latency.max >= r.results.latency.p99);
        const NodeResult &consumer = r.results.nodes[2];
        QCOMPARE(consumer.completed, 400.0);
        QVERIFY(consumer.utilization.mean > 0 && consumer.utilization.mean <= 1.0);
        QCOMPARE(r.results.nodes[1].wait.count, std::uint64_t(400));
        QCOMPARE(consumer.service.count, std::uint64_t(400));
        // The time series has the simulator's metric names.
        bool hasLength = false, hasLatency = false;
        for (const Series &series : r.results.series.series) {
            hasLength |= series.node == "hello" && series.metric == "length";
            hasLatency |= series.node.empty() && series.metric == "latency_p95";
        }
        QVERIFY(hasLength && hasLatency);
        QVERIFY(!r.results.series.times.empty());
    }

    // Each row publishes one routing key (or header set) to an exchange bound to three
    // queues; the broker's own arrival counts say which queues got a copy.
    void routingMatchesTheSpec_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("bindings"); // for q1, q2, q3
        QTest::addColumn<QString>("expected");     // which queues get messages, e.g. "110"
        const int direct = int(ExchangeType::Direct), topic = int(ExchangeType::Topic);
        const int fanout = int(ExchangeType::Fanout), headers = int(ExchangeType::Headers);
        QTest::newRow("direct: equal key only") << direct << "info" << QStringList{"info", "error", "info"} << "101";
        QTest::newRow("direct: no match is unroutable") << direct << "debug" << QStringList{"info", "error", "warn"} << "000";
        QTest::newRow("topic: * is one word, # any") << topic << "order.created"
                                                     << QStringList{"order.*", "#.created", "payment.#"} << "110";
        QTest::newRow("topic: # matches zero words") << topic << "audit" << QStringList{"audit.#", "*.audit", "#"} << "101";
        QTest::newRow("topic: * needs a word") << topic << "a.c" << QStringList{"a.*.c", "a.#.c", "*.c"} << "011";
        QTest::newRow("fanout: every queue") << fanout << "whatever" << QStringList{"", "x", "y"} << "111";
        // headers rows: the producer sends {format: pdf, type: report}; a binding "all:k=v,..."
        QTest::newRow("headers: all and any") << headers << ""
                                              << QStringList{"all:format=pdf,type=report", "any:format=zip,type=report",
                                                             "all:format=pdf,type=log"}
                                              << "110";
    }
    void routingMatchesTheSpec()
    {
        QFETCH(int, type);
        QFETCH(QString, key);
        QFETCH(QStringList, bindings);
        QFETCH(QString, expected);

        const int count = 60;
        ScenarioBuilder b = msScenario("routing", 2000);
        b.producer("p", det(0.05), key.toStdString());
        b.last().limit = count;
        b.last().headers = {{"format", "pdf"}, {"type", "report"}};
        b.exchange("x", ExchangeType(type));
        for (int i = 1; i <= 3; ++i) {
            const std::string q = "q" + std::to_string(i);
            b.queue(q).consumer("c" + std::to_string(i), det(0.01), 1, 10);
            Link l;
            l.from = "x";
            l.to = q;
            const std::string spec = bindings[i - 1].toStdString();
            if (ExchangeType(type) == ExchangeType::Headers) {
                l.match = spec.rfind("any:", 0) == 0 ? HeadersMatch::Any : HeadersMatch::All;
                for (const QString &kv : QString::fromStdString(spec.substr(4)).split(u',')) {
                    const QStringList parts = kv.split(u'=');
                    l.arguments.emplace_back(parts[0].toStdString(), parts[1].toStdString());
                }
            } else {
                l.bindingKey = spec;
            }
            b.s.links.push_back(l);
            b.link(q, "c" + std::to_string(i));
        }
        b.link("p", "x");
        const Scenario s = b.build();

        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        QVERIFY2(r.endedEarly, "the limit was reached and everything served, so the run ends early");
        QCOMPARE(r.publishedTotal, std::uint64_t(count));
        int matched = 0;
        for (int i = 1; i <= 3; ++i) {
            const QueueSnapshot *q = queueIn(r.finalSnapshot, nodeOf(s, "q" + std::to_string(i)));
            QVERIFY(q);
            const bool gets = expected[i - 1] == u'1';
            matched += gets;
            QCOMPARE(*q->arrivals, gets ? std::int64_t(count) : std::int64_t(0));
            QCOMPARE(r.results.nodes[std::size_t(nodeOf(s, "q" + std::to_string(i)))].arrivals,
                     gets ? double(count) : 0.0);
        }
        const NodeResult &x = r.results.nodes[std::size_t(nodeOf(s, "x"))];
        QCOMPARE(x.unroutable, matched == 0 ? double(count) : 0.0);
        QCOMPARE(x.routed, matched == 0 ? 0.0 : double(count));
        QCOMPARE(r.deliveredTotal, std::uint64_t(count * matched));
    }

    void boundedQueueDrops_data()
    {
        QTest::addColumn<int>("overflow");
        QTest::newRow("reject-publish") << int(Overflow::RejectPublish);
        QTest::newRow("drop-head") << int(Overflow::DropHead);
    }
    void boundedQueueDrops()
    {
        QFETCH(int, overflow);
        // 10 arrivals per ms against 1 service per ms: most must be dropped.
        ScenarioBuilder b = msScenario("overload", 300);
        b.producer("p", det(0.1)).queue("q", 5, Overflow(overflow)).consumer("c", det(1))
            .link("p", "q").link("q", "c");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        QCOMPARE(r.publishedTotal, r.deliveredTotal + r.droppedTotal + r.unroutableTotal + r.inFlightAtStop);
        const NodeResult &q = r.results.nodes[1];
        QVERIFY2(q.drops > q.arrivals / 2, (std::to_string(q.drops) + " of " + std::to_string(q.arrivals)).c_str());
        QVERIFY(q.lengthMax <= 5);
        QVERIFY(q.length.mean <= 5);
        QVERIFY(*queueIn(r.finalSnapshot, 1)->ready <= 5);
    }

    void prefetchBoundsUnacknowledged_data()
    {
        QTest::addColumn<int>("servers");
        QTest::addColumn<int>("prefetch");
        QTest::newRow("1 server, prefetch 1") << 1 << 1;
        QTest::newRow("2 servers, prefetch 3") << 2 << 3;
        QTest::newRow("1 server, prefetch 10") << 1 << 10;
    }
    void prefetchBoundsUnacknowledged()
    {
        QFETCH(int, servers);
        QFETCH(int, prefetch);
        // Overloaded, so every window fills up.
        ScenarioBuilder b = msScenario("prefetch", 200);
        b.producer("p", det(0.05)).queue("q").consumer("c", det(0.5), servers, prefetch)
            .link("p", "q").link("q", "c");
        const Scenario s = b.build();
        EmbeddedTransport t(embedded());
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run(t);
        verifyConservation(r);
        const std::int64_t window = servers * prefetch;
        QCOMPARE(t.peakUnacked(2), window);           // the broker filled the window ...
        QVERIFY(r.maxUnacked[2] <= window);           // ... and the consumer never held more
        QVERIFY(r.maxUnacked[2] >= 1);
    }

    // The broker hands each message to the next subscriber with room, round robin; one
    // whose window is full is skipped, and gets ready messages again once it acknowledges.
    void brokerDispatchesRoundRobinAmongThoseWithRoom()
    {
        ScenarioBuilder b = msScenario("round robin", 100);
        b.producer("p", expo(1)).queue("q").consumer("a", expo(1), 1, 2).consumer("b", expo(1), 1, 1)
            .link("p", "q").link("q", "a").link("q", "b");
        const Scenario s = b.build();
        EmbeddedTransport t(embedded());
        std::string err;
        QVERIFY(t.deploy(s, &err));
        auto pub = t.openChannel(&err);
        auto a = t.openChannel(&err), bch = t.openChannel(&err);
        QVERIFY(a->subscribe(nodeOf(s, "q"), nodeOf(s, "a"), 2, &err));
        QVERIFY(bch->subscribe(nodeOf(s, "q"), nodeOf(s, "b"), 1, &err));
        auto publish = [&](int seq) {
            OutMessage m;
            m.target = nodeOf(s, "q");
            m.payload.seq = std::uint64_t(seq);
            QVERIFY(pub->publish(&m, 1, &err));
        };
        auto take = [&](TransportChannel &ch) {
            Delivery d[8];
            QList<int> seqs;
            const int got = ch.receive(d, 8, std::chrono::steady_clock::now() + std::chrono::milliseconds(20), &err);
            for (int i = 0; i < got; ++i)
                seqs << int(d[i].payload.seq);
            return std::pair(seqs, got > 0 ? d[0].tag : 0);
        };
        for (int seq = 1; seq <= 5; ++seq)
            publish(seq);
        // 1 -> a, 2 -> b, 3 -> a (b is full), 4 and 5 wait: both windows are full.
        const auto [toA, tagA] = take(*a);
        const auto [toB, tagB] = take(*bch);
        QCOMPARE(toA, (QList<int>{1, 3}));
        QCOMPARE(toB, (QList<int>{2}));
        // b acknowledges: its next receive takes the oldest ready message.
        QVERIFY(bch->ack(&tagB, 1, &err));
        QCOMPARE(take(*bch).first, (QList<int>{4}));
        QCOMPARE(take(*a).first, QList<int>{});
        QVERIFY(a->ack(&tagA, 1, &err));
        QCOMPARE(take(*a).first, (QList<int>{5}));
    }

    void workQueueServesWithBothConsumers()
    {
        ScenarioBuilder b = msScenario("work queue", 300);
        b.producer("p", det(0.1)).queue("q").consumer("w1", det(0.15)).consumer("w2", det(0.15))
            .link("p", "q").link("q", "w1").link("q", "w2");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        // How the work splits depends on which thread gets a core first (the broker's rule is
        // checked exactly above); both must serve.
        QVERIFY(r.results.nodes[2].completed > 0);
        QVERIFY(r.results.nodes[3].completed > 0);
    }

    // Tandem stages and a feedback loop: onward publishing carries messages on, and the
    // probability remainder lets them leave.
    void onwardLinksAndFeedback()
    {
        ScenarioBuilder b = msScenario("feedback", 3000);
        b.producer("p", det(0.05)).last().limit = 300;
        b.queue("a").consumer("ca", det(0.01), 1, 5).queue("b").consumer("cb", det(0.01), 1, 5).sink("done");
        b.link("p", "a").link("a", "ca").link("ca", "b").link("b", "cb");
        b.linkP("cb", "b", 0.5).linkP("cb", "done", 0.5);
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        QVERIFY(r.endedEarly);
        QCOMPARE(r.deliveredTotal, std::uint64_t(300)); // everyone leaves through `done` eventually
        const double visitsB = r.results.nodes[std::size_t(nodeOf(s, "b"))].arrivals / 300.0;
        QVERIFY2(visitsB > 1.6 && visitsB < 2.4, std::to_string(visitsB).c_str()); // 1 / (1 - 0.5)
        QCOMPARE(r.results.nodes[std::size_t(nodeOf(s, "a"))].arrivals, 300.0);
    }

    void maxMessagesEndsTheRunEarly()
    {
        ScenarioBuilder b = msScenario("limit", 60000);
        b.s.run.maxMessages = 50;
        b.producer("p1", det(0.02)).producer("p2", det(0.02)).queue("q").consumer("c", det(0.01), 1, 10)
            .link("p1", "q").link("p2", "q").link("q", "c");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        verifyConservation(r);
        QVERIFY(r.endedEarly);
        QVERIFY(!r.results.partial);
        QCOMPARE(r.publishedTotal, std::uint64_t(50));
        QCOMPARE(r.deliveredTotal, std::uint64_t(50));
        QVERIFY(r.wallSeconds < 30);
    }

    void stopMidRunKeepsPartialResults()
    {
        ScenarioBuilder b = msScenario("long", 20000);
        b.producer("p", expo(0.2)).queue("q").consumer("c", expo(0.1)).link("p", "q").link("q", "c");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            runner.stop();
        });
        const LiveReport r = runner.run();
        stopper.join();
        QVERIFY(r.results.partial);
        QVERIFY(!r.results.error.empty());
        QVERIFY(r.wallSeconds < 19);
        QVERIFY(r.publishedTotal > 0);
        QCOMPARE(r.publishedCopies + r.onwardCopies, r.completedTotal + r.droppedTotal + r.inFlightAtStop);
        // Still exportable: the results file parses and says it is partial.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(resultsToJson(r.results)), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object().value("partial").toBool(), true);
        QCOMPARE(doc.object().value("source").toString(), QStringLiteral("embedded"));
        QVERIFY(doc.object().value("seed").isNull());
        QVERIFY(doc.object().value("end_to_end").toObject().value("delivered").isDouble());
    }

    void timeScaleMapsScenarioTimeToWallTime()
    {
        Scenario s;
        s.timeUnit = TimeUnit::Seconds;
        LiveOptions o;
        QCOMPARE(wallSecondsPerUnit(s, o), 0.001); // default: one scenario second = 1 ms
        o.backend = "amqp";
        QCOMPARE(wallSecondsPerUnit(s, o), 0.01);  // a broker round trip needs slower time
        o.backend = "embedded";
        o.timeScale = 0.5;
        QCOMPARE(wallSecondsPerUnit(s, o), 0.5);
        s.timeUnit = TimeUnit::Milliseconds;
        o.timeScale = 0;
        QCOMPARE(wallSecondsPerUnit(s, o), 0.001); // ms files run as written
        o.timeScale = 2;
        QCOMPARE(wallSecondsPerUnit(s, o), 0.002);
        s.run.duration = 5000;
        s.run.warmup = 4000;
        o.durationSeconds = 4.0; // 4 s wall at 2 ms per unit = 2000 units
        const Scenario e = liveScenario(s, o);
        QCOMPARE(e.run.duration, 2000.0);
        QCOMPARE(e.run.warmup, 1000.0); // clipped to half
    }

    // FIDELITY (timing-sensitive, generous bound; the 15% target lives in bench_live):
    // M/M/1 at load 0.5 with 5 ms services, run as written, against the simulation.
    // Opt-in (QUEUELAB_FIDELITY_TEST=1): on a shared machine running other suites in
    // parallel, preemption alone moved the live mean by +96%, so it cannot gate CI.
    void fidelityModerateLoadMm1()
    {
        if (qEnvironmentVariableIntValue("QUEUELAB_FIDELITY_TEST") != 1)
            QSKIP("timing-sensitive: set QUEUELAB_FIDELITY_TEST=1 on a quiet machine (bench_live measures it)");
        const double cores = std::max(1u, std::thread::hardware_concurrency());
        if (loadAverage() > 2 * cores)
            QSKIP("machine too busy for a timing-sensitive fidelity check");
        ScenarioBuilder b = msScenario("mm1", 5000);
        b.s.run.warmup = 250;
        b.producer("p", expo(10)).queue("q").consumer("c", expo(5)).link("p", "q").link("q", "c");
        const Scenario s = b.build();
        LiveRunner runner(s, embedded());
        const LiveReport r = runner.run();
        QVERIFY2(r.error.empty(), r.error.c_str());
        Scenario simScenario = s;
        simScenario.run.duration = 500000;
        simScenario.run.replications = 4;
        const Results sim = runReplications(simScenario);
        const double rel = (r.results.latency.mean - sim.latency.mean) / sim.latency.mean;
        qInfo("fidelity: live mean latency %.3f ms, simulated %.3f ms, difference %+.1f%%",
              r.results.latency.mean, sim.latency.mean, rel * 100);
        QVERIFY2(std::abs(rel) < 0.25, std::to_string(rel).c_str());
    }

    // --- the CLI as a process -----------------------------------------------------------

    void liveCliWritesResults()
    {
        const QString json = tmp.filePath("live.json"), csv = tmp.filePath("live.csv");
        const CliOutcome o = runCli({"live", scenarioPath("hello.json"), "--duration", "0.5", "--json", json,
                                     "--csv", csv});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("time scale 0.001"), qPrintable(o.out)); // always said
        QVERIFY(o.out.contains("latency"));
        const QJsonObject r = readJson(json);
        QCOMPARE(r.value("format").toString(), QStringLiteral("queuelab-results"));
        QCOMPARE(r.value("source").toString(), QStringLiteral("embedded"));
        QVERIFY(r.value("seed").isNull());
        QVERIFY(!r.contains("partial"));
        QVERIFY(r.value("nodes").toObject().contains("hello"));
        QVERIFY(r.value("end_to_end").toObject().value("delivered").toDouble() > 0);
        QVERIFY(QFile::exists(csv));
    }

    void compareCliWritesBoth()
    {
        const QString json = tmp.filePath("compare.json");
        const CliOutcome o = runCli({"compare", scenarioPath("hello.json"), "--duration", "0.5",
                                     "--replications", "2", "--json", json});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains("simulation ± ci95") && o.out.contains("live in CI"), qPrintable(o.out));
        const QJsonObject c = readJson(json);
        QCOMPARE(c.value("format").toString(), QStringLiteral("queuelab-comparison"));
        QCOMPARE(c.value("simulation").toObject().value("source").toString(), QStringLiteral("simulation"));
        QCOMPARE(c.value("simulation").toObject().value("replications").toInt(), 2);
        QCOMPARE(c.value("live").toObject().value("source").toString(), QStringLiteral("embedded"));
        QVERIFY(c.value("live").toObject().value("seed").isNull());
        // The same scenario time on both sides.
        QCOMPARE(c.value("live").toObject().value("duration").toDouble(),
                 c.value("simulation").toObject().value("duration").toDouble());
        const QJsonArray rows = c.value("comparison").toArray();
        QVERIFY(rows.size() >= 5);
        bool sawLatency = false;
        for (const QJsonValue &v : rows) {
            const QJsonObject row = v.toObject();
            QVERIFY(row.contains("simulation") && row.contains("live") && row.contains("inside_ci95"));
            sawLatency |= row.value("metric").toString() == QStringLiteral("latency_mean");
        }
        QVERIFY(sawLatency);
    }

    void liveCliRefusesBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString hello = scenarioPath("hello.json");
        QTest::newRow("unknown backend") << QStringList{"live", hello, "--backend", "kafka"} << "--backend";
        QTest::newRow("bad duration") << QStringList{"live", hello, "--duration", "-1"} << "--duration";
        QTest::newRow("bad time scale") << QStringList{"live", hello, "--time-scale", "0"} << "--time-scale";
        QTest::newRow("missing file") << QStringList{"live", "/nonexistent/x.json"} << "x.json";
        QTest::newRow("compare, bad replications")
            << QStringList{"compare", hello, "--replications", "0"} << "--replications";
        QTest::newRow("output folder missing")
            << QStringList{"live", hello, "--json", "/nonexistent/out.json"} << "does not exist";
    }
    void liveCliRefusesBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliOutcome o = runCli(args);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(message), qPrintable(o.err));
    }

    // Nothing listens on port 1: the run must fail fast with exit 2, and never show the
    // password (whether or not the amqp backend is built in).
    void unreachableBrokerFailsFastWithoutThePassword()
    {
        const auto started = std::chrono::steady_clock::now();
        const CliOutcome o = runCli({"live", scenarioPath("hello.json"), "--backend", "amqp", "--uri",
                                     "amqp://guest:Sup3rSecretPw@127.0.0.1:1/", "--duration", "1"},
                                    30000);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(!o.err.contains("Sup3rSecretPw") && !o.out.contains("Sup3rSecretPw"), qPrintable(o.err));
        QVERIFY2(o.err.contains("error:"), qPrintable(o.err));
        QVERIFY2(seconds < 15, std::to_string(seconds).c_str()); // "within a few seconds"
    }

    void ctrlCStopsCleanlyAndWritesWhatWasMeasured()
    {
        const QString json = tmp.filePath("interrupted.json");
        QProcess p;
        p.start(cliPath(), {"live", scenarioPath("hello.json"), "--duration", "60", "--json", json});
        QVERIFY(p.waitForStarted());
        // Wait until traffic runs (the "live:" line comes right before it starts).
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("live:"), 10000);
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const QJsonObject r = readJson(json);
        QCOMPARE(r.value("partial").toBool(), true);
        QCOMPARE(r.value("source").toString(), QStringLiteral("embedded"));
    }

private:
    QTemporaryDir tmp;
};

QTEST_GUILESS_MAIN(TestLive)
#include "tst_live.moc"
