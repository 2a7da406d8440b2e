// The event narrative (sim/narrator.h): the exact sentences for a hand-driven sequence of
// observer events, the structured fields a view filters on, a real Simulation told line by
// line in agreement with its own statistics, and the ring buffer's bound.
#include "scenariobuilder.h"

#include "sim/narrator.h"
#include "sim/simulation.h"

#include <QTest>

#include <cmath>
#include <map>
#include <set>

using namespace ql;
using namespace ql::test;

namespace {

QStringList texts(const Narrator &n, std::size_t from = 0)
{
    QStringList out;
    for (std::size_t i = from; i < n.size(); ++i)
        out << QString::fromStdString(n.line(i).text);
    return out;
}

// orders -> router (topic) -> hello -> worker-1, and router -> audit -> worker-2 -> done;
// billing -> regional (direct, bound to 'eu.orders' only) -> hello.
Scenario shop()
{
    ScenarioBuilder b("shop");
    b.producer("orders", expo(1), "eu.orders")
        .exchange("router", ExchangeType::Topic)
        .queue("hello", 10)
        .queue("audit")
        .consumer("worker-1", expo(0.84), 1, 2)
        .consumer("worker-2", expo(1), 3, 3)
        .sink("done")
        .producer("billing", expo(1), "us.billing")
        .exchange("regional", ExchangeType::Direct)
        .link("orders", "router")
        .link("router", "hello", "eu.*")
        .link("router", "audit", "#")
        .link("hello", "worker-1")
        .link("audit", "worker-2")
        .link("worker-2", "done")
        .link("billing", "regional")
        .link("regional", "hello", "eu.orders");
    return b;
}

int node(const Scenario &s, const char *id)
{
    return s.nodeIndex(id);
}

} // namespace

class TestNarrator : public QObject
{
    Q_OBJECT

private slots:
    void tellsEachStepInPlainWords()
    {
        const Scenario s = shop();
        Narrator n(s);
        const int orders = node(s, "orders"), router = node(s, "router"), hello = node(s, "hello"),
                  audit = node(s, "audit"), w1 = node(s, "worker-1"), w2 = node(s, "worker-2"),
                  done = node(s, "done"), billing = node(s, "billing"), regional = node(s, "regional");

        n.published(3.2, 17, orders);
        n.moved(3.2, 17, orders, router);
        n.moved(3.2, 18, router, audit); // the copy goes first, as the simulator sends them
        n.moved(3.2, 18, audit, w2);
        n.serviceStarted(3.2, 18, w2, 2);
        n.moved(3.2, 17, router, hello);
        n.enqueued(3.2, 17, hello, 3);
        n.moved(4.4, 17, hello, w1);
        n.serviceStarted(4.4, 17, w1, 1);
        n.serviceEnded(5.24, 17, w1, 0);
        n.delivered(5.24, 17, 2.04);
        n.serviceEnded(5.51, 18, w2, 1);
        n.moved(5.51, 18, w2, done);
        n.delivered(5.51, 18, std::nan("")); // no latency given: from the publish it saw
        n.published(6, 19, orders);
        n.moved(6, 19, orders, router);
        n.moved(6, 19, router, hello);
        n.dropped(6, 19, hello, DropReason::Overflow);
        n.published(7, 20, billing);
        n.moved(7, 20, billing, regional);
        n.dropped(7, 20, regional, DropReason::Unroutable);
        n.published(8, 21, orders);
        n.moved(8, 21, orders, router);
        n.moved(8, 21, router, hello);
        n.moved(8, 21, hello, w1); // worker-1 is busy: prefetched
        n.serviceEnded(8.3, 30, w1, 0);
        n.serviceStarted(8.3, 21, w1, 1);
        n.delivered(8.3, 30, 1.5);
        n.published(9, 22, orders);
        n.moved(9, 22, orders, router);
        n.moved(9, 22, router, hello);
        n.enqueued(9, 22, hello, 1);
        n.flush();

        const QStringList expected = {
            "t=3.20 s: message #17 published by orders with routing key 'eu.orders'",
            "t=3.20 s: message #18, a copy of #17, routed by exchange router to queue audit (binding '#')",
            "t=3.20 s: message #18 goes straight through queue audit to consumer worker-2, which now has 2 of 3 servers busy",
            "t=3.20 s: message #17 routed by exchange router to queue hello (binding 'eu.*')",
            "t=3.20 s: message #17 enters queue hello, depth 3",
            "t=4.40 s: message #17 leaves queue hello after waiting 1.20 s and goes to consumer worker-1, which was idle",
            "t=5.24 s: message #17 finishes service at worker-1 after 0.84 s",
            "t=5.24 s: message #17 delivered, 2.04 s end to end",
            "t=5.51 s: message #18 finishes service at worker-2 after 2.31 s, leaving 1 of 3 servers busy",
            "t=5.51 s: message #18 goes on from worker-2 to sink done",
            "t=5.51 s: message #18 delivered, 2.31 s end to end",
            "t=6.00 s: message #19 published by orders with routing key 'eu.orders'",
            "t=6.00 s: message #19 routed by exchange router to queue hello (binding 'eu.*')",
            "t=6.00 s: message #19 dropped at queue hello: queue full (capacity 10, reject-publish)",
            "t=7.00 s: message #20 published by billing with routing key 'us.billing'",
            "t=7.00 s: message #20 unroutable at exchange regional: no binding matches key 'us.billing'",
            "t=8.00 s: message #21 published by orders with routing key 'eu.orders'",
            "t=8.00 s: message #21 routed by exchange router to queue hello (binding 'eu.*')",
            "t=8.00 s: message #21 goes straight through queue hello to consumer worker-1, which is busy: it waits in the prefetch buffer",
            "t=8.30 s: message #30 finishes service at worker-1",
            "t=8.30 s: message #21 starts service at worker-1 after 0.30 s in its prefetch buffer",
            "t=8.30 s: message #30 delivered, 1.50 s end to end",
            "t=9.00 s: message #22 published by orders with routing key 'eu.orders'",
            "t=9.00 s: message #22 routed by exchange router to queue hello (binding 'eu.*')",
            "t=9.00 s: message #22 enters queue hello, depth 1: no consumer can take it now",
        };
        const QStringList got = texts(n);
        for (int i = 0; i < std::min(got.size(), expected.size()); ++i)
            QCOMPARE(got[i], expected[i]);
        QCOMPARE(got.size(), expected.size());
        // Delivered and dropped messages are forgotten; #21 and #22 are still in flight.
        QCOMPARE(int(n.trackedMessages()), 2);
    }

