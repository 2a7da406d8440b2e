#include "resultstable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace ql::cli {

// Four significant digits; whole numbers up to 10^12 in full (counts, durations).
std::string formatNumber(double v)
{
    if (!std::isfinite(v))
        return v > 0 ? "inf" : (v < 0 ? "-inf" : "n/a");
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 1e4 && a < 1e12)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (a != 0 && a < 1e-3)
        std::snprintf(buf, sizeof buf, "%.3e", v);
    else
        std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

namespace {

std::string num(double v)
{
    return formatNumber(v);
}

// Rates in millions or thousands.
std::string rateText(double v)
{
    char buf[64];
    if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
    else if (v >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

// The mean to the precision its interval supports: two significant digits of the ci95.
std::string withCi(double mean, const std::optional<double> &ci)
{
    if (!ci || !(*ci > 0) || !std::isfinite(*ci) || !std::isfinite(mean))
        return num(mean);
    const int decimals = std::clamp(1 - int(std::floor(std::log10(*ci))), 0, 9);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.*f ± %.*f", decimals, mean, decimals, *ci);
    return buf;
}

struct Row
{
    std::string node, kind, metric, value, p50, p95, p99, max, theory;
};

// Width in characters of UTF-8 text (± is two bytes, one column).
std::size_t columns(const std::string &s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string &s, std::size_t width, bool right = false)
{
    const std::size_t w = columns(s);
    if (w >= width)
        return s;
    const std::string fill(width - w, ' ');
    return right ? fill + s : s + fill;
}

std::string renderRows(const std::vector<Row> &rows, bool withTheory)
{
    std::vector<Row> all;
    all.push_back({"node", "kind", "metric", "mean ± ci95", "p50", "p95", "p99", "max",
                   withTheory ? "theory" : ""});
    all.insert(all.end(), rows.begin(), rows.end());
    std::size_t w[9] = {};
    for (const Row &r : all) {
        const std::string *cells[] = {&r.node, &r.kind, &r.metric, &r.value, &r.p50,
                                      &r.p95, &r.p99, &r.max, &r.theory};
        for (int i = 0; i < 9; ++i)
            w[i] = std::max(w[i], columns(*cells[i]));
    }
    std::string out;
    for (std::size_t k = 0; k < all.size(); ++k) {
        const Row &r = all[k];
        std::string line = pad(r.node, w[0]) + "  " + pad(r.kind, w[1]) + "  " + pad(r.metric, w[2])
            + "  " + pad(r.value, w[3], k > 0) + "  " + pad(r.p50, w[4], true) + "  "
            + pad(r.p95, w[5], true) + "  " + pad(r.p99, w[6], true) + "  " + pad(r.max, w[7], true);
        if (withTheory)
            line += "  " + pad(r.theory, w[8], true);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
        if (k == 0)
            out += std::string(columns(line), '-') + "\n";
    }
    return out;
}

Row statsRow(const std::string &node, const std::string &kind, const std::string &metric,
             const Stats &s, std::optional<double> theory)
{
    return {node, kind, metric, withCi(s.mean, s.ci95), num(s.p50), num(s.p95), num(s.p99),
            num(s.max), theory ? num(*theory) : ""};
}

Row valueRow(const std::string &node, const std::string &kind, const std::string &metric,
             const std::string &value, std::optional<double> theory)
{
    return {node, kind, metric, value, "", "", "", "", theory ? num(*theory) : ""};
}

const NodeTheory *stationOf(const TheoryResult &theory, const std::string &id)
{
    if (!theory.applicable)
        return nullptr;
    for (const NodeTheory &q : theory.queues) {
        if (q.id == id)
            return &q;
        for (const std::string &c : q.consumers)
            if (c == id)
                return &q;
    }
    return nullptr;
}

const DelayTheory *delayOf(const TheoryResult &theory, const std::string &id)
{
    if (!theory.applicable)
        return nullptr;
    for (const DelayTheory &d : theory.delays)
        if (d.id == id)
            return &d;
    return nullptr;
}

std::string unitName(TimeUnit u)
{
    return timeUnitName(u);
}

std::string theorySummary(const TheoryResult &theory)
{
    std::string out;
    if (theory.applicable) {
        out += "Theory: " + theory.model + ".\n";
    } else {
        out += "Theory: not applicable because " + theory.reason + "\n";
    }
    for (const std::string &note : theory.notes)
        out += "  note: " + note + "\n";
    return out;
}

// 0.019 -> "1.9", 0.02 -> "2", 0.15 -> "15": two significant digits below 10%.
std::string percentText(double fraction)
{
    char buf[32];
    const double p = fraction * 100;
    std::snprintf(buf, sizeof buf, p >= 10 ? "%.0f" : "%.2g", p);
    return buf;
}

} // namespace

std::string precisionSummary(const PrecisionOutcome &p, int replications)
{
    const std::string worstOf = p.worstMetric.empty()
        ? std::string("no watched metric had an interval")
        : precisionMetricLabel({p.worstNode, p.worstMetric});
    const std::string reps = std::to_string(replications) + (replications == 1 ? " replication" : " replications");
    if (p.met)
        return "stopped at precision: " + reps + ", worst relative half-width " + percentText(p.worst) + "% ("
            + worstOf + ")";
    std::string within;
    if (p.stoppedBy == "max_seconds") {
        char buf[64];
        std::snprintf(buf, sizeof buf, "within %g s (%s; ", p.maxSeconds, reps.c_str());
        within = buf;
    } else if (p.stoppedBy == "max_replications") {
        within = "within " + reps + " (";
    } else {
        within = "(" + p.stoppedBy + " after " + reps + "; ";
    }
    return "precision " + percentText(p.target) + "% not reached " + within + "worst " + percentText(p.worst) + "%, "
        + worstOf + ")";
}

std::string formatResultsTable(const Scenario &scenario, const Results &results,
                               const TheoryResult &theory, const RunInfo &info)
{
    const std::string unit = unitName(scenario.timeUnit);
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%s — %s\n", info.file.c_str(), scenario.name.c_str());
    out += line;
    if (!info.summary.empty()) {
        out += info.summary + (results.partial ? " (PARTIAL: " + results.error + ")" : std::string()) + "\n\n";
    } else {
        std::snprintf(line, sizeof line,
                      "%d replication%s × %s %s (warm-up %s %s), seed %llu; %.2f s on %d thread%s, %s events/s%s\n\n",
                      results.replications, results.replications == 1 ? "" : "s",
                      num(results.duration).c_str(), unit.c_str(), num(results.warmup).c_str(), unit.c_str(),
                      static_cast<unsigned long long>(results.seed.value_or(0)), info.seconds, info.threads,
                      info.threads == 1 ? "" : "s",
                      rateText(info.seconds > 0 ? results.events * results.replications / info.seconds : 0).c_str(),
                      results.partial ? " (PARTIAL: interrupted)" : "");
        out += line;
        if (results.precision)
            out.insert(out.size() - 1, precisionSummary(*results.precision, results.replications) + "\n");
    }

    std::vector<Row> rows;
    for (const NodeResult &n : results.nodes) {
        const NodeTheory *st = stationOf(theory, n.id);
        const char *kind = nodeKindName(n.kind);
        switch (n.kind) {
        case NodeKind::Producer: {
            const Node *node = scenario.node(n.id);
            std::optional<double> lambda;
            if (node && node->interarrival.kind == DistKind::Exponential && !node->limit)
                lambda = 1.0 / node->interarrival.expectation();
            rows.push_back(valueRow(n.id, kind, "published", num(n.published), std::nullopt));
            rows.push_back(valueRow(n.id, kind, "throughput /" + unit,
                                    withCi(n.throughput.mean, n.throughput.ci95), lambda));
            break;
        }
        case NodeKind::Exchange:
            rows.push_back(valueRow(n.id, kind, "routed", num(n.routed), std::nullopt));
            rows.push_back(valueRow(n.id, kind, "unroutable", num(n.unroutable), std::nullopt));
            break;
        case NodeKind::Queue: {
            std::optional<double> wait, length, thr, block;
            if (st) {
                wait = st->station.meanWait;
                length = st->station.meanQueueLength;
                thr = st->station.throughput;
                block = st->station.blocking * st->station.lambda;
            }
            rows.push_back(valueRow(n.id, kind, "arrivals", num(n.arrivals), std::nullopt));
            rows.push_back(valueRow(n.id, kind, "drops", num(n.drops), std::nullopt));
            rows.push_back(valueRow(n.id, kind, "throughput /" + unit,
                                    withCi(n.throughput.mean, n.throughput.ci95), thr));
            rows.push_back(statsRow(n.id, kind, "wait " + unit, n.wait, wait));
            Row len = valueRow(n.id, kind, "length", withCi(n.length.mean, n.length.ci95), length);
            len.max = num(n.lengthMax);
            rows.push_back(len);
            // Failures and retries, where the scenario has them.
            if (n.expired > 0 || (st && st->station.abandonment > 0)) {
                rows.push_back(valueRow(n.id, kind, "expired", num(n.expired), std::nullopt));
                rows.push_back(valueRow(n.id, kind, "expired share",
                                        num(n.arrivals > 0 ? n.expired / n.arrivals : 0.0),
                                        st ? std::optional<double>(st->station.abandonment) : std::nullopt));
            }
            for (const auto &[label, v] : {std::pair{"dead-lettered: expired", n.deadLetteredExpired},
                                           std::pair{"dead-lettered: rejected", n.deadLetteredRejected},
                                           std::pair{"dead-lettered: maxlen", n.deadLetteredMaxlen},
                                           std::pair{"dead-lettered: delivery limit", n.deadLetteredDeliveryLimit},
                                           std::pair{"requeued", n.requeued},
                                           std::pair{"redelivered", n.redelivered}})
                if (v > 0)
                    rows.push_back(valueRow(n.id, kind, label, num(v), std::nullopt));
            break;
        }
        case NodeKind::Consumer: {
            std::optional<double> util;
            std::optional<double> service;
            if (st) {
                util = st->station.utilization;
                service = st->station.meanSojourn - st->station.meanWait;
            }
            rows.push_back(valueRow(n.id, kind, "completed", num(n.completed), std::nullopt));
            rows.push_back(statsRow(n.id, kind, "service " + unit, n.service, service));
            rows.push_back(valueRow(n.id, kind, "utilization",
                                    withCi(n.utilization.mean, n.utilization.ci95), util));
            if (n.rejected > 0)
                rows.push_back(valueRow(n.id, kind, "rejected", num(n.rejected), std::nullopt));
            if (n.requeued > 0)
                rows.push_back(valueRow(n.id, kind, "requeued", num(n.requeued), std::nullopt));
            break;
        }
        case NodeKind::Delay: {
            const DelayTheory *dt = delayOf(theory, n.id);
            rows.push_back(valueRow(n.id, kind, "passed", num(n.completed), std::nullopt));
            rows.push_back(valueRow(n.id, kind, "throughput /" + unit,
                                    withCi(n.throughput.mean, n.throughput.ci95),
                                    dt ? std::optional<double>(dt->lambda) : std::nullopt));
            rows.push_back(statsRow(n.id, kind, "delay " + unit, n.service,
                                    dt ? std::optional<double>(dt->meanDelay) : std::nullopt));
            Row transit = valueRow(n.id, kind, "in transit", withCi(n.length.mean, n.length.ci95),
                                   dt ? std::optional<double>(dt->meanInTransit) : std::nullopt);
            transit.max = num(n.lengthMax);
            rows.push_back(transit);
            break;
        }
        case NodeKind::Sink:
            break;
        }
    }
    rows.push_back(valueRow("end-to-end", "", "delivered", num(results.delivered), std::nullopt));
    rows.push_back(valueRow("end-to-end", "", "throughput /" + unit,
                            withCi(results.throughput.mean, results.throughput.ci95),
                            theory.applicable ? theory.endToEndThroughput : std::nullopt));
    rows.push_back(statsRow("end-to-end", "", "latency " + unit, results.latency,
                            theory.applicable ? theory.endToEndLatency : std::nullopt));
    out += renderRows(rows, true);
    out += "\n" + theorySummary(theory);
    return out;
}

std::string formatTheory(const Scenario &scenario, const TheoryResult &theory)
{
    std::string out = scenario.name + "\n" + theorySummary(theory);
    if (!theory.applicable)
        return out;
    const std::string unit = unitName(scenario.timeUnit);
    out += "\n";
    std::vector<Row> rows;
    for (const NodeTheory &q : theory.queues) {
        const StationTheory &s = q.station;
        const std::string model = s.model;
        rows.push_back(valueRow(q.id, model, "arrival rate /" + unit, num(s.lambda), std::nullopt));
        rows.push_back(valueRow(q.id, model, "throughput /" + unit, num(s.throughput), std::nullopt));
        rows.push_back(valueRow(q.id, model, "utilization", num(s.utilization), std::nullopt));
        if (s.blocking > 0)
            rows.push_back(valueRow(q.id, model, "blocking", num(s.blocking), std::nullopt));
        Row wait = valueRow(q.id, model, "wait " + unit, num(s.meanWait), std::nullopt);
        if (s.waitP50)
            wait.p50 = num(*s.waitP50);
        if (s.waitP95)
            wait.p95 = num(*s.waitP95);
        if (s.waitP99)
            wait.p99 = num(*s.waitP99);
        rows.push_back(wait);
        rows.push_back(valueRow(q.id, model, "length", num(s.meanQueueLength), std::nullopt));
        rows.push_back(valueRow(q.id, model, "in system", num(s.meanInSystem), std::nullopt));
        Row sojourn = valueRow(q.id, model, "sojourn " + unit, num(s.meanSojourn), std::nullopt);
        if (s.sojournP50)
            sojourn.p50 = num(*s.sojournP50);
        if (s.sojournP95)
            sojourn.p95 = num(*s.sojournP95);
        if (s.sojournP99)
            sojourn.p99 = num(*s.sojournP99);
        rows.push_back(sojourn);
        if (!s.stable)
            rows.push_back(valueRow(q.id, model, "UNSTABLE", "rho >= 1", std::nullopt));
    }
    for (const DelayTheory &d : theory.delays) {
        rows.push_back(valueRow(d.id, "M/G/inf", "arrival rate /" + unit, num(d.lambda), std::nullopt));
        rows.push_back(valueRow(d.id, "M/G/inf", "delay " + unit, num(d.meanDelay), std::nullopt));
        rows.push_back(valueRow(d.id, "M/G/inf", "in transit", num(d.meanInTransit), std::nullopt));
    }
    if (theory.endToEndThroughput)
        rows.push_back(valueRow("end-to-end", "", "throughput /" + unit, num(*theory.endToEndThroughput), std::nullopt));
    if (theory.endToEndLatency)
        rows.push_back(valueRow("end-to-end", "", "latency " + unit, num(*theory.endToEndLatency), std::nullopt));
    out += renderRows(rows, false);
    return out;
}

} // namespace ql::cli
