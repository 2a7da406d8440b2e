// queuelab-cli as a user meets it: the real binary in a real process, real files.
// Bad input gives exit code 2, a message naming the place, and writes nothing; good input
// gives the spec's results file, byte for byte the same for the same seed.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Outcome
{
    int exitCode = -1;
    QString out, err;
};

QString cliPath()
{
    return QStringLiteral(QL_BINARY_DIR "/app/queuelab-cli");
}

QString sourcePath(const QString &relative)
{
    return QStringLiteral(QL_SOURCE_DIR "/") + relative;
}

Outcome runCli(const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(cliPath(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, {}, QStringLiteral("timed out")};
    }
    Outcome o;
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3; // -3: crashed
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath()));
        QVERIFY(tmp.isValid());
    }

    void badInputExitsTwoWithAMessageAndWritesNothing_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QFile table(sourcePath(QStringLiteral("tests/data/bad/expected.tsv")));
        QVERIFY(table.open(QIODevice::ReadOnly | QIODevice::Text));
        int rows = 0;
        while (!table.atEnd()) {
            const QString line = QString::fromUtf8(table.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            const QStringList parts = line.split(u'\t');
            QCOMPARE(parts.size(), 2);
            QTest::newRow(qPrintable(parts[0])) << parts[0] << parts[1];
            ++rows;
        }
        QVERIFY(rows >= 25);
    }

    void badInputExitsTwoWithAMessageAndWritesNothing()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QString out = tmp.filePath(QStringLiteral("out-%1.json").arg(file));
        const Outcome o = runCli({QStringLiteral("run"), sourcePath(QStringLiteral("tests/data/bad/") + file),
                                  QStringLiteral("--json"), out, QStringLiteral("--quiet")});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
        QVERIFY2(o.err.contains(file), qPrintable(o.err)); // names the file
        QVERIFY(!QFile::exists(out));
        // validate agrees.
        QCOMPARE(runCli({QStringLiteral("validate"), sourcePath(QStringLiteral("tests/data/bad/") + file)}).exitCode, 2);
    }

    void badArgumentsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QString mm1 = sourcePath(QStringLiteral("scenarios/mm1.json"));
        QTest::newRow("no command") << QStringList{} << "usage";
        QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command 'fly'";
        QTest::newRow("missing file") << QStringList{"run", "/nonexistent/x.json"} << "/nonexistent/x.json";
        QTest::newRow("zero replications") << QStringList{"run", mm1, "--replications", "0"} << "--replications";
        QTest::newRow("negative duration") << QStringList{"run", mm1, "--duration", "-5"} << "--duration: must be a number > 0";
        QTest::newRow("duration below warm-up") << QStringList{"run", mm1, "--duration", "10"} << "run.warmup";
        QTest::newRow("seed not a number") << QStringList{"run", mm1, "--seed", "abc"} << "--seed";
        QTest::newRow("unknown option") << QStringList{"run", mm1, "--fast"} << "unknown option '--fast'";
        QTest::newRow("option without value") << QStringList{"run", mm1, "--json"} << "needs a value";
        QTest::newRow("output folder missing") << QStringList{"run", mm1, "--json", "/nonexistent/dir/r.json"}
                                               << "does not exist";
        QTest::newRow("output is a folder") << QStringList{"run", mm1, "--csv", "/tmp"} << "is a folder";
        QTest::newRow("two files") << QStringList{"validate", mm1, mm1} << "exactly one";
        const QString between = QStringLiteral("--precision: must be a number between 0 and 1");
        for (const char *bad : {"-0.02", "0", "1", "1.5", "nan", "inf", "abc", "2%", ""})
            QTest::newRow(qPrintable(QStringLiteral("precision '%1'").arg(bad)))
                << QStringList{"run", mm1, "--precision", bad} << between;
        QTest::newRow("max replications not a number")
            << QStringList{"run", mm1, "--precision", "0.02", "--max-replications", "many"} << "--max-replications: must be a whole number";
        QTest::newRow("max replications zero")
            << QStringList{"run", mm1, "--precision", "0.02", "--max-replications", "0"} << "--max-replications: must be a whole number";
        QTest::newRow("max replications below the minimum")
            << QStringList{"run", mm1, "--precision", "0.02", "--max-replications", "3"} << "--max-replications: must be at least 5";
        QTest::newRow("max replications below --replications")
            << QStringList{"run", mm1, "--precision", "0.02", "--replications", "8", "--max-replications", "7"}
            << "--max-replications: must be at least 8";
        for (const char *bad : {"0", "-1", "nan", "inf", "soon"})
            QTest::newRow(qPrintable(QStringLiteral("max seconds '%1'").arg(bad)))
                << QStringList{"run", mm1, "--precision", "0.02", "--max-seconds", bad} << "--max-seconds: must be a number";
        QTest::newRow("max replications without precision")
            << QStringList{"run", mm1, "--max-replications", "50"} << "--max-replications: only applies with --precision";
        QTest::newRow("max seconds without precision")
            << QStringList{"run", mm1, "--max-seconds", "5"} << "--max-seconds: only applies with --precision";
    }

    void badArgumentsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Outcome o = runCli(args);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
    }

    void everyExampleValidates_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = QDir(sourcePath(QStringLiteral("scenarios"))).entryList({QStringLiteral("*.json")});
        QVERIFY(files.size() >= 10);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << sourcePath(QStringLiteral("scenarios/") + f);
    }

    void everyExampleValidates()
    {
        QFETCH(QString, file);
        const Outcome o = runCli({QStringLiteral("validate"), file});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(QStringLiteral("valid")), qPrintable(o.out));
        QVERIFY2(!o.err.contains(QStringLiteral("warning")), qPrintable(o.err)); // examples are clean
    }

    void runWritesTheSpecResultsAndTable()
    {
        const QString json = tmp.filePath(QStringLiteral("mm1.json"));
        const QString csv = tmp.filePath(QStringLiteral("mm1.csv"));
        const QString series = tmp.filePath(QStringLiteral("series.csv"));
        const Outcome o = runCli({QStringLiteral("run"), sourcePath(QStringLiteral("scenarios/mm1.json")),
                                  QStringLiteral("--json"), json, QStringLiteral("--csv"), csv,
                                  QStringLiteral("--series"), series, QStringLiteral("--replications"),
                                  QStringLiteral("3"), QStringLiteral("--duration"), QStringLiteral("20000"),
                                  QStringLiteral("--warmup"), QStringLiteral("1000")});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(QStringLiteral("theory")), qPrintable(o.out));
        QVERIFY(o.out.contains(QStringLiteral("Theory: M/M/1")));
        // The one number formatter: separators, no "2e+04", "replications" spelled out.
        QVERIFY2(o.out.contains(QStringLiteral("3 replications × 20,000 s (warm-up 1,000 s)")), qPrintable(o.out));
        QVERIFY2(!o.out.contains(QStringLiteral("e+0")), qPrintable(o.out));
        QVERIFY2(!o.out.contains(QStringLiteral("(s)")), qPrintable(o.out));
        QVERIFY2(o.out.contains(QRegularExpression(QStringLiteral("wait s +[0-9.,]+ ± [0-9.]+ "))), qPrintable(o.out));

        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(json), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject r = doc.object();
        QCOMPARE(r.value("format").toString(), QStringLiteral("queuelab-results"));
        QCOMPARE(r.value("version").toInt(), 1);
        QCOMPARE(r.value("source").toString(), QStringLiteral("simulation"));
        QCOMPARE(r.value("replications").toInt(), 3);
        QCOMPARE(r.value("duration").toDouble(), 20000.0);
        QCOMPARE(r.value("warmup").toDouble(), 1000.0);
        QCOMPARE(r.value("time_unit").toString(), QStringLiteral("s"));
        const QJsonObject e2e = r.value("end_to_end").toObject();
        for (const char *k : {"delivered", "throughput", "latency"})
            QVERIFY2(e2e.contains(k), k);
        const QJsonObject latency = e2e.value("latency").toObject();
        for (const char *k : {"mean", "ci95", "p50", "p90", "p95", "p99", "p999", "max"})
            QVERIFY2(latency.contains(k), k);
        QVERIFY(latency.value("p50").toDouble() <= latency.value("p99").toDouble());
        QVERIFY(latency.value("ci95").toDouble() > 0);
        const QJsonObject nodes = r.value("nodes").toObject();
        QCOMPARE(nodes.size(), 3);
        for (const QJsonValue &v : nodes) {
            const QJsonObject n = v.toObject();
            const QString kind = n.value("kind").toString();
            if (kind == QLatin1String("queue")) {
                for (const char *k : {"arrivals", "drops", "throughput", "wait", "length"})
                    QVERIFY2(n.contains(k), k);
                QVERIFY(n.value("length").toObject().contains("max"));
            } else if (kind == QLatin1String("consumer")) {
                for (const char *k : {"completed", "throughput", "service", "utilization"})
                    QVERIFY2(n.contains(k), k);
                const double u = n.value("utilization").toObject().value("mean").toDouble();
                QVERIFY(u > 0.85 && u < 0.95);
            } else {
                QCOMPARE(kind, QStringLiteral("producer"));
                QVERIFY(n.contains("published"));
            }
        }
        const QList<QByteArray> csvLines = readAll(csv).split('\n');
        QCOMPARE(csvLines.first(), QByteArray("node,kind,metric,mean,ci95,p50,p90,p95,p99,p999,max"));
        QVERIFY(csvLines.size() > 10);
        QVERIFY(readAll(series).startsWith("time,node,metric,value\n"));
    }

    void sameSeedSameBytes()
    {
        const QString a = tmp.filePath(QStringLiteral("a.json")), b = tmp.filePath(QStringLiteral("b.json")),
                      c = tmp.filePath(QStringLiteral("c.json"));
        const QString file = sourcePath(QStringLiteral("scenarios/fanout.json"));
        QCOMPARE(runCli({"run", file, "--json", a, "--quiet", "--threads", "1"}).exitCode, 0);
        QCOMPARE(runCli({"run", file, "--json", b, "--quiet", "--threads", "2"}).exitCode, 0);
        QCOMPARE(runCli({"run", file, "--json", c, "--quiet", "--seed", "43"}).exitCode, 0);
        QVERIFY(!readAll(a).isEmpty());
        QCOMPARE(readAll(b), readAll(a));
        QVERIFY(readAll(c) != readAll(a));
    }

    void precisionStopsAtTheTargetAndSaysSo()
    {
        const QString a = tmp.filePath(QStringLiteral("p1.json")), b = tmp.filePath(QStringLiteral("p2.json"));
        const QString file = sourcePath(QStringLiteral("scenarios/hello.json"));
        const Outcome o = runCli({"run", file, "--precision", "0.01", "--json", a, "--threads", "1"});
        QCOMPARE(o.exitCode, 0);
        QCOMPARE(runCli({"run", file, "--precision", "0.01", "--json", b, "--quiet", "--threads", "2"}).exitCode, 0);
        QVERIFY(!readAll(a).isEmpty());
        QCOMPARE(readAll(b), readAll(a)); // the same replications on any number of threads

        const QJsonObject r = QJsonDocument::fromJson(readAll(a)).object();
        const int replications = r.value("replications").toInt();
        QVERIFY2(replications > 5, qPrintable(o.out)); // hello.json's 5 are not enough for 1%
        const QJsonObject p = r.value("precision").toObject();
        QCOMPARE(p.value("target").toDouble(), 0.01);
        QCOMPARE(p.value("met").toBool(), true);
        QCOMPARE(p.value("stopped_by").toString(), QStringLiteral("precision"));
        QVERIFY(p.value("relative_half_width").toDouble() <= 0.01);
        QCOMPARE(p.value("min_replications").toInt(), 5);
        QCOMPARE(p.value("max_replications").toInt(), 1000);
        QVERIFY(p.value("max_seconds").isNull());
        const QString worst = p.value("worst_node").toString() + u' ' + p.value("worst_metric").toString();
        const QString line = QStringLiteral("stopped at precision: %1 replications, worst relative half-width ").arg(replications);
        QVERIFY2(o.out.contains(line), qPrintable(o.out));
        QVERIFY2(o.out.contains(QStringLiteral("% (%1)").arg(worst)), qPrintable(o.out));
        QVERIFY2(o.out.contains(QStringLiteral("%1 replications × ").arg(replications)), qPrintable(o.out));

        // Without --precision the file stays as it was: no precision key.
        QCOMPARE(runCli({"run", file, "--json", b, "--quiet"}).exitCode, 0);
        QVERIFY(!readAll(b).contains("precision"));
    }

    void precisionOutOfReachStopsAtTheBudgetAndSaysSo()
    {
        const QString json = tmp.filePath(QStringLiteral("p3.json"));
        const Outcome o = runCli({"run", sourcePath(QStringLiteral("scenarios/hello.json")), "--precision", "0.001",
                                  "--max-replications", "7", "--json", json});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(QStringLiteral("precision 0.1% not reached within 7 replications (worst ")), qPrintable(o.out));
        const QJsonObject r = QJsonDocument::fromJson(readAll(json)).object();
        QCOMPARE(r.value("replications").toInt(), 7);
        const QJsonObject p = r.value("precision").toObject();
        QCOMPARE(p.value("met").toBool(true), false);
        QCOMPARE(p.value("stopped_by").toString(), QStringLiteral("max_replications"));
        QVERIFY(p.value("relative_half_width").toDouble() > 0.001);
    }

    void aFailedRunLeavesAnExistingFileAlone()
    {
        const QString out = tmp.filePath(QStringLiteral("keep.json"));
        {
            QFile f(out);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("precious");
        }
        const Outcome o = runCli({"run", sourcePath(QStringLiteral("tests/data/bad/negative-mean.json")), "--json", out});
        QCOMPARE(o.exitCode, 2);
        QCOMPARE(readAll(out), QByteArray("precious"));
    }

    void theoryPrintsTheModelOrWhyNot()
    {
        Outcome o = runCli({"theory", sourcePath(QStringLiteral("scenarios/mmc.json"))});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(QStringLiteral("M/M/3")), qPrintable(o.out));
        o = runCli({"theory", sourcePath(QStringLiteral("scenarios/overload.json"))});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(QStringLiteral("blocking")), qPrintable(o.out));
    }

private:
    QTemporaryDir tmp;
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
