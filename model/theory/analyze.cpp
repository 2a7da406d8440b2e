// analyze(): follow a scenario's traffic as rates, decide which closed form describes it
// and say, naming the node, why none does when the assumptions fail.
//
// Messages are tracked per routing class (producer x routing key), because an exchange
// reached after a consumer routes by the key the message was published with. For each
// class the traffic equations lambda = gamma + R^T lambda are solved separately and the
// rates summed per queue; with class-independent exponential service at every queue this
// is exactly the product-form (BCMP) network, so each queue behaves as M/M/c at its total rate.
#include "theory/theory.h"

#include "theory/stationdetail.h"
#include "topology/compiledtopology.h"
#include "topology/nodekinds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

namespace ql {

namespace {


std::string q(const std::string &id)
{
    return "'" + id + "'";
}

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// Distributions that are exponential whatever they are called.
bool isExponential(const Distribution &d)
{
    switch (d.kind) {
    case DistKind::Exponential:
        return true;
    case DistKind::Erlang:
        return d.k == 1;
    case DistKind::Gamma:
    case DistKind::Weibull:
        return d.shape == 1;
    default:
        return false;
    }
}

bool close(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

bool sameService(const Distribution &a, const Distribution &b)
{
    if (a == b)
        return true;
    return isExponential(a) && isExponential(b) && close(a.expectation(), b.expectation());
}

// Solves A x = b in place by Gaussian elimination with partial pivoting. Returns the row
// whose pivot vanished (the system is singular there), or -1 on success.
int solveLinear(std::vector<std::vector<double>> &A, std::vector<double> &b)
{
    const std::size_t n = b.size();
    std::vector<std::size_t> rowOf(n);
    for (std::size_t i = 0; i < n; ++i)
        rowOf[i] = i;
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::abs(A[r][col]) > std::abs(A[pivot][col]))
                pivot = r;
        if (std::abs(A[pivot][col]) < 1e-12)
            return int(col);
        std::swap(A[pivot], A[col]);
        std::swap(b[pivot], b[col]);
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = A[r][col] / A[col][col];
            if (f == 0)
                continue;
            for (std::size_t k = col; k < n; ++k)
                A[r][k] -= f * A[col][k];
            b[r] -= f * b[col];
        }
    }
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t k = i + 1; k < n; ++k)
            s -= A[i][k] * b[k];
        b[i] = s / A[i][i];
    }
    return -1;
}

// Where a message sent to one node goes next: into some queues (several for a fanout),
// to its end (a sink), or nowhere (an exchange with no matching binding).
struct Delivery
{
    std::vector<int> stations;
    bool ends = false;
    double delay = 0;        // mean time spent in delay nodes on the way (M/G/inf stages)
    std::vector<int> delays; // the delay nodes passed, in order
    bool unroutable() const { return !ends && stations.empty(); }
};

struct RouteClass
{
    int producer;
    std::string key;
    const Headers *headers;
    int priority;
    double rate;
};

struct OnwardLink
{
    int target; // node index, or LostTarget
    double probability;
};
constexpr int LostTarget = -1; // rejected without a dead-letter link: the message is gone

class Analyzer
{
public:
    explicit Analyzer(const Scenario &s)
        : s_(s)
        , topology_(s)
    {
    }
    TheoryResult run();

private:
    bool fail(std::string why)
    {
        result_ = TheoryResult{};
        result_.applicable = false;
        result_.reason = std::move(why);
        return false;
    }
    const std::string &id(int node) const { return s_.nodes[std::size_t(node)].id; }
    const Node &node(int i) const { return s_.nodes[std::size_t(i)]; }

    bool readTopology();
    bool readProducers();
    bool readConsumers();
    Delivery deliver(int target, const RouteClass &k, std::size_t depth = 0) const;
    bool readDelays();
    void delayFigures();
    struct DelayPass;
    double passRate(const DelayPass &p) const;
    bool solveTraffic();
    bool checkStations();
    bool checkForks();
    bool checkOrderOfService();
    bool checkExpiry();
    bool buildStations();
    void endToEnd();

    const Scenario &s_;
    const CompiledTopology topology_;
    TheoryResult result_;
    std::unordered_map<std::string, int> index_;
    std::vector<std::vector<const Link *>> out_;
    std::vector<int> stationOf_;              // node -> station (queues), else -1
    std::vector<int> queueOf_;                // station -> queue node
    std::vector<std::vector<int>> consumers_; // station -> subscribed consumer nodes
    std::vector<int> subscribedTo_;           // consumer node -> station, else -1
    std::vector<std::vector<OnwardLink>> onward_; // consumer node -> onward links
    std::vector<RouteClass> classes_;
    std::vector<int> firstHop_;               // producer node -> target node, else -1
    // Deliveries that copy one message into several queues (fanout, overlapping bindings).
    struct Fork
    {
        int exchange;              // node
        int from;                  // station whose consumers publish, -1 for a producer
        std::size_t cls;
        std::vector<int> stations;
    };
    std::vector<Fork> forks_;
    // Deliveries that pass delay nodes: of class `cls`, from a station's consumers (or from
    // the producer, -1) with that probability.
    struct DelayPass
    {
        std::size_t cls;
        int from;
        double probability;
        Delivery delivery;
    };
    std::vector<DelayPass> delayPasses_;

    // Per class k: external arrivals, routing, results.
    std::vector<std::vector<double>> gamma_;                // [k][station]
    std::vector<std::vector<std::vector<double>>> route_;   // [k][from][to]
    std::vector<std::vector<double>> ends_;                 // [k][station]: P(visit ends delivered)
    // [k][station]: (exchange node, probability) of onward publishes that match nothing
    std::vector<std::vector<std::vector<std::pair<int, double>>>> lostAt_;
    std::vector<std::vector<double>> lambda_;               // [k][station]
    std::vector<double> total_;                             // [station]
    std::vector<int> active_;                               // stations with traffic

