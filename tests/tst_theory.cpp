// Closed-form results against textbook values and independent computations, the AMQP topic
// and headers matchers, and analyze() on small topologies built here: what it recognises,
// the figures it gives, and that every refusal names the node at fault.
#include "theory/theory.h"
#include "topology/routing.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace ql;

Q_DECLARE_METATYPE(ql::Scenario)
using HeaderList = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(HeaderList)

namespace {

// ---- scenario building -------------------------------------------------------------

Node producer(const std::string &id, double meanInterarrival, const std::string &key = {})
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Producer;
    n.interarrival = Distribution::exponential(meanInterarrival);
    n.routingKey = key;
    return n;
}

Node queue(const std::string &id, std::int64_t capacity = 0)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Queue;
    n.capacity = capacity;
    return n;
}

Node consumer(const std::string &id, double meanService, int servers = 1, int prefetch = 1)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Consumer;
    n.service = Distribution::exponential(meanService);
    n.servers = servers;
    n.prefetch = prefetch;
    return n;
}

Node exchange(const std::string &id, ExchangeType type)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Exchange;
    n.exchangeType = type;
    return n;
}

Node sink(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Sink;
    return n;
}

Link edge(const std::string &from, const std::string &to)
{
    Link l;
    l.from = from;
    l.to = to;
    return l;
}

Link binding(const std::string &from, const std::string &to, const std::string &key)
{
    Link l = edge(from, to);
    l.bindingKey = key;
    return l;
}

Link onwardEdge(const std::string &from, const std::string &to, double probability)
{
    Link l = edge(from, to);
    l.probability = probability;
    return l;
}

Scenario scenario(std::vector<Node> nodes, std::vector<Link> links)
{
    Scenario s;
    s.name = "test";
    s.nodes = std::move(nodes);
    s.links = std::move(links);
    return s;
}

// p -> q -> w, the M/M/1 (or M/M/c) everyone knows.
Scenario singleQueue(double lambda, double meanService, int servers = 1)
{
    return scenario({producer("p", 1 / lambda), queue("q"), consumer("w", meanService, servers)},
                    {edge("p", "q"), edge("q", "w")});
}

Node *find(Scenario &s, const std::string &id)
{
    for (Node &n : s.nodes)
        if (n.id == id)
            return &n;
    return nullptr;
}

const NodeTheory *station(const TheoryResult &r, const std::string &id)
{
    for (const NodeTheory &n : r.queues)
        if (n.id == id)
            return &n;
    return nullptr;
}

bool anyNoteContains(const TheoryResult &r, const std::string &text)
{
    for (const std::string &n : r.notes)
        if (n.find(text) != std::string::npos)
            return true;
    return false;
}

#define QFUZZY(actual, expected, tol)                                                          \
    do {                                                                                       \
        const double a_ = (actual), e_ = (expected);                                           \
        if (!(std::abs(a_ - e_) <= (tol) * std::max(1.0, std::abs(e_))))                       \
            QFAIL(qPrintable(QStringLiteral("%1 = %2, expected %3")                            \
                                 .arg(QString::fromLatin1(#actual))                            \
                                 .arg(a_, 0, 'g', 15)                                          \
                                 .arg(e_, 0, 'g', 15)));                                       \
    } while (false)

// ---- independent computations ------------------------------------------------------

// Erlang C straight from its definition, for small c.
double erlangCDirect(int c, double a)
{
    double sum = 0, term = 1; // a^k / k!
    for (int k = 0; k < c; ++k) {
        sum += term;
        term *= a / (k + 1);
    }
    const double top = term * c / (c - a); // a^c / c! * c / (c - a)
    return top / (sum + top);
}

// M/M/c/K by products of birth and death rates.
struct Direct
{
    double blocking, L, Lq;
};
Direct mmckDirect(double lambda, double mu, int c, int K)
{
    std::vector<double> p(std::size_t(K) + 1);
    p[0] = 1;
    for (int n = 1; n <= K; ++n)
        p[std::size_t(n)] = p[std::size_t(n - 1)] * lambda / (mu * std::min(n, c));
    double total = 0;
    for (double v : p)
        total += v;
    Direct d{p.back() / total, 0, 0};
    for (int n = 0; n <= K; ++n) {
        d.L += n * p[std::size_t(n)] / total;
        d.Lq += std::max(0, n - c) * p[std::size_t(n)] / total;
    }
    return d;
}

// The AMQP definition written as plainly as possible: split into words, then recurse.
std::vector<std::string> words(const std::string &s)
{
    std::vector<std::string> w;
    if (s.empty())
        return w;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = s.find('.', start);
        w.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            return w;
        start = dot + 1;
    }
}

bool topicReference(const std::vector<std::string> &p, std::size_t i,
                    const std::vector<std::string> &k, std::size_t j)
{
    if (i == p.size())
        return j == k.size();
    if (p[i] == "#")
        return topicReference(p, i + 1, k, j) || (j < k.size() && topicReference(p, i, k, j + 1));
    return j < k.size() && (p[i] == "*" || p[i] == k[j]) && topicReference(p, i + 1, k, j + 1);
}

} // namespace

class TestTheory : public QObject
{
    Q_OBJECT

private slots:
    void mm1Textbook();
    void mm2Textbook();
    void erlangCMatchesDefinition_data();
    void erlangCMatchesDefinition();
    void erlangCLargeSystems_data();
    void erlangCLargeSystems();
    void mmcSojournQuantileSolvesConvolution();
    void mmcUnstableHasNoNaN();
    void mmckMatchesDirect_data();
    void mmckMatchesDirect();
    void mmckWaitQuantilesSmallK();
    void mmckApproachesMmcForLargeK();
    void mmcPatientMeetsItsLimits();
    void md1Textbook();
    void mg1WithScvOneIsMm1();
    void mg1Unstable();

    void topicMatches_data();
    void topicMatches();
    void topicMatchesAgreesWithReference();
    void headersMatch_data();
    void headersMatch();

    void analyzeSingleQueue();
    void analyzeCompetingConsumers();
    void analyzeTandem();
    void analyzeFeedback();
    void analyzeFanout();
    void analyzeDirectWithUnroutableKey();
    void analyzeOnwardTopicKeepsOriginalKey();
    void analyzeHeadersExchange();
    void analyzeBoundedQueue();
    void analyzePrefetchSingleConsumer();
    void analyzeMd1();
    void analyzeLifoClearsQuantiles();
    void analyzeOverloaded();
    void analyzeSinkAndLostOnward();
    void analyzeNotApplicable_data();
    void analyzeNotApplicable();
};

