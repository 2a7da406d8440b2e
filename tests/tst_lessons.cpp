// Lessons (docs/scenario-format.md, "Lessons"): every file in scenarios/lessons/ loads
// without a warning, is written exactly as it is stored, and every step applies; every
// question's theory answer agrees with the simulation of the scenario at that step, the
// answer its explanation states agrees with the reference, and a guess off by a factor of
// three is not "close". Then the model functions one by one: scenarioAtStep, resultFigure
// for every metric name, theoryFigure, checkAnswer, and the lesson section's reader and
// writer on in-memory scenarios.
#include "scenariobuilder.h"

#include "lesson/lessonplan.h"
#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "theory/theory.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace ql;
using namespace ql::test;

namespace {

QString lessonsDir()
{
    return QString::fromUtf8(QL_SOURCE_DIR) + QStringLiteral("/scenarios/lessons");
}

QStringList lessonFiles()
{
    return QDir(lessonsDir()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Scenario loadLesson(const QString &file)
{
    const LoadResult r = loadScenarioFile((lessonsDir() + QLatin1Char('/') + file).toStdString());
    return r.scenario ? *r.scenario : Scenario{};
}

// The field a change sets, as the scenario's saved text has it.
QJsonValue savedField(const Scenario &s, const LessonChange &c)
{
    const QJsonObject root = QJsonDocument::fromJson(QByteArray::fromStdString(scenarioToJson(s))).object();
    if (c.node.empty())
        return root.value(QStringLiteral("run")).toObject().value(QString::fromStdString(c.field));
    for (const QJsonValue n : root.value(QStringLiteral("nodes")).toArray())
        if (n.toObject().value(QStringLiteral("id")).toString().toStdString() == c.node)
            return n.toObject().value(QString::fromStdString(c.field));
    return {};
}

QJsonValue jsonValue(const std::string &text)
{
    return QJsonDocument::fromJson("[" + QByteArray::fromStdString(text) + "]").array().at(0);
}

// The first bold figure of a Markdown text, "**2.5 s**" -> 2.5; nullopt without one.
std::optional<double> statedAnswer(const std::string &markdown)
{
    static const QRegularExpression bold(QStringLiteral("\\*\\*([0-9]+(?:\\.[0-9]+)?)"));
    const QRegularExpressionMatch m = bold.match(QString::fromStdString(markdown));
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toDouble();
}

// A scenario with a lesson, built in code: p -> q -> w, M/M/1 at load 0.5.
Scenario smallLesson()
{
    Scenario s = ScenarioBuilder("small")
                     .run(2000, 100, 2, 5)
                     .producer("p", expo(2))
                     .queue("q")
                     .consumer("w", expo(1))
                     .link("p", "q")
                     .link("q", "w");
    Lesson lesson;
    lesson.title = "Small";
    LessonStep a;
    a.title = "Base";
    a.text = "line one\n\nline three";
    a.highlight = {"q"};
    LessonStep b;
    b.title = "Faster arrivals";
    b.changes = {{"p", "interarrival", R"({"dist": "exponential", "mean": 1.25})"}};
    LessonStep c;
    c.title = "Longer run, two servers";
    c.changes = {{"", "duration", "4000"}, {"w", "servers", "2"}};
    LessonQuestion q;
    q.prompt = "Wait?";
    q.node = "q";
    q.metric = "wait.mean";
    q.unit = "s";
    q.tolerance = 0.2;
    q.explanation = "Because.";
    c.question = q;
    lesson.steps = {a, b, c};
    s.lesson = lesson;
    return s;
}

} // namespace

class TestLessons : public QObject
{
    Q_OBJECT

private slots:
    void atLeastTwelveLessonsInTeachingOrder();
    void loadsCleanly_data() { fileRows(); }
    void loadsCleanly();
    void roundTripsBitIdentically_data() { fileRows(); }
    void roundTripsBitIdentically();
    void everyStepApplies_data() { fileRows(); }
    void everyStepApplies();
    void questionMatchesSimulation_data();
    void questionMatchesSimulation();

    void scenarioAtStepAppliesChangesCumulatively();
    void scenarioAtStepErrors_data();
    void scenarioAtStepErrors();
    void resultFigureForEveryMetric_data();
    void resultFigureForEveryMetric();
    void resultFigureUnknown();
    void theoryFigureMM1_data();
    void theoryFigureMM1();
    void theoryFigureOtherModels();
    void theoryFigureWhereNoTheory();
    void checkAnswerVerdicts_data();
    void checkAnswerVerdicts();
    void lessonSectionRoundTripsInMemory();
    void changeValuesAreCanonical();
    void everyFieldOfTheTableCanChange_data();
    void everyFieldOfTheTableCanChange();
    void runChangeIsAmbiguousWithANodeCalledRun();
    void validateReportsBadChangeAtItsPath();
    void textAsArrayOfLines();
    void schemaMatchesTheCode();
    void cliLessonCommand();

private:
    void fileRows()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : lessonFiles())
            QTest::newRow(qPrintable(f)) << f;
    }
};

void TestLessons::atLeastTwelveLessonsInTeachingOrder()
{
    const QStringList files = lessonFiles();
    QVERIFY2(files.size() >= 12, qPrintable(files.join(u' ')));
    // Listed by name or by `order`, the lessons come in the same order.
    std::vector<int> orders;
    std::set<std::string> titles;
    for (const QString &f : files) {
        const Scenario s = loadLesson(f);
        QVERIFY2(s.lesson, qPrintable(f));
        orders.push_back(s.lesson->order);
        QVERIFY2(titles.insert(s.lesson->title).second, qPrintable(f)); // titles are distinct
    }
    QVERIFY(std::is_sorted(orders.begin(), orders.end()));
    QVERIFY(std::adjacent_find(orders.begin(), orders.end()) == orders.end());
}

void TestLessons::loadsCleanly()
{
    QFETCH(QString, file);
    const LoadResult r = loadScenarioFile((lessonsDir() + QLatin1Char('/') + file).toStdString());
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY2(r.diagnostics.items.empty(), r.diagnostics.toString().c_str()); // no warnings either
    QVERIFY(r.scenario->lesson);
    const Lesson &lesson = *r.scenario->lesson;
    QVERIFY(!lesson.title.empty());
    QVERIFY(!lesson.summary.empty());
    QVERIFY(!r.scenario->name.empty());
    QVERIFY2(lesson.steps.size() >= 3 && lesson.steps.size() <= 6, qPrintable(file));
    int questions = 0;
    for (const LessonStep &step : lesson.steps) {
        QVERIFY(!step.title.empty());
        QVERIFY2(step.text.size() > 40, step.title.c_str()); // explains something
        if (step.question) {
            ++questions;
            QVERIFY(!step.question->prompt.empty());
            QVERIFY2(step.question->explanation.size() > 40, step.title.c_str());
        }
    }
    QVERIFY2(questions >= 2, qPrintable(file));
}

