// Scenario files: every key of the format reads and writes back unchanged, the canonical
// text is stable, and every kind of bad input gives one clear error naming the place.
#include "scenario/jsonwriter.h"
#include "scenario/scenarioio.h"
#include "topology/nodekinds.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

#include <unistd.h>

using namespace ql;

namespace {

QString sourceDir()
{
    return QString::fromUtf8(QL_SOURCE_DIR);
}

QString badDir()
{
    return sourceDir() + QStringLiteral("/tests/data/bad");
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

std::string firstError(const LoadResult &r)
{
    const std::vector<Diagnostic> errors = r.diagnostics.errors();
    return errors.empty() ? std::string() : errors.front().toString();
}

bool hasWarning(const Diagnostics &d, const std::string &path, const std::string &text)
{
    for (const Diagnostic &w : d.warnings()) {
        if (w.path == path && w.message.find(text) != std::string::npos)
            return true;
    }
    return false;
}

Distribution dist(DistKind kind)
{
    Distribution d;
    d.kind = kind;
    return d;
}

Node node(const std::string &id, NodeKind kind)
{
    Node n;
    n.id = id;
    n.kind = kind;
    return n;
}

Link link(const std::string &from, const std::string &to)
{
    Link l;
    l.from = from;
    l.to = to;
    return l;
}

// A valid scenario that uses every key of the format and every distribution.
Scenario everyFeature()
{
    Scenario s;
    s.name = "Every \"feature\" \\ of the format";
    s.description = "Line one\nLine two with a tab\t, unicode \u00e9\u2192 and a control \x01.";
    s.timeUnit = TimeUnit::Milliseconds;
    s.run.duration = 123456.5;
    s.run.warmup = 1000;
    s.run.seed = 9007199254740992ULL; // 2^53, the largest seed
    s.run.replications = 7;
    s.run.maxMessages = 1000000;
    s.run.sampleInterval = 250;

    Node p1 = node("orders", NodeKind::Producer);
    p1.interarrival = Distribution::exponential(1 / 1.6);
    p1.interarrival.rateGiven = true;
    p1.routingKey = "order.created";
    p1.limit = 5000;
    p1.priority = 7;
    p1.headers = {{"format", "pdf"}, {"type", "report"}};
    s.nodes.push_back(p1);

    Node p2 = node("mixed", NodeKind::Producer);
    p2.interarrival = dist(DistKind::Hyperexponential);
    p2.interarrival.probabilities = {0.25, 0.75};
    p2.interarrival.means = {0.5, 2.5};
    p2.routingKeys = {{"eu.sales", 3}, {"us.sales", 1.5}, {"eu.ops", 0.125}};
    s.nodes.push_back(p2);

    Node p3 = node("burst", NodeKind::Producer);
    p3.interarrival = Distribution::deterministic(0); // a burst: allowed with a limit
    p3.limit = 10;
    s.nodes.push_back(p3);

    Node direct = node("x.direct", NodeKind::Exchange);
    direct.exchangeType = ExchangeType::Direct;
    Node fanout = node("x-fanout", NodeKind::Exchange);
    fanout.exchangeType = ExchangeType::Fanout;
    Node topic = node("x_topic", NodeKind::Exchange);
    topic.exchangeType = ExchangeType::Topic;
    Node headers = node("X9", NodeKind::Exchange);
    headers.exchangeType = ExchangeType::Headers;
    s.nodes.insert(s.nodes.end(), {direct, fanout, topic, headers});

    const Overflow overflows[] = {Overflow::RejectPublish, Overflow::DropHead};
    const Discipline disciplines[] = {Discipline::Fifo, Discipline::Lifo, Discipline::Priority};
    for (int i = 0; i < 6; ++i) {
        Node q = node("q" + std::to_string(i), NodeKind::Queue);
        q.capacity = i * 10;
        q.overflow = overflows[i % 2];
        q.discipline = disciplines[i % 3];
        s.nodes.push_back(q);
    }

    std::vector<Distribution> services;
    services.push_back(Distribution::deterministic(0.75));
    services.push_back(Distribution::exponential(0.1));
    Distribution u = dist(DistKind::Uniform);
    u.min = 0.5;
    u.max = 1.5;
    services.push_back(u);
    Distribution n = dist(DistKind::Normal);
    n.mean = 1;
    n.stddev = 0.2;
    services.push_back(n);
    Distribution ln = dist(DistKind::Lognormal);
    ln.mean = 0.9;
    ln.stddev = 1.7;
    services.push_back(ln);
    Distribution er = dist(DistKind::Erlang);
    er.k = 4;
    er.mean = 0.3;
    services.push_back(er);
    Distribution g = dist(DistKind::Gamma);
    g.shape = 0.5;
    g.scale = 2;
    services.push_back(g);
    Distribution w = dist(DistKind::Weibull);
    w.shape = 1.5;
    w.scale = 0.8;
    services.push_back(w);
    Distribution h = dist(DistKind::Hyperexponential);
    h.probabilities = {0.1, 0.2, 0.7};
    h.means = {3, 0.2, 0.05};
    services.push_back(h);
    Distribution e = dist(DistKind::Empirical);
    e.samples = {0.1, 0.25, 1e-7, 3.5, 0};
    services.push_back(e);
    for (std::size_t i = 0; i < services.size(); ++i) {
        Node c = node("c" + std::to_string(i), NodeKind::Consumer);
        c.service = services[i];
        c.servers = 1 + int(i % 3);
        c.prefetch = 1 + int(i % 2) * 9;
        s.nodes.push_back(c);
    }
    s.nodes.push_back(node("done", NodeKind::Sink));
    Node hop = node("hop", NodeKind::Delay);
    hop.delay = Distribution::deterministic(0.2);
    s.nodes.push_back(hop);

    s.links.push_back(link("orders", "x.direct"));
    s.links.push_back(link("mixed", "x_topic"));
    s.links.push_back(link("burst", "q5"));
    Link b = link("x.direct", "q0");
    b.bindingKey = "order.created";
    s.links.push_back(b);
    b.bindingKey = "order.cancelled"; // a second binding between the same pair
    s.links.push_back(b);
    Link t = link("x_topic", "q1");
    t.bindingKey = "eu.#";
    s.links.push_back(t);
    t = link("x_topic", "q2");
    t.bindingKey = "*.sales";
    s.links.push_back(t);
    s.links.push_back(link("x-fanout", "q3"));
    Link hl = link("X9", "q4");
    hl.match = HeadersMatch::Any;
    hl.arguments = {{"format", "pdf"}, {"type", "log"}};
    s.links.push_back(hl);
    Link hl2 = link("X9", "q3");
    hl2.match = HeadersMatch::All;
    hl2.arguments = {{"type", "report"}};
    s.links.push_back(hl2);
    // Subscriptions: consumers c0..c9 on queues q0..q5.
    for (std::size_t i = 0; i < services.size(); ++i)
        s.links.push_back(link("q" + std::to_string(i % 6), "c" + std::to_string(i)));
    // Onward: c0 -> fanout (always); c1 splits; c2 feeds back; c3 -> sink with 0.25.
    s.links.push_back(link("c0", "x-fanout"));
    Link o1 = link("c1", "q2");
    o1.probability = 0.5;
    Link o2 = link("c1", "done");
    o2.probability = 0.3;
    s.links.push_back(o1);
    s.links.push_back(o2);
    Link fb = link("c2", "q0");
    fb.probability = 0.1;
    s.links.push_back(fb);
    Link partial = link("c3", "done");
    partial.probability = 0.25;
    s.links.push_back(partial);
    s.links.push_back(link("c5", "X9"));
    // A delay: c6 -> hop (its role spelled out), hop -> done with 0.5, the rest leaves.
    Link toHop = link("c6", "hop");
    toHop.role = LinkRole::Onward;
    s.links.push_back(toHop);
    Link fromHop = link("hop", "done");
    fromHop.probability = 0.5;
    s.links.push_back(fromHop);

    double x = 0;
    for (const Node &nd : s.nodes) {
        s.layout[nd.id] = {x, -x / 3};
        x += 120.5;
    }
    return s;
}

// The smallest valid scenario, p -> q -> w, to mutate in the validation tests.
Scenario minimal()
{
    Scenario s;
    s.name = "minimal";
    s.run.duration = 100;
    Node p = node("p", NodeKind::Producer);
    p.interarrival = Distribution::exponential(1);
    Node w = node("w", NodeKind::Consumer);
    w.service = Distribution::exponential(0.5);
    s.nodes = {p, node("q", NodeKind::Queue), w};
    s.links = {link("p", "q"), link("q", "w")};
    return s;
}

} // namespace

class TestScenarioIo : public QObject
{
    Q_OBJECT

private slots:
    void enumNamesRoundTrip();
    void nodeLookup();
    void diagnosticText_data();
    void diagnosticText();
    void diagnosticsListErrorsFirst();

