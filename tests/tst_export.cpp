// Exports: every file the workbench writes opens in the tool it is meant for (JSON parses,
// CSV has its columns, PNG loads, PDF and SVG are what they claim), the metrics are the
// CLI's own files, and a failure names the path.
#include "animationoverlay.h"
#include "chartspanel.h"
#include "chartwidget.h"
#include "exportfiles.h"
#include "reportexporter.h"
#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "sim/simulation.h"
#include "stats/resultrows.h"
#include "stats/resultsio.h"
#include "theory/theory.h"
#include "timeserieschart.h"

#include <QFile>
#include <QRegularExpression>
#include <QGraphicsScene>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace ql;

namespace {

Scenario workQueue()
{
    LoadResult loaded = loadScenarioFile(QL_SOURCE_DIR "/scenarios/work-queue.json");
    if (!loaded.scenario)
        qFatal("cannot load work-queue.json");
    Scenario s = *loaded.scenario;
    s.run.duration = 2000;
    s.run.warmup = 100;
    s.run.replications = 3;
    return s;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool isSvg(const QByteArray &bytes)
{
    QXmlStreamReader xml(bytes);
    QString root;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && root.isEmpty())
            root = xml.name().toString();
    }
    return !xml.hasError() && root == QLatin1String("svg");
}

// A canvas stand-in: node boxes, link lines and the overlay in mid-run.
void fillScene(QGraphicsScene &scene, const Scenario &s)
{
    for (const auto &[id, pos] : s.layout)
        scene.addRect(QRectF(pos.first - 60, pos.second - 30, 120, 48))->setToolTip(QString::fromStdString(id));
    auto *overlay = new AnimationOverlay;
    scene.addItem(overlay);
    overlay->setScenario(s);
}

// The decoded content streams of a PDF (Qt writes them FlateDecode-compressed).
QList<QByteArray> pdfContentStreams(const QByteArray &pdf)
{
    QList<QByteArray> out;
    qsizetype at = 0;
    while ((at = pdf.indexOf("stream", at)) >= 0) {
        const qsizetype dict = pdf.lastIndexOf("<<", at);
        const QByteArray header = pdf.mid(dict, at - dict);
        qsizetype begin = at + 6;
        if (pdf.mid(begin, 2) == "\r\n")
            begin += 2;
        else if (pdf.at(begin) == '\n')
            begin += 1;
        const qsizetype end = pdf.indexOf("endstream", begin);
        if (end < 0)
            break;
        QByteArray data = pdf.mid(begin, end - begin);
        if (header.contains("/FlateDecode")) {
            // qUncompress wants the zlib stream behind its expected size, big-endian.
            QByteArray sized(4, '\0');
            const quint32 hint = quint32(data.size()) * 20 + 65536;
            for (int i = 0; i < 4; ++i)
                sized[i] = char((hint >> (24 - 8 * i)) & 0xff);
            data = qUncompress(sized + data);
        }
        if (!header.contains("/Subtype") && !header.contains("/Length1"))
            out << data;
        at = end + 9;
    }
    return out;
}

// The size in points of every text the content streams show: the Tf size times the scale
// of the text matrix (Tm) and of the graphics state (cm) in effect, as a PDF viewer draws
// it. Qt writes text as "BT /Fn s Tf ... a b c d e f Tm ... ET" inside q ... Q groups.
QList<double> pdfTextSizes(const QByteArray &pdf)
{
    QList<double> sizes;
    for (const QByteArray &stream : pdfContentStreams(pdf)) {
        QList<QByteArray> operands;
        QList<double> ctmScale{1.0}; // vertical scale of the graphics state, per q level
        double tf = 0, tmScale = 1;
        auto number = [&](int fromEnd) { return operands.value(operands.size() - fromEnd).toDouble(); };
        for (const QByteArray &token : stream.simplified().split(' ')) {
            if (token.isEmpty())
                continue;
            const char c = token.at(0);
            if ((c >= '0' && c <= '9') || c == '-' || c == '.' || c == '/') {
                operands << token;
                continue;
            }
            if (token == "q") {
                ctmScale << ctmScale.last();
            } else if (token == "Q") {
                if (ctmScale.size() > 1)
                    ctmScale.removeLast();
            } else if (token == "cm" && operands.size() >= 6) {
                ctmScale.last() *= std::hypot(number(4), number(3)); // |(c, d)|: the y axis
            } else if (token == "Tf" && operands.size() >= 2) {
                tf = number(1);
            } else if (token == "Tm" && operands.size() >= 6) {
                tmScale = std::hypot(number(4), number(3));
            } else if (token == "BT") {
                tmScale = 1;
            } else if ((token == "Tj" || token == "TJ" || token == "'" || token == "\"") && tf > 0) {
                sizes << tf * tmScale * ctmScale.last();
            }
            operands.clear();
        }
    }
    return sizes;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void metricsAreTheCliFiles();
    void csvHasItsColumns();
    void chartsExportToPngAndPdf_data();
    void chartsExportToPngAndPdf();
    void figureTextIsReadableAtItsSize_data();
    void figureTextIsReadableAtItsSize();
    void canvasExportsToPngAndSvg();
    void reportWritesEverythingIntoAFolder();
    void reportWithoutResultsStillWritesTheRest();
    void failuresNameThePath_data();
    void failuresNameThePath();

private:
    QTemporaryDir dir_;
    Scenario scenario_;
    Results results_;
};

