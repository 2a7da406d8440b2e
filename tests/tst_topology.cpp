// The compiled topology (topology/compiledtopology.h) and the node-kind table
// (topology/nodekinds.h): what a topology means, asked of the one object that knows.
#include "scenariobuilder.h"
#include "stats/serieswriter.h"
#include "topology/compiledtopology.h"
#include "topology/nodekinds.h"

#include <QTest>

#include <set>
#include <vector>

using namespace ql;
using namespace ql::test;

namespace {

std::vector<int> asVector(std::span<const int> s)
{
    return std::vector<int>(s.begin(), s.end());
}

Link binding(const std::string &from, const std::string &to, const std::string &key)
{
    Link l;
    l.from = from;
    l.to = to;
    l.bindingKey = key;
    return l;
}

} // namespace

class TestTopology : public QObject
{
    Q_OBJECT

private slots:
    void routesFollowAmqpAndCopyOncePerQueue()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).exchange("x", ExchangeType::Topic).queue("a").queue("b")
            .queue("c").link("p", "x");
        Scenario s = b.build();
        s.nodes[0].routingKeys = {{"eu.sales", 1}, {"us.ops", 3}, {"eu.sales", 1}};
        s.links.push_back(binding("x", "a", "eu.#"));
        s.links.push_back(binding("x", "a", "*.sales")); // a second match: still one copy
        s.links.push_back(binding("x", "b", "*.ops"));
        s.links.push_back(binding("x", "c", "#"));
        const CompiledTopology t(s);
        const int x = t.indexOf("x"), a = t.indexOf("a"), bq = t.indexOf("b"), c = t.indexOf("c");
        const auto keys = t.publishKeys(t.indexOf("p"));
        QCOMPARE(int(keys.size()), 3);
        // Equal (key, headers) share a route class; weights are cumulative and end at 1.
        QCOMPARE(keys[0].routeClass, keys[2].routeClass);
        QVERIFY(keys[0].routeClass != keys[1].routeClass);
        QCOMPARE(t.routeClassCount(), 2);
        QCOMPARE(keys[0].cumulative, 0.2);
        QCOMPARE(keys[1].cumulative, 0.8);
        QCOMPARE(keys[2].cumulative, 1.0);
        QCOMPARE(asVector(t.destinations(x, keys[0].routeClass)), (std::vector<int>{a, c}));
        QCOMPARE(asVector(t.destinations(x, keys[1].routeClass)), (std::vector<int>{bq, c}));
        // A queue target reaches itself whatever the class; a sink or producer, nothing.
        QCOMPARE(asVector(t.destinations(a, keys[1].routeClass)), (std::vector<int>{a}));
        QVERIFY(t.destinations(t.indexOf("p"), 0).empty());
        // route() for any key agrees with the table.
        std::vector<int> out;
        t.route(x, "eu.ops", nullptr, &out);
        QCOMPARE(out, (std::vector<int>{a, bq, c}));
        t.route(x, "", nullptr, &out);
        QCOMPARE(out, (std::vector<int>{c})); // "#" matches no words, "eu.#" needs one
        t.route(a, "eu.sales", nullptr, &out); // not an exchange
        QVERIFY(out.empty());
    }

    void headersDirectAndFanoutMatch()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1), "k").exchange("h", ExchangeType::Headers)
            .exchange("d", ExchangeType::Direct).exchange("f", ExchangeType::Fanout)
            .queue("q1").queue("q2").link("p", "h").link("d", "q1", "k").link("d", "q2", "other")
            .link("f", "q1").link("f", "q2");
        Scenario s = b.build();
        Link all = binding("h", "q1", "");
        all.arguments = {{"format", "pdf"}, {"x-match", "all"}};
        Link any = binding("h", "q2", "");
        any.match = HeadersMatch::Any;
        any.arguments = {{"format", "csv"}, {"type", "report"}};
        s.links.push_back(all);
        s.links.push_back(any);
        const CompiledTopology t(s);
        const int q1 = t.indexOf("q1"), q2 = t.indexOf("q2");
        std::vector<int> out;
        const Headers pdfReport = {{"format", "pdf"}, {"type", "report"}};
        t.route(t.indexOf("h"), "ignored", &pdfReport, &out);
        QCOMPARE(out, (std::vector<int>{q1, q2}));
        const Headers csv = {{"format", "csv"}};
        t.route(t.indexOf("h"), "", &csv, &out);
        QCOMPARE(out, (std::vector<int>{q2}));
        t.route(t.indexOf("h"), "", nullptr, &out);
        QVERIFY(out.empty());
        t.route(t.indexOf("d"), "k", nullptr, &out);
        QCOMPARE(out, (std::vector<int>{q1}));
        t.route(t.indexOf("f"), "anything", nullptr, &out);
        QCOMPARE(out, (std::vector<int>{q1, q2}));
    }

    void linksGetRolesAndRefusalsGiveTheReason()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("q").queue("q2").consumer("c", expo(0.5)).sink("s")
            .link("p", "q").link("q", "c").link("q", "q2").link("c", "s").link("s", "q")
            .link("c", "ghost");
        Scenario s = b.build();
        Link wrong;
        wrong.from = "q";
        wrong.to = "c";
        wrong.role = LinkRole::Onward; // the ends say subscription
        s.links.push_back(wrong);
        const CompiledTopology t(s);
        QCOMPARE(t.outgoing(t.indexOf("p")).front().role, LinkRole::Publish);
        QCOMPARE(t.outgoing(t.indexOf("q")).front().role, LinkRole::Subscription);
        QCOMPARE(t.outgoing(t.indexOf("c")).front().role, LinkRole::Onward);
        QCOMPARE(t.incoming(t.indexOf("c")).size(), std::size_t(1));
        QCOMPARE(t.publishTarget(t.indexOf("p")), t.indexOf("q"));
        QCOMPARE(t.queueOf(t.indexOf("c")), t.indexOf("q"));
        QCOMPARE(asVector(t.consumersOf(t.indexOf("q"))), (std::vector<int>{t.indexOf("c")}));
        const auto refused = t.refusedLinks();
        QCOMPARE(int(refused.size()), 4);
        QCOMPARE(refused[0].link, 2);
        QCOMPARE(refused[0].why, std::string("a queue delivers to consumers only, not to a queue; for a "
                                             "dead-letter link, say so: \"role\": \"dead-letter\""));
        QCOMPARE(refused[1].why, std::string("a sink is the end of the line: nothing leaves it"));
        QCOMPARE(refused[2].why, std::string()); // "ghost" is no node: the validator names it
        QCOMPARE(refused[3].why,
                 std::string("a link from a queue to a consumer is a subscription link, not onward"));
    }

    void onwardChoicesAreCumulative()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("q").consumer("c", expo(0.5)).queue("q2")
            .consumer("c2", expo(0.5)).delay("d", det(1)).sink("s")
            .link("p", "q").link("q", "c").linkP("c", "q2", 0.25).linkP("c", "d", 0.5)
            .link("q2", "c2").link("c2", "s").link("d", "s");
        const CompiledTopology t(b.build());
        const auto onward = t.onward(t.indexOf("c"));
        QCOMPARE(int(onward.size()), 2);
        QCOMPARE(onward[0].cumulative, 0.25);
        QCOMPARE(onward[0].to, t.indexOf("q2"));
        QCOMPARE(onward[1].cumulative, 0.75);
        QVERIFY(!t.onwardAlways(t.indexOf("c")));
        QVERIFY(t.onwardAlways(t.indexOf("c2")));
        QVERIFY(t.onwardAlways(t.indexOf("d"))); // a delay goes on like a consumer
        QCOMPARE(t.onward(t.indexOf("d")).front().to, t.indexOf("s"));
    }

    void priorityLevelsAreDistinctHighestFirst()
    {
        ScenarioBuilder b;
        b.producer("a", expo(1)).producer("b", expo(1)).producer("c", expo(1)).queue("q");
        Scenario s = b.build();
        s.nodes[0].priority = 5;
        s.nodes[2].priority = 5;
        const CompiledTopology t(s);
        QCOMPARE(t.priorityLevels(), (std::vector<int>{5, 0}));
        QCOMPARE(t.levelOf(0), 0);
        QCOMPARE(t.levelOf(1), 1);
        QCOMPARE(t.levelOf(2), 0);
        QCOMPARE(CompiledTopology(Scenario{}).priorityLevels(), (std::vector<int>{0}));
    }

    // The table has one entry per kind, and what it says holds together.
    void theNodeKindTableIsComplete()
    {
        std::set<int> kinds;
        for (const NodeKindInfo &k : nodeKinds()) {
            QVERIFY(kinds.insert(int(k.kind)).second);
            QCOMPARE(std::string(k.name), std::string(nodeKindName(k.kind)));
            QCOMPARE(nodeKindInfo(k.kind).kind, k.kind);
            std::set<std::string> keys;
            for (const FieldSpec &f : k.fields) {
                QVERIFY2(keys.insert(f.key).second, f.key);
                QCOMPARE(nodeField(k.kind, f.key), &f);
                if (f.type == FieldType::Integer)
                    QVERIFY(f.min <= f.max);
            }
            std::set<std::string> metrics;
            for (const MetricSpec &m : k.metrics)
                QVERIFY2(metrics.insert(m.key).second, m.key);
            // Its default node is of its kind, with the id asked for.
            const Node n = k.makeDefault("n");
            QCOMPARE(n.kind, k.kind);
            QCOMPARE(n.id, std::string("n"));
        }
        QCOMPARE(int(kinds.size()), int(NodeKind::Delay) + 1);
        QVERIFY(nodeField(NodeKind::Consumer, "nope") == nullptr);
        QCOMPARE(kindWithField("capacity")->kind, NodeKind::Queue);
        // Every legal link resolves to a role, every other is refused with a reason.
        for (const NodeKindInfo &from : nodeKinds())
            for (const NodeKindInfo &to : nodeKinds()) {
                const bool legal = resolveLinkRole(from.kind, to.kind) != LinkRole::Auto;
                QCOMPARE(linkRefusal(from.kind, to.kind).empty(), legal);
            }
    }

    // Series columns: the writer puts each value where the layout named it.
    void theSeriesWriterWritesByColumnName()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("q").consumer("c", expo(0.5)).delay("d", det(1))
            .link("p", "q").link("q", "c").link("c", "d");
        const Scenario s = b.build();
        SeriesWriter w(s);
        QVERIFY(!w.begin(0)); // no interval yet
        QVERIFY(w.begin(2));
        QCOMPARE(w.interval(), 2.0);
        w.put(1, SeriesColumn::QueueDrops, 7);
        w.put(3, SeriesColumn::DelayInTransit, 3);
        w.putEndToEnd(SeriesColumn::EndToEndLatencyP95, 0.5);
        const TimeSeries &ts = w.series();
        auto find = [&](const std::string &node, const std::string &metric) -> const Series & {
            for (const Series &x : ts.series)
                if (x.node == node && x.metric == metric)
                    return x;
            qFatal("no series %s %s", node.c_str(), metric.c_str());
        };
        QCOMPARE(find("q", "drops").values, std::vector<double>{7});
        QCOMPARE(find("d", "in_transit").values, std::vector<double>{3});
        QCOMPARE(find("", "latency_p95").values, std::vector<double>{0.5});
        QVERIFY(find("q", "length").values.empty());
        QCOMPARE(w.indexOf(1, SeriesColumn::ConsumerBusy), -1); // not a queue's column
        QCOMPARE(ts.times, std::vector<double>{2});
    }
};

QTEST_GUILESS_MAIN(TestTopology)
#include "tst_topology.moc"