    void jsonNumbers_data();
    void jsonNumbers();
    void jsonStrings_data();
    void jsonStrings();
    void jsonWriterLayout();
    void jsonWriterFindsNonFinite();

    void everyFeatureRoundTrips();
    void everyFeatureIsValid();
    void canonicalText();
    void specExampleLoads();
    void docsExampleIsCanonical();
    void schemaMatchesTheCode();
    void exampleScenariosLoad();
    void rateIsWrittenBack_data();
    void rateIsWrittenBack();
    void traceFileLoadsAndIsWrittenBackByName();
    void traceFileFormats_data();
    void traceFileFormats();

    void badFiles_data();
    void badFiles();
    void deepNestingIsAnError();
    void syntaxErrorGivesLineAndColumn();
    void missingFileNamesThePath();
    void folderIsNotAFile();
    void unknownKeysWarnButLoad();
    void topologyWarningsDoNotStopALoad();
    void oneMistakeGivesOneError();
    void validateInMemory_data();
    void validateInMemory();
    void delayNodesAndLinkRolesAreChecked();

    void saveAndLoadBack();
    void saveRefusesNonFiniteAndKeepsTheOldFile();
    void saveIntoMissingFolderFails();
    void failedSaveLeavesExistingFileUntouched();
    void failedCommitLeavesExistingFileUntouched();
};

void TestScenarioIo::enumNamesRoundTrip()
{
    for (NodeKind k : {NodeKind::Producer, NodeKind::Exchange, NodeKind::Queue,
                       NodeKind::Consumer, NodeKind::Sink}) {
        NodeKind back{};
        QVERIFY(nodeKindFromName(nodeKindName(k), &back));
        QCOMPARE(back, k);
    }
    for (ExchangeType t : {ExchangeType::Direct, ExchangeType::Fanout, ExchangeType::Topic,
                           ExchangeType::Headers}) {
        ExchangeType back{};
        QVERIFY(exchangeTypeFromName(exchangeTypeName(t), &back));
        QCOMPARE(back, t);
    }
    QCOMPARE(std::string(overflowName(Overflow::RejectPublish)), std::string("reject-publish"));
    QCOMPARE(std::string(overflowName(Overflow::DropHead)), std::string("drop-head"));
    QCOMPARE(std::string(disciplineName(Discipline::Priority)), std::string("priority"));
    QCOMPARE(std::string(timeUnitName(TimeUnit::Seconds)), std::string("s"));
    QCOMPARE(std::string(timeUnitName(TimeUnit::Milliseconds)), std::string("ms"));
    QCOMPARE(std::string(nodeKindName(NodeKind::Sink)), std::string("sink"));
    Overflow o{};
    QVERIFY(overflowFromName("drop-head", &o));
    QCOMPARE(o, Overflow::DropHead);
    Discipline d{};
    QVERIFY(disciplineFromName("lifo", &d));
    QCOMPARE(d, Discipline::Lifo);
    TimeUnit u{};
    QVERIFY(timeUnitFromName("ms", &u));
    QCOMPARE(u, TimeUnit::Milliseconds);
    NodeKind k{};
    QVERIFY(!nodeKindFromName("Queue", &k)); // names are case-sensitive, as in the spec
    QVERIFY(!exchangeTypeFromName("", nullptr));
}

void TestScenarioIo::nodeLookup()
{
    const Scenario s = minimal();
    QCOMPARE(s.nodeIndex("q"), 1);
    QCOMPARE(s.nodeIndex("nope"), -1);
    QVERIFY(s.node("w"));
    QCOMPARE(s.node("w")->kind, NodeKind::Consumer);
    QVERIFY(!s.node(""));
}

void TestScenarioIo::diagnosticText_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("all parts") << "mm1.json" << "nodes[2].service.mean" << "must be > 0, got -1"
                               << "mm1.json: nodes[2].service.mean: must be > 0, got -1";
    QTest::newRow("no path") << "bad.json" << "" << "line 3, column 7: unterminated string"
                             << "bad.json: line 3, column 7: unterminated string";
    QTest::newRow("no file") << "" << "run.duration" << "must be > 0, got 0"
                             << "run.duration: must be > 0, got 0";
    QTest::newRow("message only") << "" << "" << "oops" << "oops";
}

void TestScenarioIo::diagnosticText()
{
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QString, message);
    QFETCH(QString, expected);
    Diagnostic d{Diagnostic::Severity::Error, file.toStdString(), path.toStdString(),
                 message.toStdString()};
    QCOMPARE(QString::fromStdString(d.toString()), expected);
}

void TestScenarioIo::diagnosticsListErrorsFirst()
{
    Diagnostics d;
    QVERIFY(!d.hasErrors());
    d.warning("a.json", "layout.x", "no node with id \"x\"");
    QVERIFY(!d.hasErrors());
    d.error("a.json", "run.duration", "must be > 0, got 0");
    QVERIFY(d.hasErrors());
    QCOMPARE(d.errors().size(), std::size_t(1));
    QCOMPARE(d.warnings().size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(d.toString()),
             QStringLiteral("a.json: run.duration: must be > 0, got 0\n"
                            "a.json: layout.x: warning: no node with id \"x\"\n"));
}

void TestScenarioIo::jsonNumbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << "0";
    QTest::newRow("negative zero") << -0.0 << "0";
    QTest::newRow("integer") << 10000.0 << "10000";
    QTest::newRow("negative integer") << -60.0 << "-60";
    QTest::newRow("fraction") << 0.625 << "0.625";
    QTest::newRow("tenth") << 0.1 << "0.1";
    QTest::newRow("third") << 1.0 / 3 << "0.3333333333333333";
    QTest::newRow("tiny") << 1e-7 << "1e-07";
    QTest::newRow("huge") << 1e300 << "1e+300";
    QTest::newRow("2^53") << 9007199254740992.0 << "9007199254740992";
    QTest::newRow("nan") << std::nan("") << "null";
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << "null";
}

