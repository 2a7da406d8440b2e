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
    line.label = label;
    line.graph = plot()->addGraph();
    line.graph->setName(label);
    line.graph->addToLegend();
    setRole(line.graph, Role::Line, colour);
    lines_.push_back(line);
}

void TimeSeriesChart::setTheory(Line &line, double value, const QString &label)
{
    if (!std::isfinite(value))
        return;
    line.theory = plot()->addGraph();
    line.theory->setName(label);
    line.theoryLabel = label;
    setRole(line.theory, Role::Theory, line.graph->property("qlColour").toInt());
    setHorizontal(line.theory, 0, endTime_, value * line.scale);
    line.theory->addToLegend();
}

bool TimeSeriesChart::sameValue(double a, double b)
{
    if (std::isnan(a) && std::isnan(b))
        return true;
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

void TimeSeriesChart::mergeIdentical()
{
    // Lines that have had the same value at every sample so far (a producer that publishes
    // into one queue and the consumer that completes them all, say) would be drawn on top
    // of each other with a legend entry each, one of them invisible. They are drawn once,
    // and the legend entry says which they are ("delivered = receive completed"). Their
    // theory lines likewise where the figures are equal.
    const std::size_t n = lines_.size();
    std::vector<int> leader(n, -1);
    std::vector<int> theoryLeader(n, -1);
    for (std::size_t j = 0; j < n; ++j) {
        leader[j] = int(j);
        if (!lines_[j].graph->data()->isEmpty())
            for (std::size_t i = 0; i < j; ++i)
                if (leader[i] == int(i) && equal_[i * n + j] && !lines_[i].graph->data()->isEmpty()) {
                    leader[j] = int(i);
                    break;
                }
        theoryLeader[j] = int(j);
        if (!lines_[j].theory)
            continue;
        const double v = lines_[j].theory->data()->constBegin()->value;
        for (std::size_t i = 0; i < j; ++i)
            if (theoryLeader[i] == int(i) && lines_[i].theory
                && sameValue(lines_[i].theory->data()->constBegin()->value, v)) {
                theoryLeader[j] = int(i);
                break;
            }
    }
    for (std::size_t i = 0; i < n; ++i) {
        Line &line = lines_[i];
        QStringList names, theoryNames;
        for (std::size_t j = i; j < n; ++j) {
            if (leader[j] == int(i))
                names << lines_[j].label;
            if (theoryLeader[j] == int(i))
                theoryNames << lines_[j].label;
        }
        const bool shown = leader[i] == int(i);
        line.graph->setVisible(shown);
        line.graph->setName(names.size() > 1 ? names.join(QStringLiteral(" = ")) : line.label);
        if (shown)
            line.graph->addToLegend();
        else
            line.graph->removeFromLegend();
        if (!line.theory)
            continue;
        const bool theoryShown = theoryLeader[i] == int(i);
        line.theory->setVisible(theoryShown);
        line.theory->setName(theoryNames.size() > 1 ? tr("theory %1").arg(theoryNames.join(QStringLiteral(" = ")))
                                                    : line.theoryLabel);
        if (theoryShown)
            line.theory->addToLegend();
        else
            line.theory->removeFromLegend();
    }
    // addToLegend() appends: put the entries back in the order of the lines.
    QCPLegend *legend = plot()->legend;
    std::vector<QCPAbstractPlottable *> order;
    for (const Line &line : lines_) {
        order.push_back(line.graph);
        if (line.theory)
            order.push_back(line.theory);
    }
    for (QCPAbstractPlottable *p : order)
        if (legend->hasItemWithPlottable(p)) {
            p->removeFromLegend();
            p->addToLegend();
        }
    if (bandKey_ && legend->hasItemWithPlottable(bandKey_)) {
        bandKey_->removeFromLegend();
        bandKey_->addToLegend();
    }
}

void TimeSeriesChart::setScenario(const Scenario &scenario, const TheoryResult &theory)
{
    // A reference belongs to the scenario it was run for.
    ChartWidget::clearReference();
    referenceMax_ = 0;
    plot()->clearGraphs();
    bandKey_ = nullptr;
    lines_.clear();
    haveRun_ = false;
    consumed_ = 0;
    dataMax_ = 0;
    endTime_ = scenario.run.duration > 0 ? scenario.run.duration : 1;
    warmup_ = scenario.run.warmup;
    const QString time = QString::fromLatin1(timeUnitName(scenario.timeUnit));
    timeUnit_ = time;
    theoryModel_ = theory.applicable ? QString::fromStdString(theory.model) : QString();
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
    // Every dashed line has its own legend entry, named after the line it belongs to; the
    // model they come from is said once, in the note above the axes.
    auto theoryFor = [&](Line &line, std::optional<double> value) {
        if (value)
            setTheory(line, *value, tr("theory %1").arg(line.label));
    };
    int colour = 0;
    switch (kind_) {
    case Kind::Latency: {
        setUnit(QStringLiteral(" ") + time);
        setValueLabel(tr("latency (%1)").arg(time));
        addLine({}, "latency_mean", tr("mean"), 0, 1, true);
        addLine({}, "latency_p50", tr("p50"), 2, 1, true);
        addLine({}, "latency_p95", tr("p95"), 1, 1, true);
        addLine({}, "latency_p99", tr("p99"), 5, 1, true);
        theoryFor(lines_[0], theory.applicable ? theory.endToEndLatency : std::nullopt);
        // A single M/M/1 station has closed-form sojourn percentiles too.
        if (theory.applicable && theory.queues.size() == 1) {
            const StationTheory &s = theory.queues.front().station;
            theoryFor(lines_[1], s.sojournP50);
            theoryFor(lines_[2], s.sojournP95);
            theoryFor(lines_[3], s.sojournP99);
        }
        break;
    }
    case Kind::Throughput: {
        setUnit(QStringLiteral("/") + time);
        setValueLabel(tr("messages per %1").arg(time));
        addLine({}, "throughput", tr("delivered (end to end)"), colour++);
        theoryFor(lines_.back(), theory.applicable ? theory.endToEndThroughput : std::nullopt);
        for (const Node &node : scenario.nodes) {
            const QString id = QString::fromStdString(node.id);
            if (node.kind == NodeKind::Producer) {
                addLine(node.id, "throughput", tr("%1 published").arg(id), colour++);
            } else if (node.kind == NodeKind::Exchange) {
                addLine(node.id, "throughput", tr("%1 routed").arg(id), colour++);
            } else if (node.kind == NodeKind::Consumer) {
                addLine(node.id, "throughput", tr("%1 completed").arg(id), colour++);
                if (const NodeTheory *q = stationOfConsumer(node.id); q && !q->consumers.empty())
                    theoryFor(lines_.back(), q->station.throughput / double(q->consumers.size()));
            }
        }
        break;
    }
    case Kind::QueueDepth:
        setUnit(QString());
        setValueLabel(tr("ready messages (time average)"));
        for (const Node &node : scenario.nodes) {
            if (node.kind != NodeKind::Queue)
                continue;
            addLine(node.id, "length_mean", QString::fromStdString(node.id), colour++);
            if (const StationTheory *s = station(node.id))
                theoryFor(lines_.back(), s->meanQueueLength);
        }
        break;
    case Kind::Utilization:
        setUnit(QStringLiteral("%"));
        setValueLabel(tr("utilization (%)"));
        for (const Node &node : scenario.nodes) {
            if (node.kind != NodeKind::Consumer)
                continue;
            addLine(node.id, "utilization", QString::fromStdString(node.id), colour++, 100.0);
            if (const NodeTheory *q = stationOfConsumer(node.id))
                theoryFor(lines_.back(), q->station.utilization);
        }
        break;
    }
    setNote(theoryLineCount() == 0 ? QString()
            : theoryModel_.isEmpty()  ? tr("dashed: theory")
                                      : tr("dashed: theory (%1)").arg(theoryModel_),
            tr("dashed: theory"));
    equal_.assign(lines_.size() * lines_.size(), 1);
    mergeIdentical();
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
    // Which lines still equal which, over the samples just added.
    const std::size_t n = lines_.size();
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            char &same = equal_[i * n + j];
            if (!same)
                continue;
            const Line &a = lines_[i];
            const Line &b = lines_[j];
            if (a.series < 0 || b.series < 0 || a.scale != b.scale) {
                same = false;
                changed = true;
                continue;
            }
            const std::vector<double> &va = series.series[std::size_t(a.series)].values;
            const std::vector<double> &vb = series.series[std::size_t(b.series)].values;
            for (std::size_t k = consumed_; k < count && same; ++k)
                if (k >= va.size() || k >= vb.size() || !sameValue(va[k], vb[k]))
                    same = false;
            changed = changed || !same;
        }
    }
    const bool first = consumed_ == 0 && count > 0;
    consumed_ = std::max(consumed_, count);
    if (changed || first)
        mergeIdentical();
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
    if (bandKey_)
        plot()->removeGraph(bandKey_);
    bandKey_ = nullptr;
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
        bandKey_ = plot()->addGraph(); // data-less: its legend entry stands for every band
        bandKey_->setName(tr("mean ± 95% CI (%1 runs)").arg(replications));
        setRole(bandKey_, Role::BandKey, -1);
        bandKey_->addToLegend();
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
    equal_.assign(lines_.size() * lines_.size(), 1);
    mergeIdentical();
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
