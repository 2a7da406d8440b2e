#include "timeserieschart.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ql {

namespace {

QString chartName(TimeSeriesChart::Kind kind)
{
    switch (kind) {
    case TimeSeriesChart::Kind::Latency:
        return QStringLiteral("latency");
    case TimeSeriesChart::Kind::Throughput:
        return QStringLiteral("throughput");
    case TimeSeriesChart::Kind::QueueDepth:
        return QStringLiteral("queue-depth");
    case TimeSeriesChart::Kind::Utilization:
        return QStringLiteral("utilization");
    }
    return {};
}

QString chartTitle(TimeSeriesChart::Kind kind)
{
    switch (kind) {
    case TimeSeriesChart::Kind::Latency:
        return QObject::tr("End-to-end latency");
    case TimeSeriesChart::Kind::Throughput:
        return QObject::tr("Throughput per node");
    case TimeSeriesChart::Kind::QueueDepth:
        return QObject::tr("Queue depth");
    case TimeSeriesChart::Kind::Utilization:
        return QObject::tr("Consumer utilization");
    }
    return {};
}

void setHorizontal(QCPGraph *graph, double from, double to, double value)
{
    graph->data()->clear();
    graph->addData(from, value);
    graph->addData(to, value);
}

} // namespace

TimeSeriesChart::TimeSeriesChart(Kind kind, QWidget *parent)
    : ChartWidget(chartName(kind), chartTitle(kind), parent)
    , kind_(kind)
{
    warmupRect_ = new QCPItemRect(plot());
    warmupRect_->setLayer(QStringLiteral("grid"));
    warmupRect_->setSelectable(false);
    warmupRect_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    warmupRect_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    warmupLabel_ = new QCPItemText(plot());
    warmupLabel_->setLayer(QStringLiteral("grid"));
    warmupLabel_->setSelectable(false);
    warmupLabel_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    warmupLabel_->setPositionAlignment(Qt::AlignTop | Qt::AlignHCenter);
    warmupLabel_->setText(tr("warm-up"));
    warmupLabel_->setPadding(QMargins(2, 4, 2, 2));
    updateWarmup();
    themeChanged();
}

TimeSeriesChart::~TimeSeriesChart() = default;

void TimeSeriesChart::addLine(const std::string &node, const std::string &metric, const QString &label, int colour,
                              double scale, bool gapOnZero)
{
    Line line;
    line.node = node;
    line.metric = metric;
    line.scale = scale;
    line.gapOnZero = gapOnZero;
    line.graph = plot()->addGraph();
    line.graph->setName(label);
    line.graph->addToLegend();
    setRole(line.graph, Role::Line, colour);
    lines_.push_back(line);
}

void TimeSeriesChart::setTheory(Line &line, double value, const QString &label, bool inLegend)
{
    if (!std::isfinite(value))
        return;
    line.theory = plot()->addGraph();
    line.theory->setName(label);
    setRole(line.theory, Role::Theory, line.graph->property("qlColour").toInt());
    setHorizontal(line.theory, 0, endTime_, value * line.scale);
    if (inLegend)
        line.theory->addToLegend();
}