    std::vector<StationTheory> theory_;                     // [station], valid for active
    std::vector<double> patience_;                          // [station]: its fixed TTL, or inf
    bool unstable_ = false;
    std::string overloaded_;
};

bool Analyzer::readTopology()
{
    const int n = int(s_.nodes.size());
    for (int i = 0; i < n; ++i)
        index_.emplace(node(i).id, i);
    out_.assign(std::size_t(n), {});
    stationOf_.assign(std::size_t(n), -1);
    subscribedTo_.assign(std::size_t(n), -1);
    for (int i = 0; i < n; ++i) {
        if (node(i).kind == NodeKind::Queue) {
            stationOf_[std::size_t(i)] = int(queueOf_.size());
            queueOf_.push_back(i);
        }
    }
    consumers_.assign(queueOf_.size(), {});

    for (const Link &link : s_.links) {
        const auto from = index_.find(link.from);
        const auto to = index_.find(link.to);
        if (from == index_.end() || to == index_.end()) {
            const std::string &missing = from == index_.end() ? link.from : link.to;
            return fail("the link from " + q(link.from) + " to " + q(link.to)
                        + " names an unknown node " + q(missing));
        }
        const NodeKind a = node(from->second).kind;
        const NodeKind b = node(to->second).kind;
        const std::string refusal = linkRefusal(a, b, link.role);
        if (!refusal.empty())
            return fail("the link from " + q(link.from) + " (" + nodeKindName(a) + ") to "
                        + q(link.to) + " (" + nodeKindName(b)
                        + ") is not one the scenario format allows: " + refusal);
        if (resolveLinkRole(a, b, link.role) == LinkRole::DeadLetter) {
            const Node &queue = node(from->second);
            if (queue.capacity > 0)
                return fail("queue " + q(queue.id) + " sends what it drops to " + q(link.to)
                            + " (a dead-letter link); the closed forms here do not follow "
                              "re-routed drops");
            // What else it dead-letters is followed where it is decided: expired messages
            // (checkExpiry), rejected ones (readConsumers).
            bool carries = queue.queueTtl.has_value() || queue.deliveryLimit.has_value();
            for (const Node &n : s_.nodes)
                carries |= n.messageTtl.has_value() || n.rejectProbability > 0 || n.requeueProbability > 0;
            if (!carries)
                result_.notes.push_back("queue " + q(queue.id) + " is unbounded and nothing in it expires "
                                        "or is rejected, so its dead-letter link to " + q(link.to)
                                        + " never carries a message");
            continue;
        }
        out_[std::size_t(from->second)].push_back(&link);
        if (a == NodeKind::Queue) {
            const int c = to->second;
            if (subscribedTo_[std::size_t(c)] >= 0)
                return fail("consumer " + q(link.to) + " subscribes to more than one queue ("
                            + q(id(queueOf_[std::size_t(subscribedTo_[std::size_t(c)])])) + " and "
                            + q(link.from) + "); a consumer serves exactly one queue");
            subscribedTo_[std::size_t(c)] = stationOf_[std::size_t(from->second)];
            consumers_[std::size_t(stationOf_[std::size_t(from->second)])].push_back(c);
        }
    }
    return true;
}

bool Analyzer::readProducers()
{
    for (int i = 0; i < int(s_.nodes.size()); ++i)
        if (node(i).kind == NodeKind::Producer && node(i).retryLimit > 0)
            return fail("producer " + q(id(i)) + " retries the publishes a full queue refuses: its retries "
                        "depend on the queue's state, so the arrivals are not Poisson");
    if (s_.run.maxMessages)
        return fail("run.max_messages stops each replication after "
                    + std::to_string(*s_.run.maxMessages)
                    + " publishes; the closed forms describe a run that goes on for ever");
    firstHop_.assign(s_.nodes.size(), -1);
    for (int i = 0; i < int(s_.nodes.size()); ++i) {
        const Node &p = node(i);
        if (p.kind != NodeKind::Producer)
            continue;
        if (!isExponential(p.interarrival))
            return fail("producer " + q(p.id) + " has " + distKindName(p.interarrival.kind)
                        + " interarrival times; closed forms here need Poisson arrivals "
                          "(exponential)");
        if (p.limit)
            return fail("producer " + q(p.id) + " stops after " + std::to_string(*p.limit)
                        + " messages (limit); closed forms need arrivals that go on for ever");
        const double mean = p.interarrival.expectation();
        if (!(mean > 0) || !std::isfinite(mean))
            return fail("producer " + q(p.id) + " has a mean interarrival time of " + num(mean)
                        + "; it must be positive and finite");
        const auto &links = out_[std::size_t(i)];
        if (links.empty()) {
            result_.notes.push_back("producer " + q(p.id)
                                    + " has no outgoing link: its messages go nowhere");
            continue;
        }
        if (links.size() > 1)
            result_.notes.push_back("producer " + q(p.id) + " has " + std::to_string(links.size())
                                    + " outgoing links; like the simulator, only the first ("
                                    + q(links.front()->to) + ") is used");
        firstHop_[std::size_t(i)] = index_.at(links.front()->to);

        const double rate = 1 / mean;
        if (p.routingKeys.empty()) {
            classes_.push_back({i, p.routingKey, &p.headers, p.priority, rate});
            continue;
        }
        double weights = 0;
        for (const WeightedKey &wk : p.routingKeys) {
            if (!(wk.weight >= 0) || !std::isfinite(wk.weight))
                return fail("producer " + q(p.id) + " gives routing key " + q(wk.key)
                            + " the weight " + num(wk.weight) + "; weights must be >= 0");
            weights += wk.weight;
        }
        if (!(weights > 0))
            return fail("producer " + q(p.id) + " has routing keys whose weights sum to 0");
        for (const WeightedKey &wk : p.routingKeys)
            if (wk.weight > 0)
                classes_.push_back({i, wk.key, &p.headers, p.priority, rate * wk.weight / weights});
    }
    return true;
}

