#include "reportexporter.h"

#include "stats/numberformat.h"
#include "stats/resultrows.h"
#include "theory/theory.h"

#include "chartwidget.h"
#include "exportfiles.h"
#include "scenario/savefile.h"

#include <QDateTime>
#include <QDir>
#include <QGraphicsScene>

#include <cmath>

namespace ql {

namespace {

// The one formatter (stats/numberformat.h): "100,000", not "1e+05".
QString number(double v)
{
    return QString::fromStdString(fmt::number(v));
}

} // namespace

void ReportExporter::setCharts(const QList<ChartWidget *> &charts)
{
    charts_.clear();
    for (ChartWidget *chart : charts)
        charts_.push_back(chart);
}

bool ReportExporter::exportTo(const QString &folder, QString *error)
{
    written_.clear();
    const QDir dir(folder);
    if (!QDir().mkpath(dir.filePath(QStringLiteral("charts")))) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1: check the parent folder exists and is writable")
                         .arg(QDir::toNativeSeparators(dir.absolutePath()));
        return false;
    }
    auto step = [&](const QString &name, auto &&write) {
        if (!write(dir.filePath(name)))
            return false;
        written_ << name;
        return true;
    };
    if (!step(QStringLiteral("scenario.json"), [&](const QString &p) { return exportScenarioJson(scenario_, p, error); }))
        return false;
    if (results_) {
        if (!step(QStringLiteral("results.json"), [&](const QString &p) { return exportResultsJson(*results_, p, error); })
            || !step(QStringLiteral("results.csv"), [&](const QString &p) { return exportResultsCsv(*results_, p, error); })
            || !step(QStringLiteral("series.csv"), [&](const QString &p) { return exportSeriesCsv(results_->series, p, error); }))
            return false;
    }
    if (scene_ && !scene_->items().isEmpty()) {
        if (!step(QStringLiteral("canvas.png"), [&](const QString &p) { return exportScenePng(scene_, p, error); })
            || !step(QStringLiteral("canvas.svg"), [&](const QString &p) {
                   return exportSceneSvg(scene_, p, error, QString::fromStdString(scenario_.name));
               }))
            return false;
    }
    for (const QPointer<ChartWidget> &chart : charts_) {
        if (!chart)
            continue;
        const QString base = QStringLiteral("charts/") + chart->name();
        if (!step(base + QStringLiteral(".png"), [&](const QString &p) { return chart->savePng(p, error); })
            || !step(base + QStringLiteral(".pdf"), [&](const QString &p) { return chart->savePdf(p, error); }))
            return false;
    }
    std::string message;
    const QString index = dir.filePath(QStringLiteral("index.html"));
    if (!writeTextFileAtomically(index.toStdString(), indexHtml().toStdString(), &message)) {
        if (error)
            *error = QString::fromStdString(message);
        return false;
    }
    written_ << QStringLiteral("index.html");
    return true;
}

QString ReportExporter::indexHtml() const
{
    const QString name = QString::fromStdString(scenario_.name.empty() ? std::string("Untitled scenario")
                                                                        : scenario_.name).toHtmlEscaped();
    const QString unit = QString::fromLatin1(timeUnitName(scenario_.timeUnit));
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%1</title>\n").arg(name);
    html += QStringLiteral(
        "<style>body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#1d232c}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #dde1e6;padding:4px 10px;text-align:right}"
        "th:first-child,td:first-child{text-align:left}img{max-width:100%;border:1px solid #dde1e6;margin:.5em 0}"
        "p.meta{color:#5c6675}</style></head><body>\n");
    html += QStringLiteral("<h1>%1</h1>\n").arg(name);
    const int replications = results_ ? results_->replications : scenario_.run.replications;
    html += QStringLiteral("<p class=\"meta\">Duration %1 %2, warm-up %3 %2, seed %4, %5. Exported %6 by QueueLab.</p>\n")
                .arg(number(scenario_.run.duration), unit, number(scenario_.run.warmup))
                .arg(scenario_.run.seed)
                .arg(QString::fromStdString(fmt::counted(std::uint64_t(std::max(0, replications)), "replication",
                                                         "replications")))
                .arg(QDateTime::currentDateTime().toString(Qt::ISODate));
    if (!scenario_.description.empty())
        html += QStringLiteral("<p>%1</p>\n").arg(QString::fromStdString(scenario_.description).toHtmlEscaped());
    if (written_.contains(QStringLiteral("canvas.png")))
        html += QStringLiteral("<h2>Topology</h2>\n<img src=\"canvas.png\" alt=\"topology\">\n");
    if (results_) {
        // The rows of `queuelab-cli run` and the Results panel, theory beside them.
        const std::vector<ResultRow> rows = resultRows(scenario_, *results_, analyze(scenario_));
        auto cell = [](const std::optional<double> &v) {
            return v ? QString::fromStdString(fmt::number(*v)) : QString();
        };
        html += QStringLiteral("<h2>Results</h2>\n<table><tr><th>node</th><th>kind</th><th>metric</th>"
                               "<th>mean &plusmn; 95% CI</th><th>p50</th><th>p95</th><th>p99</th><th>max</th>"
                               "<th>theory</th></tr>\n");
        for (const ResultRow &row : rows) {
            QString theory = cell(row.theory);
            if (row.theoryOutsideInterval())
                theory = QStringLiteral("<b>%1 *</b>").arg(theory);
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td>"
                                   "<td>%8</td><td>%9</td></tr>\n")
                        .arg(QString::fromStdString(row.node).toHtmlEscaped(),
                             QString::fromStdString(row.kind).toHtmlEscaped(),
                             QString::fromStdString(row.metric).toHtmlEscaped(),
                             QString::fromStdString(row.valueText()).toHtmlEscaped(), cell(row.p50), cell(row.p95),
                             cell(row.p99), cell(row.max), theory);
        }
        html += QStringLiteral("</table>\n<p>* theory lies outside the 95% interval.</p>\n");
        html += QStringLiteral("<p>&plusmn; is the half-width of the 95% confidence interval over replications."
                               " Files: <a href=\"results.json\">results.json</a>, <a href=\"results.csv\">results.csv</a>,"
                               " <a href=\"series.csv\">series.csv</a>, <a href=\"scenario.json\">scenario.json</a>.</p>\n");
    } else {
        html += QStringLiteral("<p><em>The scenario has not been run yet: no metrics.</em></p>\n");
    }
    bool chartsHeading = false;
    for (const QPointer<ChartWidget> &chart : charts_) {
        if (!chart || !written_.contains(QStringLiteral("charts/%1.png").arg(chart->name())))
            continue;
        if (!chartsHeading) {
            html += QStringLiteral("<h2>Charts</h2>\n");
            chartsHeading = true;
        }
        html += QStringLiteral("<h3>%1</h3>\n<img src=\"charts/%2.png\" alt=\"%1\"> <a href=\"charts/%2.pdf\">PDF</a>\n")
                    .arg(chart->title().toHtmlEscaped(), chart->name());
    }
    html += QStringLiteral("</body></html>\n");
    return html;
}

} // namespace ql
