#include "histogramchart.h"

#include "stats/histogram.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ql {

namespace {

constexpr int TargetBins = 40;

// 1, 2, 2.5 or 5 times a power of ten, at least x: bin edges people can read.
double niceStep(double x)
{
    if (!(x > 0))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(x)));
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (f * power >= x * 0.999)
            return f * power;
    return 10 * power;
}

} // namespace

LatencyHistogramChart::LatencyHistogramChart(QWidget *parent)
    : ChartWidget(QStringLiteral("latency-histogram"), tr("Latency distribution"), parent)
{
    bars_ = new QCPBars(plot()->xAxis, plot()->yAxis);
    bars_->setName(tr("share of messages"));
    bars_->setWidthType(QCPBars::wtPlotCoords);
    bars_->addToLegend();
    setRole(bars_, Role::Bars, 0);
    ci_ = new QCPItemRect(plot());
    ci_->setLayer(QStringLiteral("grid"));
    ci_->setSelectable(false);
    ci_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    ci_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    ci_->setVisible(false);
    mean_ = addMarker(1, false);
    p95_ = addMarker(4, false);
    p99_ = addMarker(5, false);
    theory_ = addMarker(1, true);
    setValueLabel(tr("share of messages (%)"));
    plot()->xAxis->setLabel(tr("latency (s)"));
    setUnit(QStringLiteral(" s"));
    restyle();
    rescale();
}

LatencyHistogramChart::~LatencyHistogramChart() = default;

QCPGraph *LatencyHistogramChart::addMarker(int colour, bool theory)
{
    QCPGraph *g = plot()->addGraph();
    setRole(g, theory ? Role::Theory : Role::Marker, colour);
    g->setVisible(false);
    return g;
}

void LatencyHistogramChart::placeMarker(QCPGraph *marker, double x, const QString &name)
{
    marker->data()->clear();
    marker->addData(x, 0);
    marker->addData(x, plot()->yAxis->range().upper);
    marker->setName(name);
    if (!marker->visible()) {
        marker->setVisible(true);
        marker->addToLegend();
    }
}

void LatencyHistogramChart::setScenario(const Scenario &scenario, const TheoryResult &theory)
{
    clearReference(); // a reference belongs to the scenario it was run for
    const QString unit = QString::fromLatin1(timeUnitName(scenario.timeUnit));
    setUnit(QStringLiteral(" ") + unit);
    plot()->xAxis->setLabel(tr("latency (%1)").arg(unit));
    theoryMean_ = theory.applicable ? theory.endToEndLatency : std::nullopt;
    theoryModel_ = theory.applicable ? QString::fromStdString(theory.model) : QString();
    clearData();
}

void LatencyHistogramChart::clearData()
{
    resumeFollowing();
    bars_->data()->clear();
    range_ = 0;
    binWidth_ = 0;
    count_ = 0;
    ciHalf_.reset();
    replications_ = 1;
    haveRun_ = false;
    for (QCPGraph *g : {mean_, p95_, p99_, theory_}) {
        g->setVisible(false);
        g->removeFromLegend();
    }
    ci_->setVisible(false);
    rebinReference(); // the reference stays; its bins start over with the data's
    rescale();
    updateMarkers();
    requestReplot();
}

void LatencyHistogramChart::setReference(const std::shared_ptr<const ChartReference> &reference)
{
    storeReference(reference);
    if (!reference) {
        clearReference();
        return;
    }
    if (!referenceOutline_) {
        referenceOutline_ = plot()->addGraph();
        referenceOutline_->setLineStyle(QCPGraph::lsStepCenter);
        // Neutral, not the bars' hue: an outline in their own colour vanishes against them.
        setRole(referenceOutline_, Role::Reference, -1);
        referenceOutline_->addToLegend();
    }
    referenceOutline_->setName(reference->label);
    bars_->setName(reference->dataLabel);
    rebinReference();
    restyle();
    if (following())
        rescale();
    requestReplot();
}

void LatencyHistogramChart::clearReference()
{
    if (referenceOutline_)
        plot()->removeGraph(referenceOutline_);
    referenceOutline_ = nullptr;
    bars_->setName(tr("share of messages"));
    ChartWidget::clearReference();
    requestReplot();
}