void TestLessons::roundTripsBitIdentically()
{
    QFETCH(QString, file);
    const QByteArray stored = readAll(lessonsDir() + QLatin1Char('/') + file);
    const Scenario s = loadLesson(file);
    QVERIFY(s.lesson);
    // Stored in canonical form: load -> save gives the file back byte for byte...
    const std::string saved = scenarioToJson(s);
    QCOMPARE(QByteArray::fromStdString(saved), stored);
    // ...and load -> save -> load gives the same scenario.
    const LoadResult again = parseScenario(saved, file.toStdString());
    QVERIFY2(again.scenario, again.diagnostics.toString().c_str());
    QVERIFY(*again.scenario == s);
}

void TestLessons::everyStepApplies()
{
    QFETCH(QString, file);
    const Scenario base = loadLesson(file);
    QVERIFY(base.lesson);
    Scenario previous = base;
    for (std::size_t k = 0; k < base.lesson->steps.size(); ++k) {
        const LessonStep &step = base.lesson->steps[k];
        Scenario at;
        std::string error;
        QVERIFY2(scenarioAtStep(base, int(k), &at, &error), error.c_str());
        QVERIFY(at.lesson == base.lesson); // the lesson travels with the scenario
        const Diagnostics d = validateScenario(at, file.toStdString());
        QVERIFY2(d.items.empty(), d.toString().c_str());
        for (const std::string &id : step.highlight)
            QVERIFY2(at.node(id), id.c_str());
        // Each change sets what it says, and changes something.
        for (const LessonChange &c : step.changes) {
            const QString what = QStringLiteral("step %1: %2.%3")
                                     .arg(k)
                                     .arg(QString::fromStdString(c.node.empty() ? "run" : c.node),
                                          QString::fromStdString(c.field));
            // (The writer leaves out a probability set back to 0, its default.)
            const QJsonValue saved = savedField(at, c);
            QVERIFY2(saved == jsonValue(c.value) || (saved.isUndefined() && jsonValue(c.value) == QJsonValue(0)),
                     qPrintable(what));
            // Applied alone to the scenario before the step, it changes the scenario (a
            // value equal to the default would not).
            Scenario alone = previous;
            alone.lesson = Lesson{"t", {}, 0, {LessonStep{"s", {}, {}, {c}, {}}}};
            Scenario changed;
            QVERIFY2(scenarioAtStep(alone, 0, &changed, &error), error.c_str());
            changed.lesson = previous.lesson;
            QVERIFY2(!(changed == previous), qPrintable(what));
        }
        if (step.changes.empty())
            QVERIFY(at == previous);
        previous = at;
    }
}

void TestLessons::questionMatchesSimulation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("step");
    for (const QString &f : lessonFiles()) {
        const Scenario s = loadLesson(f);
        if (!s.lesson)
            continue;
        for (std::size_t k = 0; k < s.lesson->steps.size(); ++k)
            if (s.lesson->steps[k].question)
                QTest::addRow("%s step %d", qPrintable(f), int(k)) << f << int(k);
    }
}

void TestLessons::questionMatchesSimulation()
{
    QFETCH(QString, file);
    QFETCH(int, step);
    const Scenario base = loadLesson(file);
    Scenario at;
    std::string error;
    QVERIFY2(scenarioAtStep(base, step, &at, &error), error.c_str());
    const LessonQuestion &q = *base.lesson->steps[std::size_t(step)].question;
    const Results results = runReplications(at);
    QVERIFY(!results.partial);
    const std::optional<double> sim = resultFigure(results, q.node, q.metric);
    const std::optional<double> ci = resultFigureCi95(results, q.node, q.metric);
    const std::optional<double> theory = theoryFigure(at, q.node, q.metric);
    QVERIFY(sim);
    QVERIFY(std::isfinite(*sim));
    const QString report = QStringLiteral("%1 %2: simulated %3 ± %4, theory %5")
                               .arg(QString::fromStdString(q.node), QString::fromStdString(q.metric))
                               .arg(*sim)
                               .arg(ci.value_or(0))
                               .arg(theory ? QString::number(*theory) : QStringLiteral("none"));
    if (theory) {
        // Theory inside the simulation's 95% interval, widened by the question's tolerance.
        QVERIFY2(std::abs(*sim - *theory) <= ci.value_or(0) + q.tolerance * std::abs(*theory),
                 qPrintable(report));
    } else {
        // The simulation is the reference, and the lesson says so.
        std::string said = q.prompt;
        for (int k = 0; k <= step; ++k)
            said += base.lesson->steps[std::size_t(k)].text;
        QVERIFY2(said.find("simulation is the reference") != std::string::npos, qPrintable(report));
        // Its figure must be reproducible: a narrow interval, or, for figures without one
        // (percentiles, counts), the same answer from independent replications.
        if (ci) {
            QVERIFY2(*ci <= 0.5 * q.tolerance * std::abs(*sim), qPrintable(report));
        } else {
            Scenario other = at;
            other.run.seed += 1000;
            const auto again = resultFigure(runReplications(other), q.node, q.metric);
            QVERIFY(again);
            QVERIFY2(std::abs(*again - *sim) <= 0.5 * q.tolerance * std::abs(*sim),
                     qPrintable(report + QStringLiteral(", again %1").arg(*again)));
        }
    }
    const double reference = theory ? *theory : *sim;
    QVERIFY(reference != 0);
    // The answer the explanation states is the reference answer.
    const std::optional<double> stated = statedAnswer(q.explanation);
    QVERIFY2(stated, q.explanation.c_str());
    QVERIFY2(std::abs(*stated - reference) <= q.tolerance * std::abs(reference),
             qPrintable(report + QStringLiteral(", explanation says %1").arg(*stated)));
    // Predict-then-run: the right answer is close, a guess off by 3x either way is not.
    const AnswerCheck right = checkAnswer(q, reference, results, at);
    QVERIFY2(right.close, right.verdict.c_str());
    QCOMPARE(right.theory, theory);
    QCOMPARE(right.simulated, sim);
    QVERIFY(!checkAnswer(q, 3 * reference, results, at).close);
    QVERIFY(!checkAnswer(q, reference / 3, results, at).close);
}