bool Analyzer::readConsumers()
{
    onward_.assign(s_.nodes.size(), {});
    for (int i = 0; i < int(s_.nodes.size()); ++i) {
        if (node(i).kind != NodeKind::Consumer)
            continue;
        const auto &links = out_[std::size_t(i)];
        const bool always = links.size() == 1 && !links.front()->probability;
        if (always)
            onward_[std::size_t(i)].push_back({index_.at(links.front()->to), 1.0});
        double sum = 0;
        for (const Link *link : always ? std::vector<const Link *>{} : links) {
            if (!link->probability)
                return fail("consumer " + q(id(i)) + " has " + std::to_string(links.size())
                            + " onward links, so each needs a probability; the one to "
                            + q(link->to) + " has none");
            const double p = *link->probability;
            if (!(p >= 0 && p <= 1))
                return fail("consumer " + q(id(i)) + " sends messages to " + q(link->to)
                            + " with probability " + num(p) + ", outside [0, 1]");
            sum += p;
            onward_[std::size_t(i)].push_back({index_.at(link->to), p});
        }
        if (sum > 1 + 1e-9)
            return fail("the onward probabilities of consumer " + q(id(i)) + " sum to " + num(sum)
                        + ", more than 1");
        // Rejects and requeues are routing too: a requeued message is served again at the
        // same queue (feedback: with exponential service the number in the system does not
        // depend on where in the queue it goes back), a rejected one leaves for the queue's
        // dead-letter target or the system; the rest is acknowledged and goes on as linked.
        const Node &w = node(i);
        if (w.rejectProbability > 0 || w.requeueProbability > 0) {
            const int queue = topology_.queueOf(i);
            if (queue >= 0 && node(queue).deliveryLimit)
                return fail("quorum queue " + q(id(queue)) + " has a delivery limit: whether a message "
                            "is dead-lettered depends on how often it came back, which no Jackson "
                            "network describes");
            const double acked = 1 - w.rejectProbability - w.requeueProbability;
            for (OnwardLink &link : onward_[std::size_t(i)])
                link.probability *= acked;
            if (w.requeueProbability > 0 && queue >= 0)
                onward_[std::size_t(i)].push_back({queue, w.requeueProbability});
            if (w.rejectProbability > 0 && queue >= 0) {
                int deadLetter = LostTarget; // without a dead-letter link a rejected message is gone
                for (const CompiledTopology::Edge &e : topology_.outgoing(queue))
                    if (e.role == LinkRole::DeadLetter)
                        deadLetter = e.to;
                onward_[std::size_t(i)].push_back({deadLetter, w.rejectProbability});
            }
        }
    }
    return true;
}

Delivery Analyzer::deliver(int target, const RouteClass &k, std::size_t depth) const
{
    Delivery d;
    const Node &t = node(target);
    if (t.kind == NodeKind::Queue) {
        // A queue nobody consumes, with a fixed TTL and a dead-letter link, holds every
        // message for exactly that TTL (FIFO, expiry at the head) and sends it on: the retry
        // queue of the delayed-retry pattern is an M/D/inf stage, like a delay node.
        if (t.queueTtl && t.capacity == 0 && topology_.consumersOf(target).empty() && depth < s_.nodes.size()) {
            for (const CompiledTopology::Edge &e : topology_.outgoing(target)) {
                if (e.role != LinkRole::DeadLetter)
                    continue;
                d = deliver(e.to, k, depth + 1);
                d.delay += std::max(0.0, *t.queueTtl);
                d.delays.insert(d.delays.begin(), target);
                return d;
            }
        }
        d.stations.push_back(stationOf_[std::size_t(target)]);
    } else if (t.kind == NodeKind::Exchange) {
        std::vector<int> queues;
        topology_.route(target, k.key, k.headers, &queues);
        for (int queue : queues)
            d.stations.push_back(stationOf_[std::size_t(queue)]);
    } else if (t.kind == NodeKind::Delay) {
        // Transparent for the routing: the message goes on to the one onward target after
        // its delay (readDelays() refuses the rest); without one it ends there.
        const auto onward = topology_.onward(target);
        if (!onward.empty())
            d = deliver(onward.front().to, k, depth + 1);
        else
            d.ends = true;
        d.delay += node(target).delay.expectation();
        d.delays.insert(d.delays.begin(), target);
    } else {
        d.ends = true; // a sink
    }
    return d;
}

// Delays the closed forms follow: one onward link (or none), a finite mean, no loop of
// delays. M/G/inf needs nothing else: any delay distribution has the same mean figures.
bool Analyzer::readDelays()
{
    for (int i = 0; i < int(s_.nodes.size()); ++i) {
        if (node(i).kind != NodeKind::Delay)
            continue;
        const double mean = node(i).delay.expectation();
        if (!(mean >= 0) || !std::isfinite(mean))
            return fail("delay " + q(id(i)) + " has a mean delay of " + num(mean)
                        + "; it must be finite and not negative");
        const auto onward = topology_.onward(i);
        if (onward.size() > 1 || (onward.size() == 1 && !topology_.onwardAlways(i)))
            return fail("delay " + q(id(i)) + " splits its messages over onward links by "
                        "probability; the closed forms here follow a delay with one onward link");
        // A chain of delays must end somewhere.
        int at = i;
        for (std::size_t steps = 0; at >= 0 && node(at).kind == NodeKind::Delay; ++steps) {
            if (steps > s_.nodes.size())
                return fail("delay " + q(id(i)) + " is on a loop of delays that never ends");
            at = topology_.onward(at).empty() ? -1 : topology_.onward(at).front().to;
        }
    }
    return true;
}