// ---- formulas ------------------------------------------------------------------------

void TestTheory::mm1Textbook()
{
    const StationTheory s = mmc(0.9, 1.0, 1);
    QCOMPARE(s.model, std::string("M/M/1"));
    QVERIFY(s.stable);
    QFUZZY(s.utilization, 0.9, 1e-12);
    QFUZZY(s.meanQueueLength, 8.1, 1e-12);
    QFUZZY(s.meanWait, 9.0, 1e-12);
    QFUZZY(s.meanSojourn, 10.0, 1e-12);
    QFUZZY(s.meanInSystem, 9.0, 1e-12);
    QFUZZY(s.throughput, 0.9, 1e-12);
    // P(Wq > t) = 0.9 e^(-0.1 t); sojourn ~ exponential(0.1).
    QVERIFY(s.waitP50 && s.waitP99 && s.sojournP95);
    QFUZZY(*s.waitP50, std::log(0.9 / 0.5) / 0.1, 1e-12);
    QFUZZY(*s.waitP99, std::log(0.9 / 0.01) / 0.1, 1e-12);
    QFUZZY(*s.sojournP50, std::log(2.0) / 0.1, 1e-12);
    QFUZZY(*s.sojournP95, -std::log(0.05) / 0.1, 1e-12);
}

void TestTheory::mm2Textbook()
{
    const StationTheory s = mmc(1.5, 1.0, 2);
    QCOMPARE(s.model, std::string("M/M/2"));
    QFUZZY(erlangC(2, 1.5), 9.0 / 14.0, 1e-12); // 0.642857...
    QFUZZY(s.meanWait, 9.0 / 7.0, 1e-12);       // 1.285714...
    QFUZZY(s.meanQueueLength, 1.5 * 9.0 / 7.0, 1e-12);
    QFUZZY(s.meanSojourn, 9.0 / 7.0 + 1, 1e-12);
    QFUZZY(s.utilization, 0.75, 1e-12);
    // C = 0.64 > 0.5, so the median wait is positive: ln(C / 0.5) / (2 - 1.5).
    QFUZZY(*s.waitP50, std::log((9.0 / 14.0) / 0.5) / 0.5, 1e-12);
    // Light load: most messages do not wait at all.
    QCOMPARE(*mmc(0.5, 1.0, 3).waitP50, 0.0);
}

void TestTheory::erlangCMatchesDefinition_data()
{
    QTest::addColumn<int>("c");
    QTest::addColumn<double>("a");
    QTest::newRow("M/M/1 is rho") << 1 << 0.5;
    QTest::newRow("c=2 a=1.5") << 2 << 1.5;
    QTest::newRow("c=5 a=4.2") << 5 << 4.2;
    QTest::newRow("c=10 a=2") << 10 << 2.0;
    QTest::newRow("c=20 a=19.9") << 20 << 19.9;
}

void TestTheory::erlangCMatchesDefinition()
{
    QFETCH(int, c);
    QFETCH(double, a);
    QFUZZY(erlangC(c, a), erlangCDirect(c, a), 1e-11);
}

void TestTheory::erlangCLargeSystems_data()
{
    QTest::addColumn<int>("c");
    QTest::addColumn<double>("a");
    QTest::newRow("c=500 a=490") << 500 << 490.0;
    QTest::newRow("c=500 a=100") << 500 << 100.0;
    QTest::newRow("c=1000 a=999.9") << 1000 << 999.9;
    QTest::newRow("c=5000 a=4900") << 5000 << 4900.0;
}

void TestTheory::erlangCLargeSystems()
{
    QFETCH(int, c);
    QFETCH(double, a);
    const double C = erlangC(c, a);
    QVERIFY(std::isfinite(C));
    QVERIFY(C >= 0 && C <= 1);
    // More load, more waiting: C grows with a.
    QVERIFY(erlangC(c, a * 0.99) <= C);
    const StationTheory s = mmc(a, 1.0, c);
    QVERIFY(std::isfinite(s.meanWait) && s.meanWait >= 0);
    QVERIFY(s.waitP99 && std::isfinite(*s.waitP99));
    QVERIFY(s.sojournP99 && std::isfinite(*s.sojournP99) && *s.sojournP99 > 0);
}

void TestTheory::mmcSojournQuantileSolvesConvolution()
{
    // P(Wq + S > t) = e^(-mu t) + int_0^t mu e^(-mu s) C e^(-theta (t - s)) ds, integrated
    // numerically (Simpson): an independent check of the closed form used for c > 1.
    const double lambda = 2.5, mu = 1.0;
    const int c = 3;
    const double C = erlangC(c, lambda / mu), theta = c * mu - lambda;
    auto survival = [&](double t) {
        const int n = 20000;
        const double h = t / n;
        double sum = 0;
        for (int i = 0; i <= n; ++i) {
            const double s = i * h;
            const double f = mu * std::exp(-mu * s) * C * std::exp(-theta * (t - s));
            sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
        }
        return std::exp(-mu * t) + sum * h / 3;
    };
    const StationTheory s = mmc(lambda, mu, c);
    QFUZZY(survival(*s.sojournP50), 0.50, 1e-8);
    QFUZZY(survival(*s.sojournP95), 0.05, 1e-8);
    QFUZZY(survival(*s.sojournP99), 0.01, 1e-8);
    // theta == mu exactly is the removable singularity of the closed form.
    const StationTheory t = mmc(1.0, 1.0, 2); // theta = 2 - 1 = 1 = mu
    QVERIFY(t.sojournP50 && std::isfinite(*t.sojournP50) && *t.sojournP50 > 0);
}

void TestTheory::mmcUnstableHasNoNaN()
{
    for (const StationTheory &s : {mmc(1.2, 1.0, 1), mmc(2.0, 1.0, 2), mmc(7.0, 1.0, 3)}) {
        QVERIFY(!s.stable);
        QVERIFY(std::isinf(s.meanWait) && s.meanWait > 0);
        QVERIFY(std::isinf(s.meanQueueLength));
        QVERIFY(!std::isnan(s.utilization) && s.utilization <= 1);
        QVERIFY(!s.waitP50 && !s.sojournP50);
    }
    QCOMPARE(erlangC(2, 3.0), 1.0);
    QCOMPARE(erlangC(2, 2.0), 1.0);
}

