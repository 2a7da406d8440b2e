// The one number formatter (stats/numberformat.h) and the results rows (stats/resultrows.h)
// the CLI table and the Results dock share: each rule as a table of inputs and the text a
// person should read.
#include "scenariobuilder.h"
#include "stats/numberformat.h"
#include "stats/resultrows.h"
#include "theory/theory.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace ql;

class TestNumberFormat : public QObject
{
    Q_OBJECT
private slots:
    void everydayNumbersArePlain_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("duration") << 100000.0 << "100,000";
        QTest::newRow("mean count") << 85449.6 << "85,450";
        QTest::newRow("thousand") << 1000.0 << "1,000";
        QTest::newRow("just below") << 999.9 << "999.9";
        QTest::newRow("four digits") << 0.8995 << "0.8995";
        QTest::newRow("no trailing zeros") << 0.5 << "0.5";
        QTest::newRow("whole") << 2.0 << "2";
        QTest::newRow("zero") << 0.0 << "0";
        QTest::newRow("negative") << -12345.0 << "-12,345";
        QTest::newRow("small") << 0.001234 << "0.001234";
        QTest::newRow("very small") << 0.00001234 << "1.234e-05";
        QTest::newRow("very large") << 3.2e13 << "3.200e+13";
        QTest::newRow("billions") << 123456789012.0 << "123,456,789,012";
        QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << "inf";
        QTest::newRow("nan") << std::nan("") << "n/a";
    }
    void everydayNumbersArePlain()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(fmt::number(value)), text);
    }

    void countsHaveThousandsSeparators()
    {
        QCOMPARE(QString::fromStdString(fmt::count(std::uint64_t(47356))), QStringLiteral("47,356"));
        QCOMPARE(QString::fromStdString(fmt::count(std::uint64_t(999))), QStringLiteral("999"));
        QCOMPARE(QString::fromStdString(fmt::count(std::uint64_t(1234567))), QStringLiteral("1,234,567"));
        QCOMPARE(QString::fromStdString(fmt::count(47355.6)), QStringLiteral("47,356"));
    }

    void theIntervalDecidesTheDigits_data()
    {
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("ci");
        QTest::addColumn<QString>("text");
        QTest::newRow("the issue's example") << 0.8995 << 0.004455 << "0.900 ± 0.0045";
        QTest::newRow("wait") << 0.98683 << 0.011817 << "0.99 ± 0.012";
        QTest::newRow("large") << 85449.7 << 123.4 << "85,400 ± 120";
        QTest::newRow("units") << 12.345 << 1.26 << "12 ± 1.3";
        QTest::newRow("tens") << 1234.5 << 56.0 << "1,230 ± 56";
        QTest::newRow("rounds to zero") << -0.0001 << 0.02 << "0.00 ± 0.020";
    }
    void theIntervalDecidesTheDigits()
    {
        QFETCH(double, mean);
        QFETCH(double, ci);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(fmt::withCi(mean, ci)), text);
    }

    void withoutAnIntervalTheMeanStandsAlone()
    {
        QCOMPARE(QString::fromStdString(fmt::withCi(0.8995, std::nullopt)), QStringLiteral("0.8995"));
        QCOMPARE(QString::fromStdString(fmt::withCi(0.8995, 0.0)), QStringLiteral("0.8995"));
        QCOMPARE(QString::fromStdString(fmt::withCi(100000, std::nan(""))), QStringLiteral("100,000"));
    }

    void countedNounsArePluralAware()
    {
        QCOMPARE(QString::fromStdString(fmt::counted(1, "replication", "replications")),
                 QStringLiteral("1 replication"));
        QCOMPARE(QString::fromStdString(fmt::counted(5, "replication", "replications")),
                 QStringLiteral("5 replications"));
        QCOMPARE(QString::fromStdString(fmt::counted(0, "event", "events")), QStringLiteral("0 events"));
        QCOMPARE(QString::fromStdString(fmt::counted(12000, "event", "events")), QStringLiteral("12,000 events"));
    }

    void percentsRatesAndDurations()
    {
        QCOMPARE(QString::fromStdString(fmt::percent(0.019)), QStringLiteral("1.9"));
        QCOMPARE(QString::fromStdString(fmt::percent(0.02)), QStringLiteral("2"));
        QCOMPARE(QString::fromStdString(fmt::percent(0.15)), QStringLiteral("15"));
        QCOMPARE(QString::fromStdString(fmt::rate(19.6e6)), QStringLiteral("19.6M"));
        QCOMPARE(QString::fromStdString(fmt::rate(45600)), QStringLiteral("45.6k"));
        QCOMPARE(QString::fromStdString(fmt::rate(512)), QStringLiteral("512"));
        QCOMPARE(QString::fromStdString(fmt::seconds(1.84)), QStringLiteral("1.8 s"));
        QCOMPARE(QString::fromStdString(fmt::seconds(0.42)), QStringLiteral("0.42 s"));
        QCOMPARE(QString::fromStdString(fmt::seconds(75)), QStringLiteral("1 min 15 s"));
        QCOMPARE(QString::fromStdString(fmt::seconds(10020)), QStringLiteral("2 h 47 min"));
    }

    void rowsMarkTheoryOutsideTheInterval()
    {
        ResultRow inside;
        inside.value = 0.99;
        inside.ci95 = 0.02;
        inside.theory = 1.0;
        QVERIFY(!inside.theoryOutsideInterval());
        ResultRow outside = inside;
        outside.ci95 = 0.005;
        QVERIFY(outside.theoryOutsideInterval());
        ResultRow count = inside;
        count.ci95.reset(); // no interval: nothing to judge
        QVERIFY(!count.theoryOutsideInterval());
        QCOMPARE(QString::fromStdString(outside.valueText()), QStringLiteral("0.990 ± 0.0050"));
    }

    void rowsCoverEveryNodeAndEndToEnd()
    {
        const Scenario s = test::ScenarioBuilder().producer("p", test::expo(2)).queue("q").consumer("c", test::expo(1)).link("p", "q")
                               .link("q", "c").run(1000, 100, 3, 7).build();
        Results r;
        r.replications = 3;
        for (const Node &n : s.nodes) {
            NodeResult nr;
            nr.id = n.id;
            nr.kind = n.kind;
            r.nodes.push_back(nr);
        }
        const TheoryResult theory = analyze(s);
        QVERIFY(theory.applicable);
        const std::vector<ResultRow> rows = resultRows(s, r, theory);
        QStringList nodes;
        for (const ResultRow &row : rows)
            if (!nodes.contains(QString::fromStdString(row.node)))
                nodes << QString::fromStdString(row.node);
        QCOMPARE(nodes, (QStringList{"p", "q", "c", "end-to-end"}));
        QCOMPARE(QString::fromStdString(rows.back().metric), QStringLiteral("latency s"));
        QVERIFY(rows.back().theory.has_value());
    }

    void precisionSummarySaysHowItEnded()
    {
        PrecisionOutcome p;
        p.target = 0.02;
        p.met = true;
        p.worst = 0.019;
        p.worstNode = "jobs";
        p.worstMetric = "wait";
        p.stoppedBy = "precision";
        QCOMPARE(QString::fromStdString(precisionSummary(p, 37)),
                 QStringLiteral("stopped at precision: 37 replications, worst relative half-width 1.9% (jobs wait)"));
        p.met = false;
        p.worst = 0.034;
        p.stoppedBy = "max_replications";
        QCOMPARE(QString::fromStdString(precisionSummary(p, 1)),
                 QStringLiteral("precision 2% not reached within 1 replication (worst 3.4%, jobs wait)"));
    }
};

QTEST_GUILESS_MAIN(TestNumberFormat)
#include "tst_numberformat.moc"