void LatencyHistogramChart::chooseBins(const Histogram &h)
{
    const double hi = std::max(h.quantile(0.995), h.quantile(0.5) * 2);
    if (hi > range_ || binWidth_ <= 0) {
        binWidth_ = niceStep(std::max(hi, 1e-9) / TargetBins);
        range_ = binWidth_ * TargetBins;
    }
}

void LatencyHistogramChart::rebinReference()
{
    if (!referenceOutline_ || !reference())
        return;
    const Histogram &h = reference()->latency;
    if (h.count() == 0) {
        referenceOutline_->data()->clear();
        return;
    }
    // The reference outlines the data's bins; before any data it chooses them.
    chooseBins(h);
    const int bins = int(std::ceil(range_ / binWidth_)) + 1;
    std::vector<double> counts(std::size_t(bins), 0.0);
    h.forEachBucket([&](double lower, double upper, std::uint64_t n) {
        const int i = std::min(bins - 1, int(((lower + upper) / 2) / binWidth_));
        counts[std::size_t(i)] += double(n);
    });
    QVector<double> keys, values;
    for (int i = 0; i < bins; ++i) {
        keys.push_back((i + 0.5) * binWidth_);
        values.push_back(100.0 * counts[std::size_t(i)] / double(h.count()));
    }
    referenceOutline_->setData(keys, values, true);
}

void LatencyHistogramChart::showHistogram(const Histogram &h)
{
    count_ = h.count();
    if (count_ == 0) {
        bars_->data()->clear();
        return;
    }
    const double previousWidth = binWidth_;
    chooseBins(h);
    if (binWidth_ != previousWidth)
        rebinReference();
    const int bins = int(std::ceil(range_ / binWidth_)) + 1; // the last one holds the tail
    std::vector<double> counts(std::size_t(bins), 0.0);
    h.forEachBucket([&](double lower, double upper, std::uint64_t n) {
        const int i = std::min(bins - 1, int(((lower + upper) / 2) / binWidth_));
        counts[std::size_t(i)] += double(n);
    });
    QVector<double> keys, values;
    keys.reserve(bins);
    values.reserve(bins);
    for (int i = 0; i < bins; ++i) {
        keys.push_back((i + 0.5) * binWidth_);
        values.push_back(100.0 * counts[std::size_t(i)] / double(count_));
    }
    bars_->setWidth(binWidth_ * 0.9);
    bars_->setData(keys, values, true); // a distribution is redrawn whole, at ~5 Hz
    if (!ciHalf_) {
        meanValue_ = h.mean();
        p95Value_ = h.quantile(0.95);
        p99Value_ = h.quantile(0.99);
    }
}

void LatencyHistogramChart::addSnapshot(const RunSnapshot &snapshot)
{
    if (!snapshot.stats)
        return;
    if (!haveRun_ || snapshot.runId != runId_) {
        clearData();
        haveRun_ = true;
        runId_ = snapshot.runId;
    }
    showHistogram(snapshot.stats->latency);
    if (following())
        rescale();
    updateMarkers();
    requestReplot();
}

void LatencyHistogramChart::setResults(const Results &results)
{
    if (results.latency.count == 0 && results.delivered <= 0)
        return;
    meanValue_ = results.latency.mean;
    p95Value_ = results.latency.p95;
    p99Value_ = results.latency.p99;
    replications_ = results.replications;
    ciHalf_ = results.replications > 1 ? results.latency.ci95 : std::nullopt;
    if (!ciHalf_)
        ciHalf_ = 0.0; // pooled figures from here on, not the snapshot's
    if (range_ <= 0) { // replications without an animated run: no bars, but a sensible axis
        binWidth_ = niceStep(std::max(p99Value_ * 1.2, 1e-9) / TargetBins);
        range_ = binWidth_ * TargetBins;
    }
    if (count_ == 0) // markers need to know there is something to mark
        count_ = std::max<std::uint64_t>(1, results.latency.count);
    if (following())
        rescale();
    updateMarkers();
    requestReplot();
}