void TestTheory::mmckMatchesDirect_data()
{
    QTest::addColumn<double>("lambda");
    QTest::addColumn<double>("mu");
    QTest::addColumn<int>("c");
    QTest::addColumn<int>("K");
    QTest::newRow("M/M/1/5 rho 0.9") << 0.9 << 1.0 << 1 << 5;
    QTest::newRow("M/M/1/10 overloaded") << 2.0 << 1.0 << 1 << 10;
    QTest::newRow("M/M/1/4 rho exactly 1") << 1.0 << 1.0 << 1 << 4;
    QTest::newRow("M/M/2/6") << 3.0 << 1.0 << 2 << 6;
    QTest::newRow("M/M/3/3 Erlang loss") << 5.0 << 1.0 << 3 << 3;
    QTest::newRow("M/M/4/40 rho exactly 1") << 8.0 << 2.0 << 4 << 40;
}

void TestTheory::mmckMatchesDirect()
{
    QFETCH(double, lambda);
    QFETCH(double, mu);
    QFETCH(int, c);
    QFETCH(int, K);
    const StationTheory s = mmck(lambda, mu, c, K);
    const Direct d = mmckDirect(lambda, mu, c, K);
    QVERIFY(s.stable);
    QFUZZY(s.blocking, d.blocking, 1e-12);
    QFUZZY(s.meanInSystem, d.L, 1e-12);
    QFUZZY(s.meanQueueLength, d.Lq, 1e-12);
    QFUZZY(s.throughput, lambda * (1 - d.blocking), 1e-12);
    QFUZZY(s.meanWait, d.Lq / s.throughput, 1e-12);
    QFUZZY(s.meanSojourn, d.L / s.throughput, 1e-12);
    QFUZZY(s.utilization, s.throughput / (c * mu), 1e-12);
    QVERIFY(s.utilization <= 1);
    // Little on the servers: L - Lq = busy servers = throughput / mu.
    QFUZZY(s.meanInSystem - s.meanQueueLength, s.throughput / mu, 1e-12);
    QCOMPARE(s.model, "M/M/" + std::to_string(c) + "/" + std::to_string(K));
}

void TestTheory::mmckWaitQuantilesSmallK()
{
    // M/M/1/2, lambda = mu = 1: p0 = p1 = p2 = 1/3. Accepted arrivals find 0 or 1 with
    // probability 1/2 each, so P(Wq > t) = e^-t / 2 and P(T > t) = e^-t (1 + t / 2).
    const StationTheory s = mmck(1.0, 1.0, 1, 2);
    QFUZZY(s.blocking, 1.0 / 3, 1e-12);
    QVERIFY(s.waitP50 && s.waitP90 && s.sojournP50);
    QFUZZY(*s.waitP50, 0.0, 1e-9);
    QFUZZY(*s.waitP90, std::log(5.0), 1e-9);
    QFUZZY(*s.waitP99, std::log(50.0), 1e-9);
    auto sojournSurvival = [](double t) { return std::exp(-t) * (1 + t / 2); };
    QFUZZY(sojournSurvival(*s.sojournP50), 0.5, 1e-9);
    QFUZZY(sojournSurvival(*s.sojournP99), 0.01, 1e-9);
}

void TestTheory::mmckApproachesMmcForLargeK()
{
    const StationTheory inf = mmc(1.6, 1.0, 2);
    const StationTheory big = mmck(1.6, 1.0, 2, 400);
    QVERIFY(big.blocking < 1e-30);
    QFUZZY(big.meanWait, inf.meanWait, 1e-9);
    QFUZZY(*big.waitP50, *inf.waitP50, 1e-8);
    QFUZZY(*big.waitP95, *inf.waitP95, 1e-8);
    QFUZZY(*big.waitP99, *inf.waitP99, 1e-8);
    const StationTheory inf1 = mmc(0.7, 1.0, 1);
    const StationTheory big1 = mmck(0.7, 1.0, 1, 300);
    QFUZZY(*big1.sojournP50, *inf1.sojournP50, 1e-8);
    QFUZZY(*big1.sojournP99, *inf1.sojournP99, 1e-8);
    // A huge offered load and K far beyond what a^n / n! survives in doubles.
    const StationTheory heavy = mmck(3000.0, 1.0, 1000, 5000);
    QVERIFY(std::isfinite(heavy.meanWait) && heavy.blocking > 0.6 && heavy.blocking < 0.7);
}

// M/M/c+D against what it must reduce to: with no patience, Erlang's loss system M/M/c/c
// (blocking = abandonment, nobody waits); with a patience far beyond any wait, M/M/c; and
// overloaded with a huge patience, a queue that serves at full speed (finite, no NaN).
void TestTheory::mmcPatientMeetsItsLimits()
{
    for (int c : {1, 2, 5}) {
        const double lambda = 0.8 * c;
        const StationTheory none = mmcPatient(lambda, 1.0, c, 0.0);
        const StationTheory loss = mmck(lambda, 1.0, c, c);
        QFUZZY(none.abandonment, loss.blocking, 1e-12);
        QFUZZY(none.meanWait, 0.0, 1e-12);
        QFUZZY(none.meanQueueLength, 0.0, 1e-12);
        const StationTheory patient = mmcPatient(lambda, 1.0, c, 500.0);
        const StationTheory plain = mmc(lambda, 1.0, c);
        QVERIFY(patient.abandonment < 1e-12);
        QFUZZY(patient.meanWait, plain.meanWait, 1e-9);
        QFUZZY(patient.meanQueueLength, plain.meanQueueLength, 1e-9);
        QFUZZY(patient.utilization, plain.utilization, 1e-9);
    }
    // M/M/1+D by hand at lambda = mu = 1 (beta = 0): pi_0 = 1 / (2 + D), P(abandon) = pi_0.
    const StationTheory critical = mmcPatient(1.0, 1.0, 1, 3.0);
    QFUZZY(critical.abandonment, 1.0 / 5.0, 1e-9);
    QFUZZY(critical.meanWait, (0.2 * 4.5) / 0.8, 1e-9); // E[V; V < D] = pi_0 D^2 / 2
    const StationTheory flooded = mmcPatient(30.0, 1.0, 1, 1000.0);
    QVERIFY(std::isfinite(flooded.meanWait) && std::isfinite(flooded.abandonment));
    QFUZZY(flooded.throughput, 1.0, 1e-9); // the server never idles
    QFUZZY(flooded.abandonment, 29.0 / 30.0, 1e-9);
}

