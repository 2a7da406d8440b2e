// The workbench's five charts and what feeds them: one call per scenario, snapshot, result
// set or reset reaches every chart. The charts are plain widgets; createDocks() gives each
// its own QDockWidget of a main window (so users rearrange them), createGrid() lays them
// out in one widget instead (a ChartsArea: tabs, or a grid with focus). Use one, once.
#pragma once

#include "chartdata.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

class QDockWidget;
class QMainWindow;
class QWidget;

namespace ql {

class ChartWidget;
struct ChartReference;
class LatencyHistogramChart;
class TimeSeriesChart;

class ChartsPanel : public QObject
{
    Q_OBJECT
public:
    explicit ChartsPanel(QObject *parent = nullptr);
    ~ChartsPanel() override; // deletes the charts that were never given a parent

    TimeSeriesChart *latencyChart() const;
    LatencyHistogramChart *histogramChart() const;
    TimeSeriesChart *throughputChart() const;
    TimeSeriesChart *queueDepthChart() const;
    TimeSeriesChart *utilizationChart() const;
    // In display order: latency, histogram, throughput, queue depth, utilization.
    QList<ChartWidget *> charts() const;

    // One dock per chart in `area` of `window`: latency and histogram side by side, the
    // three per-node charts tabbed beside them. Object names are "<name>ChartDock" (e.g.
    // "latencyChartDock") so QMainWindow::saveState() remembers the arrangement.
    QList<QDockWidget *> createDocks(QMainWindow *window, Qt::DockWidgetArea area = Qt::BottomDockWidgetArea);
    // All charts in one widget: a ChartsArea (tabs or a two-column grid, remembered).
    QWidget *createGrid(QWidget *parent = nullptr);

public slots:
    void setScenario(const ql::Scenario &scenario);
    void addSnapshot(const ql::RunSnapshot &snapshot);
    void setResults(const ql::Results &results);
    void clear();
    // A reference run under every chart's data (the simulation beside a live run); it stays
    // through clear() and goes with clearReference() or a new scenario.
    void setReference(const std::shared_ptr<const ql::ChartReference> &reference);
    void clearReference();

private:
    static constexpr int StaggerMs = 12;
    QList<QPointer<ChartWidget>> charts_;
    quint64 generation_ = 0;
};

} // namespace ql