void TestScenarioIo::jsonNumbers()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    const std::string s = JsonWriter::formatNumber(value);
    QCOMPARE(QString::fromStdString(s), text);
    if (std::isfinite(value))
        QCOMPARE(std::stod(s), value); // shortest, and still exact
}

void TestScenarioIo::jsonStrings_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("\"abc\"");
    QTest::newRow("quote and backslash") << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("newline tab") << QByteArray("a\nb\tc\r") << QByteArray("\"a\\nb\\tc\\r\"");
    QTest::newRow("control") << QByteArray("\x01\x1f") << QByteArray("\"\\u0001\\u001f\"");
    QTest::newRow("utf-8 passes") << QByteArray("caf\xc3\xa9") << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("slash kept") << QByteArray("a/b") << QByteArray("\"a/b\"");
}

void TestScenarioIo::jsonStrings()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(QByteArray::fromStdString(JsonWriter::quote(in.toStdString())), out);
}

void TestScenarioIo::jsonWriterLayout()
{
    JsonWriter w;
    w.beginObject();
    w.key("b");
    w.value("first");
    w.key("a");
    w.beginArray(JsonWriter::Inline);
    w.value(1);
    w.value(2.5);
    w.beginObject(); // inside an inline array: inline too
    w.key("k");
    w.value(true);
    w.endObject();
    w.endArray();
    w.key("empty");
    w.beginArray();
    w.endArray();
    w.key("list");
    w.beginArray();
    w.nullValue();
    w.value(std::int64_t(-3));
    w.endArray();
    QVERIFY(!w.complete());
    w.endObject();
    QVERIFY(w.complete());
    QCOMPARE(QString::fromStdString(w.text()),
             QStringLiteral("{\n"
                            "  \"b\": \"first\",\n"
                            "  \"a\": [1, 2.5, {\"k\": true}],\n"
                            "  \"empty\": [],\n"
                            "  \"list\": [\n"
                            "    null,\n"
                            "    -3\n"
                            "  ]\n"
                            "}\n"));
}

void TestScenarioIo::jsonWriterFindsNonFinite()
{
    JsonWriter w;
    w.beginObject();
    w.key("nodes");
    w.beginArray();
    w.beginObject();
    w.key("x");
    w.value(1.0);
    w.endObject();
    w.beginObject();
    w.key("service");
    w.beginObject(JsonWriter::Inline);
    w.key("means");
    w.beginArray(JsonWriter::Inline);
    w.value(1.0);
    w.value(std::nan(""));
    w.endArray();
    w.endObject();
    w.endObject();
    w.endArray();
    w.endObject();
    QVERIFY(w.wroteNonFinite());
    QCOMPARE(QString::fromStdString(w.firstNonFinitePath()),
             QStringLiteral("nodes[1].service.means[1]"));
}

void TestScenarioIo::everyFeatureRoundTrips()
{
    const Scenario s = everyFeature();
    const std::string text = scenarioToJson(s);
    const LoadResult r = parseScenario(text, "every.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY2(r.diagnostics.items.empty(), r.diagnostics.toString().c_str());
    QVERIFY(*r.scenario == s);
    // And field by field where a mismatch would be hard to read from the == above.
    QCOMPARE(r.scenario->run.seed, s.run.seed);
    QCOMPARE(r.scenario->nodes[0].interarrival.mean, s.nodes[0].interarrival.mean);
    QVERIFY(r.scenario->nodes[0].interarrival.rateGiven);
    QCOMPARE(r.scenario->description, s.description);
    // The text is canonical: writing what was read gives the same bytes.
    QCOMPARE(QString::fromStdString(scenarioToJson(*r.scenario)), QString::fromStdString(text));
}

void TestScenarioIo::everyFeatureIsValid()
{
    const Diagnostics d = validateScenario(everyFeature(), "every.json");
    QVERIFY2(d.items.empty(), d.toString().c_str());
}

void TestScenarioIo::canonicalText()
{
    Scenario s = minimal();
    s.run.warmup = 10;
    s.run.seed = 42;
    s.nodes[1].capacity = 5;
    s.nodes[1].overflow = Overflow::DropHead;
    s.layout = {{"w", {400, -60.5}}, {"p", {0, 0}}, {"q", {200, 0}}};
    const QString expected = QStringLiteral(
        "{\n"
        "  \"format\": \"queuelab-scenario\",\n"
        "  \"version\": 1,\n"
        "  \"name\": \"minimal\",\n"
        "  \"time_unit\": \"s\",\n"
        "  \"run\": {\"duration\": 100, \"warmup\": 10, \"seed\": 42, \"replications\": 1},\n"
        "  \"nodes\": [\n"
        "    {\n"
        "      \"id\": \"p\",\n"
        "      \"kind\": \"producer\",\n"
        "      \"interarrival\": {\"dist\": \"exponential\", \"mean\": 1}\n"
        "    },\n"
        "    {\n"
        "      \"id\": \"q\",\n"
        "      \"kind\": \"queue\",\n"
        "      \"capacity\": 5,\n"
        "      \"overflow\": \"drop-head\"\n"
        "    },\n"
        "    {\n"
        "      \"id\": \"w\",\n"
        "      \"kind\": \"consumer\",\n"
        "      \"service\": {\"dist\": \"exponential\", \"mean\": 0.5},\n"
        "      \"servers\": 1,\n"
        "      \"prefetch\": 1\n"
        "    }\n"
        "  ],\n"
        "  \"links\": [\n"
        "    {\"from\": \"p\", \"to\": \"q\"},\n"
        "    {\"from\": \"q\", \"to\": \"w\"}\n"
        "  ],\n"
        "  \"layout\": {\n"
        "    \"p\": [0, 0],\n"
        "    \"q\": [200, 0],\n"
        "    \"w\": [400, -60.5]\n"
        "  }\n"
        "}\n");
    QCOMPARE(QString::fromStdString(scenarioToJson(s)), expected);
}

void TestScenarioIo::specExampleLoads()
{
    // The example of the contract (shared/spec/scenario-format.md), verbatim.
    const std::string json = R"({
  "format": "queuelab-scenario",
  "version": 1,
  "name": "Work queue with two consumers",
  "description": "Free text (Markdown) shown beside the canvas.",
  "time_unit": "s",
  "run": { "duration": 10000, "warmup": 500, "seed": 42, "replications": 5 },
  "nodes": [
    { "id": "orders", "kind": "producer",
      "interarrival": { "dist": "exponential", "mean": 0.625 },
      "routing_key": "order.created" },
    { "id": "tasks", "kind": "queue", "capacity": 0, "overflow": "reject-publish" },
    { "id": "w1", "kind": "consumer", "servers": 1, "prefetch": 1,
      "service": { "dist": "exponential", "mean": 1.0 } },
    { "id": "w2", "kind": "consumer", "servers": 1, "prefetch": 1,
      "service": { "dist": "exponential", "mean": 1.0 } }
  ],
  "links": [
    { "from": "orders", "to": "tasks" },
    { "from": "tasks", "to": "w1" },
    { "from": "tasks", "to": "w2" }
  ],
  "layout": { "orders": [0, 0], "tasks": [200, 0], "w1": [400, -60], "w2": [400, 60] }
})";
    const LoadResult r = parseScenario(json, "spec.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY2(r.diagnostics.items.empty(), r.diagnostics.toString().c_str());
    const Scenario &s = *r.scenario;
    QCOMPARE(s.name, std::string("Work queue with two consumers"));
    QCOMPARE(s.run.duration, 10000.0);
    QCOMPARE(s.run.warmup, 500.0);
    QCOMPARE(s.run.seed, std::uint64_t(42));
    QCOMPARE(s.run.replications, 5);
    QCOMPARE(s.nodes.size(), std::size_t(4));
    QCOMPARE(s.nodes[0].interarrival.kind, DistKind::Exponential);
    QCOMPARE(s.nodes[0].interarrival.mean, 0.625);
    QCOMPARE(s.nodes[0].routingKey, std::string("order.created"));
    QCOMPARE(s.nodes[2].service.mean, 1.0);
    QCOMPARE(s.links.size(), std::size_t(3));
    QCOMPARE(s.layout.at("w1"), std::make_pair(400.0, -60.0));
    const LoadResult again = parseScenario(scenarioToJson(s), "spec.json");
    QVERIFY(again.scenario && *again.scenario == s);
}