bool LatencyHistogramChart::showsConfidenceInterval() const
{
    return ci_->visible();
}

void LatencyHistogramChart::updateMarkers()
{
    const QString u = unit();
    if (count_ > 0) {
        const bool pooled = ciHalf_.has_value() && replications_ > 1;
        const QString meanText = pooled && *ciHalf_ > 0
            ? tr("mean %1 ± %2%3 (%4 runs)").arg(formatNumber(meanValue_), formatNumber(*ciHalf_), u).arg(replications_)
            : tr("mean %1%2").arg(formatNumber(meanValue_), u);
        placeMarker(mean_, meanValue_, meanText);
        placeMarker(p95_, p95Value_, tr("p95 %1%2").arg(formatNumber(p95Value_), u));
        placeMarker(p99_, p99Value_, tr("p99 %1%2").arg(formatNumber(p99Value_), u));
        ci_->setVisible(pooled && *ciHalf_ > 0);
        if (ci_->visible()) {
            ci_->topLeft->setCoords(meanValue_ - *ciHalf_, 0);
            ci_->bottomRight->setCoords(meanValue_ + *ciHalf_, 1);
        }
    }
    if (theoryMean_) {
        const QString name = theoryModel_.isEmpty()
            ? tr("theory mean %1%2").arg(formatNumber(*theoryMean_), u)
            : tr("theory mean %1%2 (%3)").arg(formatNumber(*theoryMean_), u, theoryModel_);
        placeMarker(theory_, *theoryMean_, name);
    }
}

void LatencyHistogramChart::rescale()
{
    const double right = range_ > 0 ? range_ + binWidth_ : 1.0;
    plot()->xAxis->setRange(0, std::max(right, theoryMean_.value_or(0) * 1.1));
    double top = 0;
    for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
        top = std::max(top, it->value);
    if (referenceOutline_)
        for (auto it = referenceOutline_->data()->constBegin(); it != referenceOutline_->data()->constEnd(); ++it)
            top = std::max(top, it->value);
    plot()->yAxis->setRange(0, top > 0 ? top * 1.15 : 10);
    updateMarkers();
}

void LatencyHistogramChart::themeChanged()
{
    if (!ci_)
        return;
    QColor band = theme().series(1);
    band.setAlpha(theme().dark ? 55 : 40);
    ci_->setPen(Qt::NoPen);
    ci_->setBrush(band);
}

std::optional<ChartWidget::Readout> LatencyHistogramChart::readoutAt(const QPointF &pixel) const
{
    // Markers first: they are thin and what people aim at.
    for (QCPGraph *g : {mean_, p95_, p99_, theory_}) {
        if (!g->visible() || g->data()->isEmpty())
            continue;
        const double x = g->data()->constBegin()->key;
        if (std::abs(plot()->xAxis->coordToPixel(x) - pixel.x()) < 5)
            return Readout{QPointF(x, plot()->yAxis->pixelToCoord(pixel.y())), g->name(), g->pen().color()};
    }
    if (binWidth_ <= 0 || bars_->data()->isEmpty())
        return std::nullopt;
    const double x = plot()->xAxis->pixelToCoord(pixel.x());
    const int bins = bars_->data()->size();
    const int i = int(std::floor(x / binWidth_));
    if (x < 0 || i >= bins)
        return std::nullopt;
    const double share = (bars_->data()->constBegin() + i)->value;
    const double y = plot()->yAxis->pixelToCoord(pixel.y());
    if (y > share * 1.1 + plot()->yAxis->range().size() * 0.05)
        return std::nullopt;
    const QString range = i == bins - 1
        ? QStringLiteral("≥ %1%2").arg(formatNumber(i * binWidth_), unit())
        : QStringLiteral("%1 – %2%3").arg(formatNumber(i * binWidth_), formatNumber((i + 1) * binWidth_), unit());
    const auto messages = std::llround(share / 100.0 * double(count_));
    return Readout{QPointF((i + 0.5) * binWidth_, share),
                   tr("%1\n%2% of messages (%3)").arg(range, formatNumber(share)).arg(messages),
                   bars_->brush().color()};
}

} // namespace ql