    void linesCarryFieldsToFilterOn()
    {
        const Scenario s = shop();
        Narrator n(s);
        const int orders = node(s, "orders"), router = node(s, "router"), hello = node(s, "hello"),
                  audit = node(s, "audit"), w1 = node(s, "worker-1"), w2 = node(s, "worker-2");
        n.published(1, 5, orders);
        n.moved(1, 5, orders, router);
        n.moved(1, 6, router, audit);
        n.moved(1, 6, audit, w2);
        n.serviceStarted(1, 6, w2, 1);
        n.moved(1, 5, router, hello);
        n.moved(1, 5, hello, w1);
        n.serviceStarted(1, 5, w1, 1);
        n.flush();
        QCOMPARE(int(n.size()), 5);

        const NarrativeLine &published = n.line(0);
        QCOMPARE(published.kind, NarrativeLine::Published);
        QCOMPARE(published.msg, std::uint64_t(5));
        QCOMPARE(published.node, orders);
        QCOMPARE(published.time, 1.0);

        const NarrativeLine &copy = n.line(1);
        QCOMPARE(copy.kind, NarrativeLine::Routed);
        QCOMPARE(copy.msg, std::uint64_t(6));
        QCOMPARE(copy.original, std::uint64_t(5));
        QCOMPARE(copy.node, audit);
        QCOMPARE(copy.other, router);
        QVERIFY(copy.involvesMessage(5)); // following #5 shows where its copies went
        QVERIFY(copy.involvesMessage(6));
        QVERIFY(!copy.involvesMessage(7));
        QVERIFY(copy.involvesNode(router) && copy.involvesNode(audit) && !copy.involvesNode(hello));

        const NarrativeLine &handed = n.line(4);
        QCOMPARE(handed.kind, NarrativeLine::ToConsumer);
        QCOMPARE(handed.node, w1);
        QCOMPARE(handed.other, hello);
        QCOMPARE(handed.seq, std::uint64_t(4));
        QCOMPARE(n.lineBySeq(4), &handed);
    }