void TestExport::initTestCase()
{
    QVERIFY(dir_.isValid());
    scenario_ = workQueue();
    results_ = runReplications(scenario_);
    QCOMPARE(results_.replications, 3);
}

void TestExport::metricsAreTheCliFiles()
{
    const QString json = dir_.filePath(QStringLiteral("results.json"));
    QString error;
    QVERIFY2(exportResultsJson(results_, json, &error), qPrintable(error));
    const QByteArray bytes = readAll(json);
    QCOMPARE(bytes, QByteArray::fromStdString(resultsToJson(results_))); // byte for byte
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parse);
    QCOMPARE(parse.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value("format").toString(), QStringLiteral("queuelab-results"));
    QCOMPARE(doc.object().value("replications").toInt(), 3);
    QVERIFY(doc.object().value("nodes").toObject().contains(QStringLiteral("tasks")));
    QVERIFY(!doc.object().value("end_to_end").toObject().value("latency").toObject().value("ci95").isNull());

    const QString scenario = dir_.filePath(QStringLiteral("scenario.json"));
    QVERIFY2(exportScenarioJson(scenario_, scenario, &error), qPrintable(error));
    const LoadResult back = loadScenarioFile(scenario.toStdString());
    QVERIFY(back.scenario.has_value());
    QCOMPARE(*back.scenario == scenario_, true);
}

void TestExport::csvHasItsColumns()
{
    QString error;
    const QString csv = dir_.filePath(QStringLiteral("results.csv"));
    QVERIFY2(exportResultsCsv(results_, csv, &error), qPrintable(error));
    const QList<QByteArray> lines = readAll(csv).trimmed().split('\n');
    QVERIFY(lines.size() > 5);
    QCOMPARE(lines.first(), QByteArray("node,kind,metric,mean,ci95,p50,p90,p95,p99,p999,max"));
    for (const QByteArray &line : lines)
        QCOMPARE(line.count(','), 10);

    const QString series = dir_.filePath(QStringLiteral("series.csv"));
    QVERIFY2(exportSeriesCsv(results_.series, series, &error), qPrintable(error));
    const QList<QByteArray> rows = readAll(series).trimmed().split('\n');
    QCOMPARE(rows.first(), QByteArray("time,node,metric,value"));
    QVERIFY(rows.size() > 100);
    for (const QByteArray &row : rows)
        QCOMPARE(row.count(','), 3);
}

void TestExport::chartsExportToPngAndPdf_data()
{
    QTest::addColumn<int>("chart");
    QTest::newRow("latency") << 0;
    QTest::newRow("histogram") << 1;
    QTest::newRow("throughput") << 2;
    QTest::newRow("queue depth") << 3;
    QTest::newRow("utilization") << 4;
}

void TestExport::chartsExportToPngAndPdf()
{
    QFETCH(int, chart);
    ChartsPanel charts;
    charts.setScenario(scenario_);
    charts.setResults(results_);
    ChartWidget *c = charts.charts().at(chart);
    QString error;
    const QString png = dir_.filePath(c->name() + QStringLiteral(".png"));
    QVERIFY2(c->savePng(png, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), ChartWidget::ExportSize * 2);
    const QString pdf = dir_.filePath(c->name() + QStringLiteral(".pdf"));
    QVERIFY2(c->savePdf(pdf, &error), qPrintable(error));
    const QByteArray bytes = readAll(pdf);
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY(bytes.size() > 1000);
    QVERIFY(!QFile::exists(pdf + QStringLiteral(".part")));
}