void TestTheory::md1Textbook()
{
    const StationTheory s = mg1(0.8, 1.0, 0.0);
    QCOMPARE(s.model, std::string("M/D/1"));
    QFUZZY(s.meanWait, 2.0, 1e-12);
    QFUZZY(s.meanQueueLength, 1.6, 1e-12);
    QFUZZY(s.meanSojourn, 3.0, 1e-12);
    QFUZZY(s.meanInSystem, 2.4, 1e-12);
    QFUZZY(s.utilization, 0.8, 1e-12);
}

void TestTheory::mg1WithScvOneIsMm1()
{
    const StationTheory g = mg1(0.7, 1.0, 1.0);
    const StationTheory m = mmc(0.7, 1.0, 1);
    QCOMPARE(g.model, std::string("M/G/1"));
    QFUZZY(g.meanWait, m.meanWait, 1e-12);
    QFUZZY(g.meanQueueLength, m.meanQueueLength, 1e-12);
    QFUZZY(g.meanSojourn, m.meanSojourn, 1e-12);
    QFUZZY(g.meanInSystem, m.meanInSystem, 1e-12);
}

void TestTheory::mg1Unstable()
{
    const StationTheory s = mg1(1.0, 1.0, 0.5);
    QVERIFY(!s.stable);
    QVERIFY(std::isinf(s.meanWait));
}

// ---- routing -----------------------------------------------------------------------

void TestTheory::topicMatches_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact") << "a.b" << "a.b" << true;
    QTest::newRow("exact differs") << "a.b" << "a.c" << false;
    QTest::newRow("a.# matches a") << "a.#" << "a" << true;
    QTest::newRow("a.# matches a.b.c") << "a.#" << "a.b.c" << true;
    QTest::newRow("a.# not b") << "a.#" << "b" << false;
    QTest::newRow("#.b matches b") << "#.b" << "b" << true;
    QTest::newRow("#.b matches x.y.b") << "#.b" << "x.y.b" << true;
    QTest::newRow("#.b not b.x") << "#.b" << "b.x" << false;
    QTest::newRow("a.*.c not a.c") << "a.*.c" << "a.c" << false;
    QTest::newRow("a.*.c matches a.b.c") << "a.*.c" << "a.b.c" << true;
    QTest::newRow("a.*.c not a.b.b.c") << "a.*.c" << "a.b.b.c" << false;
    QTest::newRow("* one word") << "*" << "abc" << true;
    QTest::newRow("* not two words") << "*" << "a.b" << false;
    QTest::newRow("* not empty key") << "*" << "" << false;
    QTest::newRow("# matches empty") << "#" << "" << true;
    QTest::newRow("# matches anything") << "#" << "x.y.z" << true;
    QTest::newRow("empty matches empty") << "" << "" << true;
    QTest::newRow("empty not a") << "" << "a" << false;
    QTest::newRow("a not empty") << "a" << "" << false;
    QTest::newRow("#.# matches a") << "#.#" << "a" << true;
    QTest::newRow("a.#.b matches a.b") << "a.#.b" << "a.b" << true;
    QTest::newRow("a.#.b matches a.x.y.b") << "a.#.b" << "a.x.y.b" << true;
    QTest::newRow("a.#.b not a.x.y.c") << "a.#.b" << "a.x.y.c" << false;
    QTest::newRow("#.a.#.b backtracks") << "#.a.#.b" << "x.a.y.a.z.b" << true;
    QTest::newRow("#.a.b needs last two") << "#.a.b" << "a.b.a.c.a.b" << true;
    QTest::newRow("#.a.b fails on tail") << "#.a.b" << "a.b.a.c" << false;
    QTest::newRow("*.# needs one word") << "*.#" << "" << false;
    QTest::newRow("*.# one word") << "*.#" << "a" << true;
    QTest::newRow("#.* two words") << "#.*" << "a.b" << true;
    QTest::newRow("empty word in key") << "a.*" << "a." << true;
    QTest::newRow("empty words exact") << "a..b" << "a..b" << true;
    QTest::newRow("word, not prefix") << "ab" << "abc" << false;
    QTest::newRow("star is a whole word") << "a*" << "ab" << false;
    QTest::newRow("order.*") << "order.*" << "order.created" << true;
    QTest::newRow("order.* not deeper") << "order.*" << "order.created.eu" << false;
}

void TestTheory::topicMatches()
{
    QFETCH(QString, pattern);
    QFETCH(QString, key);
    QFETCH(bool, matches);
    QCOMPARE(ql::topicMatches(pattern.toStdString(), key.toStdString()), matches);
}

void TestTheory::topicMatchesAgreesWithReference()
{
    // Every pattern of up to 5 words over {a, b, *, #} against every key of up to 5 words
    // over {a, b}, plus keys with an empty word.
    const char *patternWords[] = {"a", "b", "*", "#"};
    const char *keyWords[] = {"a", "b", ""};
    auto build = [](const char *const *alphabet, int size, int length, int code) {
        std::string s;
        for (int i = 0; i < length; ++i) {
            if (i > 0)
                s += '.';
            s += alphabet[code % size];
            code /= size;
        }
        return s;
    };
    int checked = 0;
    for (int pl = 0; pl <= 5; ++pl) {
        for (int pc = 0; pc < (1 << (2 * pl)); ++pc) {
            const std::string pattern = build(patternWords, 4, pl, pc);
            int keyCodes = 1;
            for (int kl = 0; kl <= 5; ++kl, keyCodes *= 3) {
                for (int kc = 0; kc < keyCodes; ++kc) {
                    const std::string key = build(keyWords, 3, kl, kc);
                    if (kl == 1 && key.empty())
                        continue; // one empty word is the empty key: no words at all
                    const bool expected = topicReference(words(pattern), 0, words(key), 0);
                    if (ql::topicMatches(pattern, key) != expected)
                        QFAIL(qPrintable(QStringLiteral("pattern '%1' key '%2': expected %3")
                                             .arg(QString::fromStdString(pattern),
                                                  QString::fromStdString(key))
                                             .arg(expected)));
                    ++checked;
                }
            }
        }
    }
    QVERIFY(checked > 100000);
}