void TestLessons::scenarioAtStepAppliesChangesCumulatively()
{
    const Scenario base = smallLesson();
    Scenario s0, s1, s2;
    std::string error;
    QVERIFY2(scenarioAtStep(base, 0, &s0, &error), error.c_str());
    QVERIFY2(scenarioAtStep(base, 1, &s1, &error), error.c_str());
    QVERIFY2(scenarioAtStep(base, 2, &s2, &error), error.c_str());
    QVERIFY(s0 == base); // step 0 has no changes
    QCOMPARE(s1.node("p")->interarrival.mean, 1.25);
    QCOMPARE(s1.node("w")->servers, 1);
    QCOMPARE(s1.run.duration, 2000.0);
    // Step 2 keeps step 1's change and adds its own.
    QCOMPARE(s2.node("p")->interarrival.mean, 1.25);
    QCOMPARE(s2.node("w")->servers, 2);
    QCOMPARE(s2.run.duration, 4000.0);
    QCOMPARE(s2.run.warmup, 100.0); // only the field named changes
    // Going back undoes: step 0 is computed from the base, not from the last step.
    Scenario back;
    QVERIFY(scenarioAtStep(base, 0, &back, &error));
    QCOMPARE(back.node("p")->interarrival.mean, 2.0);
    QVERIFY(back.lesson == base.lesson);
    // Apart from the changed fields, the scenarios are the same.
    Scenario undone = s2;
    undone.nodes[0].interarrival = base.nodes[0].interarrival;
    undone.nodes[2].servers = 1;
    undone.run.duration = 2000;
    QVERIFY(undone == base);
}

void TestLessons::scenarioAtStepErrors_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no lesson") << 0 << 0 << "has no lesson";
    QTest::newRow("negative index") << 1 << -1 << "step -1 does not exist: the lesson has 3 steps";
    QTest::newRow("index past the end") << 1 << 3 << "step 3 does not exist: the lesson has 3 steps, numbered 0 to 2";
    QTest::newRow("value out of range")
        << 2 << 2 << "lesson.steps[1].changes[0].value.mean: must be > 0, got -1 (step 2, \"Faster arrivals\")";
    QTest::newRow("value of the wrong type") << 3 << 1 << "lesson.steps[1].changes[0].value: must be an integer, got string \"x\"";
    QTest::newRow("unknown field") << 4 << 1 << "lesson.steps[1].changes[0].field: \"speed\" is not a field of a producer";
    QTest::newRow("unknown node") << 5 << 1 << "lesson.steps[1].changes[0].node: no node with id \"nobody\"";
    QTest::newRow("not JSON") << 6 << 1 << "lesson.steps[1].changes[0].value: is not one JSON value";
    QTest::newRow("invalid base") << 7 << 0 << "the scenario itself is not valid";
    QTest::newRow("change breaks the run") << 8 << 1 << "lesson.steps[1].changes[0].value: must be less than run.duration (2000), got 5000";
}

void TestLessons::scenarioAtStepErrors()
{
    QFETCH(int, what);
    QFETCH(int, index);
    QFETCH(QString, expected);
    Scenario base = smallLesson();
    LessonChange &change = base.lesson->steps[1].changes[0];
    switch (what) {
    case 0: base.lesson.reset(); break;
    case 2: change.value = R"({"dist": "exponential", "mean": -1})"; break;
    case 3: change = {"p", "priority", "\"x\""}; break;
    case 4: change = {"p", "speed", "1"}; break;
    case 5: change = {"nobody", "servers", "1"}; break;
    case 6: change.value = "{\"dist\": "; break;
    case 7: base.nodes[2].servers = 0; break;
    case 8: change = {"", "warmup", "5000"}; break;
    default: break;
    }
    Scenario out = ScenarioBuilder("untouched");
    const Scenario before = out;
    std::string error;
    QVERIFY(!scenarioAtStep(base, index, &out, &error));
    QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
    QVERIFY(out == before); // left alone on failure
}