bool Analyzer::solveTraffic()
{
    const std::size_t n = queueOf_.size();
    const std::size_t K = classes_.size();
    gamma_.assign(K, std::vector<double>(n, 0.0));
    route_.assign(K, std::vector<std::vector<double>>(n, std::vector<double>(n, 0.0)));
    ends_.assign(K, std::vector<double>(n, 0.0));
    lostAt_.assign(K, std::vector<std::vector<std::pair<int, double>>>(n));
    lambda_.assign(K, std::vector<double>(n, 0.0));
    total_.assign(n, 0.0);

    // Unroutable publishes, per producer and key, for the notes.
    for (std::size_t k = 0; k < K; ++k) {
        const RouteClass &rc = classes_[k];
        const int hop = firstHop_[std::size_t(rc.producer)];
        const Delivery d = deliver(hop, rc);
        if (!d.delays.empty())
            delayPasses_.push_back({k, -1, 1.0, d});
        if (d.unroutable()) {
            result_.notes.push_back("messages of producer " + q(id(rc.producer)) + " with key "
                                    + q(rc.key) + " (rate " + num(rc.rate) + ") match no binding of "
                                    + q(id(hop)) + " and are dropped as unroutable");
        }
        for (int st : d.stations)
            gamma_[k][std::size_t(st)] += rc.rate;
        if (d.stations.size() > 1)
            forks_.push_back({hop, -1, k, d.stations});

        // Routing after service, as the first consumer of each queue does it (checkStations
        // makes sure the others of a queue that matters agree).
        for (std::size_t j = 0; j < n; ++j) {
            if (consumers_[j].empty())
                continue;
            double onwardTotal = 0;
            for (const OnwardLink &link : onward_[std::size_t(consumers_[j].front())]) {
                onwardTotal += link.probability;
                if (link.target == LostTarget)
                    continue; // neither delivered nor routed on
                const Delivery next = deliver(link.target, rc);
                if (!next.delays.empty())
                    delayPasses_.push_back({k, int(j), link.probability, next});
                if (next.ends)
                    ends_[k][j] += link.probability;
                else if (next.unroutable())
                    lostAt_[k][j].push_back({link.target, link.probability});
                for (int st : next.stations)
                    route_[k][j][std::size_t(st)] += link.probability;
                if (next.stations.size() > 1)
                    forks_.push_back({link.target, int(j), k, next.stations});
            }
            ends_[k][j] += std::max(0.0, 1 - onwardTotal);
        }

        // Stations this class reaches, then lambda = gamma + R^T lambda on them.
        std::vector<char> reached(n, 0);
        std::vector<std::size_t> stack;
        for (std::size_t j = 0; j < n; ++j)
            if (gamma_[k][j] > 0) {
                reached[j] = 1;
                stack.push_back(j);
            }
        while (!stack.empty()) {
            const std::size_t j = stack.back();
            stack.pop_back();
            for (std::size_t i = 0; i < n; ++i)
                if (route_[k][j][i] > 0 && !reached[i]) {
                    reached[i] = 1;
                    stack.push_back(i);
                }
        }
        std::vector<std::size_t> sub;
        for (std::size_t j = 0; j < n; ++j)
            if (reached[j])
                sub.push_back(j);
        if (sub.empty())
            continue;
        // A station reached but without consumers keeps everything it gets; that is
        // reported below, but it must not make the system look singular here.
        std::vector<std::vector<double>> A(sub.size(), std::vector<double>(sub.size(), 0.0));
        std::vector<double> b(sub.size());
        for (std::size_t a = 0; a < sub.size(); ++a) {
            b[a] = gamma_[k][sub[a]];
            for (std::size_t c = 0; c < sub.size(); ++c)
                A[a][c] = (a == c ? 1.0 : 0.0) - route_[k][sub[c]][sub[a]];
        }
        const int bad = solveLinear(A, b);
        // On the reached stations the smallest solution is strictly positive exactly when
        // the routing lets messages out faster than loops bring them back (spectral radius
        // below 1); anything else means the traffic grows without bound.
        int culprit = bad >= 0 ? int(sub[std::size_t(bad)]) : -1;
        if (culprit < 0) {
            for (std::size_t a = 0; a < sub.size(); ++a)
                if (!(b[a] > 0) || !std::isfinite(b[a])) {
                    culprit = int(sub[a]);
                    break;
                }
        }
        if (culprit >= 0)
            return fail("messages come back to queue " + q(id(queueOf_[std::size_t(culprit)]))
                        + " at least as often as they leave (fanout copies or feedback with no way "
                          "out): the traffic equations have no finite solution");
        for (std::size_t a = 0; a < sub.size(); ++a) {
            lambda_[k][sub[a]] = b[a];
            total_[sub[a]] += b[a];
        }
    }
    for (std::size_t j = 0; j < n; ++j)
        if (total_[j] > 0)
            active_.push_back(int(j));
    if (active_.empty())
        return fail(classes_.empty() ? "no producer publishes into the topology"
                                     : "no producer's messages reach a queue");

    // Unroutable onward publishes, per queue and exchange.
    for (int j : active_) {
        std::vector<std::pair<int, double>> lost; // exchange node, rate
        for (std::size_t k = 0; k < K; ++k) {
            for (const auto &[x, p] : lostAt_[k][std::size_t(j)]) {
                auto it = std::find_if(lost.begin(), lost.end(),
                                       [x = x](const auto &e) { return e.first == x; });
                if (it == lost.end())
                    it = lost.insert(lost.end(), {x, 0.0});
                it->second += lambda_[k][std::size_t(j)] * p;
            }
        }
        for (const auto &[x, rate] : lost)
            if (rate > 0)
                result_.notes.push_back("after queue " + q(id(queueOf_[std::size_t(j)]))
                                        + ", messages at rate " + num(rate) + " match no binding of "
                                        + q(id(x)) + " and are dropped as unroutable");
    }
    return true;
}