void TestScenarioIo::docsExampleIsCanonical()
{
    // docs/scenario-format.md says its example is exactly what QueueLab writes.
    const QByteArray doc = readAll(sourceDir() + QStringLiteral("/docs/scenario-format.md"));
    QVERIFY(!doc.isEmpty());
    const QByteArray fence = "```json\n";
    const qsizetype start = doc.indexOf(fence);
    QVERIFY(start >= 0);
    const qsizetype end = doc.indexOf("```", start + fence.size());
    QVERIFY(end > start);
    const std::string example = doc.mid(start + fence.size(), end - start - fence.size()).toStdString();
    const LoadResult r = parseScenario(example, "docs example");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY2(r.diagnostics.items.empty(), r.diagnostics.toString().c_str());
    QCOMPARE(QString::fromStdString(scenarioToJson(*r.scenario)), QString::fromStdString(example));
}

void TestScenarioIo::schemaMatchesTheCode()
{
    const QByteArray text = readAll(sourceDir() + QStringLiteral("/docs/scenario.schema.json"));
    QJsonParseError error;
    const QJsonDocument schema = QJsonDocument::fromJson(text, &error);
    QVERIFY2(!schema.isNull(), qPrintable(error.errorString()));
    const QJsonObject defs = schema.object().value(QLatin1String("$defs")).toObject();
    const auto enumOf = [](const QJsonValue &v) {
        QStringList out;
        for (const QJsonValue &e : v.toObject().value(QLatin1String("enum")).toArray())
            out << e.toString();
        return out;
    };
    const auto member = [](const QJsonObject &o, const char *a, const char *b, const char *c) {
        return o.value(QLatin1String(a)).toObject().value(QLatin1String(b)).toObject().value(
            QLatin1String(c));
    };
    QStringList dists;
    for (int k = 0; k <= int(DistKind::Empirical); ++k)
        dists << QString::fromLatin1(distKindName(DistKind(k)));
    QCOMPARE(enumOf(member(defs, "distribution", "properties", "dist")), dists);
    // Kinds and their keys: the schema says what the node-kind table says.
    QStringList kinds, schemaKinds = enumOf(member(defs, "node", "properties", "kind"));
    for (const NodeKindInfo &k : nodeKinds()) {
        kinds << QString::fromLatin1(k.name);
        const QJsonObject def = defs.value(QLatin1String(k.name)).toObject();
        const QJsonObject props = def.value(QLatin1String("properties")).toObject();
        QStringList keys, required;
        for (const FieldSpec &f : k.fields) {
            keys << QString::fromLatin1(f.key);
            if (f.required)
                required << QString::fromLatin1(f.key);
            const QJsonObject prop = props.value(QLatin1String(f.key)).toObject();
            if (f.type == FieldType::Integer) {
                QVERIFY2(prop.value(QLatin1String("minimum")).toInteger(-1) == f.min, f.key);
                QVERIFY2(prop.value(QLatin1String("maximum")).toInteger(-1) == f.max, f.key);
            }
            if (f.type == FieldType::Choice) {
                QStringList choices;
                for (const char *c : f.choices)
                    choices << QString::fromLatin1(c);
                QCOMPARE(enumOf(prop), choices);
            }
        }
        QStringList schemaKeys = props.keys(), schemaRequired;
        for (const QJsonValue &r : def.value(QLatin1String("required")).toArray())
            schemaRequired << r.toString();
        keys.sort();
        schemaKeys.sort();
        required.sort();
        schemaRequired.sort();
        QCOMPARE(schemaKeys, keys);
        QCOMPARE(schemaRequired, required);
    }
    kinds.sort();
    schemaKinds.sort();
    QCOMPARE(schemaKinds, kinds);
    // Link roles.
    QStringList roles;
    for (const LinkRole r : {LinkRole::Publish, LinkRole::Binding, LinkRole::Subscription,
                             LinkRole::Onward, LinkRole::DeadLetter})
        roles << QString::fromLatin1(linkRoleName(r));
    QCOMPARE(enumOf(member(defs, "link", "properties", "role")), roles);
    // Every key the writer emits for a scenario with every feature is in the schema.
    const QJsonObject every = QJsonDocument::fromJson(
        QByteArray::fromStdString(scenarioToJson(everyFeature()))).object();
    const QStringList runKeys = defs.value(QLatin1String("run")).toObject().value(
        QLatin1String("properties")).toObject().keys();
    for (const QString &k : every.value(QLatin1String("run")).toObject().keys())
        QVERIFY2(runKeys.contains(k), qPrintable(k));
    const QStringList topKeys = schema.object().value(QLatin1String("properties")).toObject().keys();
    for (const QString &k : every.keys())
        QVERIFY2(topKeys.contains(k), qPrintable(k));
    for (const QJsonValue &n : every.value(QLatin1String("nodes")).toArray()) {
        const QString kind = n.toObject().value(QLatin1String("kind")).toString();
        const QStringList keys = defs.value(kind).toObject().value(QLatin1String("properties"))
                                     .toObject().keys()
                                 + QStringList({"id", "kind"});
        for (const QString &k : n.toObject().keys())
            QVERIFY2(keys.contains(k), qPrintable(kind + QLatin1Char('.') + k));
    }
}