void TestTheory::headersMatch_data()
{
    using H = HeaderList;
    QTest::addColumn<bool>("all");
    QTest::addColumn<H>("arguments");
    QTest::addColumn<H>("headers");
    QTest::addColumn<bool>("matches");
    const H msg{{"format", "pdf"}, {"type", "report"}};
    QTest::newRow("all, all present") << true << H{{"format", "pdf"}, {"type", "report"}} << msg << true;
    QTest::newRow("all, one differs") << true << H{{"format", "pdf"}, {"type", "log"}} << msg << false;
    QTest::newRow("all, one missing") << true << H{{"format", "pdf"}, {"size", "big"}} << msg << false;
    QTest::newRow("all, no arguments") << true << H{} << msg << true;
    QTest::newRow("any, one equal") << false << H{{"format", "zip"}, {"type", "report"}} << msg << true;
    QTest::newRow("any, none equal") << false << H{{"format", "zip"}, {"size", "big"}} << msg << false;
    QTest::newRow("any, no arguments") << false << H{} << msg << false;
    QTest::newRow("x- arguments ignored") << true << H{{"x-match", "all"}, {"format", "pdf"}} << msg << true;
    QTest::newRow("no headers") << true << H{{"format", "pdf"}} << H{} << false;
}

void TestTheory::headersMatch()
{
    using H = HeaderList;
    QFETCH(bool, all);
    QFETCH(H, arguments);
    QFETCH(H, headers);
    QFETCH(bool, matches);
    QCOMPARE(ql::headersMatch(all ? HeadersMatch::All : HeadersMatch::Any, arguments, headers),
             matches);
}

// ---- analyze -----------------------------------------------------------------------

void TestTheory::analyzeSingleQueue()
{
    const TheoryResult r = analyze(singleQueue(0.9, 1.0));
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("M/M/1"));
    QCOMPARE(r.queues.size(), std::size_t(1));
    QCOMPARE(r.queues[0].id, std::string("q"));
    QCOMPARE(r.queues[0].consumers, std::vector<std::string>{"w"});
    QFUZZY(r.queues[0].station.meanWait, 9.0, 1e-9);
    QFUZZY(r.queues[0].station.meanQueueLength, 8.1, 1e-9);
    QVERIFY(r.endToEndLatency && r.endToEndThroughput);
    QFUZZY(*r.endToEndLatency, 10.0, 1e-9);
    QFUZZY(*r.endToEndThroughput, 0.9, 1e-9);
}

void TestTheory::analyzeCompetingConsumers()
{
    // Two consumers of one server each are one M/M/2 station; so is one consumer with two.
    Scenario s = scenario({producer("p", 1 / 1.5), queue("q"), consumer("w1", 1.0),
                           consumer("w2", 1.0)},
                          {edge("p", "q"), edge("q", "w1"), edge("q", "w2")});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("M/M/2"));
    QCOMPARE(r.queues[0].consumers.size(), std::size_t(2));
    QFUZZY(r.queues[0].station.meanWait, 9.0 / 7.0, 1e-9);
    QFUZZY(*r.endToEndLatency, 9.0 / 7.0 + 1, 1e-9);

    const TheoryResult one = analyze(singleQueue(1.5, 1.0, 2));
    QCOMPARE(one.model, std::string("M/M/2"));
    QFUZZY(one.queues[0].station.meanWait, 9.0 / 7.0, 1e-9);
}

void TestTheory::analyzeTandem()
{
    Scenario s = scenario({producer("p", 2.0), queue("q1"), consumer("w1", 1.0), queue("q2"),
                           consumer("w2", 0.5), sink("done")},
                          {edge("p", "q1"), edge("q1", "w1"), edge("w1", "q2"), edge("q2", "w2"),
                           edge("w2", "done")});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("Jackson network of 2 stations"));
    QCOMPARE(r.queues.size(), std::size_t(2));
    QFUZZY(station(r, "q1")->station.lambda, 0.5, 1e-12);
    QFUZZY(station(r, "q2")->station.lambda, 0.5, 1e-12);
    QFUZZY(station(r, "q1")->station.meanSojourn, 2.0, 1e-9);
    QFUZZY(station(r, "q2")->station.meanSojourn, 1.0 / 1.5, 1e-9);
    QFUZZY(*r.endToEndLatency, 2.0 + 1.0 / 1.5, 1e-9);
    QFUZZY(*r.endToEndThroughput, 0.5, 1e-12);
}

void TestTheory::analyzeFeedback()
{
    // A quarter per unit from outside, half of the served messages come back: 0.5 per unit
    // at the queue, W = 2 per visit, 2 visits on average, so 4 from publish to the end.
    Scenario s = scenario({producer("p", 4.0), queue("q"), consumer("w", 1.0)},
                          {edge("p", "q"), edge("q", "w"), onwardEdge("w", "q", 0.5)});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("M/M/1 with feedback"));
    QFUZZY(r.queues[0].station.lambda, 0.5, 1e-12);
    QFUZZY(r.queues[0].station.meanSojourn, 2.0, 1e-9);
    QFUZZY(*r.endToEndLatency, 4.0, 1e-9);
    QFUZZY(*r.endToEndThroughput, 0.25, 1e-12);

    // Feedback in a network: q1 -> q2, and q2 sends 20% back to q1.
    Scenario n = scenario({producer("p", 2.0), queue("q1"), consumer("w1", 0.5), queue("q2"),
                           consumer("w2", 0.25)},
                          {edge("p", "q1"), edge("q1", "w1"), edge("w1", "q2"), edge("q2", "w2"),
                           onwardEdge("w2", "q1", 0.2)});
    const TheoryResult rn = analyze(n);
    QVERIFY2(rn.applicable, rn.reason.c_str());
    const double lambda = 0.5 / 0.8; // both queues
    QFUZZY(station(rn, "q1")->station.lambda, lambda, 1e-12);
    QFUZZY(station(rn, "q2")->station.lambda, lambda, 1e-12);
    const double L1 = lambda * 0.5 / (1 - lambda * 0.5);
    const double L2 = lambda * 0.25 / (1 - lambda * 0.25);
    QFUZZY(*rn.endToEndLatency, (L1 + L2) / 0.5, 1e-9);
}

