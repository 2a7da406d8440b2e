// The distribution of end-to-end latency: the run's latency histogram (log-linear buckets,
// see stats/histogram.h) regrouped into even bins up to the 99.5th percentile, with the
// mean, p95 and p99 marked and the closed-form mean as a dashed reference. After a
// replication run the markers move to the pooled figures and the mean gets its 95%
// confidence interval as a shaded band. Beside a live run, the simulated distribution of
// the same scenario (setReference) is a lighter dashed outline over the same bins.
#pragma once

#include "chartwidget.h"

#include <optional>

class QCPBars;
class QCPGraph;
class QCPItemRect;

namespace ql {

class Histogram;

class LatencyHistogramChart : public ChartWidget
{
    Q_OBJECT
public:
    explicit LatencyHistogramChart(QWidget *parent = nullptr);
    ~LatencyHistogramChart() override;

    void setScenario(const Scenario &scenario, const TheoryResult &theory) override;
    void addSnapshot(const RunSnapshot &snapshot) override;
    void setResults(const Results &results) override;
    void clearData() override;
    void setReference(const std::shared_ptr<const ChartReference> &reference) override;
    void clearReference() override;

    // Regroups `histogram` into the chart's bins (public so tests can feed one directly).
    void showHistogram(const Histogram &histogram);
    double binWidth() const { return binWidth_; }
    bool showsConfidenceInterval() const;

protected:
    void rescale() override;
    void themeChanged() override;
    std::optional<Readout> readoutAt(const QPointF &pixel) const override;

private:
    QCPGraph *addMarker(int colour, bool theory);
    void placeMarker(QCPGraph *marker, double x, const QString &name);
    void updateMarkers();
    void chooseBins(const Histogram &histogram);
    void rebinReference();

    QCPBars *bars_ = nullptr;
    QCPGraph *mean_ = nullptr;
    QCPGraph *p95_ = nullptr;
    QCPGraph *p99_ = nullptr;
    QCPGraph *theory_ = nullptr;
    QCPGraph *referenceOutline_ = nullptr; // outline of the reference distribution
    QCPItemRect *ci_ = nullptr;
    std::optional<double> theoryMean_;
    QString theoryModel_;
    double range_ = 0;       // only grows during a run, so bins stay put
    double binWidth_ = 0;
    std::uint64_t count_ = 0;
    double meanValue_ = 0, p95Value_ = 0, p99Value_ = 0;
    std::optional<double> ciHalf_;
    int replications_ = 1;
    quint64 runId_ = 0;
    bool haveRun_ = false;
};

} // namespace ql