void TestScenarioIo::exampleScenariosLoad()
{
    const QDir dir(sourceDir() + QStringLiteral("/scenarios"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        QSKIP("no example scenarios in scenarios/ yet");
    for (const QString &name : files) {
        const std::string path = dir.filePath(name).toStdString();
        const LoadResult r = loadScenarioFile(path);
        QVERIFY2(r.scenario, (name.toStdString() + ":\n" + r.diagnostics.toString()).c_str());
        QVERIFY2(r.diagnostics.warnings().empty(),
                 (name.toStdString() + ":\n" + r.diagnostics.toString()).c_str());
        // Written back and read again (from the same folder, for trace files): the same.
        const LoadResult back = parseScenario(scenarioToJson(*r.scenario), path,
                                              dir.absolutePath().toStdString());
        QVERIFY2(back.scenario, back.diagnostics.toString().c_str());
        QVERIFY2(*back.scenario == *r.scenario, qPrintable(name));
    }
}

void TestScenarioIo::rateIsWrittenBack_data()
{
    QTest::addColumn<QString>("rate");
    for (const char *r : {"0.8", "1.6", "3", "7", "0.001", "49", "0.9", "1e-05", "12345.678"})
        QTest::newRow(r) << QString::fromLatin1(r);
}

void TestScenarioIo::rateIsWrittenBack()
{
    QFETCH(QString, rate);
    Scenario s = minimal();
    const std::string json = "{\"format\": \"queuelab-scenario\", \"version\": 1, \"nodes\": ["
                             "{\"id\": \"p\", \"kind\": \"producer\", \"interarrival\": "
                             "{\"dist\": \"exponential\", \"rate\": "
                             + rate.toStdString()
                             + "}}, {\"id\": \"q\", \"kind\": \"queue\"}, {\"id\": \"w\", "
                               "\"kind\": \"consumer\", \"service\": {\"dist\": "
                               "\"exponential\", \"mean\": 0.5}}], \"links\": [{\"from\": "
                               "\"p\", \"to\": \"q\"}, {\"from\": \"q\", \"to\": \"w\"}]}";
    const LoadResult r = parseScenario(json, "rate.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    const Distribution &d = r.scenario->nodes[0].interarrival;
    QVERIFY(d.rateGiven);
    QCOMPARE(d.mean, 1 / rate.toDouble());
    const std::string text = scenarioToJson(*r.scenario);
    QVERIFY2(text.find("\"rate\": " + rate.toStdString() + "}") != std::string::npos, text.c_str());
    const LoadResult back = parseScenario(text, "rate.json");
    QVERIFY(back.scenario && *back.scenario == *r.scenario);
}

void TestScenarioIo::traceFileLoadsAndIsWrittenBackByName()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("traces")));
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("traces/service.csv")),
                      "# measured on prod, seconds\nservice_time\n0.5\n\n1.25\n2\n"));
    Scenario s = minimal();
    s.nodes[2].service = dist(DistKind::Empirical);
    s.nodes[2].service.file = "traces/service.csv";
    const QString path = tmp.filePath(QStringLiteral("trace.json"));
    std::string error;
    QVERIFY2(saveScenarioFile(s, path.toStdString(), &error), error.c_str());
    const QByteArray text = readAll(path);
    QVERIFY(text.contains("\"file\": \"traces/service.csv\""));
    QVERIFY(!text.contains("samples"));

    const LoadResult r = loadScenarioFile(path.toStdString());
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    const Distribution &d = r.scenario->nodes[2].service;
    QCOMPARE(d.file, std::string("traces/service.csv"));
    QCOMPARE(d.samples, (std::vector<double>{0.5, 1.25, 2}));
    // Saved again: still the file name, and what loads is the same.
    QCOMPARE(QByteArray::fromStdString(scenarioToJson(*r.scenario)), text);
    const LoadResult back = parseScenario(text.toStdString(), "trace.json", tmp.path().toStdString());
    QVERIFY(back.scenario && *back.scenario == *r.scenario);
    // Without the folder the file cannot be found, and the message says where it looked.
    const LoadResult lost = parseScenario(text.toStdString(), "trace.json",
                                          tmp.filePath(QStringLiteral("elsewhere")).toStdString());
    QVERIFY(!lost.scenario);
    QVERIFY2(firstError(lost).find("nodes[2].service.file: cannot read trace file \""
                                   + tmp.filePath(QStringLiteral("elsewhere/traces/service.csv"))
                                         .toStdString())
                 != std::string::npos,
             firstError(lost).c_str());
}

void TestScenarioIo::traceFileFormats_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("samples"); // space-separated, or "error: substring"
    QTest::newRow("plain") << QByteArray("1\n2\n3\n") << "1 2 3";
    QTest::newRow("no final newline") << QByteArray("1\n2") << "1 2";
    QTest::newRow("crlf") << QByteArray("1.5\r\n2.5\r\n") << "1.5 2.5";
    QTest::newRow("bom and header") << QByteArray("\xEF\xBB\xBFms\n4\n5\n") << "4 5";
    QTest::newRow("comments and blanks") << QByteArray("# a\n\n  7  \n8 # late\n") << "7 8";
    QTest::newRow("exponent") << QByteArray("1e-3\n+2E2\n") << "0.001 200";
    QTest::newRow("second header") << QByteArray("a\nb\n1\n") << "error: line 2: \"b\" is not a number";
    QTest::newRow("text after data") << QByteArray("1\nx\n") << "error: line 2: \"x\" is not a number";
    QTest::newRow("negative") << QByteArray("1\n-2\n") << "error: line 2: must be a finite number >= 0, got -2";
    QTest::newRow("nan") << QByteArray("1\nnan\n") << "error: line 2: must be a finite number >= 0, got nan";
    QTest::newRow("only a header") << QByteArray("time\n") << "error: holds no values";
    QTest::newRow("empty") << QByteArray("") << "error: holds no values";
    QTest::newRow("two columns") << QByteArray("1\n2,3\n") << "error: line 2: \"2,3\" is not a number";
}

void TestScenarioIo::traceFileFormats()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, samples);
    QTemporaryDir tmp;
    QVERIFY(writeFile(tmp.filePath(QStringLiteral("t.csv")), content));
    Scenario s = minimal();
    s.nodes[2].service = dist(DistKind::Empirical);
    s.nodes[2].service.file = "t.csv";
    const LoadResult r = parseScenario(scenarioToJson(s), "t.json", tmp.path().toStdString());
    if (samples.startsWith(QLatin1String("error: "))) {
        QVERIFY(!r.scenario);
        QVERIFY2(firstError(r).find(samples.mid(7).toStdString()) != std::string::npos,
                 firstError(r).c_str());
        QVERIFY(firstError(r).find("nodes[2].service.file: trace file") != std::string::npos);
        QCOMPARE(r.diagnostics.errors().size(), std::size_t(1)); // not repeated by validation
        return;
    }
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    std::vector<double> expected;
    for (const QString &v : samples.split(QLatin1Char(' ')))
        expected.push_back(v.toDouble());
    QCOMPARE(r.scenario->nodes[2].service.samples, expected);
}

void TestScenarioIo::badFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QFile table(badDir() + QStringLiteral("/expected.tsv"));
    QVERIFY(table.open(QIODevice::ReadOnly | QIODevice::Text));
    int rows = 0;
    while (!table.atEnd()) {
        const QString line = QString::fromUtf8(table.readLine()).chopped(1);
        if (line.isEmpty())
            continue;
        const QStringList parts = line.split(QLatin1Char('\t'));
        QCOMPARE(parts.size(), 2);
        QTest::newRow(qPrintable(parts[0])) << parts[0] << parts[1];
        ++rows;
    }
    QVERIFY(rows >= 30);
}