void TestTheory::analyzeFanout()
{
    // Every publish becomes two copies; each copy's latency is its own queue's W.
    Scenario s = scenario({producer("p", 2.0), exchange("x", ExchangeType::Fanout), queue("qa"),
                           queue("qb"), consumer("wa", 1.0), consumer("wb", 0.5)},
                          {edge("p", "x"), edge("x", "qa"), edge("x", "qb"), edge("qa", "wa"),
                           edge("qb", "wb")});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("Jackson network of 2 stations"));
    QFUZZY(station(r, "qa")->station.lambda, 0.5, 1e-12);
    QFUZZY(station(r, "qb")->station.lambda, 0.5, 1e-12);
    QFUZZY(*r.endToEndThroughput, 1.0, 1e-12);
    QFUZZY(*r.endToEndLatency, (2.0 + 1.0 / 1.5) / 2, 1e-9);

    // Fanout after a first stage: each copy carries the first stage's W as well.
    Scenario t = scenario({producer("p", 4.0), queue("q0"), consumer("w0", 1.0),
                           exchange("x", ExchangeType::Fanout), queue("qa"), queue("qb"),
                           consumer("wa", 1.0), consumer("wb", 0.5)},
                          {edge("p", "q0"), edge("q0", "w0"), edge("w0", "x"), edge("x", "qa"),
                           edge("x", "qb"), edge("qa", "wa"), edge("qb", "wb")});
    const TheoryResult rt = analyze(t);
    QVERIFY2(rt.applicable, rt.reason.c_str());
    const double w0 = 1 / (1 - 0.25), wa = 1 / (1 - 0.25), wb = 1 / (2 - 0.25);
    QFUZZY(*rt.endToEndThroughput, 0.5, 1e-12);
    QFUZZY(*rt.endToEndLatency, w0 + (wa + wb) / 2, 1e-9);
}

void TestTheory::analyzeDirectWithUnroutableKey()
{
    Scenario s = scenario({producer("p", 1.0), exchange("x", ExchangeType::Direct), queue("qa"),
                           queue("qb"), queue("idle"), consumer("wa", 1.0), consumer("wb", 1.0),
                           consumer("wi", 1.0)},
                          {edge("p", "x"), binding("x", "qa", "a"), binding("x", "qb", "b"),
                           binding("x", "idle", "never"), edge("qa", "wa"), edge("qb", "wb"),
                           edge("idle", "wi")});
    find(s, "p")->routingKeys = {{"a", 3}, {"b", 1}, {"zzz", 1}};
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.queues.size(), std::size_t(2)); // 'idle' gets nothing and is left out
    QVERIFY(!station(r, "idle"));
    QFUZZY(station(r, "qa")->station.lambda, 0.6, 1e-12);
    QFUZZY(station(r, "qb")->station.lambda, 0.2, 1e-12);
    QFUZZY(*r.endToEndThroughput, 0.8, 1e-12);
    QVERIFY(anyNoteContains(r, "'zzz'"));
    QVERIFY(anyNoteContains(r, "unroutable"));
    // Little over the whole network, delivered messages only.
    const double La = 0.6 / 0.4, Lb = 0.2 / 0.8;
    QFUZZY(*r.endToEndLatency, (La + Lb) / 0.8, 1e-9);
}

void TestTheory::analyzeOnwardTopicKeepsOriginalKey()
{
    // Two producers share a first queue; after it, a topic exchange sends each message by
    // the key it was published with.
    Scenario s = scenario({producer("p1", 1 / 0.3, "x.a"), producer("p2", 1 / 0.2, "x.b"),
                           queue("q0"), consumer("w0", 1.0), exchange("t", ExchangeType::Topic),
                           queue("qa"), queue("qb"), consumer("wa", 1.0), consumer("wb", 1.0)},
                          {edge("p1", "q0"), edge("p2", "q0"), edge("q0", "w0"), edge("w0", "t"),
                           binding("t", "qa", "*.a"), binding("t", "qb", "#.b"), edge("qa", "wa"),
                           edge("qb", "wb")});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("Jackson network of 3 stations"));
    QFUZZY(station(r, "q0")->station.lambda, 0.5, 1e-12);
    QFUZZY(station(r, "qa")->station.lambda, 0.3, 1e-12);
    QFUZZY(station(r, "qb")->station.lambda, 0.2, 1e-12);
    // A binding matching both keys: "#" sends everything to qb as well as "*.a" to qa.
    s.links[5].bindingKey = "#";
    const TheoryResult r2 = analyze(s);
    QFUZZY(station(r2, "qb")->station.lambda, 0.5, 1e-12);
    QFUZZY(*r2.endToEndThroughput, 0.8, 1e-12); // 0.3 copies to qa + 0.5 to qb
}

void TestTheory::analyzeHeadersExchange()
{
    Scenario s = scenario({producer("pdf", 2.0), producer("log", 4.0),
                           exchange("h", ExchangeType::Headers), queue("reports"),
                           queue("anything"), consumer("wr", 1.0), consumer("wa", 1.0)},
                          {edge("pdf", "h"), edge("log", "h"), edge("h", "reports"),
                           edge("h", "anything"), edge("reports", "wr"), edge("anything", "wa")});
    find(s, "pdf")->headers = {{"format", "pdf"}, {"type", "report"}};
    find(s, "log")->headers = {{"format", "txt"}, {"type", "log"}};
    s.links[2].match = HeadersMatch::All;
    s.links[2].arguments = {{"format", "pdf"}, {"type", "report"}};
    s.links[3].match = HeadersMatch::Any;
    s.links[3].arguments = {{"format", "txt"}, {"type", "report"}};
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QFUZZY(station(r, "reports")->station.lambda, 0.5, 1e-12);
    QFUZZY(station(r, "anything")->station.lambda, 0.75, 1e-12);
}

void TestTheory::analyzeBoundedQueue()
{
    Scenario s = singleQueue(1.2, 1.0);
    find(s, "q")->capacity = 4; // ready messages: K = 4 + 1 in the system
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("M/M/1/5"));
    const StationTheory expected = mmck(1.2, 1.0, 1, 5);
    const StationTheory &st = r.queues[0].station;
    QVERIFY(st.stable);
    QFUZZY(st.blocking, expected.blocking, 1e-12);
    QFUZZY(st.meanWait, expected.meanWait, 1e-12);
    QFUZZY(*r.endToEndThroughput, expected.throughput, 1e-12);
    QFUZZY(*r.endToEndLatency, expected.meanSojourn, 1e-12);

    // Two consumers: K = capacity + 2.
    Scenario two = scenario({producer("p", 0.5), queue("q", 3), consumer("w1", 1.0),
                             consumer("w2", 1.0)},
                            {edge("p", "q"), edge("q", "w1"), edge("q", "w2")});
    const TheoryResult r2 = analyze(two);
    QCOMPARE(r2.model, std::string("M/M/2/5"));
    QFUZZY(r2.queues[0].station.blocking, mmckDirect(2.0, 1.0, 2, 5).blocking, 1e-12);
}