    void aMessageSeenMidwayIsToldWithoutGuesses()
    {
        // After the narrative paused, what it knew about messages is gone: it says what the
        // event says and nothing it cannot know.
        const Scenario s = shop();
        Narrator n(s);
        const int hello = node(s, "hello"), w1 = node(s, "worker-1");
        n.forgetMessages();
        n.moved(12, 40, hello, w1);
        n.serviceStarted(12, 40, w1, 1);
        n.serviceEnded(13, 40, w1, 0);
        n.delivered(13, 40, std::nan(""));
        QCOMPARE(texts(n), QStringList({
                               "t=12.00 s: message #40 goes to consumer worker-1, which was idle",
                               "t=13.00 s: message #40 finishes service at worker-1 after 1.00 s",
                               "t=13.00 s: message #40 delivered",
                           }));
    }

    void unitsAndDecimals_data()
    {
        QTest::addColumn<int>("unit");
        QTest::addColumn<double>("service");
        QTest::addColumn<double>("time");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << int(TimeUnit::Seconds) << 1.0 << 3.2 << "3.20 s";
        QTest::newRow("milliseconds") << int(TimeUnit::Milliseconds) << 4.0 << 12.5 << "12.50 ms";
        QTest::newRow("fast service: three decimals") << int(TimeUnit::Seconds) << 0.05 << 0.1234 << "0.123 s";
        QTest::newRow("very fast: four") << int(TimeUnit::Seconds) << 0.002 << 1.0 << "1.0000 s";
        QTest::newRow("slow: still two") << int(TimeUnit::Seconds) << 500.0 << 1000.0 << "1000.00 s";
    }

    void unitsAndDecimals()
    {
        QFETCH(int, unit);
        QFETCH(double, service);
        QFETCH(double, time);
        QFETCH(QString, text);
        ScenarioBuilder b;
        b.producer("p", expo(10)).queue("q").consumer("c", det(service)).link("p", "q").link("q", "c");
        b.s.timeUnit = TimeUnit(unit);
        Narrator n(b.build());
        QCOMPARE(QString::fromStdString(n.formatTime(time)), text);
    }