void TestScenarioIo::badFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    const std::string path = (badDir() + QLatin1Char('/') + file).toStdString();
    QVERIFY2(QFileInfo::exists(QString::fromStdString(path)), path.c_str());
    const LoadResult r = loadScenarioFile(path);
    QVERIFY(!r.scenario);
    QVERIFY(r.diagnostics.hasErrors());
    const Diagnostic first = r.diagnostics.errors().front();
    QCOMPARE(first.file, path); // the file as the user gave it
    const std::string text = first.toString();
    QVERIFY2(text.find(expected.toStdString()) != std::string::npos,
             ("expected \"" + expected.toStdString() + "\" in: " + text).c_str());
    // Every message says something after the place: never a bare path.
    QVERIFY(first.message.size() > 10);
}

void TestScenarioIo::deepNestingIsAnError()
{
    for (const char open : {'[', '{'}) {
        std::string json = "{\"format\": \"queuelab-scenario\", \"version\": 1, \"x\": ";
        if (open == '[') {
            json += std::string(100000, '[');
        } else {
            for (int i = 0; i < 100000; ++i)
                json += "{\"a\": ";
        }
        const LoadResult r = parseScenario(json, "deep.json");
        QVERIFY(!r.scenario);
        QVERIFY2(firstError(r).find("deep.json: line 1, column ") == 0, firstError(r).c_str());
    }
    const LoadResult r = parseScenario(std::string(100000, '['), "deep.json");
    QVERIFY(!r.scenario);
    QVERIFY2(firstError(r).find("too deeply nested") != std::string::npos, firstError(r).c_str());
}

void TestScenarioIo::syntaxErrorGivesLineAndColumn()
{
    const std::string json = "{\n  \"format\": \"queuelab-scenario\",\n  \"name\": \"abc,\n}\n";
    const LoadResult r = parseScenario(json, "bad.json");
    QVERIFY(!r.scenario);
    QCOMPARE(r.diagnostics.items.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(firstError(r)),
             QStringLiteral("bad.json: line 5, column 1: unterminated string (check quotes and commas)"));

    // Columns count characters, not bytes (Qt points just past the bad token, the x at
    // character 15; counting bytes would say 18).
    const LoadResult u = parseScenario("{\"name\": \"\xc3\xa9\xc3\xa9\" x}", "u.json");
    QVERIFY2(firstError(u).find("line 1, column 16") != std::string::npos, firstError(u).c_str());
}

void TestScenarioIo::missingFileNamesThePath()
{
    QTemporaryDir tmp;
    const std::string path = tmp.filePath(QStringLiteral("nope/missing.json")).toStdString();
    const LoadResult r = loadScenarioFile(path);
    QVERIFY(!r.scenario);
    const std::string e = firstError(r);
    QVERIFY2(e.find(path + ": cannot open: no such file") == 0, e.c_str());
}

void TestScenarioIo::folderIsNotAFile()
{
    QTemporaryDir tmp;
    const LoadResult r = loadScenarioFile(tmp.path().toStdString());
    QVERIFY(!r.scenario);
    QVERIFY2(firstError(r).find("is a folder") != std::string::npos, firstError(r).c_str());
}

void TestScenarioIo::unknownKeysWarnButLoad()
{
    const std::string json = R"({
  "format": "queuelab-scenario", "version": 1, "name": "typos",
  "colour": "blue",
  "run": {"duration": 100, "seeds": 3},
  "nodes": [
    {"id": "p", "kind": "producer", "interarrival": {"dist": "exponential", "mean": 1, "stddev": 2}},
    {"id": "q", "kind": "queue", "capacty": 5},
    {"id": "w", "kind": "consumer", "capacity": 3, "service": {"dist": "deterministic", "value": 0.5}}
  ],
  "links": [{"from": "p", "to": "q", "note": "main"}, {"from": "q", "to": "w"}],
  "layout": {"p": [0, 0], "ghost": [1, 1]}
})";
    const LoadResult r = parseScenario(json, "typos.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY(!r.diagnostics.hasErrors());
    const Diagnostics &d = r.diagnostics;
    QVERIFY(hasWarning(d, "colour", "unknown key, ignored"));
    QVERIFY(hasWarning(d, "run.seeds", "did you mean \"seed\"?"));
    QVERIFY(hasWarning(d, "nodes[0].interarrival.stddev", "not a parameter of the exponential"));
    QVERIFY(hasWarning(d, "nodes[1].capacty", "did you mean \"capacity\"?"));
    QVERIFY(hasWarning(d, "nodes[2].capacity", "not used by a consumer"));
    QVERIFY(hasWarning(d, "links[0].note", "unknown key"));
    QVERIFY(hasWarning(d, "layout.ghost", "no node with id \"ghost\""));
    QCOMPARE(d.warnings().size(), std::size_t(7));
    QCOMPARE(r.scenario->nodes[1].capacity, std::int64_t(0));
    QVERIFY(d.toString().find("typos.json: run.seeds: warning: unknown key") != std::string::npos);
}

void TestScenarioIo::topologyWarningsDoNotStopALoad()
{
    Scenario s = minimal();
    s.nodes.push_back(node("lonely", NodeKind::Queue));
    Node x = node("x", NodeKind::Exchange);
    s.nodes.push_back(x);
    const LoadResult r = parseScenario(scenarioToJson(s), "warn.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY(hasWarning(r.diagnostics, "nodes[3]", "queue \"lonely\" has no consumer"));
    QVERIFY(hasWarning(r.diagnostics, "nodes[4]", "exchange \"x\" has no bindings"));
    QVERIFY(hasWarning(r.diagnostics, "nodes[3]", "no producer's messages can reach"));

    // The retry queue of the delayed-retry pattern has no consumer, and needs none: with a
    // TTL and a dead-letter link its messages leave when they expire. Without the TTL they
    // would stay for ever.
    const auto retryQueue = [](const char *ttl) {
        return std::string(R"({"format": "queuelab-scenario", "version": 1,
            "nodes": [{"id": "p", "kind": "producer", "interarrival": {"dist": "exponential", "mean": 2}},
                      {"id": "work", "kind": "queue"},
                      {"id": "w", "kind": "consumer", "service": {"dist": "exponential", "mean": 1},
                       "reject_probability": 0.2},
                      {"id": "retry", "kind": "queue")") + ttl + R"(}],
            "links": [{"from": "p", "to": "work"}, {"from": "work", "to": "w"},
                      {"from": "work", "to": "retry", "role": "dead-letter"},
                      {"from": "retry", "to": "work", "role": "dead-letter"}]})";
    };
    const LoadResult timed = parseScenario(retryQueue(R"(, "message_ttl": 5)"), "retry.json");
    QVERIFY2(timed.scenario && timed.diagnostics.items.empty(), timed.diagnostics.toString().c_str());
    const LoadResult untimed = parseScenario(retryQueue(""), "retry.json");
    QVERIFY(hasWarning(untimed.diagnostics, "nodes[3]", "queue \"retry\" has no consumer"));
}

