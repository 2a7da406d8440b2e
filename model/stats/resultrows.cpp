#include "resultrows.h"

#include "stats/numberformat.h"

#include <cmath>
#include <cstdio>
#include <utility>

namespace ql {

std::string ResultRow::valueText() const
{
    return isCount ? fmt::number(value) : fmt::withCi(value, ci95);
}

bool ResultRow::theoryOutsideInterval() const
{
    if (!theory || !ci95 || !std::isfinite(*theory) || !std::isfinite(*ci95))
        return false;
    return std::fabs(*theory - value) > *ci95;
}

namespace {

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

ResultRow meanRow(const std::string &node, const std::string &kind, const std::string &metric, double mean,
                  std::optional<double> ci95, std::optional<double> theory)
{
    ResultRow r;
    r.node = node;
    r.kind = kind;
    r.metric = metric;
    r.value = mean;
    r.ci95 = ci95;
    r.theory = theory;
    return r;
}

ResultRow countRow(const std::string &node, const std::string &kind, const std::string &metric, double count)
{
    ResultRow r = meanRow(node, kind, metric, count, std::nullopt, std::nullopt);
    r.isCount = true;
    return r;
}

ResultRow statsRow(const std::string &node, const std::string &kind, const std::string &metric, const Stats &s,
                   std::optional<double> theory)
{
    ResultRow r = meanRow(node, kind, metric, s.mean, s.ci95, theory);
    r.p50 = s.p50;
    r.p95 = s.p95;
    r.p99 = s.p99;
    r.max = s.max;
    return r;
}

} // namespace

std::vector<ResultRow> resultRows(const Scenario &scenario, const Results &results, const TheoryResult &theory)
{
    const std::string unit = timeUnitName(scenario.timeUnit);
    std::vector<ResultRow> rows;
    for (const NodeResult &n : results.nodes) {
        const NodeTheory *st = stationOf(theory, n.id);
        const std::string kind = nodeKindName(n.kind);
        switch (n.kind) {
        case NodeKind::Producer: {
            const Node *node = scenario.node(n.id);
            std::optional<double> lambda;
            if (node && node->interarrival.kind == DistKind::Exponential && !node->limit)
                lambda = 1.0 / node->interarrival.expectation();
            rows.push_back(countRow(n.id, kind, "published", n.published));
            rows.push_back(meanRow(n.id, kind, "throughput /" + unit, n.throughput.mean, n.throughput.ci95, lambda));
            break;
        }
        case NodeKind::Exchange:
            rows.push_back(countRow(n.id, kind, "routed", n.routed));
            rows.push_back(countRow(n.id, kind, "unroutable", n.unroutable));
            break;
        case NodeKind::Queue: {
            std::optional<double> wait, length, thr;
            if (st) {
                wait = st->station.meanWait;
                length = st->station.meanQueueLength;
                thr = st->station.throughput;
            }
            rows.push_back(countRow(n.id, kind, "arrivals", n.arrivals));
            rows.push_back(countRow(n.id, kind, "drops", n.drops));
            rows.push_back(meanRow(n.id, kind, "throughput /" + unit, n.throughput.mean, n.throughput.ci95, thr));
            rows.push_back(statsRow(n.id, kind, "wait " + unit, n.wait, wait));
            ResultRow len = meanRow(n.id, kind, "length", n.length.mean, n.length.ci95, length);
            len.max = n.lengthMax;
            rows.push_back(len);
            // Failures and retries, where the scenario has them.
            if (n.expired > 0 || (st && st->station.abandonment > 0)) {
                rows.push_back(countRow(n.id, kind, "expired", n.expired));
                ResultRow share = countRow(n.id, kind, "expired share", n.arrivals > 0 ? n.expired / n.arrivals : 0.0);
                if (st)
                    share.theory = st->station.abandonment;
                rows.push_back(share);
            }
            for (const auto &[label, v] : {std::pair{"dead-lettered: expired", n.deadLetteredExpired},
                                           std::pair{"dead-lettered: rejected", n.deadLetteredRejected},
                                           std::pair{"dead-lettered: maxlen", n.deadLetteredMaxlen},
                                           std::pair{"dead-lettered: delivery limit", n.deadLetteredDeliveryLimit},
                                           std::pair{"requeued", n.requeued},
                                           std::pair{"redelivered", n.redelivered}})
                if (v > 0)
                    rows.push_back(countRow(n.id, kind, label, v));
            break;
        }
        case NodeKind::Consumer: {
            std::optional<double> util, service;
            if (st) {
                util = st->station.utilization;
                service = st->station.meanSojourn - st->station.meanWait;
            }
            rows.push_back(countRow(n.id, kind, "completed", n.completed));
            rows.push_back(statsRow(n.id, kind, "service " + unit, n.service, service));
            rows.push_back(meanRow(n.id, kind, "utilization", n.utilization.mean, n.utilization.ci95, util));
            if (n.rejected > 0)
                rows.push_back(countRow(n.id, kind, "rejected", n.rejected));
            if (n.requeued > 0)
                rows.push_back(countRow(n.id, kind, "requeued", n.requeued));
            break;
        }
        case NodeKind::Delay: {
            const DelayTheory *dt = delayOf(theory, n.id);
            rows.push_back(countRow(n.id, kind, "passed", n.completed));
            rows.push_back(meanRow(n.id, kind, "throughput /" + unit, n.throughput.mean, n.throughput.ci95,
                                   dt ? std::optional<double>(dt->lambda) : std::nullopt));
            rows.push_back(statsRow(n.id, kind, "delay " + unit, n.service,
                                    dt ? std::optional<double>(dt->meanDelay) : std::nullopt));
            ResultRow transit = meanRow(n.id, kind, "in transit", n.length.mean, n.length.ci95,
                                        dt ? std::optional<double>(dt->meanInTransit) : std::nullopt);
            transit.max = n.lengthMax;
            rows.push_back(transit);
            break;
        }
        case NodeKind::Sink:
            break;
        }
    }
    rows.push_back(countRow("end-to-end", "", "delivered", results.delivered));
    rows.push_back(meanRow("end-to-end", "", "throughput /" + unit, results.throughput.mean, results.throughput.ci95,
                           theory.applicable ? theory.endToEndThroughput : std::nullopt));
    rows.push_back(statsRow("end-to-end", "", "latency " + unit, results.latency,
                            theory.applicable ? theory.endToEndLatency : std::nullopt));
    return rows;
}

std::string precisionSummary(const PrecisionOutcome &p, int replications)
{
    const std::string worstOf = p.worstMetric.empty()
        ? std::string("no watched metric had an interval")
        : precisionMetricLabel({p.worstNode, p.worstMetric});
    const std::string reps = fmt::counted(std::uint64_t(std::max(0, replications)), "replication", "replications");
    if (p.met)
        return "stopped at precision: " + reps + ", worst relative half-width " + fmt::percent(p.worst) + "% ("
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
    return "precision " + fmt::percent(p.target) + "% not reached " + within + "worst " + fmt::percent(p.worst)
        + "%, " + worstOf + ")";
}

} // namespace ql