void TimeSeriesChart::setScenario(const Scenario &scenario, const TheoryResult &theory)
{
    // A reference belongs to the scenario it was run for.
    ChartWidget::clearReference();
    referenceMax_ = 0;
    plot()->clearGraphs();
    lines_.clear();
    haveRun_ = false;
    consumed_ = 0;
    dataMax_ = 0;
    endTime_ = scenario.run.duration > 0 ? scenario.run.duration : 1;
    warmup_ = scenario.run.warmup;
    const QString time = QString::fromLatin1(timeUnitName(scenario.timeUnit));
    timeUnit_ = time;
    theoryModel_ = theory.applicable ? QString::fromStdString(theory.model) : QString();
    const QString theoryLabel = theoryModel_.isEmpty() ? tr("theory") : tr("theory (%1)").arg(theoryModel_);
    plot()->xAxis->setLabel(tr("simulated time (%1)").arg(time));

    auto station = [&](const std::string &queue) -> const StationTheory * {
        if (!theory.applicable)
            return nullptr;
        for (const NodeTheory &q : theory.queues)
            if (q.id == queue)
                return &q.station;
        return nullptr;
    };
    auto stationOfConsumer = [&](const std::string &consumer) -> const NodeTheory * {
        if (!theory.applicable)
            return nullptr;
        for (const NodeTheory &q : theory.queues)
            if (std::find(q.consumers.begin(), q.consumers.end(), consumer) != q.consumers.end())
                return &q;
        return nullptr;
    };
    bool legendHasTheory = false;
    auto theoryFor = [&](Line &line, std::optional<double> value, const QString &name) {
        if (!value)
            return;
        setTheory(line, *value, name.isEmpty() ? theoryLabel : name, !legendHasTheory);
        if (line.theory && !legendHasTheory) {
            line.theory->setName(theoryLabel);
            legendHasTheory = true;
        }
    };

    int colour = 0;
    switch (kind_) {
    case Kind::Latency: {
        setUnit(QStringLiteral(" ") + time);
        plot()->yAxis->setLabel(tr("latency (%1)").arg(time));
        addLine({}, "latency_mean", tr("mean"), 0, 1, true);
        addLine({}, "latency_p50", tr("p50"), 2, 1, true);
        addLine({}, "latency_p95", tr("p95"), 1, 1, true);
        addLine({}, "latency_p99", tr("p99"), 5, 1, true);
        theoryFor(lines_[0], theory.applicable ? theory.endToEndLatency : std::nullopt, {});
        // A single M/M/1 station has closed-form sojourn percentiles too.
        if (theory.applicable && theory.queues.size() == 1) {
            const StationTheory &s = theory.queues.front().station;
            theoryFor(lines_[1], s.sojournP50, tr("theory p50"));
            theoryFor(lines_[2], s.sojournP95, tr("theory p95"));
            theoryFor(lines_[3], s.sojournP99, tr("theory p99"));
        }
        break;
    }
    case Kind::Throughput: {
        setUnit(QStringLiteral("/") + time);
        plot()->yAxis->setLabel(tr("messages per %1").arg(time));
        addLine({}, "throughput", tr("delivered (end to end)"), colour++);
        theoryFor(lines_.back(), theory.applicable ? theory.endToEndThroughput : std::nullopt, {});
        for (const Node &node : scenario.nodes) {
            const QString id = QString::fromStdString(node.id);
            if (node.kind == NodeKind::Producer) {
                addLine(node.id, "throughput", tr("%1 published").arg(id), colour++);
            } else if (node.kind == NodeKind::Exchange) {
                addLine(node.id, "throughput", tr("%1 routed").arg(id), colour++);
            } else if (node.kind == NodeKind::Consumer) {
                addLine(node.id, "throughput", tr("%1 completed").arg(id), colour++);
                if (const NodeTheory *q = stationOfConsumer(node.id); q && !q->consumers.empty())
                    theoryFor(lines_.back(), q->station.throughput / double(q->consumers.size()),
                              tr("theory %1").arg(id));
            }
        }
        break;
    }
    case Kind::QueueDepth:
        setUnit(QString());
        plot()->yAxis->setLabel(tr("ready messages (time average)"));
        for (const Node &node : scenario.nodes) {
            if (node.kind != NodeKind::Queue)
                continue;
            addLine(node.id, "length_mean", QString::fromStdString(node.id), colour++);
            if (const StationTheory *s = station(node.id))
                theoryFor(lines_.back(), s->meanQueueLength, tr("theory %1").arg(QString::fromStdString(node.id)));
        }
        break;
    case Kind::Utilization:
        setUnit(QStringLiteral("%"));
        plot()->yAxis->setLabel(tr("utilization (%)"));
        for (const Node &node : scenario.nodes) {
            if (node.kind != NodeKind::Consumer)
                continue;
            addLine(node.id, "utilization", QString::fromStdString(node.id), colour++, 100.0);
            if (const NodeTheory *q = stationOfConsumer(node.id))
                theoryFor(lines_.back(), q->station.utilization, tr("theory %1").arg(QString::fromStdString(node.id)));
        }
        break;
    }
    updateWarmup();
    restyle();
    rescale();
}

int TimeSeriesChart::theoryLineCount() const
{
    return int(std::count_if(lines_.begin(), lines_.end(), [](const Line &l) { return l.theory != nullptr; }));
}

int TimeSeriesChart::confidenceBandCount() const
{
    return int(std::count_if(lines_.begin(), lines_.end(), [](const Line &l) { return l.bandLow != nullptr; }));
}