void TestScenarioIo::delayNodesAndLinkRolesAreChecked()
{
    const auto load = [](const char *nodes, const char *links) {
        const std::string json = std::string(R"({"format": "queuelab-scenario", "version": 1,
            "run": {"duration": 100},
            "nodes": [{"id": "p", "kind": "producer", "interarrival": {"dist": "exponential", "mean": 1}},
                      {"id": "q", "kind": "queue"},
                      {"id": "w", "kind": "consumer", "service": {"dist": "exponential", "mean": 0.5}},
                      )") + nodes + R"(],
            "links": [{"from": "q", "to": "w"}, )" + links + "]}";
        return parseScenario(json, "delay.json");
    };
    // A delay before the queue, with its role spelled out: fine.
    const LoadResult ok = load(R"({"id": "d", "kind": "delay", "delay": {"dist": "deterministic", "value": 0.2}})",
                               R"({"from": "p", "to": "d", "role": "publish"}, {"from": "d", "to": "q"})");
    QVERIFY2(ok.scenario, ok.diagnostics.toString().c_str());
    QCOMPARE(ok.scenario->links[1].role, LinkRole::Publish);
    QVERIFY(ok.diagnostics.warnings().empty());
    // No delay given.
    const LoadResult missing = load(R"({"id": "d", "kind": "delay"})",
                                    R"({"from": "p", "to": "d"}, {"from": "d", "to": "q"})");
    QVERIFY(!missing.scenario);
    QVERIFY2(firstError(missing).find("nodes[3].delay: missing") != std::string::npos, firstError(missing).c_str());
    // A negative delay.
    const LoadResult negative = load(R"({"id": "d", "kind": "delay", "delay": {"dist": "deterministic", "value": -1}})",
                                     R"({"from": "p", "to": "d"}, {"from": "d", "to": "q"})");
    QVERIFY(!negative.scenario);
    QVERIFY2(firstError(negative).find("nodes[3].delay.value: must be >= 0") != std::string::npos,
             firstError(negative).c_str());
    // A role the ends contradict.
    const LoadResult role = load(R"({"id": "d", "kind": "delay", "delay": {"dist": "deterministic", "value": 0.2}})",
                                 R"({"from": "p", "to": "d", "role": "binding"}, {"from": "d", "to": "q"})");
    QVERIFY(!role.scenario);
    QVERIFY2(firstError(role).find("links[1].role: a link from a producer to a delay is a publish link, not binding")
                 != std::string::npos, firstError(role).c_str());
    // Dead-letter links: only with their role, one per queue, never in a loop.
    const char *bounded = R"({"id": "full", "kind": "queue", "capacity": 2}, {"id": "dlq", "kind": "queue"},
                             {"id": "w2", "kind": "consumer", "service": {"dist": "exponential", "mean": 0.5}},
                             {"id": "w3", "kind": "consumer", "service": {"dist": "exponential", "mean": 0.5}})";
    const LoadResult dlOk = load(bounded, R"({"from": "p", "to": "full"}, {"from": "full", "to": "w2"},
        {"from": "full", "to": "dlq", "role": "dead-letter"}, {"from": "dlq", "to": "w3"})");
    QVERIFY2(dlOk.scenario, dlOk.diagnostics.toString().c_str());
    QCOMPARE(dlOk.scenario->links[3].role, LinkRole::DeadLetter);
    const LoadResult noRole = load(bounded, R"({"from": "p", "to": "full"}, {"from": "full", "to": "w2"},
        {"from": "full", "to": "dlq"})");
    QVERIFY(!noRole.scenario);
    QVERIFY2(firstError(noRole).find("links[3]: a queue cannot link to a queue") != std::string::npos
                 && firstError(noRole).find("add \"role\": \"dead-letter\"") != std::string::npos,
             firstError(noRole).c_str());
    // A cycle with a consumer on it is RabbitMQ's delayed retry: allowed (the engine cuts a
    // message that comes round without a rejection). One with no consumer has no way out.
    const LoadResult retry = load(bounded, R"({"from": "p", "to": "full"}, {"from": "full", "to": "w2"},
        {"from": "full", "to": "dlq", "role": "dead-letter"}, {"from": "dlq", "to": "full", "role": "dead-letter"},
        {"from": "dlq", "to": "w3"})");
    QVERIFY2(retry.scenario, retry.diagnostics.toString().c_str());
    const char *ring = R"({"id": "full", "kind": "queue", "capacity": 2}, {"id": "dlq", "kind": "queue"},
                          {"id": "back", "kind": "queue"},
                          {"id": "w2", "kind": "consumer", "service": {"dist": "exponential", "mean": 0.5}})";
    const LoadResult loop = load(ring, R"({"from": "p", "to": "full"}, {"from": "full", "to": "w2"},
        {"from": "full", "to": "dlq", "role": "dead-letter"}, {"from": "dlq", "to": "back", "role": "dead-letter"},
        {"from": "back", "to": "dlq", "role": "dead-letter"})");
    QVERIFY(!loop.scenario);
    QVERIFY2(loop.diagnostics.toString().find("dead-letters into a loop back to itself with no consumer on it")
                 != std::string::npos,
             loop.diagnostics.toString().c_str());
    const LoadResult two = load(bounded, R"({"from": "p", "to": "full"}, {"from": "full", "to": "w2"},
        {"from": "full", "to": "dlq", "role": "dead-letter"}, {"from": "full", "to": "q", "role": "dead-letter"})");
    QVERIFY(!two.scenario);
    QVERIFY2(two.diagnostics.toString().find("a queue has at most one dead-letter link") != std::string::npos,
             two.diagnostics.toString().c_str());

    // Two onward links from a delay need probabilities.
    const LoadResult split = load(R"({"id": "d", "kind": "delay", "delay": {"dist": "deterministic", "value": 0.2}})",
                                  R"({"from": "p", "to": "d"}, {"from": "d", "to": "q"}, {"from": "w", "to": "d", "probability": 0.5})");
    QVERIFY2(split.scenario, split.diagnostics.toString().c_str());
    const LoadResult unsplit = load(R"({"id": "d", "kind": "delay", "delay": {"dist": "deterministic", "value": 0.2}},
                                       {"id": "s", "kind": "sink"})",
                                    R"({"from": "p", "to": "d"}, {"from": "d", "to": "q"}, {"from": "d", "to": "s"})");
    QVERIFY(!unsplit.scenario);
    QVERIFY2(firstError(unsplit).find("delay \"d\" has 2 onward links, so each needs a \"probability\"")
                 != std::string::npos, firstError(unsplit).c_str());
}

void TestScenarioIo::oneMistakeGivesOneError()
{
    // A misspelt kind must not also produce errors about the links of that node.
    Scenario s = minimal();
    std::string json = scenarioToJson(s);
    json.replace(json.find("\"consumer\""), 10, "\"consumr\"");
    const LoadResult r = parseScenario(json, "one.json");
    QVERIFY(!r.scenario);
    QCOMPARE(r.diagnostics.errors().size(), std::size_t(1));
    QVERIFY2(firstError(r).find("nodes[2].kind: unknown kind \"consumr\"") != std::string::npos,
             firstError(r).c_str());
    QVERIFY(firstError(r).find("did you mean \"consumer\"?") != std::string::npos);

    // A missing parameter is one error, not also "must be > 0" about its default.
    json = scenarioToJson(s);
    json.replace(json.find("\"mean\": 0.5"), 11, "\"meen\": 0.5");
    const LoadResult m = parseScenario(json, "one.json");
    QCOMPARE(m.diagnostics.errors().size(), std::size_t(1));
    QVERIFY2(firstError(m).find("nodes[2].service.mean: missing") != std::string::npos,
             firstError(m).c_str());
}

