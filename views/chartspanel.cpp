#include "chartspanel.h"

#include "chartsarea.h"

#include "histogramchart.h"
#include "theory/theory.h"
#include "timeserieschart.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTimer>
#include <QVBoxLayout>

namespace ql {

ChartsPanel::ChartsPanel(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ql::RunSnapshot>();
    qRegisterMetaType<ql::Results>();
    charts_ = {new TimeSeriesChart(TimeSeriesChart::Kind::Latency), new LatencyHistogramChart,
               new TimeSeriesChart(TimeSeriesChart::Kind::Throughput),
               new TimeSeriesChart(TimeSeriesChart::Kind::QueueDepth),
               new TimeSeriesChart(TimeSeriesChart::Kind::Utilization)};
}

ChartsPanel::~ChartsPanel()
{
    for (const QPointer<ChartWidget> &chart : charts_)
        if (chart && !chart->parent())
            delete chart.data();
}

TimeSeriesChart *ChartsPanel::latencyChart() const
{
    return static_cast<TimeSeriesChart *>(charts_[0].data());
}

LatencyHistogramChart *ChartsPanel::histogramChart() const
{
    return static_cast<LatencyHistogramChart *>(charts_[1].data());
}

TimeSeriesChart *ChartsPanel::throughputChart() const
{
    return static_cast<TimeSeriesChart *>(charts_[2].data());
}

TimeSeriesChart *ChartsPanel::queueDepthChart() const
{
    return static_cast<TimeSeriesChart *>(charts_[3].data());
}

TimeSeriesChart *ChartsPanel::utilizationChart() const
{
    return static_cast<TimeSeriesChart *>(charts_[4].data());
}

QList<ChartWidget *> ChartsPanel::charts() const
{
    QList<ChartWidget *> list;
    for (const QPointer<ChartWidget> &chart : charts_)
        if (chart)
            list.push_back(chart.data());
    return list;
}

QList<QDockWidget *> ChartsPanel::createDocks(QMainWindow *window, Qt::DockWidgetArea area)
{
    QList<QDockWidget *> docks;
    for (ChartWidget *chart : charts()) {
        auto *dock = new QDockWidget(chart->title(), window);
        dock->setObjectName(chart->name().remove(QLatin1Char('-')) + QStringLiteral("ChartDock"));
        dock->setWidget(chart);
        docks.push_back(dock);
    }
    if (docks.size() != 5)
        return docks;
    window->addDockWidget(area, docks[0]);
    const Qt::Orientation across = area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea
        ? Qt::Vertical : Qt::Horizontal;
    window->splitDockWidget(docks[0], docks[1], across);
    window->splitDockWidget(docks[1], docks[2], across);
    window->tabifyDockWidget(docks[2], docks[3]);
    window->tabifyDockWidget(docks[3], docks[4]);
    docks[2]->raise();
    return docks;
}

QWidget *ChartsPanel::createGrid(QWidget *parent)
{
    return new ChartsArea(charts(), parent);
}

void ChartsPanel::setScenario(const Scenario &scenario)
{
    ++generation_;
    const TheoryResult theory = analyze(scenario);
    for (ChartWidget *chart : charts())
        chart->setScenario(scenario, theory);
}

void ChartsPanel::addSnapshot(const RunSnapshot &snapshot)
{
    // Each chart replots on its own turn of the event loop, a few milliseconds apart, so
    // five replots never hold the window up in one go. A reset in between drops the rest.
    const QList<ChartWidget *> list = charts();
    for (int i = 0; i < list.size(); ++i) {
        QPointer<ChartWidget> chart = list[i];
        if (i == 0) {
            chart->addSnapshot(snapshot);
            continue;
        }
        QTimer::singleShot(i * StaggerMs, this, [this, chart, snapshot, generation = generation_] {
            if (chart && generation == generation_)
                chart->addSnapshot(snapshot);
        });
    }
}

void ChartsPanel::setResults(const Results &results)
{
    for (ChartWidget *chart : charts())
        chart->setResults(results);
}

void ChartsPanel::setReference(const std::shared_ptr<const ChartReference> &reference)
{
    for (ChartWidget *chart : charts())
        chart->setReference(reference);
}

void ChartsPanel::clearReference()
{
    for (ChartWidget *chart : charts())
        if (chart->hasReference())
            chart->clearReference();
}

void ChartsPanel::clear()
{
    ++generation_;
    for (ChartWidget *chart : charts())
        chart->clearData();
}

} // namespace ql