void TestExport::figureTextIsReadableAtItsSize_data()
{
    QTest::addColumn<int>("preset");
    QTest::addColumn<double>("inches");
    QTest::newRow("single column") << int(ChartFigure::Preset::SingleColumn) << 3.5;
    QTest::newRow("double column") << int(ChartFigure::Preset::DoubleColumn) << 7.0;
    QTest::newRow("slide") << int(ChartFigure::Preset::Slide) << 10.0;
}

void TestExport::figureTextIsReadableAtItsSize()
{
    QFETCH(int, preset);
    QFETCH(double, inches);
    ChartsPanel charts;
    charts.setScenario(scenario_);
    Simulation sim(scenario_, 1);
    sim.run();
    RunSnapshot snap;
    snap.runId = 1;
    snap.endTime = scenario_.run.duration;
    snap.final = true;
    snap.stats = std::make_shared<RunStats>(sim.takeStats());
    charts.latencyChart()->addSnapshot(snap);
    charts.latencyChart()->setResults(results_);
    const ChartFigure figure = ChartFigure::fromPreset(ChartFigure::Preset(preset));
    QString error;
    const QString pdf = dir_.filePath(QStringLiteral("figure-%1.pdf").arg(preset));
    QVERIFY2(charts.latencyChart()->exportFigure(pdf, figure, &error), qPrintable(error));
    const QByteArray bytes = readAll(pdf);
    QVERIFY(bytes.startsWith("%PDF"));
    // The page is the figure's size, in points.
    const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
    const QRegularExpressionMatch m = box.match(QString::fromLatin1(bytes));
    QVERIFY(m.hasMatch());
    QVERIFY2(std::abs(m.captured(1).toDouble() - inches * 72) < 1.5, qPrintable(m.captured(0)));
    // Every text on it is at least 7 pt, the smallest a journal prints; the preset's own
    // size at most a little more (the title is 15% larger).
    const QList<double> sizes = pdfTextSizes(bytes);
    QVERIFY2(sizes.size() > 10, qPrintable(QString::number(sizes.size()))); // ticks, titles, legend
    const double smallest = *std::min_element(sizes.begin(), sizes.end());
    const double largest = *std::max_element(sizes.begin(), sizes.end());
    qInfo("%s: %lld texts, %.2f .. %.2f pt", QTest::currentDataTag(), qlonglong(sizes.size()), smallest, largest);
    QVERIFY2(smallest >= ChartFigure::MinimumFontPoints - 0.01, qPrintable(QString::number(smallest)));
    QVERIFY2(std::abs(smallest - figure.fontPoints) < 0.6, qPrintable(QString::number(smallest)));
    QVERIFY2(largest <= figure.fontPoints * 1.2 + 0.6, qPrintable(QString::number(largest)));
    // Vector: the text is text, not a picture of it.
    QVERIFY(!bytes.contains("/Subtype /Image"));
    // SVG and PNG of the same figure.
    const QString svg = dir_.filePath(QStringLiteral("figure-%1.svg").arg(preset));
    QVERIFY2(charts.latencyChart()->exportFigure(svg, figure, &error), qPrintable(error));
    QVERIFY(isSvg(readAll(svg)));
    const QString png = dir_.filePath(QStringLiteral("figure-%1.png").arg(preset));
    QVERIFY2(charts.latencyChart()->exportFigure(png, figure, &error), qPrintable(error));
    QCOMPARE(QImage(png).width(), qRound(inches * 300));
}