// Everything that rules out a closed form at a queue that carries traffic.
bool Analyzer::checkStations()
{
    bool allExponential = true;
    int firstGeneral = -1; // a consumer with non-exponential service
    for (int j : active_) {
        const std::string &qid = id(queueOf_[std::size_t(j)]);
        const auto &cons = consumers_[std::size_t(j)];
        if (cons.empty())
            return fail("queue " + q(qid) + " receives messages (rate " + num(total_[std::size_t(j)])
                        + ") but has no consumer, so it grows without bound");
        const Node &first = node(cons.front());
        for (int c : cons) {
            const Node &w = node(c);
            if (w.timeToFailure)
                return fail("consumer " + q(w.id) + " crashes and restarts: a queue with an unreliable server "
                            "(M/M/1 with breakdowns) has no closed form here; compare the crash scenarios "
                            "with their own runs");
            if (w.servers < 1)
                return fail("consumer " + q(w.id) + " has " + std::to_string(w.servers)
                            + " servers; it needs at least 1");
            if (w.prefetch < 1)
                return fail("consumer " + q(w.id) + " has prefetch " + std::to_string(w.prefetch)
                            + "; it needs at least 1");
            const double mean = w.service.expectation();
            if (!(mean > 0) || !std::isfinite(mean))
                return fail("consumer " + q(w.id) + " has a mean service time of " + num(mean)
                            + "; it must be positive and finite");
            if (!sameService(w.service, first.service))
                return fail("consumers " + q(first.id) + " and " + q(w.id) + " of queue " + q(qid)
                            + " have different service time distributions; the closed forms "
                              "need identical servers at a queue");
            if (!isExponential(w.service)) {
                allExponential = false;
                if (firstGeneral < 0)
                    firstGeneral = c;
            }
            // Routing that depends on which consumer served a message is not the
            // random, state-independent routing of a Jackson network.
            const auto &a = onward_[std::size_t(cons.front())];
            const auto &b = onward_[std::size_t(c)];
            bool same = a.size() == b.size();
            for (std::size_t l = 0; same && l < a.size(); ++l) {
                const auto match = std::find_if(b.begin(), b.end(), [&](const OnwardLink &o) {
                    return o.target == a[l].target && close(o.probability, a[l].probability);
                });
                same = match != b.end();
            }
            if (!same)
                return fail("consumers " + q(first.id) + " and " + q(w.id) + " of queue " + q(qid)
                            + " publish onward differently; the closed forms need one routing "
                              "per queue, whichever consumer served the message");
        }
        if (cons.size() > 1) {
            for (int c : cons)
                if (node(c).prefetch > 1)
                    return fail("consumer " + q(id(c)) + " of queue " + q(qid) + " has prefetch "
                                + std::to_string(node(c).prefetch)
                                + ": with several consumers, messages wait inside a busy consumer "
                                  "while another may be idle, which no M/M/c model describes");
        }
        const Node &queue = node(queueOf_[std::size_t(j)]);
        if (queue.capacity > 0 && queue.overflow == Overflow::DropHead)
            return fail("queue " + q(qid) + " drops its oldest message when full (drop-head): the "
                        "messages it serves waited less than M/M/c/K's mean wait, which assumes "
                        "new arrivals are the ones turned away (reject-publish)");
        if (queue.capacity > 0 && active_.size() > 1)
            return fail("queue " + q(qid) + " is bounded (capacity "
                        + std::to_string(queue.capacity) + ") inside a network of "
                        + std::to_string(active_.size())
                        + " queues: blocking breaks the product form of Jackson networks");
        if (queue.capacity > 0) {
            for (std::size_t k = 0; k < classes_.size(); ++k)
                if (route_[k][std::size_t(j)][std::size_t(j)] > 0)
                    return fail("bounded queue " + q(qid) + " feeds messages back to itself; "
                                "M/M/c/K assumes Poisson arrivals from outside only");
        }
    }
    if (!allExponential) {
        const Node &w = node(firstGeneral);
        const int j = subscribedTo_[std::size_t(firstGeneral)];
        const std::string &qid = id(queueOf_[std::size_t(j)]);
        const std::string what = "consumer " + q(w.id) + " has " + distKindName(w.service.kind)
                                 + " service times";
        if (active_.size() > 1)
            return fail("Jackson networks need exponential service at every queue, but " + what
                        + " (queue " + q(qid) + ")");
        int servers = 0;
        for (int c : consumers_[std::size_t(j)])
            servers += node(c).servers;
        if (servers > 1)
            return fail(what + " and queue " + q(qid) + " has " + std::to_string(servers)
                        + " servers: M/G/c has no closed form (only M/G/1 does)");
        if (node(queueOf_[std::size_t(j)]).capacity > 0)
            return fail(what + " and queue " + q(qid)
                        + " is bounded: M/G/1/K has no simple closed form (only M/G/1 does)");
        for (std::size_t k = 0; k < classes_.size(); ++k)
            if (route_[k][std::size_t(j)][std::size_t(j)] > 0)
                return fail(what + " and queue " + q(qid) + " feeds messages back to itself: "
                            "the arrivals are then not Poisson, so Pollaczek-Khinchine does not hold");
    }
    return true;
}

