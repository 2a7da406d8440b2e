// Single exports of the workbench, each written atomically (a reader sees the old file or
// the whole new one): metrics as the CLI writes them (results JSON and CSV, time series CSV),
// the scenario, and the canvas as PNG or SVG. On failure they return false and set *error to
// a message that names the path, the reason and what to do. Charts export themselves
// (ChartWidget::savePng / savePdf); ReportExporter writes everything into one folder.
#pragma once

#include "scenario/scenario.h"
#include "stats/results.h"

#include <QString>

class QGraphicsScene;

namespace ql {

bool exportResultsJson(const Results &results, const QString &path, QString *error);
bool exportResultsCsv(const Results &results, const QString &path, QString *error);
bool exportSeriesCsv(const TimeSeries &series, const QString &path, QString *error);
bool exportScenarioJson(const Scenario &scenario, const QString &path, QString *error);

// The items of `scene` (its items' bounding rectangle plus a margin) on the scene's own
// background; PNG at `scale` device pixels per scene unit.
bool exportScenePng(QGraphicsScene *scene, const QString &path, QString *error, double scale = 2.0);
bool exportSceneSvg(QGraphicsScene *scene, const QString &path, QString *error,
                    const QString &title = {});

} // namespace ql
