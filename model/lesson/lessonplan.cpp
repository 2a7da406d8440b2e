// The meaning of a lesson: steps applied to the base scenario (through the scenario reader,
// so a change reads exactly as the same value in a node would), the figures questions ask
// for, taken from results and from the closed forms, and the verdict on a student's guess.
#include "lesson/lessonplan.h"

#include "scenario/scenarioio.h"
#include "scenario/scenarioio_p.h"
#include "theory/theory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ql {

namespace {

const char *const kPercentiles[] = {"p50", "p90", "p95", "p99", "p999", "max"};

std::vector<std::string> statsMetrics(const char *name, bool withMean = true)
{
    std::vector<std::string> out;
    if (withMean)
        out.push_back(std::string(name) + ".mean");
    for (const char *p : kPercentiles)
        out.push_back(std::string(name) + "." + p);
    return out;
}

std::vector<std::string> concat(std::initializer_list<std::vector<std::string>> parts)
{
    std::vector<std::string> out;
    for (const auto &p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

const NodeResult *findNode(const Results &results, const std::string &id)
{
    for (const NodeResult &n : results.nodes)
        if (n.id == id)
            return &n;
    return nullptr;
}

// "wait.p95" of a Stats; nullopt for a name that is not one of its figures.
std::optional<double> statsFigure(const Stats &s, const std::string &part)
{
    if (part == "mean") return s.mean;
    if (part == "p50") return s.p50;
    if (part == "p90") return s.p90;
    if (part == "p95") return s.p95;
    if (part == "p99") return s.p99;
    if (part == "p999") return s.p999;
    if (part == "max") return s.max;
    return std::nullopt;
}

// Splits "wait.mean" into "wait" and "mean" (the second empty for "throughput").
std::pair<std::string, std::string> split(const std::string &metric)
{
    const std::size_t dot = metric.find('.');
    if (dot == std::string::npos)
        return {metric, {}};
    return {metric.substr(0, dot), metric.substr(dot + 1)};
}

bool known(const std::string &metric, std::optional<NodeKind> kind)
{
    const std::vector<std::string> &m = questionMetrics(kind);
    return std::find(m.begin(), m.end(), metric) != m.end();
}

// Figure and interval together, so the two never disagree on which value they describe.
struct Figure
{
    double value = 0;
    std::optional<double> ci95;
};

std::optional<Figure> figure(const Results &r, const std::string &nodeId, const std::string &metric)
{
    const auto [head, part] = split(metric);
    if (nodeId.empty()) {
        if (!known(metric, std::nullopt))
            return std::nullopt;
        if (metric == "throughput") return Figure{r.throughput.mean, r.throughput.ci95};
        if (metric == "delivered") return Figure{r.delivered, {}};
        if (head == "latency") {
            const auto v = statsFigure(r.latency, part);
            if (!v)
                return std::nullopt;
            return Figure{*v, part == "mean" ? r.latency.ci95 : std::nullopt};
        }
        return std::nullopt;
    }
    const NodeResult *n = findNode(r, nodeId);
    if (!n || !known(metric, n->kind))
        return std::nullopt;
    if (metric == "throughput") return Figure{n->throughput.mean, n->throughput.ci95};
    switch (n->kind) {
    case NodeKind::Producer:
        if (metric == "published") return Figure{n->published, {}};
        break;
    case NodeKind::Exchange:
        if (metric == "routed") return Figure{n->routed, {}};
        if (metric == "unroutable") return Figure{n->unroutable, {}};
        break;
    case NodeKind::Queue:
        if (metric == "arrivals") return Figure{n->arrivals, {}};
        if (metric == "drops") return Figure{n->drops, {}};
        if (metric == "dispatched") return Figure{n->dispatched, {}};
        if (metric == "blocking")
            return Figure{n->arrivals > 0 ? n->drops / n->arrivals : 0.0, {}};
        if (metric == "length.mean") return Figure{n->length.mean, n->length.ci95};
        if (metric == "length.max") return Figure{n->lengthMax, {}};
        if (head == "wait") {
            if (const auto v = statsFigure(n->wait, part))
                return Figure{*v, part == "mean" ? n->wait.ci95 : std::nullopt};
        }
        if (metric == "expired") return Figure{n->expired, {}};
        if (metric == "expired_share")
            return Figure{n->arrivals > 0 ? n->expired / n->arrivals : 0.0, {}};
        if (metric == "dead_lettered_expired") return Figure{n->deadLetteredExpired, {}};
        if (metric == "dead_lettered_rejected") return Figure{n->deadLetteredRejected, {}};
        if (metric == "dead_lettered_maxlen") return Figure{n->deadLetteredMaxlen, {}};
        if (metric == "dead_lettered_delivery_limit") return Figure{n->deadLetteredDeliveryLimit, {}};
        if (metric == "requeued") return Figure{n->requeued, {}};
        if (metric == "redelivered") return Figure{n->redelivered, {}};
        break;
    case NodeKind::Consumer:
        if (metric == "completed") return Figure{n->completed, {}};
        if (metric == "utilization.mean") return Figure{n->utilization.mean, n->utilization.ci95};
        if (head == "service") {
            if (const auto v = statsFigure(n->service, part))
                return Figure{*v, part == "mean" ? n->service.ci95 : std::nullopt};
        }
        if (metric == "rejected") return Figure{n->rejected, {}};
        if (metric == "requeued") return Figure{n->requeued, {}};
        break;
    case NodeKind::Sink:
    case NodeKind::Delay: // no lesson asks about a delay yet
        break;
    }
    return std::nullopt;
}

std::string percent(double fraction)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", fraction * 100);
    return buf;
}

std::string times(double ratio)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", ratio);
    return buf;
}

} // namespace