// Message TTLs. With one fixed TTL per queue, expiry at the head (RabbitMQ's rule) is exact
// expiry, since the head is always the oldest: the station is M/M/c+D. Anything else with a
// TTL is refused, saying why.
bool Analyzer::checkExpiry()
{
    patience_.assign(queueOf_.size(), HUGE_VAL);
    for (int j : active_) {
        const std::size_t js = std::size_t(j);
        const Node &queue = node(queueOf_[js]);
        // Each message's TTL is the lower of the queue's and its own (RabbitMQ's rule).
        const double queueTtl = queue.queueTtl ? *queue.queueTtl : HUGE_VAL;
        std::set<double> ttls;
        for (std::size_t k = 0; k < classes_.size(); ++k) {
            if (!(lambda_[k][js] > 0))
                continue;
            const Node &p = node(classes_[k].producer);
            if (p.messageTtl && p.messageTtl->kind != DistKind::Deterministic)
                return fail("producer " + q(p.id) + " gives its messages " + distKindName(p.messageTtl->kind)
                            + " TTLs: RabbitMQ removes an expired message only at the head of queue "
                            + q(queue.id) + ", so the queue holds expired messages that an impatience "
                              "model (M/M/c+M) has already let go; only a fixed TTL has a closed form here");
            ttls.insert(std::min(queueTtl, p.messageTtl ? p.messageTtl->value : HUGE_VAL));
        }
        const bool any = std::any_of(ttls.begin(), ttls.end(), [](double t) { return std::isfinite(t); });
        if (any && ttls.size() > 1)
            return fail("messages reach queue " + q(queue.id) + " with different TTLs (or some with none); "
                        "the closed form (M/M/c+D) needs one fixed TTL for all");
        const double ttl = ttls.empty() ? HUGE_VAL : *ttls.begin();
        if (!any)
            continue;
        const std::string why = "queue " + q(queue.id) + " has a message TTL";
        if (active_.size() > 1)
            return fail(why + " inside a network of " + std::to_string(active_.size())
                        + " queues: what leaves an impatient queue is not a Poisson stream");
        for (std::size_t k = 0; k < classes_.size(); ++k)
            if (route_[k][js][js] > 0)
                return fail(why + " and feeds messages back to itself (requeues or onward links): "
                            "M/M/c+D assumes arrivals from outside only");
        if (queue.capacity > 0)
            return fail(why + " and a capacity: M/M/c/K+D has no closed form here");
        for (int c : consumers_[js]) {
            if (!isExponential(node(c).service))
                return fail(why + " and consumer " + q(id(c)) + " has " + distKindName(node(c).service.kind)
                            + " service times: M/G/c+D has no closed form here");
            if (node(c).prefetch > 1)
                return fail(why + " and consumer " + q(id(c)) + " prefetches "
                            + std::to_string(node(c).prefetch) + " messages, which then no longer expire; "
                              "M/M/c+D needs prefetch 1");
        }
        if (queue.discipline == Discipline::Lifo)
            return fail(why + " and serves LIFO: the head it expires at is then not the oldest message");
        for (const CompiledTopology::Edge &e : topology_.outgoing(queueOf_[js]))
            if (e.role == LinkRole::DeadLetter && !(node(e.to).kind == NodeKind::Queue && topology_.consumersOf(e.to).empty()))
                return fail(why + " and dead-letters to " + q(id(e.to)) + ", where its expired messages are "
                            "served again: that stream is not Poisson");
        patience_[js] = ttl;
        result_.notes.push_back("queue " + q(queue.id) + " expires messages after " + num(ttl)
                                + ": M/M/c+D, where the wait is that of the messages served and the "
                                  "length counts the ones that will expire too");
    }
    return true;
}

// Copies made by a fanout arrive at their queues at the same instant. The product form
// (and with it M/M/c at every queue) survives that only when no two copies of one message
// can ever meet at a queue again and no copy can come back round a loop, because then every
// queue still sees a Poisson stream: a function of one branch of independent Poisson flows.
bool Analyzer::checkForks()
{
    const std::size_t n = queueOf_.size();
    const Fork *anyFork = nullptr;
    for (const Fork &f : forks_) {
        if (f.from >= 0 && !(lambda_[f.cls][std::size_t(f.from)] > 0))
            continue;
        if (!anyFork)
            anyFork = &f;
        // Stations each copy can reach, following the class's own routing.
        std::vector<int> owner(n, -1);
        for (std::size_t b = 0; b < f.stations.size(); ++b) {
            std::vector<char> seen(n, 0);
            std::vector<int> stack{f.stations[b]};
            seen[std::size_t(f.stations[b])] = 1;
            while (!stack.empty()) {
                const std::size_t j = std::size_t(stack.back());
                stack.pop_back();
                if (owner[j] >= 0 && owner[j] != int(b))
                    return fail("exchange " + q(id(f.exchange)) + " copies each message into "
                                + std::to_string(f.stations.size())
                                + " queues and two copies of one message can meet again at queue "
                                + q(id(queueOf_[j]))
                                + ": copies travel together, so that queue's arrivals are not "
                                  "Poisson and no product form applies");
                owner[j] = int(b);
                for (std::size_t i = 0; i < n; ++i)
                    if (route_[f.cls][j][i] > 0 && !seen[i]) {
                        seen[i] = 1;
                        stack.push_back(int(i));
                    }
            }
        }
    }
    if (!anyFork)
        return true;

    // Any loop in the traffic, together with a fanout, is refused: a loop's internal flows
    // are not Poisson, and copies made from them arrive in correlated bursts.
    std::vector<int> state(n, 0); // 0 unvisited, 1 on the DFS path, 2 done
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (int start : active_) {
        if (state[std::size_t(start)])
            continue;
        stack.push_back({std::size_t(start), 0});
        state[std::size_t(start)] = 1;
        while (!stack.empty()) {
            auto &[j, next] = stack.back();
            bool descended = false;
            for (; next < n; ++next) {
                bool edge = false;
                for (std::size_t k = 0; k < classes_.size() && !edge; ++k)
                    edge = lambda_[k][j] > 0 && route_[k][j][next] > 0;
                if (!edge)
                    continue;
                if (state[next] == 1)
                    return fail("exchange " + q(id(anyFork->exchange))
                                + " copies messages into several queues while queue "
                                + q(id(queueOf_[next]))
                                + " is on a loop of the traffic: with copies, the flows round a "
                                  "loop arrive in bursts and no product form applies");
                if (state[next] == 0) {
                    state[next] = 1;
                    const std::size_t child = next++;
                    stack.push_back({child, 0});
                    descended = true;
                    break;
                }
            }
            if (!descended) {
                state[stack.back().first] = 2;
                stack.pop_back();
            }
        }
    }
    return true;
}

