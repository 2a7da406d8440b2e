// A metric over simulated time, one line per node (or per percentile), filled from the
// running replication's time series as it grows (addData + queued replot, never a whole
// series per tick). The closed-form value is a dashed reference where analyze() has one;
// after a replication run the mean over replications is a band of its 95% confidence
// interval. The warm-up period is shaded, because its observations count in no statistic.
// Beside a live run, the simulated series of the same scenario (setReference) is drawn
// under each measured line, lighter and dashed, on the same axes.
//
// Four kinds cover the workbench's time charts: end-to-end latency (mean, p50, p95, p99),
// throughput per node, queue depth per queue, utilization per consumer.
#pragma once

#include "chartwidget.h"

#include <string>
#include <vector>

class QCPGraph;
class QCPItemRect;
class QCPItemText;

namespace ql {

class TimeSeriesChart : public ChartWidget
{
    Q_OBJECT
public:
    enum class Kind { Latency, Throughput, QueueDepth, Utilization };

    explicit TimeSeriesChart(Kind kind, QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    Kind kind() const { return kind_; }

    void setScenario(const Scenario &scenario, const TheoryResult &theory) override;
    void addSnapshot(const RunSnapshot &snapshot) override;
    void setResults(const Results &results) override;
    void clearData() override;
    void setReference(const std::shared_ptr<const ChartReference> &reference) override;
    void clearReference() override;

    // Lines (one per node or percentile) and whether a theory reference / CI band is shown;
    // for tests and for the lead's tooltips.
    int lineCount() const { return int(lines_.size()); }
    int theoryLineCount() const;
    int confidenceBandCount() const;

protected:
    void rescale() override;
    void themeChanged() override;

private:
    struct Line
    {
        std::string node;   // "" for end-to-end series
        std::string metric; // TimeSeries metric name
        QString label;      // its own legend entry ("hello"); merged lines join theirs
        QString theoryLabel;
        double scale = 1;   // utilization is shown in percent
        bool gapOnZero = false; // latency: an interval without deliveries has no latency
        QCPGraph *graph = nullptr;
        QCPGraph *theory = nullptr;
        QCPGraph *bandLow = nullptr;
        QCPGraph *bandHigh = nullptr;
        QCPGraph *ciMean = nullptr;
        QCPGraph *reference = nullptr; // the reference run's series (ChartReference)
        int series = -1;    // index into TimeSeries::series, resolved on first use
    };

    void addLine(const std::string &node, const std::string &metric, const QString &label, int colour,
                 double scale = 1, bool gapOnZero = false);
    void setTheory(Line &line, double value, const QString &label);
    void mergeIdentical();
    static bool sameValue(double a, double b);
    void setBand(Line &line, const MeanCi &value, int replications, bool inLegend);
    void removeBands();
    void append(const TimeSeries &series);
    void updateWarmup();
    void removeReferenceGraphs();

    Kind kind_;
    std::vector<Line> lines_;
    std::vector<char> equal_; // [i * n + j], i < j: lines i and j equal at every sample so far
    QCPGraph *bandKey_ = nullptr;
    quint64 runId_ = 0;
    bool haveRun_ = false;
    std::size_t consumed_ = 0;
    double endTime_ = 1;
    double warmup_ = 0;
    double dataMax_ = 0;
    double referenceMax_ = 0;
    QString timeUnit_;
    QString theoryModel_;
    QCPItemRect *warmupRect_ = nullptr;
    QCPItemText *warmupLabel_ = nullptr;
};

} // namespace ql