void TestTheory::analyzePrefetchSingleConsumer()
{
    // One consumer, one server, prefetch 3: the system is still M/M/1, but up to two
    // messages wait inside the consumer instead of in the queue.
    Scenario s = singleQueue(0.9, 1.0);
    find(s, "w")->prefetch = 3;
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    const StationTheory &st = r.queues[0].station;
    QFUZZY(st.meanWait, 9.0, 1e-9);
    // E[(N - 3)+] with P(N = n) = 0.1 * 0.9^n is 0.9^4 / 0.1.
    QFUZZY(st.meanQueueLength, std::pow(0.9, 4) / 0.1, 1e-9);
    QVERIFY(anyNoteContains(r, "prefetch"));

    // Bounded as well: capacity counts ready messages, so K = 2 + 3.
    find(s, "q")->capacity = 2;
    const TheoryResult rb = analyze(s);
    QCOMPARE(rb.model, std::string("M/M/1/5"));
    double ready = 0, total = 0;
    for (int n = 0; n <= 5; ++n) {
        total += std::pow(0.9, n);
        ready += std::max(0, n - 3) * std::pow(0.9, n);
    }
    QFUZZY(rb.queues[0].station.meanQueueLength, ready / total, 1e-12);
}

void TestTheory::analyzeMd1()
{
    Scenario s = singleQueue(0.8, 1.0);
    find(s, "w")->service = Distribution::deterministic(1.0);
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.model, std::string("M/D/1"));
    QFUZZY(r.queues[0].station.meanWait, 2.0, 1e-9);
    QFUZZY(*r.endToEndLatency, 3.0, 1e-9);

    Distribution lognormal;
    lognormal.kind = DistKind::Lognormal;
    lognormal.mean = 1.0;
    lognormal.stddev = 2.0; // scv 4
    find(s, "w")->service = lognormal;
    const TheoryResult g = analyze(s);
    QCOMPARE(g.model, std::string("M/G/1"));
    QFUZZY(g.queues[0].station.meanWait, 0.8 * 5.0 / (2 * 0.2), 1e-9);
}

void TestTheory::analyzeLifoClearsQuantiles()
{
    Scenario s = singleQueue(0.9, 1.0);
    find(s, "q")->discipline = Discipline::Lifo;
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    const StationTheory &st = r.queues[0].station;
    QFUZZY(st.meanWait, 9.0, 1e-9);
    QVERIFY(!st.waitP50 && !st.waitP99 && !st.sojournP50);
    QVERIFY(anyNoteContains(r, "LIFO"));

    // A priority queue fed by one priority level is plain FIFO and keeps its quantiles.
    find(s, "q")->discipline = Discipline::Priority;
    QVERIFY(analyze(s).queues[0].station.waitP50.has_value());
    s.nodes.push_back(producer("urgent", 20.0));
    s.nodes.back().priority = 5;
    s.links.push_back(edge("urgent", "q"));
    const TheoryResult rp = analyze(s);
    QVERIFY(!rp.queues[0].station.waitP50);
    QVERIFY(anyNoteContains(rp, "priority"));
    QFUZZY(rp.queues[0].station.lambda, 0.95, 1e-12);

    // LIFO inside a network whose messages all go on the same way: the number in the queue
    // evolves as under FIFO, so the network is still solved.
    Scenario t = scenario({producer("p", 2.0), queue("q1"), consumer("w1", 1.0), queue("q2"),
                           consumer("w2", 1.0)},
                          {edge("p", "q1"), edge("q1", "w1"), edge("w1", "q2"), edge("q2", "w2")});
    find(t, "q1")->discipline = Discipline::Lifo;
    const TheoryResult rt = analyze(t);
    QVERIFY2(rt.applicable, rt.reason.c_str());
    QVERIFY(!station(rt, "q1")->station.waitP50);
    QVERIFY(station(rt, "q2")->station.waitP50.has_value());
    QFUZZY(*rt.endToEndLatency, 4.0, 1e-9);
}

void TestTheory::analyzeOverloaded()
{
    const TheoryResult r = analyze(singleQueue(1.13, 1.0));
    QVERIFY(r.applicable);
    QVERIFY(!r.queues[0].station.stable);
    QVERIFY(r.reason.find("'q'") != std::string::npos);
    QVERIFY(r.reason.find("1.13") != std::string::npos);
    QVERIFY(anyNoteContains(r, "overloaded"));
    QVERIFY(!r.endToEndLatency);
}

void TestTheory::analyzeSinkAndLostOnward()
{
    // After service, 30% go to a sink (delivered), 50% to an exchange with no matching
    // binding (dropped, never delivered), the rest leave (delivered).
    Scenario s = scenario({producer("p", 2.0, "k"), queue("q"), consumer("w", 1.0), sink("end"),
                           exchange("x", ExchangeType::Direct), queue("other"),
                           consumer("wo", 1.0)},
                          {edge("p", "q"), edge("q", "w"), onwardEdge("w", "end", 0.3),
                           onwardEdge("w", "x", 0.5), binding("x", "other", "not-k"),
                           edge("other", "wo")});
    const TheoryResult r = analyze(s);
    QVERIFY2(r.applicable, r.reason.c_str());
    QCOMPARE(r.queues.size(), std::size_t(1));
    QFUZZY(*r.endToEndThroughput, 0.5 * 0.5, 1e-12);
    QFUZZY(*r.endToEndLatency, 2.0, 1e-9); // delivered ones spent W = 2 like all others
    QVERIFY(anyNoteContains(r, "'x'"));
}