// LIFO and priority queues reorder messages. At a queue whose messages all go on the same
// way that changes nothing downstream (the number in the queue evolves as under FIFO), but
// when messages route on by their key, the order of service reshapes the downstream streams.
bool Analyzer::checkOrderOfService()
{
    if (active_.size() < 2)
        return true;
    for (int j : active_) {
        const std::size_t js = std::size_t(j);
        const Node &queue = node(queueOf_[js]);
        if (queue.discipline == Discipline::Fifo)
            continue;
        std::size_t first = classes_.size();
        for (std::size_t k = 0; k < classes_.size(); ++k) {
            if (!(lambda_[k][js] > 0))
                continue;
            if (first == classes_.size()) {
                first = k;
                continue;
            }
            bool same = close(ends_[k][js], ends_[first][js]);
            for (std::size_t i = 0; same && i < queueOf_.size(); ++i)
                same = close(route_[k][js][i], route_[first][js][i]);
            if (!same)
                return fail("queue " + q(queue.id) + " serves "
                            + (queue.discipline == Discipline::Lifo ? "LIFO" : "by priority")
                            + " and its messages go on to different places by their routing "
                              "key: the order of service then shapes the traffic downstream, and "
                              "no product form applies");
        }
    }
    return true;
}

bool Analyzer::buildStations()
{
    theory_.assign(queueOf_.size(), StationTheory{});
    for (int j : active_) {
        const std::size_t js = std::size_t(j);
        const Node &queue = node(queueOf_[js]);
        const auto &cons = consumers_[js];
        const Node &w = node(cons.front());
        int servers = 0;
        for (int c : cons)
            servers += node(c).servers;
        // Slots consumers hold between them; only a single consumer may have prefetch > 1
        // (checkStations), and then dispatch stays work-conserving, so the number in the
        // system is still the M/M/c birth-death process.
        const int slots = servers * (cons.size() == 1 ? w.prefetch : 1);
        const double lambda = total_[js];
        const double meanService = w.service.expectation();
        StationTheory st;
        if (std::isfinite(patience_[js])) {
            st = mmcPatient(lambda, 1 / meanService, servers, patience_[js]);
        } else if (!isExponential(w.service)) {
            st = mg1(lambda, meanService, std::max(0.0, w.service.scv()));
            if (slots > 1)
                result_.notes.push_back(
                    "consumer " + q(w.id) + " prefetches " + std::to_string(w.prefetch)
                    + " messages: the mean queue length here counts every waiting message, the "
                      "simulated length only those still ready in queue " + q(queue.id));
        } else if (queue.capacity > 0) {
            if (queue.capacity > std::int64_t(10000000))
                return fail("queue " + q(queue.id) + " has capacity "
                            + std::to_string(queue.capacity)
                            + ", too large for the M/M/c/K sums; use 0 for unbounded");
            const int K = int(queue.capacity) + slots;
            st = mmck(lambda, 1 / meanService, servers, K);
            if (slots > servers)
                st.meanQueueLength = theorydetail::excessMean(
                    theorydetail::mmckDistribution(lambda, 1 / meanService, servers, K), slots);
        } else {
            st = mmc(lambda, 1 / meanService, servers);
            if (slots > servers && st.stable)
                st.meanQueueLength = theorydetail::mmcExcessMean(lambda, 1 / meanService,
                                                                 servers, slots);
        }
        if (slots > servers && isExponential(w.service))
            result_.notes.push_back("consumer " + q(w.id) + " prefetches " + std::to_string(w.prefetch)
                                    + " messages: waits are counted until service starts, but the "
                                      "queue length of " + q(queue.id)
                                    + " counts only ready messages, so it is less than "
                                      "arrival rate x mean wait");

        // Order of service: means hold for any order that ignores service times, but the
        // wait distribution is FIFO's only.
        std::set<int> priorities;
        for (std::size_t k = 0; k < classes_.size(); ++k)
            if (lambda_[k][js] > 0)
                priorities.insert(classes_[k].priority);
        const bool lifo = queue.discipline == Discipline::Lifo;
        const bool priority = queue.discipline == Discipline::Priority && priorities.size() > 1;
        if (lifo || priority) {
            st.waitP50.reset();
            st.waitP90.reset();
            st.waitP95.reset();
            st.waitP99.reset();
            st.sojournP50.reset();
            st.sojournP95.reset();
            st.sojournP99.reset();
            result_.notes.push_back(
                "queue " + q(queue.id) + (lifo ? " serves LIFO" : " serves by priority")
                + ": means only (they do not depend on the order of service when all messages "
                  "have the same service time distribution); wait quantiles are FIFO's and are "
                  "left out");
        }
        if (!st.stable) {
            unstable_ = true;
            const std::string note = "queue " + q(queue.id) + " is overloaded (rho = "
                                     + num(lambda * meanService / servers)
                                     + "): the queue grows without bound";
            result_.notes.push_back(note);
            if (overloaded_.empty())
                overloaded_ = note;
        }
        theory_[js] = st;
    }
    return true;
}