void TestLessons::resultFigureForEveryMetric_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("ci");   // -1: none
    // Results filled below with distinct values, so a mix-up cannot pass.
    const QString e2e;
    QTest::newRow("e2e throughput") << e2e << "throughput" << 1.5 << 0.01;
    QTest::newRow("e2e delivered") << e2e << "delivered" << 1000.0 << -1.0;
    QTest::newRow("e2e latency.mean") << e2e << "latency.mean" << 2.1 << 0.02;
    QTest::newRow("e2e latency.p50") << e2e << "latency.p50" << 2.2 << -1.0;
    QTest::newRow("e2e latency.p90") << e2e << "latency.p90" << 2.3 << -1.0;
    QTest::newRow("e2e latency.p95") << e2e << "latency.p95" << 2.4 << -1.0;
    QTest::newRow("e2e latency.p99") << e2e << "latency.p99" << 2.5 << -1.0;
    QTest::newRow("e2e latency.p999") << e2e << "latency.p999" << 2.6 << -1.0;
    QTest::newRow("e2e latency.max") << e2e << "latency.max" << 2.7 << -1.0;
    QTest::newRow("producer throughput") << "p" << "throughput" << 3.1 << 0.03;
    QTest::newRow("producer published") << "p" << "published" << 3.2 << -1.0;
    QTest::newRow("exchange throughput") << "x" << "throughput" << 4.1 << 0.04;
    QTest::newRow("exchange routed") << "x" << "routed" << 4.2 << -1.0;
    QTest::newRow("exchange unroutable") << "x" << "unroutable" << 4.3 << -1.0;
    QTest::newRow("queue throughput") << "q" << "throughput" << 5.1 << 0.05;
    QTest::newRow("queue arrivals") << "q" << "arrivals" << 50.0 << -1.0;
    QTest::newRow("queue drops") << "q" << "drops" << 5.0 << -1.0;
    QTest::newRow("queue blocking") << "q" << "blocking" << 0.1 << -1.0;
    QTest::newRow("queue dispatched") << "q" << "dispatched" << 45.0 << -1.0;
    QTest::newRow("queue length.mean") << "q" << "length.mean" << 5.2 << 0.052;
    QTest::newRow("queue length.max") << "q" << "length.max" << 5.3 << -1.0;
    QTest::newRow("queue wait.mean") << "q" << "wait.mean" << 6.1 << 0.06;
    QTest::newRow("queue wait.p50") << "q" << "wait.p50" << 6.2 << -1.0;
    QTest::newRow("queue wait.p90") << "q" << "wait.p90" << 6.3 << -1.0;
    QTest::newRow("queue wait.p95") << "q" << "wait.p95" << 6.4 << -1.0;
    QTest::newRow("queue wait.p99") << "q" << "wait.p99" << 6.5 << -1.0;
    QTest::newRow("queue wait.p999") << "q" << "wait.p999" << 6.6 << -1.0;
    QTest::newRow("queue wait.max") << "q" << "wait.max" << 6.7 << -1.0;
    QTest::newRow("consumer throughput") << "w" << "throughput" << 7.1 << 0.07;
    QTest::newRow("consumer completed") << "w" << "completed" << 7.2 << -1.0;
    QTest::newRow("consumer utilization.mean") << "w" << "utilization.mean" << 0.73 << 0.0073;
    QTest::newRow("consumer service.mean") << "w" << "service.mean" << 8.1 << 0.08;
    QTest::newRow("consumer service.p50") << "w" << "service.p50" << 8.2 << -1.0;
    QTest::newRow("consumer service.p90") << "w" << "service.p90" << 8.3 << -1.0;
    QTest::newRow("consumer service.p95") << "w" << "service.p95" << 8.4 << -1.0;
    QTest::newRow("consumer service.p99") << "w" << "service.p99" << 8.5 << -1.0;
    QTest::newRow("consumer service.p999") << "w" << "service.p999" << 8.6 << -1.0;
    QTest::newRow("consumer service.max") << "w" << "service.max" << 8.7 << -1.0;
    QTest::newRow("queue expired") << "q" << "expired" << 10.0 << -1.0;
    QTest::newRow("queue expired_share") << "q" << "expired_share" << 0.2 << -1.0;
    QTest::newRow("queue dead_lettered_expired") << "q" << "dead_lettered_expired" << 9.1 << -1.0;
    QTest::newRow("queue dead_lettered_rejected") << "q" << "dead_lettered_rejected" << 9.2 << -1.0;
    QTest::newRow("queue dead_lettered_maxlen") << "q" << "dead_lettered_maxlen" << 9.3 << -1.0;
    QTest::newRow("queue dead_lettered_delivery_limit") << "q" << "dead_lettered_delivery_limit" << 9.4 << -1.0;
    QTest::newRow("queue requeued") << "q" << "requeued" << 9.5 << -1.0;
    QTest::newRow("queue redelivered") << "q" << "redelivered" << 9.6 << -1.0;
    QTest::newRow("consumer rejected") << "w" << "rejected" << 8.8 << -1.0;
    QTest::newRow("consumer requeued") << "w" << "requeued" << 8.9 << -1.0;
}

void TestLessons::resultFigureForEveryMetric()
{
    QFETCH(QString, node);
    QFETCH(QString, metric);
    QFETCH(double, expected);
    QFETCH(double, ci);
    const auto stats = [](double base, double ci95) {
        Stats s;
        s.mean = base;
        s.ci95 = ci95;
        s.p50 = base + 0.1;
        s.p90 = base + 0.2;
        s.p95 = base + 0.3;
        s.p99 = base + 0.4;
        s.p999 = base + 0.5;
        s.max = base + 0.6;
        return s;
    };
    Results r;
    r.throughput = {1.5, 0.01};
    r.delivered = 1000;
    r.latency = stats(2.1, 0.02);
    NodeResult p, x, q, w, end;
    p.id = "p";
    p.kind = NodeKind::Producer;
    p.throughput = {3.1, 0.03};
    p.published = 3.2;
    x.id = "x";
    x.kind = NodeKind::Exchange;
    x.throughput = {4.1, 0.04};
    x.routed = 4.2;
    x.unroutable = 4.3;
    q.id = "q";
    q.kind = NodeKind::Queue;
    q.throughput = {5.1, 0.05};
    q.arrivals = 50;
    q.drops = 5;
    q.dispatched = 45;
    q.length = {5.2, 0.052};
    q.lengthMax = 5.3;
    q.wait = stats(6.1, 0.06);
    q.expired = 10;
    q.deadLetteredExpired = 9.1;
    q.deadLetteredRejected = 9.2;
    q.deadLetteredMaxlen = 9.3;
    q.deadLetteredDeliveryLimit = 9.4;
    q.requeued = 9.5;
    q.redelivered = 9.6;
    w.id = "w";
    w.kind = NodeKind::Consumer;
    w.throughput = {7.1, 0.07};
    w.completed = 7.2;
    w.utilization = {0.73, 0.0073};
    w.service = stats(8.1, 0.08);
    w.rejected = 8.8;
    w.requeued = 8.9;
    end.id = "end";
    end.kind = NodeKind::Sink;
    r.nodes = {p, x, q, w, end};

    // Every metric the validator accepts for that kind is in the table above.
    const std::optional<NodeKind> kind = node.isEmpty() ? std::nullopt
        : std::optional<NodeKind>(r.nodes[std::size_t(QStringLiteral("pxqw").indexOf(node))].kind);
    const std::vector<std::string> &metrics = questionMetrics(kind);
    QVERIFY(std::find(metrics.begin(), metrics.end(), metric.toStdString()) != metrics.end());

    const std::optional<double> v = resultFigure(r, node.toStdString(), metric.toStdString());
    QVERIFY(v);
    QCOMPARE(*v, expected);
    const std::optional<double> c = resultFigureCi95(r, node.toStdString(), metric.toStdString());
    if (ci < 0)
        QVERIFY(!c);
    else
        QCOMPARE(c, std::optional<double>(ci));
}

void TestLessons::resultFigureUnknown()
{
    Results r;
    NodeResult q;
    q.id = "q";
    q.kind = NodeKind::Queue;
    q.wait.mean = 3;
    NodeResult end;
    end.id = "end";
    end.kind = NodeKind::Sink;
    r.nodes = {q, end};
    QCOMPARE(resultFigure(r, "q", "wait.mean"), std::optional<double>(3));
    QVERIFY(!resultFigure(r, "nobody", "wait.mean"));
    QVERIFY(!resultFigure(r, "q", "wait.average"));
    QVERIFY(!resultFigure(r, "q", "utilization.mean")); // a consumer figure
    QVERIFY(!resultFigure(r, "end", "throughput"));     // a sink has none
    QVERIFY(!resultFigure(r, "", "wait.mean"));         // not an end-to-end figure
    QVERIFY(!resultFigure(r, "", ""));
    QVERIFY(questionMetrics(NodeKind::Sink).empty());
    // No arrivals, no blocking to speak of: 0, not a division by zero.
    QCOMPARE(resultFigure(r, "q", "blocking"), std::optional<double>(0));
}

