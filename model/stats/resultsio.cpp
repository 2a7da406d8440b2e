#include "stats/resultsio.h"

#include "scenario/jsonwriter.h"
#include "topology/nodekinds.h"

namespace ql {

namespace {

// "mean": M, "ci95": C-or-null, inside the object being written.
void writeMeanAndCi(JsonWriter &w, double mean, const std::optional<double> &ci)
{
    w.key("mean");
    w.value(mean);
    w.key("ci95");
    if (ci)
        w.value(*ci);
    else
        w.nullValue();
}

void writeStats(JsonWriter &w, const Stats &s)
{
    w.beginObject(JsonWriter::Inline);
    writeMeanAndCi(w, s.mean, s.ci95);
    const std::pair<const char *, double> quantiles[] = {
        {"p50", s.p50}, {"p90", s.p90}, {"p95", s.p95}, {"p99", s.p99}, {"p999", s.p999}, {"max", s.max}};
    for (const auto &[name, v] : quantiles) {
        w.key(name);
        w.value(v);
    }
    w.endObject();
}

void writeMeanCi(JsonWriter &w, const MeanCi &m)
{
    w.beginObject(JsonWriter::Inline);
    writeMeanAndCi(w, m.mean, m.ci95);
    w.endObject();
}

// A count that is a mean over replications: written as an integer when it is one.
void writeCount(JsonWriter &w, const char *key, double v)
{
    w.key(key);
    w.value(v);
}

void writeThroughput(JsonWriter &w, const MeanCi &t)
{
    w.key("throughput");
    w.value(t.mean);
    w.key("throughput_ci95"); // extension
    if (t.ci95)
        w.value(*t.ci95);
    else
        w.nullValue();
}

void writePrecision(JsonWriter &w, const PrecisionOutcome &p)
{
    auto field = [&w](const char *key, const auto &value) {
        w.key(key);
        w.value(value);
    };
    auto fieldOrNull = [&w](const char *key, bool present, const auto &value) {
        w.key(key);
        if (present)
            w.value(value);
        else
            w.nullValue();
    };
    w.key("precision");
    w.beginObject();
    field("target", p.target);
    field("met", p.met);
    field("stopped_by", p.stoppedBy);
    field("relative_half_width", p.worst);
    // worst_node null: end to end; both null: no watched metric had an interval.
    fieldOrNull("worst_node", !p.worstMetric.empty() && !p.worstNode.empty(), p.worstNode);
    fieldOrNull("worst_metric", !p.worstMetric.empty(), p.worstMetric);
    field("min_replications", p.minReplications);
    field("max_replications", p.maxReplications);
    fieldOrNull("max_seconds", p.maxSeconds > 0, p.maxSeconds);
    w.endObject();
}

} // namespace

std::string resultsToJson(const Results &r)
{
    JsonWriter w;
    w.beginObject();
    w.key("format");
    w.value("queuelab-results");
    w.key("version");
    w.value(1);
    w.key("scenario");
    w.value(r.scenario);
    w.key("source");
    w.value(r.source);
    w.key("seed");
    if (r.seed)
        w.value(*r.seed);
    else
        w.nullValue();
    w.key("replications");
    w.value(r.replications);
    w.key("duration");
    w.value(r.duration);
    w.key("warmup");
    w.value(r.warmup);
    w.key("time_unit");
    w.value(timeUnitName(r.timeUnit));
    if (r.partial) { // extension: a run that ended early keeps what it measured
        w.key("partial");
        w.value(true);
        w.key("error");
        w.value(r.error);
    }
    if (r.precision) // extension: a run to precision says how its stopping rule ended
        writePrecision(w, *r.precision);

    w.key("end_to_end");
    w.beginObject();
    writeCount(w, "delivered", r.delivered);
    writeThroughput(w, r.throughput);
    w.key("latency");
    writeStats(w, r.latency);
    w.endObject();

    w.key("nodes");
    w.beginObject();
    for (const NodeResult &n : r.nodes) {
        w.key(n.id);
        w.beginObject();
        w.key("kind");
        w.value(nodeKindName(n.kind));
        // What a kind reports, in order, is its entry in the node-kind table.
        for (const MetricSpec &m : nodeKindInfo(n.kind).metrics) {
            const MetricValue v = metricValue(n, m.id);
            if (m.onlyIfNonZero && v.count == 0)
                continue;
            switch (m.type) {
            case MetricType::Count:
                writeCount(w, m.key, v.count);
                break;
            case MetricType::Throughput:
                writeThroughput(w, *v.meanCi);
                break;
            case MetricType::Stats:
                w.key(m.key);
                writeStats(w, *v.stats);
                break;
            case MetricType::MeanCi:
                w.key(m.key);
                writeMeanCi(w, *v.meanCi);
                break;
            case MetricType::Level:
                w.key(m.key);
                w.beginObject(JsonWriter::Inline);
                writeMeanAndCi(w, v.meanCi->mean, v.meanCi->ci95);
                w.key("max");
                w.value(v.max);
                w.endObject();
                break;
            }
        }
        w.endObject();
    }
    w.endObject();
    w.endObject();
    return w.text();
}

namespace {

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csvNumber(double v)
{
    return JsonWriter::formatNumber(v) == "null" ? std::string() : JsonWriter::formatNumber(v);
}

void csvRow(std::string &out, const std::string &node, const std::string &kind, const char *metric,
            double mean, const std::optional<double> &ci = std::nullopt, const Stats *s = nullptr,
            std::optional<double> max = std::nullopt)
{
    out += csvField(node) + "," + kind + "," + metric + "," + csvNumber(mean) + ","
        + (ci ? csvNumber(*ci) : std::string());
    if (s) {
        for (double v : {s->p50, s->p90, s->p95, s->p99, s->p999, s->max})
            out += "," + csvNumber(v);
    } else {
        out += ",,,,,,";
        if (max)
            out += csvNumber(*max);
    }
    out += "\n";
}

} // namespace

std::string resultsToCsv(const Results &r)
{
    std::string out = "node,kind,metric,mean,ci95,p50,p90,p95,p99,p999,max\n";
    for (const NodeResult &n : r.nodes) {
        const std::string kind = nodeKindName(n.kind);
        for (const MetricSpec &m : nodeKindInfo(n.kind).metrics) {
            if (!m.inCsv)
                continue;
            const MetricValue v = metricValue(n, m.id);
            if (m.onlyIfNonZero && v.count == 0)
                continue;
            switch (m.type) {
            case MetricType::Count:
                csvRow(out, n.id, kind, m.key, v.count);
                break;
            case MetricType::Throughput:
            case MetricType::MeanCi:
                csvRow(out, n.id, kind, m.key, v.meanCi->mean, v.meanCi->ci95);
                break;
            case MetricType::Stats:
                csvRow(out, n.id, kind, m.key, v.stats->mean, v.stats->ci95, v.stats);
                break;
            case MetricType::Level:
                csvRow(out, n.id, kind, m.key, v.meanCi->mean, v.meanCi->ci95, nullptr, v.max);
                break;
            }
        }
    }
    csvRow(out, "", "end_to_end", "delivered", r.delivered);
    csvRow(out, "", "end_to_end", "throughput", r.throughput.mean, r.throughput.ci95);
    csvRow(out, "", "end_to_end", "latency", r.latency.mean, r.latency.ci95, &r.latency);
    return out;
}

std::string seriesToCsv(const TimeSeries &ts)
{
    std::string out = "time,node,metric,value\n";
    for (const Series &s : ts.series)
        for (std::size_t i = 0; i < s.values.size() && i < ts.times.size(); ++i)
            out += csvNumber(ts.times[i]) + "," + csvField(s.node) + "," + s.metric + ","
                + csvNumber(s.values[i]) + "\n";
    return out;
}

} // namespace ql