void Analyzer::endToEnd()
{
    if (unstable_) {
        result_.notes.push_back(
            "no end-to-end figures: an overloaded queue has no steady state");
        return;
    }
    // Latency per delivered copy: each visit to queue j at rate lambda_j adds W_j to the
    // latency of every delivered copy that descends from it, D_j of them on average, where
    // D = ends + R D. Without fanout or lost copies D = 1 and this is Little's law,
    // sum L_j / delivered rate.
    const std::size_t n = queueOf_.size();
    double mass = 0, delivered = 0;
    std::vector<std::vector<double>> descendants(classes_.size(), std::vector<double>(n, 0.0));
    for (std::size_t k = 0; k < classes_.size(); ++k) {
        std::vector<std::size_t> sub;
        for (std::size_t j = 0; j < n; ++j)
            if (lambda_[k][j] > 0)
                sub.push_back(j);
        if (sub.empty())
            continue;
        std::vector<std::vector<double>> A(sub.size(), std::vector<double>(sub.size(), 0.0));
        std::vector<double> D(sub.size());
        for (std::size_t a = 0; a < sub.size(); ++a) {
            D[a] = ends_[k][sub[a]];
            for (std::size_t c = 0; c < sub.size(); ++c)
                A[a][c] = (a == c ? 1.0 : 0.0) - route_[k][sub[a]][sub[c]];
        }
        if (solveLinear(A, D) >= 0)
            return; // cannot happen once the traffic equations were solvable
        for (std::size_t a = 0; a < sub.size(); ++a) {
            const StationTheory &st = theory_[sub[a]];
            const double accepted = lambda_[k][sub[a]] * (1 - st.blocking) * (1 - st.abandonment);
            mass += accepted * st.meanSojourn * D[a];
            delivered += accepted * ends_[k][sub[a]];
            descendants[k][sub[a]] = D[a];
        }
    }
    // Delay stages (M/G/inf): a pass adds its mean delay to every delivered copy that
    // descends from it; a producer's message that ends after delays alone is delivered.
    for (const DelayPass &p : delayPasses_) {
        const double rate = passRate(p);
        if (!(rate > 0))
            continue;
        double copies = p.delivery.ends ? 1.0 : 0.0;
        for (int st : p.delivery.stations)
            copies += (1 - theory_[std::size_t(st)].blocking) * (1 - theory_[std::size_t(st)].abandonment)
                * descendants[p.cls][std::size_t(st)];
        mass += rate * p.delivery.delay * copies;
        if (p.from < 0 && p.delivery.ends)
            delivered += rate;
    }
    result_.endToEndThroughput = delivered;

    // With priorities, classes wait differently at one queue; the sum above uses the mean
    // over classes, which is right only if every class there has the same descendants.
    for (int j : active_) {
        const Node &queue = node(queueOf_[std::size_t(j)]);
        if (queue.discipline != Discipline::Priority)
            continue;
        std::set<int> priorities;
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (std::size_t k = 0; k < classes_.size(); ++k)
            if (lambda_[k][std::size_t(j)] > 0) {
                priorities.insert(classes_[k].priority);
                lo = std::min(lo, descendants[k][std::size_t(j)]);
                hi = std::max(hi, descendants[k][std::size_t(j)]);
            }
        if (priorities.size() > 1 && !close(lo, hi)) {
            result_.notes.push_back("no end-to-end latency: priority queue " + q(queue.id)
                                    + " serves classes whose copies are delivered differently, "
                                      "and their waits differ");
            return;
        }
    }
    if (delivered > 0)
        result_.endToEndLatency = mass / delivered;
}

// The rate of a delay pass: the producer's class rate, or what a station's consumers
// send on along that link.
double Analyzer::passRate(const DelayPass &p) const
{
    const double from = p.from < 0 ? classes_[p.cls].rate
                                   : lambda_[p.cls][std::size_t(p.from)]
            * (1 - theory_[std::size_t(p.from)].blocking);
    return from * p.probability;
}

// Per delay node: its arrival rate (the sum over the passes through it) and, by Little's
// law (exact for M/G/inf with any delay distribution), its mean number in transit.
void Analyzer::delayFigures()
{
    if (unstable_)
        return;
    std::vector<double> rate(s_.nodes.size(), 0.0);
    for (const DelayPass &p : delayPasses_)
        for (int d : p.delivery.delays)
            rate[std::size_t(d)] += passRate(p);
    for (int i = 0; i < int(s_.nodes.size()); ++i) {
        if (node(i).kind != NodeKind::Delay || !(rate[std::size_t(i)] > 0))
            continue;
        DelayTheory t;
        t.id = id(i);
        t.lambda = rate[std::size_t(i)];
        t.meanDelay = node(i).delay.expectation();
        t.meanInTransit = t.lambda * t.meanDelay;
        result_.delays.push_back(t);
    }
}

TheoryResult Analyzer::run()
{
    if (!readTopology() || !readProducers() || !readConsumers() || !readDelays() || !solveTraffic()
        || !checkExpiry() || !checkStations() || !checkForks() || !checkOrderOfService() || !buildStations())
        return result_;
    result_.applicable = true;
    for (int j : active_) {
        NodeTheory nt;
        nt.id = id(queueOf_[std::size_t(j)]);
        for (int c : consumers_[std::size_t(j)])
            nt.consumers.push_back(id(c));
        nt.station = theory_[std::size_t(j)];
        result_.queues.push_back(std::move(nt));
    }
    if (active_.size() == 1) {
        const std::size_t j = std::size_t(active_.front());
        result_.model = theory_[j].model;
        for (std::size_t k = 0; k < classes_.size(); ++k)
            if (route_[k][j][j] > 0) {
                result_.model += " with feedback";
                break;
            }
    } else {
        result_.model = "Jackson network of " + std::to_string(active_.size()) + " stations";
    }
    if (unstable_)
        result_.reason = overloaded_;
    delayFigures();
    endToEnd();
    return result_;
}

} // namespace

TheoryResult analyze(const Scenario &scenario)
{
    return Analyzer(scenario).run();
}

} // namespace ql