void TestLessons::theoryFigureMM1_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");
    // M/M/1, lambda 0.8, mu 1, measured time 1000 (duration 1100, warm-up 100).
    QTest::newRow("wait.mean") << "q" << "wait.mean" << 4.0;
    QTest::newRow("length.mean") << "q" << "length.mean" << 3.2;
    QTest::newRow("queue throughput") << "q" << "throughput" << 0.8;
    QTest::newRow("arrivals") << "q" << "arrivals" << 800.0;
    QTest::newRow("dispatched") << "q" << "dispatched" << 800.0;
    QTest::newRow("drops") << "q" << "drops" << 0.0;
    QTest::newRow("blocking") << "q" << "blocking" << 0.0;
    QTest::newRow("wait.p50") << "q" << "wait.p50" << 5 * std::log(0.8 / 0.5);
    QTest::newRow("wait.p95") << "q" << "wait.p95" << 5 * std::log(0.8 / 0.05);
    QTest::newRow("utilization") << "w" << "utilization.mean" << 0.8;
    QTest::newRow("consumer throughput") << "w" << "throughput" << 0.8;
    QTest::newRow("completed") << "w" << "completed" << 800.0;
    QTest::newRow("service.mean") << "w" << "service.mean" << 1.0;
    QTest::newRow("producer throughput") << "p" << "throughput" << 0.8;
    QTest::newRow("published") << "p" << "published" << 800.0;
    QTest::newRow("e2e throughput") << "" << "throughput" << 0.8;
    QTest::newRow("e2e delivered") << "" << "delivered" << 800.0;
    QTest::newRow("latency.mean") << "" << "latency.mean" << 5.0;
    QTest::newRow("latency.p50") << "" << "latency.p50" << 5 * std::log(2.0);
    QTest::newRow("latency.p95") << "" << "latency.p95" << 5 * std::log(20.0);
    QTest::newRow("latency.p99") << "" << "latency.p99" << 5 * std::log(100.0);
}