void TestTheory::analyzeNotApplicable_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QString>("culprit");

    {
        Scenario s = singleQueue(0.5, 1.0);
        find(s, "p")->id = "p1";
        s.links[0].from = "p1";
        find(s, "p1")->interarrival = Distribution::deterministic(2.0);
        QTest::newRow("deterministic arrivals") << s << "producer 'p1' has deterministic";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        find(s, "p")->limit = 1000;
        QTest::newRow("producer limit") << s << "'p'";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        s.run.maxMessages = 5000;
        QTest::newRow("max_messages") << s << "max_messages";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        find(s, "q")->capacity = 3;
        Node dlq;
        dlq.id = "dlq";
        dlq.kind = NodeKind::Queue;
        s.nodes.push_back(dlq);
        Link dl;
        dl.from = "q";
        dl.to = "dlq";
        dl.role = LinkRole::DeadLetter;
        s.links.push_back(dl);
        QTest::newRow("bounded queue with a dead-letter link") << s << "'q' sends what it drops to 'dlq'";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        Node d;
        d.id = "hop";
        d.kind = NodeKind::Delay;
        d.delay = Distribution::deterministic(1);
        Node end;
        end.id = "end";
        end.kind = NodeKind::Sink;
        s.nodes.push_back(d);
        s.nodes.push_back(end);
        Link a, b;
        a.from = b.from = "hop";
        a.to = "q";
        b.to = "end";
        a.probability = 0.5;
        b.probability = 0.5;
        s.links.push_back(a);
        s.links.push_back(b);
        s.links[0].to = "hop";
        QTest::newRow("delay that splits by probability") << s << "delay 'hop' splits its messages";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("q"), consumer("w", 1.0), queue("orphan")},
                              {edge("p", "q"), edge("q", "w"), onwardEdge("w", "orphan", 0.1)});
        QTest::newRow("queue without consumer") << s << "'orphan'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("q"), consumer("fast", 0.5),
                               consumer("slow", 1.0)},
                              {edge("p", "q"), edge("q", "fast"), edge("q", "slow")});
        QTest::newRow("heterogeneous consumers") << s << "'slow'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("q"), consumer("w1", 1.0),
                               consumer("greedy", 1.0, 1, 10)},
                              {edge("p", "q"), edge("q", "w1"), edge("q", "greedy")});
        QTest::newRow("prefetch with several consumers") << s << "'greedy'";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        find(s, "q")->capacity = 10;
        find(s, "q")->overflow = Overflow::DropHead;
        QTest::newRow("drop-head") << s << "'q'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("q1", 5), consumer("w1", 1.0),
                               queue("q2"), consumer("w2", 1.0)},
                              {edge("p", "q1"), edge("q1", "w1"), edge("w1", "q2"),
                               edge("q2", "w2")});
        QTest::newRow("bounded queue in a network") << s << "'q1'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("q1"), consumer("w1", 1.0),
                               queue("q2"), consumer("det", 1.0)},
                              {edge("p", "q1"), edge("q1", "w1"), edge("w1", "q2"),
                               edge("q2", "det")});
        find(s, "det")->service = Distribution::deterministic(1.0);
        QTest::newRow("non-exponential in a network") << s << "'det'";
    }
    {
        Scenario s = singleQueue(0.5, 1.0, 2);
        find(s, "w")->service = Distribution::deterministic(1.0);
        QTest::newRow("M/G/2") << s << "'q'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), queue("loop"), consumer("w", 0.1)},
                              {edge("p", "loop"), edge("loop", "w"), edge("w", "loop")});
        QTest::newRow("feedback with no way out") << s << "'loop'";
    }
    {
        Scenario s = scenario({producer("p", 4.0), queue("q"), consumer("w1", 1.0),
                               consumer("w2", 1.0), queue("next"), consumer("wn", 1.0)},
                              {edge("p", "q"), edge("q", "w1"), edge("q", "w2"),
                               edge("w1", "next"), edge("next", "wn")});
        QTest::newRow("consumers route differently") << s << "'w2'";
    }
    {
        Scenario s = scenario({producer("p", 4.0), exchange("x", ExchangeType::Fanout),
                               queue("a"), queue("b"), consumer("wa", 0.1), consumer("wb", 0.1)},
                              {edge("p", "x"), edge("x", "a"), edge("x", "b"), edge("a", "wa"),
                               edge("b", "wb"), edge("wa", "x"), edge("wb", "x")});
        QTest::newRow("fanout loop multiplies copies") << s << "queue '";
    }
    {
        // Both copies of a message end up at qc, together: qc's arrivals are not Poisson.
        Scenario s = scenario({producer("p", 2.0), exchange("f", ExchangeType::Fanout),
                               queue("qa"), queue("qb"), consumer("wa", 1.0), consumer("wb", 1.0),
                               queue("qc"), consumer("wc", 0.8)},
                              {edge("p", "f"), edge("f", "qa"), edge("f", "qb"), edge("qa", "wa"),
                               edge("qb", "wb"), edge("wa", "qc"), edge("wb", "qc"),
                               edge("qc", "wc")});
        QTest::newRow("fanout copies meet again") << s << "'qc'";
    }
    {
        Scenario s = scenario({producer("p", 2.0), exchange("f", ExchangeType::Fanout),
                               queue("qa"), queue("qb"), consumer("wa", 1.0), consumer("wb", 1.0)},
                              {edge("p", "f"), edge("f", "qa"), edge("f", "qb"), edge("qa", "wa"),
                               edge("qb", "wb"), onwardEdge("wb", "qb", 0.3)});
        QTest::newRow("fanout with a loop") << s << "'qb'";
    }
    {
        Scenario s = scenario({producer("pa", 4.0, "a"), producer("pb", 4.0, "b"), queue("q0"),
                               consumer("w0", 1.0), exchange("d", ExchangeType::Direct),
                               queue("qa"), queue("qb"), consumer("wa", 1.0), consumer("wb", 1.0)},
                              {edge("pa", "q0"), edge("pb", "q0"), edge("q0", "w0"), edge("w0", "d"),
                               binding("d", "qa", "a"), binding("d", "qb", "b"), edge("qa", "wa"),
                               edge("qb", "wb")});
        find(s, "q0")->discipline = Discipline::Lifo;
        QTest::newRow("LIFO before routing by key") << s << "'q0'";
    }
    {
        Scenario s = singleQueue(0.5, 1.0);
        s.links.push_back(onwardEdge("w", "q", 0.7));
        s.links.push_back(edge("w", "nowhere"));
        QTest::newRow("dangling link") << s << "'nowhere'";
    }
}

void TestTheory::analyzeNotApplicable()
{
    QFETCH(Scenario, scenario);
    QFETCH(QString, culprit);
    const TheoryResult r = analyze(scenario);
    QVERIFY(!r.applicable);
    QVERIFY2(r.reason.find(culprit.toStdString()) != std::string::npos, r.reason.c_str());
    QVERIFY(r.queues.empty());
    QVERIFY(!r.endToEndLatency);
}

QTEST_GUILESS_MAIN(TestTheory)
#include "tst_theory.moc"