    void aRealRunIsToldInAgreementWithItsStatistics()
    {
        // M/M/2 work queue: every publish, hand-over, service end and delivery gets its line.
        ScenarioBuilder b("work");
        b.run(2000, 0, 1, 7)
            .producer("orders", expo(0.625))
            .queue("tasks")
            .consumer("w1", expo(1))
            .consumer("w2", expo(1))
            .link("orders", "tasks")
            .link("tasks", "w1")
            .link("tasks", "w2");
        const Scenario s = b;
        Narrator n(s, 1'000'000);
        Simulation sim(s);
        sim.setObserver(&n);
        sim.run();
        n.flush();
        const RunStats stats = sim.takeStats();

        std::map<NarrativeLine::Kind, std::uint64_t> count;
        std::map<int, std::uint64_t> endedAt;
        std::set<std::uint64_t> delivered;
        double last = 0;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const NarrativeLine &l = n.line(i);
            ++count[l.kind];
            QVERIFY2(l.time >= last, l.text.c_str()); // in time order
            last = l.time;
            QVERIFY2(l.text.find('?') == std::string::npos, l.text.c_str());
            QVERIFY2(l.text.rfind("t=", 0) == 0, l.text.c_str());
            if (l.kind == NarrativeLine::ServiceEnded)
                ++endedAt[l.node];
            if (l.kind == NarrativeLine::Delivered) {
                QVERIFY2(delivered.insert(l.msg).second, l.text.c_str()); // once each
                QVERIFY2(l.text.find("end to end") != std::string::npos, l.text.c_str());
            }
        }
        const int orders = s.nodeIndex("orders"), tasks = s.nodeIndex("tasks");
        const int w1 = s.nodeIndex("w1"), w2 = s.nodeIndex("w2");
        QVERIFY(stats.nodes[std::size_t(orders)].published > 2000);
        QCOMPARE(count[NarrativeLine::Published], stats.nodes[std::size_t(orders)].published);
        QCOMPARE(count[NarrativeLine::ToConsumer], stats.nodes[std::size_t(tasks)].dispatched);
        QCOMPARE(endedAt[w1], stats.nodes[std::size_t(w1)].completed);
        QCOMPARE(endedAt[w2], stats.nodes[std::size_t(w2)].completed);
        QCOMPARE(count[NarrativeLine::Delivered], stats.delivered);
        QCOMPARE(count[NarrativeLine::Dropped], std::uint64_t(0));
        // Messages that waited: one "enters queue" line each, and as many "leaves ... after
        // waiting" hand-overs as those of them that left.
        std::uint64_t waited = 0, straight = 0;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const std::string &t = n.line(i).text;
            waited += t.find("leaves queue tasks after waiting") != std::string::npos;
            straight += t.find("goes straight through queue tasks") != std::string::npos;
        }
        QCOMPARE(waited + straight, stats.nodes[std::size_t(tasks)].dispatched);
        QVERIFY(count[NarrativeLine::Enqueued] >= waited);
        QVERIFY(count[NarrativeLine::Enqueued] - waited <= 200); // still waiting at the end
        QVERIFY(waited > 100 && straight > 100);
        // Only messages still in the system are remembered.
        QVERIFY(n.trackedMessages() <= 300);
    }

    void dropsAndUnroutableMessagesAreToldAsTheyCount()
    {
        // Two keys, one of them bound: the unroutable lines name the other; the bounded
        // queue is overloaded and rejects publishes.
        ScenarioBuilder b("drops");
        b.run(500, 0, 1, 3).producer("p", expo(0.25));
        b.last().routingKeys = {{"a", 0.5}, {"b", 0.5}};
        b.exchange("x", ExchangeType::Direct).queue("q", 3).consumer("c", expo(1));
        b.link("p", "x").link("x", "q", "a").link("q", "c");
        const Scenario s = b;
        Narrator n(s, 1'000'000);
        Simulation sim(s);
        sim.setObserver(&n);
        sim.run();
        n.flush();
        const RunStats stats = sim.takeStats();
        std::uint64_t unroutable = 0, dropped = 0;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const NarrativeLine &l = n.line(i);
            if (l.kind == NarrativeLine::Unroutable) {
                ++unroutable;
                QVERIFY2(l.text.ends_with("unroutable at exchange x: no binding matches key 'b'"), l.text.c_str());
            } else if (l.kind == NarrativeLine::Dropped) {
                ++dropped;
                QVERIFY2(l.text.ends_with("dropped at queue q: queue full (capacity 3, reject-publish)"), l.text.c_str());
            }
        }
        QVERIFY(stats.nodes[std::size_t(s.nodeIndex("x"))].unroutable > 100);
        QVERIFY(stats.nodes[std::size_t(s.nodeIndex("q"))].drops > 100);
        QCOMPARE(unroutable, stats.nodes[std::size_t(s.nodeIndex("x"))].unroutable);
        QCOMPARE(dropped, stats.nodes[std::size_t(s.nodeIndex("q"))].drops);
    }

    void theRingKeepsTheLastLines()
    {
        const Scenario s = shop();
        Narrator n(s, 5);
        QCOMPARE(int(n.capacity()), 5);
        for (int i = 1; i <= 12; ++i)
            n.published(i, std::uint64_t(i), s.nodeIndex("billing"));
        QCOMPARE(int(n.size()), 5);
        QCOMPARE(n.nextSeq(), std::uint64_t(12));
        QCOMPARE(n.firstSeq(), std::uint64_t(7));
        QCOMPARE(n.line(0).msg, std::uint64_t(8));
        QCOMPARE(n.line(4).msg, std::uint64_t(12));
        QVERIFY(n.lineBySeq(6) == nullptr);
        QVERIFY(n.lineBySeq(12) == nullptr);
        QCOMPARE(n.lineBySeq(11)->msg, std::uint64_t(12));
        QCOMPARE(texts(n).constFirst(), QStringLiteral("t=8.00 s: message #8 published by billing with routing key 'us.billing'"));

        // The default bound, filled past its end by a real run, holds exactly that many.
        Narrator big(s);
        QCOMPARE(int(big.capacity()), int(Narrator::DefaultCapacity));
        for (std::uint64_t m = 1; m <= 25000; ++m)
            big.published(double(m), m, s.nodeIndex("billing"));
        QCOMPARE(int(big.size()), int(Narrator::DefaultCapacity));
        QCOMPARE(big.line(0).msg, std::uint64_t(15001));

        // clear() starts over.
        n.clear();
        QCOMPARE(int(n.size()), 0);
        QCOMPARE(n.nextSeq(), std::uint64_t(0));
        n.addNote(2, "narrative paused");
        QCOMPARE(texts(n), QStringList({"t=2.00 s: narrative paused"}));
        QCOMPARE(n.line(0).kind, NarrativeLine::Note);
    }
};

QTEST_GUILESS_MAIN(TestNarrator)
#include "tst_narrator.moc"