void TestLessons::theoryFigureMM1()
{
    QFETCH(QString, node);
    QFETCH(QString, metric);
    QFETCH(double, expected);
    const Scenario s = ScenarioBuilder("mm1")
                           .run(1100, 100, 1)
                           .producer("p", expo(1.25))
                           .queue("q")
                           .consumer("w", expo(1))
                           .link("p", "q")
                           .link("q", "w");
    const std::optional<double> v = theoryFigure(s, node.toStdString(), metric.toStdString());
    QVERIFY(v);
    QVERIFY2(std::abs(*v - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
             qPrintable(QStringLiteral("%1 != %2").arg(*v).arg(expected)));
}

void TestLessons::theoryFigureOtherModels()
{
    // M/M/1/K: capacity 5 ready + 1 in service, load 0.9.
    Scenario k = ScenarioBuilder("mm1k").run(1000, 0, 1).producer("p", expo(1 / 0.9)).queue("q", 5)
                     .consumer("w", expo(1)).link("p", "q").link("q", "w");
    const double rho = 0.9;
    const double pK = (1 - rho) * std::pow(rho, 6) / (1 - std::pow(rho, 7));
    QVERIFY(std::abs(*theoryFigure(k, "q", "blocking") - pK) < 1e-12);
    QVERIFY(std::abs(*theoryFigure(k, "q", "drops") - 0.9 * pK * 1000) < 1e-9);
    QVERIFY(std::abs(*theoryFigure(k, "w", "throughput") - 0.9 * (1 - pK)) < 1e-12);

    // Two competing consumers: each completes half, and each is as busy as the station.
    Scenario two = ScenarioBuilder("mm2").run(1000, 0, 1).producer("p", expo(0.625)).queue("q")
                       .consumer("a", expo(1)).consumer("b", expo(1))
                       .link("p", "q").link("q", "a").link("q", "b");
    QVERIFY(std::abs(*theoryFigure(two, "a", "throughput") - 0.8) < 1e-12);
    QVERIFY(std::abs(*theoryFigure(two, "b", "utilization.mean") - 0.8) < 1e-12);
    QVERIFY(std::abs(*theoryFigure(two, "q", "wait.mean") - (2 * 0.64 / 1.8) / 0.4) < 1e-9);

    // M/D/1: half the M/M/1 wait at the same load; no quantiles in closed form.
    Scenario md1 = ScenarioBuilder("md1").run(1000, 0, 1).producer("p", expo(1.25)).queue("q")
                       .consumer("w", det(1)).link("p", "q").link("q", "w");
    QVERIFY(std::abs(*theoryFigure(md1, "q", "wait.mean") - 2.0) < 1e-12);
    QVERIFY(!theoryFigure(md1, "q", "wait.p95"));

    // Tandem: end-to-end latency is the sum of the two sojourns; no single-station quantiles.
    Scenario tandem = ScenarioBuilder("tandem").run(1000, 0, 1).producer("p", expo(1)).queue("q1")
                          .consumer("w1", expo(0.8)).queue("q2").consumer("w2", expo(0.2))
                          .link("p", "q1").link("q1", "w1").link("w1", "q2").link("q2", "w2");
    QVERIFY(std::abs(*theoryFigure(tandem, "", "latency.mean") - 4.25) < 1e-9);
    QVERIFY(!theoryFigure(tandem, "", "latency.p95"));

    // M/M/1+D: a fixed TTL; the expired share is the station's abandonment, and expired
    // messages are dead-lettered only where the queue has a dead-letter link.
    Scenario ttl = ScenarioBuilder("ttl").run(1000, 0, 1).producer("p", expo(1 / 0.9)).queue("q")
                       .consumer("w", expo(1)).link("p", "q").link("q", "w");
    ttl.nodes[1].queueTtl = 2;
    const TheoryResult t = analyze(ttl);
    QVERIFY2(t.applicable, t.reason.c_str());
    const double abandon = t.queues.front().station.abandonment;
    QVERIFY(abandon > 0.2 && abandon < 0.25);
    QVERIFY(std::abs(*theoryFigure(ttl, "q", "expired_share") - abandon) < 1e-12);
    QVERIFY(std::abs(*theoryFigure(ttl, "q", "expired") - 0.9 * abandon * 1000) < 1e-9);
    QCOMPARE(*theoryFigure(ttl, "q", "dead_lettered_expired"), 0.0);

    // Rejects and requeues: Jackson routing; each is its probability of the served rate.
    // Only requeues come back: served 0.5 / (1 - 0.1) a second, 10% of it rejected into the
    // DLQ and 10% requeued.
    Scenario fail = ScenarioBuilder("fail").run(1000, 0, 1).producer("p", expo(2)).queue("q")
                        .consumer("w", expo(1)).queue("dlq").consumer("d", expo(1))
                        .link("p", "q").link("q", "w").link("dlq", "d");
    fail.nodes[2].rejectProbability = 0.1;
    fail.nodes[2].requeueProbability = 0.1;
    Link dl;
    dl.from = "q";
    dl.to = "dlq";
    dl.role = LinkRole::DeadLetter;
    fail.links.push_back(dl);
    QVERIFY(std::abs(*theoryFigure(fail, "w", "rejected") - 100 * 0.5 / 0.9) < 1e-9);
    QVERIFY(std::abs(*theoryFigure(fail, "w", "requeued") - 100 * 0.5 / 0.9) < 1e-9);
    QVERIFY(std::abs(*theoryFigure(fail, "q", "requeued") - 100 * 0.5 / 0.9) < 1e-9);
    QVERIFY(std::abs(*theoryFigure(fail, "q", "dead_lettered_rejected") - 100 * 0.5 / 0.9) < 1e-9);
    QVERIFY(!theoryFigure(fail, "q", "redelivered"));
}

void TestLessons::theoryFigureWhereNoTheory()
{
    // Consumers of different speeds on one queue: no closed form.
    Scenario s = ScenarioBuilder("mixed").run(1000, 0, 1).producer("p", expo(1)).queue("q")
                     .consumer("a", expo(0.5)).consumer("b", expo(2))
                     .link("p", "q").link("q", "a").link("q", "b");
    QVERIFY(!theoryFigure(s, "q", "wait.mean"));
    QVERIFY(!theoryFigure(s, "", "latency.mean"));
    QVERIFY(!theoryFigure(s, "a", "utilization.mean"));
    // A node's own parameters still give these.
    QCOMPARE(theoryFigure(s, "b", "service.mean"), std::optional<double>(2));
    QCOMPARE(theoryFigure(s, "p", "throughput"), std::optional<double>(1));
    // Unknown node, unknown metric, a percentile without a closed form, an overload.
    Scenario mm1 = ScenarioBuilder("mm1").run(1000, 0, 1).producer("p", expo(1.25)).queue("q")
                       .consumer("w", expo(1)).link("p", "q").link("q", "w");
    QVERIFY(!theoryFigure(mm1, "nobody", "wait.mean"));
    QVERIFY(!theoryFigure(mm1, "q", "wait.average"));
    QVERIFY(!theoryFigure(mm1, "q", "length.max"));
    QVERIFY(!theoryFigure(mm1, "", "latency.max"));
    mm1.nodes[0].interarrival = expo(0.5); // load 2
    QVERIFY(!theoryFigure(mm1, "q", "wait.mean"));
    QVERIFY(!theoryFigure(mm1, "", "latency.mean"));
    // A producer with a limit has no steady rate.
    mm1.nodes[0].interarrival = expo(1.25);
    mm1.nodes[0].limit = 10;
    QVERIFY(!theoryFigure(mm1, "p", "throughput"));
}

void TestLessons::checkAnswerVerdicts_data()
{
    QTest::addColumn<double>("guess");
    QTest::addColumn<bool>("withTheory");
    QTest::addColumn<bool>("close");
    QTest::addColumn<QString>("verdict");
    // Reference: theory 4 (M/M/1 at 0.8); without theory, the simulated 5.
    QTest::newRow("exact") << 4.0 << true << true << "Exactly right: the same as theory.";
    QTest::newRow("close") << 4.32 << true << true << "Close: within 8% of theory.";
    QTest::newRow("a bit high") << 5.0 << true << false << "Too high: 25% above theory.";
    QTest::newRow("far too high") << 12.0 << true << false << "Too high: 3.0 times theory.";
    QTest::newRow("a bit low") << 3.0 << true << false << "Too low: 25% below theory.";
    QTest::newRow("far too low") << 1.0 << true << false << "Too low: theory is 4.0 times as much.";
    QTest::newRow("zero") << 0.0 << true << false << "Off: theory says 4.";
    QTest::newRow("simulation only") << 5.2 << false << true << "Close: within 4% of the simulation.";
    QTest::newRow("not a number") << qQNaN() << true << false << "Not a number";
}

void TestLessons::checkAnswerVerdicts()
{
    QFETCH(double, guess);
    QFETCH(bool, withTheory);
    QFETCH(bool, close);
    QFETCH(QString, verdict);
    Scenario s = ScenarioBuilder("mm1").run(1000, 0, 2).producer("p", expo(1.25)).queue("q")
                     .consumer("w", expo(1)).link("p", "q").link("q", "w");
    if (!withTheory)
        s.nodes[0].interarrival = Distribution::deterministic(1.25); // D/M/1: no closed form here
    Results r;
    NodeResult q;
    q.id = "q";
    q.kind = NodeKind::Queue;
    q.wait.mean = 5;
    q.wait.ci95 = 0.4;
    r.nodes = {q};
    LessonQuestion question;
    question.node = "q";
    question.metric = "wait.mean";
    question.tolerance = 0.1;
    const AnswerCheck a = checkAnswer(question, guess, r, s);
    QCOMPARE(a.close, close);
    QVERIFY2(QString::fromStdString(a.verdict).startsWith(verdict), a.verdict.c_str());
    QCOMPARE(a.simulated, std::optional<double>(5));
    QCOMPARE(a.simulatedCi95, std::optional<double>(0.4));
    QCOMPARE(a.theory.has_value(), withTheory);
    if (std::isfinite(guess))
        QVERIFY(std::abs(a.relativeError - std::abs(guess - (withTheory ? 4 : 5)) / (withTheory ? 4 : 5)) < 1e-12);

    // Nothing to compare with.
    question.metric = "wait.p999";
    const AnswerCheck none = checkAnswer(question, 1, Results{}, s);
    QVERIFY(!none.close);
    QVERIFY(!none.simulated);
    QVERIFY(QString::fromStdString(none.verdict).startsWith(QStringLiteral("Nothing to compare")));
}

void TestLessons::lessonSectionRoundTripsInMemory()
{
    const Scenario s = smallLesson();
    const std::string text = scenarioToJson(s);
    const LoadResult r = parseScenario(text, "small.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QVERIFY2(r.diagnostics.items.empty(), r.diagnostics.toString().c_str());
    QVERIFY(*r.scenario == s);
    QCOMPARE(scenarioToJson(*r.scenario), text);
    // The run settings are "run" in the file, an empty node in memory.
    QVERIFY(text.find(R"({"node": "run", "field": "duration", "value": 4000})") != std::string::npos);
    // Defaults left out: no question, no highlight, no changes where there are none.
    const QJsonObject lesson = QJsonDocument::fromJson(QByteArray::fromStdString(text))
                                   .object().value(QStringLiteral("lesson")).toObject();
    const QJsonObject first = lesson.value(QStringLiteral("steps")).toArray().at(0).toObject();
    QVERIFY(!first.contains(QStringLiteral("changes")));
    QVERIFY(!first.contains(QStringLiteral("question")));
    QVERIFY(!lesson.contains(QStringLiteral("summary")));
    QVERIFY(!lesson.contains(QStringLiteral("order")));
}

void TestLessons::everyFieldOfTheTableCanChange_data()
{
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("producer message_ttl") << "p" << "message_ttl" << R"({"dist": "deterministic", "value": 3})";
    QTest::newRow("queue message_ttl") << "q" << "message_ttl" << "2.5";
    QTest::newRow("queue queue_type") << "q" << "queue_type" << R"("quorum")";
    QTest::newRow("consumer reject_probability") << "w" << "reject_probability" << "0.25";
    QTest::newRow("consumer requeue_probability") << "w" << "requeue_probability" << "0.125";
    QTest::newRow("delay delay") << "d" << "delay" << R"({"dist": "deterministic", "value": 4})";
}

// A change of any field sets it (the failure fields were read but not copied, and a
// loaded lesson then held null for them).
void TestLessons::everyFieldOfTheTableCanChange()
{
    QFETCH(QString, node);
    QFETCH(QString, field);
    QFETCH(QString, value);
    Scenario s = ScenarioBuilder("fields").run(100, 0, 1).producer("p", expo(1)).queue("q")
                     .consumer("w", expo(1)).delay("d", det(1)).link("p", "q").link("q", "w")
                     .link("w", "d");
    LessonStep step;
    step.title = "change";
    step.changes = {{node.toStdString(), field.toStdString(), value.toStdString()}};
    if (field == "queue_type") // a quorum queue, with a delivery limit as well
        step.changes.push_back({"q", "delivery_limit", "3"});
    s.lesson = Lesson{"t", {}, 0, {step}};
    Scenario at;
    std::string error;
    QVERIFY2(scenarioAtStep(s, 0, &at, &error), error.c_str());
    for (const LessonChange &c : step.changes)
        QCOMPARE(savedField(at, c), jsonValue(c.value));
    // ... and a saved lesson reads back with the same change values.
    const LoadResult r = parseScenario(scenarioToJson(s), "fields.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    for (std::size_t k = 0; k < step.changes.size(); ++k)
        QCOMPARE(jsonValue(r.scenario->lesson->steps[0].changes[k].value), jsonValue(step.changes[k].value));
}

void TestLessons::changeValuesAreCanonical()
{
    // Written by hand with keys in another order and a rate: loaded, the value is the text
    // the writer gives that field.
    Scenario s = smallLesson();
    s.lesson->steps[1].changes[0].value = R"({"rate":0.8,"dist":"exponential"})";
    s.lesson->steps[2].changes[1].value = "2.0";
    const LoadResult r = parseScenario(scenarioToJson(s), "c.json");
    QVERIFY2(r.scenario, r.diagnostics.toString().c_str());
    QCOMPARE(r.scenario->lesson->steps[1].changes[0].value,
             std::string(R"({"dist": "exponential", "rate": 0.8})"));
    QCOMPARE(r.scenario->lesson->steps[2].changes[1].value, std::string("2"));
    // A value that does not read is still written, so that loading names the problem.
    s.lesson->steps[1].changes[0].value = "not json";
    const LoadResult bad = parseScenario(scenarioToJson(s), "c.json");
    QVERIFY(!bad.scenario);
    QVERIFY2(bad.diagnostics.toString().find("lesson.steps[1].changes[0].value") != std::string::npos,
             bad.diagnostics.toString().c_str());
}

void TestLessons::runChangeIsAmbiguousWithANodeCalledRun()
{
    Scenario s = smallLesson();
    s.nodes[2].id = "run";
    s.links[1].to = "run";
    s.lesson->steps[1].changes.clear();
    const Diagnostics d = validateScenario(s, "amb.json");
    QVERIFY(d.hasErrors());
    QCOMPARE(d.errors().front().path, std::string("lesson.steps[2].changes[0].node"));
    QVERIFY2(d.errors().front().message.find("rename that node") != std::string::npos,
             d.toString().c_str());
}

void TestLessons::validateReportsBadChangeAtItsPath()
{
    // The editor validates in memory: the same messages, at the file's paths.
    Scenario s = smallLesson();
    s.lesson->steps[2].changes[1].value = "0";
    const Diagnostics d = validateScenario(s, "mem.json");
    QCOMPARE(d.errors().size(), std::size_t(1));
    QCOMPARE(d.errors().front().toString(),
             std::string("mem.json: lesson.steps[2].changes[1].value: must be >= 1, got 0"));
    // A lesson with no step at all.
    s = smallLesson();
    s.lesson->steps.clear();
    const Diagnostics empty = validateScenario(s);
    QCOMPARE(empty.errors().size(), std::size_t(1));
    QCOMPARE(empty.errors().front().path, std::string("lesson.steps"));
}

void TestLessons::textAsArrayOfLines()
{
    // Multi-line Markdown is written as an array of lines, and either form reads.
    const std::string text = scenarioToJson(smallLesson());
    QVERIFY(text.find("\"text\": [\n") != std::string::npos);
    QVERIFY(text.find("\"line one\",\n") != std::string::npos);
    QVERIFY(text.find("\"text\": \"\"") != std::string::npos); // an empty text stays a string
    const LoadResult r = parseScenario(text, "t.json");
    QVERIFY(r.scenario);
    QCOMPARE(r.scenario->lesson->steps[0].text, std::string("line one\n\nline three"));
    // A trailing newline survives too.
    Scenario s = smallLesson();
    s.lesson->steps[0].text = "a\n";
    const LoadResult t = parseScenario(scenarioToJson(s), "t.json");
    QVERIFY(t.scenario);
    QCOMPARE(t.scenario->lesson->steps[0].text, std::string("a\n"));
}

void TestLessons::schemaMatchesTheCode()
{
    const QJsonObject defs = QJsonDocument::fromJson(readAll(QString::fromUtf8(QL_SOURCE_DIR)
                                                             + QStringLiteral("/docs/scenario.schema.json")))
                                 .object().value(QStringLiteral("$defs")).toObject();
    const auto enumOf = [&](const char *def, const char *key) {
        std::set<std::string> out;
        const QJsonArray values = defs.value(QLatin1String(def)).toObject().value(QStringLiteral("properties"))
                                      .toObject().value(QLatin1String(key)).toObject().value(QStringLiteral("enum")).toArray();
        for (const QJsonValue &v : values)
            out.insert(v.toString().toStdString());
        return out;
    };
    // Metrics: the schema lists every metric of every kind.
    std::set<std::string> metrics;
    for (const std::optional<NodeKind> kind : {std::optional<NodeKind>(), std::optional(NodeKind::Producer),
                                               std::optional(NodeKind::Exchange), std::optional(NodeKind::Queue),
                                               std::optional(NodeKind::Consumer)})
        for (const std::string &m : questionMetrics(kind))
            metrics.insert(m);
    QCOMPARE(enumOf("lessonQuestion", "metric"), metrics);

    // Fields: the ones the validator names for each kind and for run.
    Scenario s = ScenarioBuilder("fields").producer("p", expo(1)).exchange("x", ExchangeType::Direct)
                     .queue("q").consumer("w", expo(0.5)).delay("d", expo(0.1)).link("p", "x")
                     .link("x", "q", "k").link("q", "w").link("w", "d");
    std::set<std::string> fields;
    for (const char *node : {"p", "x", "q", "w", "d", ""}) {
        s.lesson = Lesson{"t", {}, 0, {LessonStep{"s", {}, {}, {LessonChange{node, "zzz", "1"}}, {}}}};
        const Diagnostics d = validateScenario(s);
        QVERIFY(d.hasErrors());
        const QString message = QString::fromStdString(d.errors().front().message);
        QVERIFY2(message.contains(QStringLiteral("; use ")), qPrintable(message));
        static const QRegularExpression quoted(QStringLiteral("\"([a-z_]+)\""));
        auto it = quoted.globalMatch(message.mid(message.indexOf(QStringLiteral("; use "))));
        while (it.hasNext())
            fields.insert(it.next().captured(1).toStdString());
    }
    QCOMPARE(enumOf("lessonChange", "field"), fields);

    // Every key the writer emits is in the schema.
    const QJsonObject lesson = QJsonDocument::fromJson(QByteArray::fromStdString(scenarioToJson(smallLesson())))
                                   .object().value(QStringLiteral("lesson")).toObject();
    const auto keysOf = [&](const char *def) {
        return defs.value(QLatin1String(def)).toObject().value(QStringLiteral("properties")).toObject().keys();
    };
    for (const QString &k : lesson.keys())
        QVERIFY2(keysOf("lesson").contains(k), qPrintable(k));
    for (const QJsonValue step : lesson.value(QStringLiteral("steps")).toArray()) {
        for (const QString &k : step.toObject().keys())
            QVERIFY2(keysOf("lessonStep").contains(k), qPrintable(k));
        for (const QString &k : step.toObject().value(QStringLiteral("question")).toObject().keys())
            QVERIFY2(keysOf("lessonQuestion").contains(k), qPrintable(k));
        for (const QJsonValue c : step.toObject().value(QStringLiteral("changes")).toArray())
            for (const QString &k : c.toObject().keys())
                QVERIFY2(keysOf("lessonChange").contains(k), qPrintable(k));
    }
}

void TestLessons::cliLessonCommand()
{
    // queuelab-cli lesson FILE: the steps, and per question the simulated and theory answers.
    const QString cli = QStringLiteral(QL_BINARY_DIR "/app/queuelab-cli");
    QVERIFY2(QFile::exists(cli), qPrintable(cli));
    const auto run = [&](const QStringList &args, QString *out, QString *err) {
        QProcess p;
        p.start(cli, args);
        if (!p.waitForFinished(300000))
            return -2;
        *out = QString::fromUtf8(p.readAllStandardOutput());
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    };
    QString out, err;
    QCOMPARE(run({QStringLiteral("lesson"), lessonsDir() + QStringLiteral("/01-hello-queue.json"),
                  QStringLiteral("--threads"), QStringLiteral("1")},
                 &out, &err),
             0);
    QVERIFY2(out.startsWith(QStringLiteral("Hello, queue (5 steps)\n")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("step 5/5: More traffic\n  set send.interarrival = "
                                         "{\"dist\": \"exponential\", \"mean\": 1.25}\n"
                                         "  set run.duration = 50000\n")),
             qPrintable(out));
    QCOMPARE(out.count(QStringLiteral("(agree)")), 4);
    QVERIFY(!out.contains(QStringLiteral("DISAGREE")));
    QVERIFY2(out.contains(QStringLiteral("question: receive utilization.mean\n  simulated 0.")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral(", theory 0.5  (agree)")), qPrintable(out));
    // A question without theory says where its answer comes from.
    QCOMPARE(run({QStringLiteral("lesson"), lessonsDir() + QStringLiteral("/12-prefetch-hol.json")}, &out, &err), 0);
    QVERIFY2(out.contains(QStringLiteral("theory n/a (the simulation is the reference)")), qPrintable(out));
    // A scenario without a lesson, and bad usage, are bad input.
    QCOMPARE(run({QStringLiteral("lesson"), QString::fromUtf8(QL_SOURCE_DIR) + QStringLiteral("/scenarios/mm1.json")},
                 &out, &err),
             2);
    QVERIFY2(err.contains(QStringLiteral("has no \"lesson\" section")), qPrintable(err));
    QCOMPARE(run({QStringLiteral("lesson")}, &out, &err), 2);
    QVERIFY2(err.contains(QStringLiteral("lesson takes exactly one scenario file")), qPrintable(err));
    QCOMPARE(run({QStringLiteral("lesson"), QString::fromUtf8(QL_SOURCE_DIR)
                  + QStringLiteral("/tests/data/bad/lesson-change-bad-distribution.json")}, &out, &err), 2);
    QVERIFY2(err.contains(QStringLiteral("lesson.steps[1].changes[0].value.mean: must be > 0")), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