void TimeSeriesChart::append(const TimeSeries &series)
{
    const std::size_t count = series.times.size();
    for (Line &line : lines_) {
        if (line.series < 0) {
            for (std::size_t i = 0; i < series.series.size(); ++i) {
                if (series.series[i].node == line.node && series.series[i].metric == line.metric) {
                    line.series = int(i);
                    break;
                }
            }
        }
        if (line.series < 0 || std::size_t(line.series) >= series.series.size())
            continue;
        const std::vector<double> &values = series.series[std::size_t(line.series)].values;
        for (std::size_t k = consumed_; k < count && k < values.size(); ++k) {
            double v = values[k] * line.scale;
            if (line.gapOnZero && v == 0)
                v = std::numeric_limits<double>::quiet_NaN(); // QCustomPlot leaves a gap
            else if (std::isfinite(v))
                dataMax_ = std::max(dataMax_, v);
            line.graph->addData(series.times[k], v);
        }
    }
    consumed_ = std::max(consumed_, count);
}

void TimeSeriesChart::addSnapshot(const RunSnapshot &snapshot)
{
    if (!snapshot.stats)
        return;
    if (!haveRun_ || snapshot.runId != runId_) {
        clearData();
        haveRun_ = true;
        runId_ = snapshot.runId;
    }
    if (snapshot.endTime > 0 && snapshot.endTime != endTime_) {
        endTime_ = snapshot.endTime;
        for (Line &line : lines_)
            if (line.theory)
                setHorizontal(line.theory, 0, endTime_, line.theory->data()->constBegin()->value);
        updateWarmup();
    }
    append(snapshot.stats->series);
    if (following())
        rescale();
    requestReplot();
}

void TimeSeriesChart::removeBands()
{
    for (Line &line : lines_) {
        for (QCPGraph **g : {&line.bandLow, &line.bandHigh, &line.ciMean}) {
            if (*g)
                plot()->removeGraph(*g);
            *g = nullptr;
        }
    }
}

void TimeSeriesChart::setBand(Line &line, const MeanCi &value, int replications, bool inLegend)
{
    if (!value.ci95 || !std::isfinite(value.mean) || !std::isfinite(*value.ci95))
        return;
    const int colour = line.graph->property("qlColour").toInt();
    const double mean = value.mean * line.scale;
    const double half = *value.ci95 * line.scale;
    const double from = std::min(warmup_, endTime_);
    line.bandHigh = plot()->addGraph();
    line.bandLow = plot()->addGraph();
    setRole(line.bandHigh, Role::BandEdge, colour);
    setRole(line.bandLow, Role::Band, colour);
    setHorizontal(line.bandHigh, from, endTime_, mean + half);
    setHorizontal(line.bandLow, from, endTime_, mean - half);
    line.bandLow->setChannelFillGraph(line.bandHigh);
    line.ciMean = plot()->addGraph();
    setRole(line.ciMean, Role::CiMean, colour);
    setHorizontal(line.ciMean, from, endTime_, mean);
    line.ciMean->setName(tr("mean of %1 runs ± %2").arg(replications).arg(formatNumber(half)));
    if (inLegend) {
        line.bandLow->setName(tr("mean ± 95% CI (%1 replications)").arg(replications));
        line.bandLow->addToLegend();
    }
    dataMax_ = std::max(dataMax_, mean + half);
}

void TimeSeriesChart::setResults(const Results &results)
{
    if (dataCount() == 0) { // replications without an animated run: show replication 1
        consumed_ = 0;
        append(results.series);
    }
    removeBands();
    if (results.replications > 1) {
        auto nodeResult = [&](const std::string &id) -> const NodeResult * {
            for (const NodeResult &n : results.nodes)
                if (n.id == id)
                    return &n;
            return nullptr;
        };
        bool inLegend = true;
        for (Line &line : lines_) {
            MeanCi value;
            bool have = false;
            switch (kind_) {
            case Kind::Latency:
                if (line.metric == "latency_mean") {
                    value = MeanCi{results.latency.mean, results.latency.ci95};
                    have = true;
                }
                break;
            case Kind::Throughput:
                if (line.node.empty()) {
                    value = results.throughput;
                    have = true;
                } else if (const NodeResult *n = nodeResult(line.node)) {
                    value = n->throughput;
                    have = true;
                }
                break;
            case Kind::QueueDepth:
                if (const NodeResult *n = nodeResult(line.node)) {
                    value = n->length;
                    have = true;
                }
                break;
            case Kind::Utilization:
                if (const NodeResult *n = nodeResult(line.node)) {
                    value = n->utilization;
                    have = true;
                }
                break;
            }
            if (!have)
                continue;
            setBand(line, value, results.replications, inLegend);
            if (line.bandLow)
                inLegend = false;
        }
    }
    restyle();
    if (following())
        rescale();
    requestReplot();
}