const std::vector<std::string> &questionMetrics(std::optional<NodeKind> kind)
{
    static const std::vector<std::string> endToEnd =
        concat({{"throughput", "delivered"}, statsMetrics("latency")});
    static const std::vector<std::string> producer = {"throughput", "published"};
    static const std::vector<std::string> exchange = {"throughput", "routed", "unroutable"};
    // Failures and retries (extensions): TTL expiry, dead-lettering by reason, requeues.
    static const std::vector<std::string> queue =
        concat({{"throughput", "arrivals", "drops", "blocking", "dispatched", "length.mean",
                 "length.max"},
                statsMetrics("wait"),
                {"expired", "expired_share", "dead_lettered_expired", "dead_lettered_rejected",
                 "dead_lettered_maxlen", "dead_lettered_delivery_limit", "requeued",
                 "redelivered"}});
    static const std::vector<std::string> consumer =
        concat({{"throughput", "completed", "utilization.mean"}, statsMetrics("service"),
                {"rejected", "requeued"}});
    static const std::vector<std::string> none;
    if (!kind)
        return endToEnd;
    switch (*kind) {
    case NodeKind::Producer: return producer;
    case NodeKind::Exchange: return exchange;
    case NodeKind::Queue: return queue;
    case NodeKind::Consumer: return consumer;
    case NodeKind::Sink: return none;
    case NodeKind::Delay: return none;
    }
    return none;
}

bool scenarioAtStep(const Scenario &base, int index, Scenario *out, std::string *error)
{
    const auto fail = [&](const std::string &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!base.lesson)
        return fail("the scenario has no lesson; add a \"lesson\" section with its steps");
    const std::vector<LessonStep> &steps = base.lesson->steps;
    if (index < 0 || std::size_t(index) >= steps.size())
        return fail("step " + std::to_string(index) + " does not exist: the lesson has "
                    + std::to_string(steps.size()) + " steps, numbered 0 to "
                    + std::to_string(int(steps.size()) - 1));
    Scenario s = base;
    {
        // The base scenario must be sound on its own, or every change would be blamed for it.
        Scenario plain = base;
        plain.lesson.reset();
        const Diagnostics d = validateScenario(plain);
        if (d.hasErrors())
            return fail("the scenario itself is not valid, so no step applies: "
                        + d.errors().front().toString());
    }
    for (int k = 0; k <= index; ++k) {
        const LessonStep &step = steps[std::size_t(k)];
        Diagnostics d;
        if (!detail::applyStepChanges(step, "lesson.steps[" + std::to_string(k) + "]", {}, {},
                                      &s, d))
            return fail(d.errors().front().toString() + " (step " + std::to_string(k + 1) + ", "
                        + detail::inQuotes(step.title) + "); correct that change in the lesson");
    }
    *out = std::move(s);
    return true;
}