void TestScenarioIo::validateInMemory_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nan mean") << 0 << "nodes[2].service.mean: must be a finite number, got NaN";
    QTest::newRow("infinite duration") << 1 << "run.duration: must be a finite number, got inf";
    QTest::newRow("negative rate") << 2 << "nodes[0].interarrival.rate: must be > 0, got -2";
    QTest::newRow("seed beyond 2^53") << 3 << "run.seed: must be at most 9007199254740992";
    QTest::newRow("empty id") << 4 << "nodes[1].id: must not be empty";
    QTest::newRow("too many replications") << 5 << "run.replications: must be at most 10000, got 10001";
    QTest::newRow("both routing keys") << 6 << "nodes[0].routing_keys: give either routing_key or routing_keys";
    QTest::newRow("arguments on subscription") << 7 << "links[1].arguments: only a link from a headers exchange";
    QTest::newRow("empty hyperexponential") << 8 << "nodes[2].service.probabilities: must not be empty";
    QTest::newRow("erlang k 0") << 9 << "nodes[2].service.k: must be >= 1, got 0";
    QTest::newRow("nan layout") << 10 << "layout.q: must be a finite position";
    QTest::newRow("negative sample interval") << 11 << "run.sample_interval: must be >= 0";
    QTest::newRow("priority 256") << 12 << "nodes[0].priority: must be at most 255, got 256";
}

void TestScenarioIo::validateInMemory()
{
    QFETCH(int, which);
    QFETCH(QString, expected);
    Scenario s = minimal();
    QVERIFY(!validateScenario(s).hasErrors());
    switch (which) {
    case 0: s.nodes[2].service.mean = std::nan(""); break;
    case 1: s.run.duration = std::numeric_limits<double>::infinity(); break;
    case 2:
        s.nodes[0].interarrival.mean = -0.5;
        s.nodes[0].interarrival.rateGiven = true;
        break;
    case 3: s.run.seed = (std::uint64_t(1) << 53) + 1; break;
    case 4: s.nodes[1].id.clear(); break;
    case 5: s.run.replications = 10001; break;
    case 6:
        s.nodes[0].routingKey = "a";
        s.nodes[0].routingKeys = {{"b", 1}};
        break;
    case 7: s.links[1].arguments = {{"a", "b"}}; break;
    case 8: s.nodes[2].service = dist(DistKind::Hyperexponential); break;
    case 9:
        s.nodes[2].service = dist(DistKind::Erlang);
        s.nodes[2].service.k = 0;
        break;
    case 10: s.layout["q"] = {std::nan(""), 0}; break;
    case 11: s.run.sampleInterval = -1; break;
    case 12: s.nodes[0].priority = 256; break;
    }
    const Diagnostics d = validateScenario(s, "mem.json");
    QVERIFY(d.hasErrors());
    const std::string first = d.errors().front().toString();
    QVERIFY2(first.find(expected.toStdString()) != std::string::npos, first.c_str());
    QVERIFY(first.find("mem.json: ") == 0);
}

void TestScenarioIo::saveAndLoadBack()
{
    QTemporaryDir tmp;
    const std::string path = tmp.filePath(QStringLiteral("every.json")).toStdString();
    const Scenario s = everyFeature();
    std::string error;
    QVERIFY2(saveScenarioFile(s, path, &error), error.c_str());
    const LoadResult r = loadScenarioFile(path);
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY(*r.scenario == s);
    // Saving over an existing file replaces it.
    Scenario changed = s;
    changed.name = "changed";
    QVERIFY2(saveScenarioFile(changed, path, &error), error.c_str());
    QCOMPARE(loadScenarioFile(path).scenario->name, std::string("changed"));
}

void TestScenarioIo::saveRefusesNonFiniteAndKeepsTheOldFile()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("keep.json"));
    const Scenario good = minimal();
    std::string error;
    QVERIFY(saveScenarioFile(good, path.toStdString(), &error));
    const QByteArray before = readAll(path);

    Scenario bad = good;
    bad.nodes[2].service.mean = std::numeric_limits<double>::infinity();
    QVERIFY(!saveScenarioFile(bad, path.toStdString(), &error));
    QVERIFY2(error.find(path.toStdString()) != std::string::npos, error.c_str());
    QVERIFY2(error.find("nodes[2].service.mean is not a finite number") != std::string::npos,
             error.c_str());
    QCOMPARE(readAll(path), before);
    QVERIFY(!saveScenarioFile(bad, path.toStdString(), nullptr)); // a null error is fine
}

void TestScenarioIo::saveIntoMissingFolderFails()
{
    QTemporaryDir tmp;
    const std::string path = tmp.filePath(QStringLiteral("no/such/folder/x.json")).toStdString();
    std::string error;
    QVERIFY(!saveScenarioFile(minimal(), path, &error));
    QVERIFY2(error.find(path) != std::string::npos, error.c_str());
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));

    // A folder in the way of the file.
    QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("taken.json")));
    const std::string folder = tmp.filePath(QStringLiteral("taken.json")).toStdString();
    QVERIFY(!saveScenarioFile(minimal(), folder, &error));
    QVERIFY2(error.find(folder) != std::string::npos, error.c_str());
    QVERIFY(QFileInfo(QString::fromStdString(folder)).isDir());
}

void TestScenarioIo::failedSaveLeavesExistingFileUntouched()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("locked"));
    QVERIFY(QDir(tmp.path()).mkdir(QStringLiteral("locked")));
    const QString path = folder + QStringLiteral("/s.json");
    std::string error;
    QVERIFY(saveScenarioFile(minimal(), path.toStdString(), &error));
    const QByteArray before = readAll(path);

    // A folder nobody may write to: QSaveFile cannot create its temporary file there.
    QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const bool stillWritable = ::access(folder.toLocal8Bit().constData(), W_OK) == 0;
    if (stillWritable) { // root ignores permissions
        QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                          | QFileDevice::ExeOwner);
        QSKIP("running with permission to write anywhere (root); cannot provoke a failed save");
    }
    Scenario changed = minimal();
    changed.name = "changed";
    const bool saved = saveScenarioFile(changed, path.toStdString(), &error);
    QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ExeOwner);
    QVERIFY(!saved);
    QVERIFY2(error.find(path.toStdString()) != std::string::npos, error.c_str());
    QCOMPARE(readAll(path), before);
}

void TestScenarioIo::failedCommitLeavesExistingFileUntouched()
{
    // A name of 250 characters can exist, but QSaveFile's temporary name (the name plus a
    // suffix) exceeds the 255-byte limit of Linux file systems, so the commit fails, even
    // for root, at the last step: exactly when the old file must survive.
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QString(250, QLatin1Char('s')));
    if (!writeFile(path, "old content\n"))
        QSKIP("this file system does not allow names of 250 characters");
    std::string error;
    if (saveScenarioFile(minimal(), path.toStdString(), &error))
        QSKIP("this file system allows the temporary name too; cannot provoke a failed save");
    QVERIFY2(error.find(path.toStdString()) != std::string::npos, error.c_str());
    QCOMPARE(readAll(path), QByteArray("old content\n"));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no leftovers
}

QTEST_GUILESS_MAIN(TestScenarioIo)
#include "tst_scenarioio.moc"