void TimeSeriesChart::clearData()
{
    resumeFollowing();
    removeBands();
    for (Line &line : lines_) {
        line.graph->data()->clear();
        line.series = -1;
    }
    consumed_ = 0;
    haveRun_ = false;
    dataMax_ = 0;
    rescale();
    requestReplot();
}

void TimeSeriesChart::setReference(const std::shared_ptr<const ChartReference> &reference)
{
    removeReferenceGraphs();
    storeReference(reference);
    if (!reference) {
        clearReference();
        return;
    }
    const TimeSeries &series = reference->series;
    for (Line &line : lines_) {
        const Series *match = nullptr;
        for (const Series &s : series.series)
            if (s.node == line.node && s.metric == line.metric)
                match = &s;
        if (!match)
            continue;
        line.reference = plot()->addGraph();
        line.reference->setName(tr("%1 (%2)").arg(line.graph->name(), reference->label));
        setRole(line.reference, Role::Reference, line.graph->property("qlColour").toInt());
        QVector<double> keys, values;
        const std::size_t n = std::min(series.times.size(), match->values.size());
        keys.reserve(int(n));
        values.reserve(int(n));
        for (std::size_t k = 0; k < n; ++k) {
            double v = match->values[k] * line.scale;
            if (line.gapOnZero && v == 0)
                v = std::numeric_limits<double>::quiet_NaN();
            else if (std::isfinite(v))
                referenceMax_ = std::max(referenceMax_, v);
            keys.push_back(series.times[k]);
            values.push_back(v);
        }
        line.reference->setData(keys, values, true); // once per reference, not per tick
    }
    // Measured and simulated share the axis: it is the scenario's time, whichever ran it.
    plot()->xAxis->setLabel(tr("scenario time (%1)").arg(timeUnit_));
    showReferenceKeys(true);
    restyle();
    if (following())
        rescale();
    requestReplot();
}

void TimeSeriesChart::clearReference()
{
    removeReferenceGraphs();
    ChartWidget::clearReference();
    plot()->xAxis->setLabel(tr("simulated time (%1)").arg(timeUnit_));
    rescale();
    requestReplot();
}

void TimeSeriesChart::removeReferenceGraphs()
{
    for (Line &line : lines_) {
        if (line.reference)
            plot()->removeGraph(line.reference);
        line.reference = nullptr;
    }
    referenceMax_ = 0;
}

void TimeSeriesChart::rescale()
{
    plot()->xAxis->setRange(0, endTime_);
    double top = std::max(dataMax_, referenceMax_);
    for (const Line &line : lines_)
        if (line.theory && !line.theory->data()->isEmpty())
            top = std::max(top, line.theory->data()->constBegin()->value);
    if (kind_ == Kind::Utilization) {
        plot()->yAxis->setRange(0, 105);
        return;
    }
    if (top <= 0)
        top = 1;
    plot()->yAxis->setRange(0, top * 1.12);
}

void TimeSeriesChart::updateWarmup()
{
    const bool show = warmup_ > 0 && warmup_ < endTime_;
    warmupRect_->setVisible(show);
    warmupLabel_->setVisible(show && warmup_ / endTime_ > 0.06);
    warmupRect_->topLeft->setCoords(0, 0);
    warmupRect_->bottomRight->setCoords(warmup_, 1);
    warmupLabel_->position->setCoords(warmup_ / 2, 0);
}

void TimeSeriesChart::themeChanged()
{
    if (!warmupRect_)
        return;
    warmupRect_->setPen(Qt::NoPen);
    warmupRect_->setBrush(theme().warmup);
    warmupLabel_->setColor(theme().axis);
    warmupLabel_->setFont(theme().font);
}

} // namespace ql
