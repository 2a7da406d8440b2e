// "Export report": everything about one run in one folder, for a lab report or a design
// review. Writes scenario.json, results.json and results.csv (the CLI's files), series.csv,
// canvas.png and canvas.svg, charts/<name>.png and .pdf for every chart, and index.html
// that shows them together with the headline figures. Stops at the first failure with a
// message naming the file; files written so far stay (each one complete).
#pragma once

#include "scenario/scenario.h"
#include "stats/results.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <optional>

class QGraphicsScene;

namespace ql {

class ChartWidget;

class ReportExporter
{
public:
    void setScenario(const Scenario &scenario) { scenario_ = scenario; }
    // Without results (nothing run yet) the metrics files are left out and the page says so.
    void setResults(const std::optional<Results> &results) { results_ = results; }
    void setScene(QGraphicsScene *scene) { scene_ = scene; }
    void setCharts(const QList<ChartWidget *> &charts);

    // Creates `folder` if needed. Returns false with *error naming the failing path.
    bool exportTo(const QString &folder, QString *error);
    // Paths written by the last exportTo(), relative to its folder.
    QStringList writtenFiles() const { return written_; }

private:
    QString indexHtml() const;

    Scenario scenario_;
    std::optional<Results> results_;
    QPointer<QGraphicsScene> scene_;
    QList<QPointer<ChartWidget>> charts_;
    QStringList written_;
};

} // namespace ql