std::optional<double> resultFigure(const Results &results, const std::string &node,
                                   const std::string &metric)
{
    const auto f = figure(results, node, metric);
    return f ? std::optional<double>(f->value) : std::nullopt;
}

std::optional<double> resultFigureCi95(const Results &results, const std::string &node,
                                       const std::string &metric)
{
    const auto f = figure(results, node, metric);
    return f ? f->ci95 : std::nullopt;
}

std::optional<double> theoryFigure(const Scenario &scenario, const std::string &node,
                                   const std::string &metric)
{
    const double measured = scenario.run.duration - scenario.run.warmup;
    const Node *n = node.empty() ? nullptr : scenario.node(node);
    if (!node.empty() && !n)
        return std::nullopt;
    if (!known(metric, n ? std::optional<NodeKind>(n->kind) : std::nullopt))
        return std::nullopt;

    // Figures that follow from a node's own parameters, whatever the topology.
    if (n && n->kind == NodeKind::Consumer && metric == "service.mean")
        return n->service.expectation();
    if (n && n->kind == NodeKind::Producer) {
        if (n->limit || scenario.run.maxMessages)
            return std::nullopt;
        const double rate = 1 / n->interarrival.expectation();
        if (metric == "throughput") return rate;
        if (metric == "published") return rate * measured;
        return std::nullopt;
    }

    const TheoryResult t = analyze(scenario);
    if (!t.applicable)
        return std::nullopt;
    if (!n) {
        if (metric == "throughput") return t.endToEndThroughput;
        if (metric == "delivered" && t.endToEndThroughput)
            return *t.endToEndThroughput * measured;
        if (metric == "latency.mean") return t.endToEndLatency;
        // Latency quantiles are a station's sojourn quantiles when one station is all there is.
        if (t.queues.size() == 1 && t.endToEndLatency
            && t.model.find("feedback") == std::string::npos) {
            const StationTheory &st = t.queues.front().station;
            if (std::abs(st.meanSojourn - *t.endToEndLatency) > 1e-9 * st.meanSojourn)
                return std::nullopt;
            if (metric == "latency.p50") return st.sojournP50;
            if (metric == "latency.p95") return st.sojournP95;
            if (metric == "latency.p99") return st.sojournP99;
        }
        return std::nullopt;
    }

    const NodeTheory *station = nullptr;
    for (const NodeTheory &q : t.queues) {
        const bool mine = n->kind == NodeKind::Queue
            ? q.id == node
            : std::find(q.consumers.begin(), q.consumers.end(), node) != q.consumers.end();
        if (mine)
            station = &q;
    }
    if (!station || !station->station.stable)
        return std::nullopt;
    const StationTheory &st = station->station;
    // Served messages end in a reject or a requeue with the consumers' probabilities; the
    // station's throughput (served messages) is shared by servers.
    int servers = 0;
    double rejectRate = 0, requeueRate = 0;
    for (const std::string &c : station->consumers)
        servers += scenario.node(c)->servers;
    const auto shareOf = [&](const Node &c) { return st.throughput * c.servers / std::max(1, servers); };
    for (const std::string &c : station->consumers) {
        const Node &consumer = *scenario.node(c);
        rejectRate += shareOf(consumer) * consumer.rejectProbability;
        requeueRate += shareOf(consumer) * consumer.requeueProbability;
    }
    if (n->kind == NodeKind::Queue) {
        // Expired: accepted messages that run out of patience (M/M/c+D); dead-lettered only
        // with a dead-letter link. A quorum queue's delivery limit has no closed form here.
        const double expired = st.lambda * (1 - st.blocking) * st.abandonment;
        bool deadLetter = false;
        for (const Link &l : scenario.links)
            deadLetter = deadLetter || (l.from == node && l.role == LinkRole::DeadLetter);
        if (metric == "expired") return expired * measured;
        if (metric == "expired_share") return (1 - st.blocking) * st.abandonment;
        if (metric == "dead_lettered_expired") return deadLetter ? expired * measured : 0.0;
        if (metric == "dead_lettered_rejected") {
            if (n->deliveryLimit)
                return std::nullopt;
            return deadLetter ? rejectRate * measured : 0.0;
        }
        if (metric == "requeued") return n->deliveryLimit ? std::nullopt : std::optional<double>(requeueRate * measured);
    }
    if (n->kind == NodeKind::Queue) {
        if (metric == "throughput") return st.throughput;
        if (metric == "dispatched") return st.throughput * measured;
        if (metric == "arrivals") return st.lambda * measured;
        if (metric == "drops") return st.lambda * st.blocking * measured;
        if (metric == "blocking") return st.blocking;
        if (metric == "length.mean") return st.meanQueueLength;
        if (metric == "wait.mean") return st.meanWait;
        if (metric == "wait.p50") return st.waitP50;
        if (metric == "wait.p90") return st.waitP90;
        if (metric == "wait.p95") return st.waitP95;
        if (metric == "wait.p99") return st.waitP99;
        return std::nullopt;
    }
    if (n->kind == NodeKind::Consumer) {
        const double share = shareOf(*n);
        if (metric == "utilization.mean") return st.utilization;
        if (metric == "throughput") return share;
        if (metric == "completed") return share * measured;
        if (metric == "rejected") return share * n->rejectProbability * measured;
        if (metric == "requeued") return share * n->requeueProbability * measured;
    }
    return std::nullopt;
}

