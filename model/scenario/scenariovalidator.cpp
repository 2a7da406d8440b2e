// The semantic checks on a Scenario: parameters in range, ids unique, links between kinds
// that may be linked, one queue per consumer, one link per producer, probabilities that add
// up. Runs on what the reader produced and on what the editor holds, so every message
// uses the path the saved file would have.
#include "scenario/scenarioio_p.h"

#include "lesson/lessonplan.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ql::detail {

namespace {

bool validId(const std::string &id)
{
    if (id.empty())
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

std::string linkText(const Link &l)
{
    return inQuotes(l.from) + " -> " + inQuotes(l.to);
}

// "allowed links are producer -> exchange or queue, exchange -> queue, ...", from the table.
std::string allowedLinks()
{
    std::string out = "allowed links are ";
    std::vector<NodeKind> from;
    for (const LinkRule &r : linkRules())
        if (std::find(from.begin(), from.end(), r.from) == from.end())
            from.push_back(r.from);
    for (std::size_t f = 0; f < from.size(); ++f) {
        if (f > 0)
            out += f + 1 == from.size() ? ", and " : ", ";
        out += std::string(nodeKindName(from[f])) + " -> ";
        const std::vector<NodeKind> to = linkTargets(from[f]);
        for (std::size_t t = 0; t < to.size(); ++t) {
            if (t > 0)
                out += t + 1 == to.size() ? " or " : ", ";
            out += nodeKindName(to[t]);
        }
    }
    return out;
}

class Validator
{
public:
    Validator(const Scenario &s, const std::string &file, const ReadContext *ctx, Diagnostics &out)
        : s_(s)
        , file_(file)
        , ctx_(ctx)
        , out_(out)
    {
        for (std::size_t i = 0; i < s.nodes.size(); ++i)
            ids_.emplace(s.nodes[i].id, static_cast<int>(i));
    }

    void run()
    {
        checkRun();
        checkNodes();
        // Without a readable node list every link would dangle: one error is enough.
        if (ctx_ && ctx_->errorPaths.count("nodes"))
            return;
        checkLinks();
        checkTopology();
        checkLayout();
        checkLesson();
    }

private:
    // The reader already reported this place (or a parent of it): stay quiet.
    bool silenced(const std::string &path) const
    {
        if (!ctx_)
            return false;
        for (const std::string &p : ctx_->errorPaths) {
            if (path.size() >= p.size() && path.compare(0, p.size(), p) == 0
                && (path.size() == p.size() || path[p.size()] == '.' || path[p.size()] == '['))
                return true;
        }
        return false;
    }
    // The reader reported something at or below `path` (the value there may be a default).
    bool touched(const std::string &path) const
    {
        if (!ctx_)
            return false;
        for (const std::string &p : ctx_->errorPaths) {
            if (p.size() >= path.size() && p.compare(0, path.size(), path) == 0)
                return true;
        }
        return false;
    }
    bool broken(const std::string &id) const { return ctx_ && ctx_->brokenIds.count(id) > 0; }

    void error(const std::string &path, const std::string &message)
    {
        if (!silenced(path))
            out_.error(file_, path, message);
    }
    void warning(const std::string &path, const std::string &message)
    {
        if (!silenced(path))
            out_.warning(file_, path, message);
    }

    // Scenario::nodeIndex is a linear search; the editor validates on every change, so
    // look ids up in a map (the first node of an id wins, as in Scenario::nodeIndex).
    int index(const std::string &id) const
    {
        const auto it = ids_.find(id);
        return it == ids_.end() ? -1 : it->second;
    }
    const Node *find(const std::string &id) const
    {
        const int i = index(id);
        return i < 0 ? nullptr : &s_.nodes[static_cast<std::size_t>(i)];
    }

    // Range checks with the house wording: "must be > 0, got -1".
    bool finite(const std::string &path, double v)
    {
        if (std::isfinite(v))
            return true;
        error(path, "must be a finite number, got " + numberText(v));
        return false;
    }
    void positive(const std::string &path, double v)
    {
        if (finite(path, v) && !(v > 0))
            error(path, "must be > 0, got " + numberText(v));
    }
    void nonNegative(const std::string &path, double v)
    {
        if (finite(path, v) && v < 0)
            error(path, "must be >= 0, got " + numberText(v));
    }
    void integerRange(const std::string &path, std::int64_t v, std::int64_t lo, std::int64_t hi)
    {
        if (v < lo)
            error(path, "must be >= " + std::to_string(lo) + ", got " + std::to_string(v));
        else if (v > hi)
            error(path, "must be at most " + std::to_string(hi) + ", got " + std::to_string(v));
    }

    void checkRun();
    void checkNodes();
    void checkDistribution(const Distribution &d, const std::string &path);
    void checkDeadLetterLoops();
    // Several onward links (consumer, delay): each needs a probability, adding up to <= 1.
    void checkOnward(const Node &node, const std::string &path, const std::vector<std::size_t> &onward);
    void checkLinks();
    void checkTopology();
    void checkLayout();
    void checkLesson();
    // A node id named by the lesson: an error (with a likely typo) when there is no such node.
    bool lessonNode(const std::string &path, const std::string &id, const char *what);

    std::string nodePath(int i) const { return "nodes[" + std::to_string(i) + "]"; }
    std::string linkPath(std::size_t i) const { return "links[" + std::to_string(i) + "]"; }

    const Scenario &s_;
    const std::string &file_;
    const ReadContext *ctx_;
    Diagnostics &out_;
    std::map<std::string, int> ids_;
    // Links whose ends exist and whose kinds may be linked; the topology checks use only these.
    std::vector<bool> linkOk_;
    // Links to or from a node whose kind the reader could not read.
    std::vector<bool> linkToBroken_;
    // Valid links by (from, to), to find duplicates without comparing every pair.
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> linksBetween_;
    std::map<std::string, std::vector<std::size_t>> deadLetters_; // queue id -> its dead-letter links
};

void Validator::checkRun()
{
    const RunSettings &r = s_.run;
    positive("run.duration", r.duration);
    if (finite("run.warmup", r.warmup)) {
        if (r.warmup < 0)
            error("run.warmup", "must be >= 0, got " + numberText(r.warmup));
        else if (std::isfinite(r.duration) && r.duration > 0 && r.warmup >= r.duration)
            error("run.warmup", "must be less than run.duration (" + numberText(r.duration)
                                    + "), got " + numberText(r.warmup)
                                    + "; nothing would be measured");
    }
    if (r.seed > static_cast<std::uint64_t>(kMaxSeed))
        error("run.seed", "must be at most " + std::to_string(kMaxSeed) + ", got "
                              + std::to_string(r.seed));
    integerRange("run.replications", r.replications, 1, kMaxReplications);
    if (r.maxMessages)
        integerRange("run.max_messages", *r.maxMessages, 1, kMaxCount);
    if (finite("run.sample_interval", r.sampleInterval)) {
        if (r.sampleInterval < 0)
            error("run.sample_interval", "must be >= 0 (0 = duration / 100), got "
                                             + numberText(r.sampleInterval));
        else if (r.sampleInterval > 0 && r.duration > r.warmup
                 && r.sampleInterval > r.duration - r.warmup)
            warning("run.sample_interval",
                    "is longer than the measured time (" + numberText(r.duration - r.warmup)
                        + "), so the time series has at most one point");
    }
}

void Validator::checkNodes()
{
    if (s_.nodes.empty())
        warning("nodes", "the scenario has no nodes; add a producer, a queue and a consumer");
    std::map<std::string, int> firstIndex;
    for (std::size_t n = 0; n < s_.nodes.size(); ++n) {
        const Node &node = s_.nodes[n];
        const int i = static_cast<int>(n);
        const std::string path = nodePath(i);
        const std::string idPath = path + ".id";
        if (node.id.empty()) {
            error(idPath, "must not be empty; give the node a name of letters, digits, '_', "
                          "'.' or '-'");
        } else if (!validId(node.id)) {
            error(idPath, "id " + inQuotes(node.id)
                              + " may hold only letters, digits, '_', '.' and '-'");
        } else {
            const auto [it, inserted] = firstIndex.emplace(node.id, i);
            if (!inserted)
                error(idPath, "duplicate id " + inQuotes(node.id) + ", already used by "
                                  + nodePath(it->second) + "; ids must be unique");
        }
        if (broken(node.id) && !node.id.empty())
            continue;

        switch (node.kind) {
        case NodeKind::Producer: {
            checkDistribution(node.interarrival, path + ".interarrival");
            if (node.limit)
                integerRange(path + ".limit", *node.limit, 0, kMaxCount);
            integerRange(path + ".priority", node.priority, 0, kMaxPriority);
            if (node.messageTtl)
                checkDistribution(*node.messageTtl, path + ".message_ttl");
            integerRange(path + ".retry_limit", node.retryLimit, 0, 65535);
            if (node.retryLimit > 0) {
                checkDistribution(node.retryBackoff, path + ".retry_backoff");
                if (finite(path + ".retry_backoff_factor", node.retryBackoffFactor) && node.retryBackoffFactor < 1)
                    error(path + ".retry_backoff_factor", "must be >= 1 (1 waits the same each time, 2 doubles "
                          "the wait per retry), got " + numberText(node.retryBackoffFactor));
                if (node.retryBackoffMax)
                    nonNegative(path + ".retry_backoff_max", *node.retryBackoffMax);
            }
            // A zero mean interarrival time publishes endlessly without time passing.
            const Distribution &d = node.interarrival;
            double largest = -1;
            if (d.kind == DistKind::Deterministic)
                largest = d.value;
            else if (d.kind == DistKind::Uniform)
                largest = d.max;
            else if (d.kind == DistKind::Empirical && !d.samples.empty()) {
                largest = 0;
                for (double x : d.samples)
                    largest = std::max(largest, x);
            }
            if (largest == 0 && !node.limit && !touched(path + ".interarrival"))
                error(path + ".interarrival",
                      "is always 0, so the producer would publish endlessly without time "
                      "passing; use a positive time, or set \"limit\" for a burst");
            if (node.limit && *node.limit == 0)
                warning(path + ".limit", "is 0, so producer " + inQuotes(node.id)
                                             + " publishes nothing");
            if (!node.routingKeys.empty() && !node.routingKey.empty())
                error(path + ".routing_keys", "give either routing_key or routing_keys, not both");
            for (std::size_t k = 0; k < node.routingKeys.size(); ++k)
                positive(path + ".routing_keys[" + std::to_string(k) + "].weight",
                         node.routingKeys[k].weight);
            for (std::size_t a = 0; a < node.headers.size(); ++a)
                for (std::size_t b = 0; b < a; ++b)
                    if (node.headers[a].first == node.headers[b].first)
                        error(path + ".headers." + node.headers[a].first,
                              "duplicate header " + inQuotes(node.headers[a].first));
            break;
        }
        case NodeKind::Exchange:
            break;
        case NodeKind::Queue:
            integerRange(path + ".capacity", node.capacity, 0, kMaxCount);
            if (node.queueTtl)
                nonNegative(path + ".message_ttl", *node.queueTtl);
            if (node.deliveryLimit) {
                integerRange(path + ".delivery_limit", *node.deliveryLimit, 1, kMaxDeliveryLimit);
                if (node.queueType != QueueType::Quorum)
                    error(path + ".delivery_limit",
                          "is a quorum queue's setting (x-delivery-limit); add \"queue_type\": "
                          "\"quorum\" to queue " + inQuotes(node.id) + ", or remove the limit");
            }
            break;
        case NodeKind::Consumer:
            checkDistribution(node.service, path + ".service");
            integerRange(path + ".servers", node.servers, 1, kMaxServers);
            integerRange(path + ".prefetch", node.prefetch, 1, kMaxPrefetch);
            for (const auto &[key, p] : {std::pair{".reject_probability", node.rejectProbability},
                                         std::pair{".requeue_probability", node.requeueProbability}}) {
                if (finite(path + key, p) && (p < 0 || p > 1))
                    error(path + key, "must be a probability between 0 and 1, got " + numberText(p));
            }
            if (node.timeToFailure)
                checkDistribution(*node.timeToFailure, path + ".time_to_failure");
            if (node.timeToRestart)
                checkDistribution(*node.timeToRestart, path + ".time_to_restart");
            if (node.timeToFailure && !node.timeToRestart)
                error(path + ".time_to_failure", "consumer " + inQuotes(node.id) + " crashes but never comes "
                      "back: add \"time_to_restart\" (how long it stays down), e.g. {\"dist\": "
                      "\"exponential\", \"mean\": 5}");
            else if (node.timeToRestart && !node.timeToFailure)
                warning(path + ".time_to_restart", "consumer " + inQuotes(node.id) + " never crashes (no "
                        "\"time_to_failure\"), so its restart time is not used");
            else if (node.timeToFailure && !(node.timeToFailure->expectation() > 0))
                error(path + ".time_to_failure", "has a mean of 0: consumer " + inQuotes(node.id)
                      + " would crash again at once, for ever; give it a positive mean time to failure");
            if (node.rejectProbability + node.requeueProbability > 1 + kProbabilityTolerance)
                error(path + ".requeue_probability",
                      "reject_probability and requeue_probability of consumer " + inQuotes(node.id)
                          + " add up to " + numberText(node.rejectProbability + node.requeueProbability)
                          + "; together they must be at most 1 (the rest is acknowledged)");
            break;
        case NodeKind::Delay:
            checkDistribution(node.delay, path + ".delay");
            break;
        case NodeKind::Sink:
            break;
        }
    }
}

void Validator::checkOnward(const Node &node, const std::string &path,
                            const std::vector<std::size_t> &onward)
{
    if (onward.size() > 1) {
        double sum = 0;
        bool all = true;
        for (std::size_t n : onward) {
            const Link &l = s_.links[n];
            if (!l.probability) {
                error(linkPath(n), std::string(nodeKindName(node.kind)) + " " + inQuotes(node.id)
                                       + " has " + std::to_string(onward.size())
                                       + " onward links, so each needs a "
                                         "\"probability\" (the chance a message takes it)");
                all = false;
                break;
            }
            sum += *l.probability;
        }
        if (all && std::isfinite(sum) && sum > 1 + kProbabilityTolerance)
            error(path, std::string("the probabilities of the links leaving ") + nodeKindName(node.kind)
                            + " " + inQuotes(node.id) + " add up to " + numberText(sum)
                            + "; they must add up to at most 1 (the rest leaves the "
                              "system)");
    }
}

void Validator::checkDistribution(const Distribution &d, const std::string &path)
{
    switch (d.kind) {
    case DistKind::Deterministic:
        nonNegative(path + ".value", d.value);
        break;
    case DistKind::Exponential:
        if (d.rateGiven) {
            // Written as a rate: complain about the rate the user wrote.
            const std::string rpath = path + ".rate";
            if (std::isnan(d.mean))
                error(rpath, "must be a finite number, got NaN");
            else if (!(d.mean > 0) || !std::isfinite(d.mean))
                error(rpath, "must be > 0, got " + numberText(1 / d.mean));
        } else {
            positive(path + ".mean", d.mean);
        }
        break;
    case DistKind::Uniform:
        nonNegative(path + ".min", d.min);
        if (finite(path + ".max", d.max) && std::isfinite(d.min) && d.max < d.min)
            error(path + ".max", "must be >= min (" + numberText(d.min) + "), got "
                                     + numberText(d.max));
        break;
    case DistKind::Normal:
    case DistKind::Lognormal:
        positive(path + ".mean", d.mean);
        nonNegative(path + ".stddev", d.stddev);
        break;
    case DistKind::Erlang:
        integerRange(path + ".k", d.k, 1, kMaxErlangK);
        positive(path + ".mean", d.mean);
        break;
    case DistKind::Gamma:
    case DistKind::Weibull:
        positive(path + ".shape", d.shape);
        positive(path + ".scale", d.scale);
        break;
    case DistKind::Hyperexponential: {
        if (d.probabilities.empty()) {
            error(path + ".probabilities", "must not be empty; give one probability per phase");
            break;
        }
        if (d.means.size() != d.probabilities.size()) {
            error(path + ".means", "must have as many entries as probabilities ("
                                       + std::to_string(d.probabilities.size()) + "), got "
                                       + std::to_string(d.means.size()));
            break;
        }
        double sum = 0;
        bool ok = true;
        for (std::size_t i = 0; i < d.probabilities.size(); ++i) {
            const std::string p = path + ".probabilities[" + std::to_string(i) + "]";
            const double v = d.probabilities[i];
            if (!finite(p, v)) {
                ok = false;
            } else if (v < 0 || v > 1) {
                error(p, "must be between 0 and 1, got " + numberText(v));
                ok = false;
            }
            sum += v;
        }
        if (ok && std::fabs(sum - 1) > kProbabilityTolerance)
            error(path + ".probabilities", "must add up to 1, got " + numberText(sum));
        for (std::size_t i = 0; i < d.means.size(); ++i)
            positive(path + ".means[" + std::to_string(i) + "]", d.means[i]);
        break;
    }
    case DistKind::Empirical:
        if (d.samples.empty()) {
            if (!d.file.empty())
                error(path + ".file", "trace file " + inQuotes(d.file)
                                          + " gave no samples (it is read when the scenario "
                                            "is loaded)");
            else
                error(path + ".samples", "must not be empty; give at least one value");
            break;
        }
        for (std::size_t i = 0; i < d.samples.size(); ++i) {
            const std::string p = d.file.empty()
                ? path + ".samples[" + std::to_string(i) + "]"
                : path + ".file";
            const double v = d.samples[i];
            if (!std::isfinite(v) || v < 0) {
                error(p, (d.file.empty() ? std::string() : "value " + std::to_string(i + 1) + ": ")
                             + "must be >= 0, got " + numberText(v));
                break; // one bad sample is enough to say; a trace may have thousands
            }
        }
        break;
    }
}

void Validator::checkLinks()
{
    linkOk_.assign(s_.links.size(), false);
    linkToBroken_.assign(s_.links.size(), false);
    for (std::size_t n = 0; n < s_.links.size(); ++n) {
        const Link &l = s_.links[n];
        const std::string path = linkPath(n);
        const Node *from = find(l.from);
        const Node *to = find(l.to);
        if (!from)
            error(path + ".from", "no node with id " + inQuotes(l.from)
                                      + "; a link must start at a node listed in nodes");
        if (!to)
            error(path + ".to", "no node with id " + inQuotes(l.to)
                                    + "; a link must lead to a node listed in nodes");
        if (!from || !to)
            continue;
        if (broken(l.from) || broken(l.to)) {
            linkToBroken_[n] = true; // its kinds are unknown: counts as there, checks nothing
            continue;
        }

        const NodeKind fk = from->kind;
        const NodeKind tk = to->kind;
        const LinkRole role = resolveLinkRole(fk, tk, l.role);
        if (role == LinkRole::Auto) {
            if (linkTargets(fk).empty())
                error(path, inQuotes(l.from) + " is a " + nodeKindName(fk) + ", the end of the line, "
                                "so it has no outgoing links; remove the link " + linkText(l));
            else if (l.role != LinkRole::Auto && resolveLinkRole(fk, tk) != LinkRole::Auto)
                error(path + ".role", linkRefusal(fk, tk, l.role) + "; remove \"role\"");
            else
                error(path, std::string("a ") + nodeKindName(fk) + " cannot link to a "
                                + nodeKindName(tk) + " (" + linkText(l) + "); " + allowedLinks()
                                + (resolveLinkRole(fk, tk, LinkRole::DeadLetter) == LinkRole::DeadLetter
                                       ? "; to send what a bounded queue drops there, add "
                                         "\"role\": \"dead-letter\""
                                       : ""));
            continue;
        }
        if (role == LinkRole::DeadLetter) {
            std::vector<std::size_t> &dl = deadLetters_[l.from];
            if (!dl.empty())
                error(path, "queue " + inQuotes(l.from) + " already dead-letters to "
                                + inQuotes(s_.links[dl.front()].to) + " (" + linkPath(dl.front())
                                + "); a queue has at most one dead-letter link");
            dl.push_back(n);
        }

        const bool binding = role == LinkRole::Binding;
        if (!binding) {
            if (!l.bindingKey.empty())
                error(path + ".binding_key", "only a link from an exchange to a queue (a "
                                             "binding) has a binding key; remove it");
            if (l.match != HeadersMatch::All)
                error(path + ".match", "only a link from a headers exchange to a queue has "
                                       "match; remove it");
            if (!l.arguments.empty())
                error(path + ".arguments", "only a link from a headers exchange to a queue has "
                                           "arguments; remove them");
        } else {
            const ExchangeType t = from->exchangeType;
            if (!l.bindingKey.empty() && (t == ExchangeType::Fanout || t == ExchangeType::Headers))
                warning(path + ".binding_key", std::string("ignored: a ") + exchangeTypeName(t)
                                                   + " exchange does not look at routing keys");
            if (t != ExchangeType::Headers && (!l.arguments.empty() || l.match != HeadersMatch::All))
                warning(path + (l.arguments.empty() ? ".match" : ".arguments"),
                        std::string("ignored: only a headers exchange matches on headers, and ")
                            + inQuotes(l.from) + " is " + exchangeTypeName(t));
            for (std::size_t a = 0; a < l.arguments.size(); ++a)
                for (std::size_t b = 0; b < a; ++b)
                    if (l.arguments[a].first == l.arguments[b].first)
                        error(path + ".arguments." + l.arguments[a].first,
                              "duplicate argument " + inQuotes(l.arguments[a].first));
        }
        if (l.probability) {
            if (nodeKindInfo(fk).outDegree != OutDegree::Probabilities)
                error(path + ".probability", "only links leaving a consumer carry a "
                                             "probability; remove it");
            else if (!std::isfinite(*l.probability) || *l.probability < 0 || *l.probability > 1)
                error(path + ".probability", "must be between 0 and 1, got "
                                                 + numberText(*l.probability));
        }

        // Duplicates: same ends (and, for bindings, the same binding), which would copy or
        // double-count messages. Two bindings with different keys are ordinary AMQP.
        bool duplicate = false;
        std::vector<std::size_t> &same = linksBetween_[{l.from, l.to}];
        for (std::size_t m : same) {
            const Link &o = s_.links[m];
            if (binding && (o.bindingKey != l.bindingKey || o.match != l.match
                            || o.arguments != l.arguments))
                continue;
            error(path, "duplicate of " + linkPath(m) + " (" + linkText(l) + "); remove one"
                            + (fk == NodeKind::Consumer ? " or merge their probabilities" : ""));
            duplicate = true;
            break;
        }
        linkOk_[n] = !duplicate;
        if (!duplicate)
            same.push_back(n);
    }
    checkDeadLetterLoops();
}

// Dead-letter cycles. RabbitMQ lets a message go round one (the delayed-retry pattern: a
// work queue rejects into a retry queue whose TTL dead-letters back) and cuts the cycle
// only when a message comes round without having been rejected; the engine does the same.
// A cycle is an error when it has no way out: no queue on it has a consumer, so whatever
// enters can only expire or overflow round it until it is cut.
void Validator::checkDeadLetterLoops()
{
    // Where a message can go from a node without a consumer taking it: a queue's dead-letter
    // link, an exchange's bindings.
    auto next = [this](const std::string &at, std::vector<std::string> *out) {
        const Node *n = find(at);
        if (!n)
            return;
        for (const Link &l : s_.links) {
            if (l.from != at)
                continue;
            const Node *t = find(l.to);
            const bool binding = n->kind == NodeKind::Exchange && t && t->kind == NodeKind::Queue;
            const bool deadLetter = n->kind == NodeKind::Queue && l.role == LinkRole::DeadLetter;
            if (binding || deadLetter)
                out->push_back(l.to);
        }
    };
    auto reachable = [&](const std::string &from) {
        std::set<std::string> seen;
        std::vector<std::string> todo;
        next(from, &todo);
        while (!todo.empty()) {
            const std::string at = todo.back();
            todo.pop_back();
            if (seen.insert(at).second)
                next(at, &todo);
        }
        return seen;
    };
    auto hasConsumer = [this](const std::string &queue) {
        return std::any_of(s_.links.begin(), s_.links.end(), [&](const Link &l) {
            const Node *t = find(l.to);
            return l.from == queue && t && t->kind == NodeKind::Consumer;
        });
    };
    for (const auto &[origin, dls] : deadLetters_) {
        const std::set<std::string> ahead = reachable(origin);
        if (!ahead.count(origin))
            continue;
        // The cycle: what the origin reaches and what reaches the origin back.
        bool wayOut = hasConsumer(origin);
        for (const std::string &at : ahead)
            if (!wayOut && at != origin && reachable(at).count(origin))
                wayOut = find(at) && find(at)->kind == NodeKind::Queue && hasConsumer(at);
        if (!wayOut)
            error(linkPath(dls.front()), "queue " + inQuotes(origin) + " dead-letters into a loop "
                                         "back to itself with no consumer on it; what enters would "
                                         "go round until RabbitMQ's cycle rule drops it: give a queue "
                                         "on the loop a consumer, or send the dead letters to a queue "
                                         "outside the loop");
    }
}

void Validator::checkTopology()
{
    const std::size_t count = s_.nodes.size();
    std::vector<std::vector<std::size_t>> out(count), in(count);
    // Links to nodes of unknown kind: they may well be right, so nobody lacks them.
    std::vector<int> brokenOut(count, 0), brokenIn(count, 0);
    for (std::size_t n = 0; n < s_.links.size(); ++n) {
        if (linkToBroken_[n]) {
            ++brokenOut[static_cast<std::size_t>(index(s_.links[n].from))];
            ++brokenIn[static_cast<std::size_t>(index(s_.links[n].to))];
            continue;
        }
        if (!linkOk_[n])
            continue;
        const auto f = static_cast<std::size_t>(index(s_.links[n].from));
        const auto t = static_cast<std::size_t>(index(s_.links[n].to));
        out[f].push_back(n);
        in[t].push_back(n);
    }

    bool anyProducer = false;
    for (std::size_t i = 0; i < count; ++i) {
        const Node &node = s_.nodes[i];
        if (broken(node.id) || node.id.empty() || index(node.id) != static_cast<int>(i))
            continue; // a duplicate id: its links belong to the first node of that id
        const std::string path = nodePath(static_cast<int>(i));
        const std::string id = inQuotes(node.id);
        switch (node.kind) {
        case NodeKind::Producer:
            anyProducer = true;
            if (out[i].empty() && brokenOut[i] == 0)
                error(path, "producer " + id + " has no outgoing link; link it to an exchange "
                                               "or a queue");
            else if (out[i].size() > 1)
                error(linkPath(out[i][1]),
                      "producer " + id + " already publishes to " + inQuotes(s_.links[out[i][0]].to)
                          + " (" + linkPath(out[i][0]) + "); a producer has exactly one "
                          "outgoing link: publish to an exchange to reach several queues");
            break;
        case NodeKind::Exchange:
            if (out[i].empty() && brokenOut[i] == 0)
                warning(path, "exchange " + id + " has no bindings, so every message it gets "
                                                 "is unroutable; link it to a queue");
            break;
        case NodeKind::Queue: {
            bool consumer = false, deadLetter = false;
            for (std::size_t n : out[i]) {
                consumer = consumer || find(s_.links[n].to)->kind == NodeKind::Consumer;
                deadLetter = deadLetter || s_.links[n].role == LinkRole::DeadLetter;
            }
            // A queue with a TTL and a dead-letter link needs no consumer: its messages leave
            // when they expire (the retry queue of the delayed-retry pattern).
            const bool expiresOnward = deadLetter && node.queueTtl;
            if (!consumer && !expiresOnward && brokenOut[i] == 0)
                warning(path, "queue " + id + " has no consumer, so its messages are never "
                                              "served; link it to a consumer");
            break;
        }
        case NodeKind::Consumer: {
            std::vector<std::size_t> subs, onward;
            for (std::size_t n : in[i])
                if (find(s_.links[n].from)->kind == NodeKind::Queue)
                    subs.push_back(n);
            onward = out[i];
            if (subs.empty() && brokenIn[i] == 0)
                error(path, "consumer " + id + " subscribes to no queue; add a link from a "
                                               "queue to it");
            else if (subs.size() > 1)
                error(linkPath(subs[1]),
                      "consumer " + id + " already subscribes to queue "
                          + inQuotes(s_.links[subs[0]].from) + " (" + linkPath(subs[0])
                          + "); a consumer subscribes to exactly one queue: remove a link or "
                            "add another consumer");
            checkOnward(node, path, onward);
            break;
        }
        case NodeKind::Delay:
            if (out[i].empty() && brokenOut[i] == 0)
                warning(path, "delay " + id + " has no onward link, so messages end there "
                                              "after their delay; link it on, or to a sink");
            checkOnward(node, path, out[i]);
            break;
        case NodeKind::Sink:
            break;
        }
    }
    if (!s_.nodes.empty() && !anyProducer && !(ctx_ && !ctx_->brokenIds.empty()))
        warning("nodes", "the scenario has no producer, so nothing is ever published");

    // Nodes no producer's messages can reach stay idle: usually a forgotten link.
    std::vector<bool> reached(count, false);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < count; ++i) {
        if (s_.nodes[i].kind == NodeKind::Producer) {
            reached[i] = true;
            todo.push_back(i);
        }
    }
    while (!todo.empty()) {
        const std::size_t i = todo.back();
        todo.pop_back();
        for (std::size_t n : out[i]) {
            const auto t = static_cast<std::size_t>(index(s_.links[n].to));
            if (!reached[t]) {
                reached[t] = true;
                todo.push_back(t);
            }
        }
    }
    if (anyProducer && !(ctx_ && !ctx_->brokenIds.empty())) {
        for (std::size_t i = 0; i < count; ++i) {
            const Node &node = s_.nodes[i];
            if (!reached[i] && !node.id.empty() && !broken(node.id)
                && index(node.id) == static_cast<int>(i))
                warning(nodePath(static_cast<int>(i)),
                        std::string("no producer's messages can reach ") + nodeKindName(node.kind)
                            + " " + inQuotes(node.id) + ", so it stays idle");
        }
    }

    // A loop with no way out: messages that enter it circulate for ever, never delivered
    // (and with zero-time services the simulated clock would stand still). A node can let a
    // message leave if it is a sink, a consumer with no onward link or onward
    // probabilities below 1, an exchange that may find no binding, a queue nobody consumes,
    // or if it leads to such a node.
    if (ctx_ && !ctx_->brokenIds.empty())
        return;
    std::vector<bool> exits(count, false);
    for (std::size_t i = 0; i < count; ++i) {
        const Node &node = s_.nodes[i];
        double sum = 0;
        bool allCarry = !out[i].empty();
        for (std::size_t n : out[i]) {
            if (s_.links[n].probability)
                sum += *s_.links[n].probability;
            else if (out[i].size() > 1)
                allCarry = false;
            else
                sum = 1;
        }
        switch (node.kind) {
        case NodeKind::Sink:
        case NodeKind::Producer:
            exits[i] = true;
            break;
        case NodeKind::Consumer:
        case NodeKind::Delay:
            exits[i] = !allCarry || sum < 1 - kProbabilityTolerance;
            break;
        case NodeKind::Exchange:
            exits[i] = node.exchangeType != ExchangeType::Fanout || out[i].empty();
            break;
        case NodeKind::Queue:
            exits[i] = out[i].empty();
            break;
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < count; ++i) {
            if (exits[i])
                continue;
            for (std::size_t n : out[i]) {
                const int t = index(s_.links[n].to);
                if (t >= 0 && exits[static_cast<std::size_t>(t)]) {
                    exits[i] = changed = true;
                    break;
                }
            }
        }
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (reached[i] && !exits[i] && s_.nodes[i].kind == NodeKind::Queue) {
            error(nodePath(static_cast<int>(i)),
                  "messages that reach queue " + inQuotes(s_.nodes[i].id)
                      + " can never leave: every path from it loops back; give an onward "
                        "link a probability below 1 or link a consumer to a sink");
            break;
        }
    }
}

void Validator::checkLayout()
{
    for (const auto &[id, pos] : s_.layout) {
        const std::string path = "layout." + id;
        if (!find(id))
            warning(path, "no node with id " + inQuotes(id) + "; the position is ignored");
        if (!std::isfinite(pos.first) || !std::isfinite(pos.second))
            error(path, "must be a finite position [x, y], got [" + numberText(pos.first) + ", "
                            + numberText(pos.second) + "]");
    }
}

bool Validator::lessonNode(const std::string &path, const std::string &id, const char *what)
{
    if (find(id))
        return true;
    std::vector<std::string> ids;
    for (const Node &n : s_.nodes)
        ids.push_back(n.id);
    std::string message = "no node with id " + inQuotes(id) + "; " + what;
    const std::string near = closestMatch(id, ids);
    if (!near.empty())
        message += " (did you mean " + inQuotes(near) + "?)";
    error(path, message);
    return false;
}

void Validator::checkLesson()
{
    if (!s_.lesson)
        return;
    const Lesson &lesson = *s_.lesson;
    const std::size_t errorsBefore = out_.errors().size();
    if (lesson.title.empty() && !touched("lesson.title"))
        error("lesson.title", "must not be empty; the Lessons list shows it");
    if (lesson.steps.empty() && !touched("lesson.steps"))
        error("lesson.steps", "must hold at least one step, e.g. [{\"title\": \"...\", "
                              "\"text\": \"...\"}]");
    for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
        const LessonStep &step = lesson.steps[k];
        const std::string path = "lesson.steps[" + std::to_string(k) + "]";
        if (step.title.empty() && !touched(path + ".title"))
            error(path + ".title", "must not be empty; the step list shows it");
        for (std::size_t h = 0; h < step.highlight.size(); ++h)
            lessonNode(path + ".highlight[" + std::to_string(h) + "]", step.highlight[h],
                       "a step highlights nodes of the scenario");
        for (std::size_t j = 0; j < step.changes.size(); ++j) {
            const LessonChange &c = step.changes[j];
            const std::string cpath = path + ".changes[" + std::to_string(j) + "]";
            if (touched(cpath))
                continue;
            if (c.node.empty()) {
                if (find(kRunTarget))
                    error(cpath + ".node", "\"run\" names the run settings here, but a node is "
                                           "called \"run\" too; rename that node");
            } else if (!lessonNode(cpath + ".node", c.node,
                                   "a change sets a field of a node of the scenario, or of "
                                   "\"run\"")) {
                continue;
            }
            const Node *target = c.node.empty() ? nullptr : find(c.node);
            const std::vector<std::string> &fields = target ? changeableFields(target->kind)
                                                            : changeableRunFields();
            if (std::find(fields.begin(), fields.end(), c.field) == fields.end()) {
                std::vector<std::string> q;
                for (const std::string &f : fields)
                    q.push_back(inQuotes(f));
                const std::string owner = target ? std::string("a ") + nodeKindName(target->kind)
                                                     + " (" + inQuotes(target->id) + ")"
                                                 : std::string("the run settings");
                std::string message = fields.empty()
                    ? owner + " has no field a lesson can change"
                    : inQuotes(c.field) + " is not a field of " + owner + "; use " + listOr(q);
                const std::string near = closestMatch(c.field, fields);
                if (!near.empty())
                    message += " (did you mean " + inQuotes(near) + "?)";
                error(cpath + ".field", message);
            }
        }
        if (step.question) {
            const LessonQuestion &q = *step.question;
            const std::string qpath = path + ".question";
            if (q.prompt.empty() && !touched(qpath + ".prompt"))
                error(qpath + ".prompt", "must not be empty; say what the student predicts");
            std::optional<NodeKind> kind;
            bool nodeOk = true;
            if (!q.node.empty()) {
                nodeOk = lessonNode(qpath + ".node", q.node,
                                    "a question asks about a node of the scenario (leave "
                                    "\"node\" out for an end-to-end figure)");
                if (nodeOk)
                    kind = find(q.node)->kind;
            }
            if (nodeOk && !touched(qpath + ".metric")) {
                const std::vector<std::string> &metrics = questionMetrics(kind);
                if (std::find(metrics.begin(), metrics.end(), q.metric) == metrics.end()) {
                    const std::string owner = kind ? std::string("a ") + nodeKindName(*kind)
                                                   : std::string("end-to-end figures");
                    std::string message = metrics.empty()
                        ? "a " + std::string(nodeKindName(*kind)) + " has no figures to ask "
                              "about; ask about a queue, a consumer or end to end"
                        : "unknown metric " + inQuotes(q.metric) + " for " + owner + "; use "
                              + listOr(metrics);
                    const std::string near = closestMatch(q.metric, metrics);
                    std::string elsewhere;
                    for (const NodeKindInfo &info : nodeKinds()) {
                        const NodeKind other = info.kind;
                        const std::vector<std::string> &m = questionMetrics(other);
                        if (elsewhere.empty() && kind != other
                            && std::find(m.begin(), m.end(), q.metric) != m.end())
                            elsewhere = std::string(nodeKindName(other));
                    }
                    if (!near.empty())
                        message += " (did you mean " + inQuotes(near) + "?)";
                    else if (!elsewhere.empty())
                        message += " (" + inQuotes(q.metric) + " is a figure of a " + elsewhere
                                   + ": set \"node\" to one)";
                    error(qpath + ".metric", message);
                }
            }
            const std::string tpath = qpath + ".tolerance";
            if (finite(tpath, q.tolerance) && !(q.tolerance > 0 && q.tolerance <= 1))
                error(tpath, "must be > 0 and at most 1 (a relative error: 0.1 is 10%), got "
                                 + numberText(q.tolerance));
        }
    }
    // The changes themselves, applied step after step as the Lessons panel will: only on a
    // sound scenario and lesson, or every error above would come back once per change.
    if (out_.errors().size() != errorsBefore || out_.hasErrors())
        return;
    Scenario s = s_;
    for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
        if (!applyStepChanges(lesson.steps[k], "lesson.steps[" + std::to_string(k) + "]", file_,
                              ctx_ ? ctx_->baseDir : std::string(), &s, out_))
            return;
    }
}

} // namespace

void validate(const Scenario &scenario, const std::string &file, const ReadContext *ctx,
              Diagnostics &out)
{
    Validator(scenario, file, ctx, out).run();
}

} // namespace ql::detail