void TestExport::canvasExportsToPngAndSvg()
{
    QGraphicsScene scene;
    fillScene(scene, scenario_);
    QString error;
    const QString png = dir_.filePath(QStringLiteral("canvas.png"));
    QVERIFY2(exportScenePng(&scene, png, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 2 * 400); // the layout spans 400 units; PNG is at 2x
    const QString svg = dir_.filePath(QStringLiteral("canvas.svg"));
    QVERIFY2(exportSceneSvg(&scene, svg, &error, QStringLiteral("Work queue")), qPrintable(error));
    const QByteArray bytes = readAll(svg);
    QVERIFY(isSvg(bytes));
    QVERIFY(bytes.contains("Work queue"));

    QGraphicsScene empty;
    QVERIFY(!exportScenePng(&empty, dir_.filePath(QStringLiteral("empty.png")), &error));
    QVERIFY(error.contains(QStringLiteral("empty")));
}

void TestExport::reportWritesEverythingIntoAFolder()
{
    QGraphicsScene scene;
    fillScene(scene, scenario_);
    ChartsPanel charts;
    charts.setScenario(scenario_);
    charts.setResults(results_);
    ReportExporter report;
    report.setScenario(scenario_);
    report.setResults(results_);
    report.setScene(&scene);
    report.setCharts(charts.charts());
    const QString folder = dir_.filePath(QStringLiteral("report/nested")); // created on the way
    QString error;
    QVERIFY2(report.exportTo(folder, &error), qPrintable(error));
    const QStringList expected = {"scenario.json", "results.json", "results.csv", "series.csv", "canvas.png",
                                  "canvas.svg", "charts/latency.png", "charts/latency.pdf",
                                  "charts/latency-histogram.png", "charts/latency-histogram.pdf",
                                  "charts/throughput.png", "charts/throughput.pdf", "charts/queue-depth.png",
                                  "charts/queue-depth.pdf", "charts/utilization.png", "charts/utilization.pdf",
                                  "index.html"};
    QCOMPARE(report.writtenFiles(), expected);
    const QDir d(folder);
    for (const QString &name : expected)
        QVERIFY2(QFileInfo(d.filePath(name)).size() > 0, qPrintable(name));
    QVERIFY(QJsonDocument::fromJson(readAll(d.filePath("results.json"))).isObject());
    QVERIFY(loadScenarioFile(d.filePath("scenario.json").toStdString()).scenario.has_value());
    QVERIFY(!QImage(d.filePath("canvas.png")).isNull());
    QVERIFY(isSvg(readAll(d.filePath("canvas.svg"))));
    QVERIFY(readAll(d.filePath("charts/utilization.pdf")).startsWith("%PDF"));
    const QByteArray html = readAll(d.filePath("index.html"));
    QVERIFY(html.contains("charts/latency.png"));
    QVERIFY(html.contains("tasks"));
    // The same rows as the CLI's table, theory beside them.
    QVERIFY(html.contains("<th>theory</th>"));
    const std::vector<ResultRow> rows = resultRows(scenario_, results_, analyze(scenario_));
    QVERIFY(!rows.empty());
    for (const ResultRow &row : rows)
        QVERIFY2(html.contains(QByteArray::fromStdString(row.valueText())), row.metric.c_str());
}

void TestExport::reportWithoutResultsStillWritesTheRest()
{
    QGraphicsScene scene;
    fillScene(scene, scenario_);
    ReportExporter report;
    report.setScenario(scenario_);
    report.setScene(&scene);
    QString error;
    QVERIFY2(report.exportTo(dir_.filePath(QStringLiteral("unrun")), &error), qPrintable(error));
    QCOMPARE(report.writtenFiles(), (QStringList{"scenario.json", "canvas.png", "canvas.svg", "index.html"}));
    QVERIFY(readAll(dir_.filePath(QStringLiteral("unrun/index.html"))).contains("not been run"));
}

void TestExport::failuresNameThePath_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("results json") << "json";
    QTest::newRow("chart png") << "png";
    QTest::newRow("chart pdf") << "pdf";
    QTest::newRow("canvas svg") << "svg";
    QTest::newRow("report") << "report";
}

void TestExport::failuresNameThePath()
{
    QFETCH(QString, what);
    // A file where a folder should be: nothing can be written below it.
    const QString blocker = dir_.filePath(QStringLiteral("blocker"));
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const QString path = blocker + QStringLiteral("/out.") + what;
    QString error;
    bool ok = true;
    ChartsPanel charts;
    charts.setScenario(scenario_);
    QGraphicsScene scene;
    fillScene(scene, scenario_);
    if (what == QLatin1String("json")) {
        ok = exportResultsJson(results_, path, &error);
    } else if (what == QLatin1String("png")) {
        ok = charts.latencyChart()->savePng(path, &error);
    } else if (what == QLatin1String("pdf")) {
        ok = charts.latencyChart()->savePdf(path, &error);
    } else if (what == QLatin1String("svg")) {
        ok = exportSceneSvg(&scene, path, &error);
    } else {
        ReportExporter report;
        report.setScenario(scenario_);
        ok = report.exportTo(path, &error);
    }
    QVERIFY(!ok);
    QVERIFY2(error.contains(blocker), qPrintable(error));
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