AnswerCheck checkAnswer(const LessonQuestion &question, double guess, const Results &results,
                        const Scenario &scenario)
{
    AnswerCheck a;
    a.guess = guess;
    if (const auto f = figure(results, question.node, question.metric)) {
        a.simulated = f->value;
        a.simulatedCi95 = f->ci95;
    }
    a.theory = theoryFigure(scenario, question.node, question.metric);
    // Theory is exact where it applies; otherwise the simulation is the reference.
    const std::optional<double> reference = a.theory ? a.theory : a.simulated;
    const char *against = a.theory ? "theory" : "the simulation";
    if (!reference || !std::isfinite(guess)) {
        a.relativeError = HUGE_VAL;
        a.close = false;
        a.verdict = !std::isfinite(guess)
            ? "Not a number: enter a finite value."
            : "Nothing to compare with: the results have no such figure and no closed form "
              "applies.";
        return a;
    }
    const double ref = *reference;
    const double diff = std::abs(guess - ref);
    a.relativeError = ref != 0 ? diff / std::abs(ref) : (diff == 0 ? 0.0 : HUGE_VAL);
    a.close = a.relativeError <= question.tolerance;
    if (a.close) {
        // Exact up to rounding: a guess typed from the formula is "exactly right".
        a.verdict = a.relativeError < 1e-9 ? std::string("Exactly right: the same as ") + against + "."
                              : "Close: within " + percent(std::max(a.relativeError, 0.005))
                                    + " of " + against + ".";
    } else if (ref == 0 || (guess > 0) != (ref > 0)) {
        a.verdict = std::string("Off: ") + against + " says " + detail::numberText(ref) + ".";
    } else if (guess > ref) {
        a.verdict = guess / ref >= 2
            ? "Too high: " + times(guess / ref) + " times " + against + "."
            : "Too high: " + percent(a.relativeError) + " above " + against + ".";
    } else {
        a.verdict = ref / guess >= 2
            ? std::string("Too low: ") + against + " is " + times(ref / guess) + " times as much."
            : "Too low: " + percent(a.relativeError) + " below " + against + ".";
    }
    return a;
}

} // namespace ql
