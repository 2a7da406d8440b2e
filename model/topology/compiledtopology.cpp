#include "topology/compiledtopology.h"

#include "topology/nodekinds.h"
#include "topology/routing.h"

#include <algorithm>
#include <functional>

namespace ql {

CompiledTopology::CompiledTopology(const Scenario &s)
{
    const std::size_t n = s.nodes.size();
    kinds_.resize(n);
    exchangeType_.resize(n);
    index_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        kinds_[i] = s.nodes[i].kind;
        exchangeType_[i] = s.nodes[i].exchangeType;
        index_.emplace(s.nodes[i].id, int(i)); // the first of duplicate ids wins, as nodeIndex
    }
    out_.assign(n, {});
    in_.assign(n, {});
    self_.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        self_[i] = int(i);
    bindings_.assign(n, {});
    publishTarget_.assign(n, -1);
    queueOf_.assign(n, -1);
    consumers_.assign(n, {});
    onward_.assign(n, {});
    onwardAlways_.assign(n, 0);
    firstKey_.assign(n, -1);
    keyCount_.assign(n, 0);
    levelOf_.assign(n, 0);

    // Links: resolved roles; the refused ones stay out of the graph.
    for (std::size_t l = 0; l < s.links.size(); ++l) {
        const Link &link = s.links[l];
        const int from = indexOf(link.from);
        const int to = indexOf(link.to);
        if (from < 0 || to < 0) {
            refused_.push_back({int(l), {}});
            continue;
        }
        const LinkRole role = resolveLinkRole(kinds_[std::size_t(from)], kinds_[std::size_t(to)], link.role);
        if (role == LinkRole::Auto) {
            refused_.push_back({int(l), linkRefusal(kinds_[std::size_t(from)], kinds_[std::size_t(to)], link.role)});
            continue;
        }
        const Edge e{int(l), from, to, role, link.probability};
        out_[std::size_t(from)].push_back(e);
        in_[std::size_t(to)].push_back(e);
        switch (role) {
        case LinkRole::Publish:
            if (publishTarget_[std::size_t(from)] < 0)
                publishTarget_[std::size_t(from)] = to;
            break;
        case LinkRole::Binding:
            bindings_[std::size_t(from)].push_back({to, link.bindingKey, link.match, link.arguments});
            break;
        case LinkRole::Subscription:
            // A consumer serves one queue; with several (an error the validator reports)
            // the last one wins, as the engine always did.
            queueOf_[std::size_t(to)] = from;
            consumers_[std::size_t(from)].push_back(to);
            break;
        case LinkRole::Onward:
        case LinkRole::DeadLetter:
        case LinkRole::Auto:
            break;
        }
    }

    // Onward choices of every kind whose out-degree is a set of probabilities.
    for (std::size_t i = 0; i < n; ++i) {
        if (nodeKindInfo(kinds_[i]).outDegree != OutDegree::Probabilities)
            continue;
        std::vector<const Edge *> out;
        for (const Edge &e : out_[i])
            if (e.role == LinkRole::Onward)
                out.push_back(&e);
        if (out.size() == 1 && !out.front()->probability) {
            onwardAlways_[i] = 1;
            onward_[i].push_back({1.0, out.front()->to});
            continue;
        }
        double acc = 0;
        for (const Edge *e : out) {
            acc += e->probability.value_or(0.0);
            onward_[i].push_back({acc, e->to});
        }
    }

    // Priority levels: distinct producer priorities, highest first.
    for (std::size_t i = 0; i < n; ++i)
        if (kinds_[i] == NodeKind::Producer)
            levels_.push_back(s.nodes[i].priority);
    std::sort(levels_.begin(), levels_.end(), std::greater<>());
    levels_.erase(std::unique(levels_.begin(), levels_.end()), levels_.end());
    if (levels_.empty())
        levels_.push_back(0);

    // Publish keys, and route classes: one per distinct (routing key, headers).
    struct ClassKey
    {
        const std::string *key;
        const Headers *headers;
    };
    std::vector<ClassKey> classes;
    auto intern = [&](const std::string &key, const Headers &headers) {
        for (std::size_t c = 0; c < classes.size(); ++c)
            if (*classes[c].key == key && *classes[c].headers == headers)
                return int(c);
        classes.push_back({&key, &headers});
        return int(classes.size() - 1);
    };
    for (std::size_t i = 0; i < n; ++i) {
        const Node &node = s.nodes[i];
        if (node.kind != NodeKind::Producer)
            continue;
        levelOf_[i] = int(std::find(levels_.begin(), levels_.end(), node.priority) - levels_.begin());
        firstKey_[i] = int(keys_.size());
        const int priority = std::clamp(node.priority, 0, int(kMaxPriority));
        if (node.routingKeys.empty()) {
            keys_.push_back({int(i), node.routingKey, node.headers, priority, 1.0,
                             intern(node.routingKey, node.headers)});
        } else {
            double totalWeight = 0;
            for (const auto &wk : node.routingKeys)
                totalWeight += wk.weight;
            double acc = 0;
            for (const auto &wk : node.routingKeys) {
                acc += wk.weight / totalWeight;
                keys_.push_back({int(i), wk.key, node.headers, priority, acc, intern(wk.key, node.headers)});
            }
            keys_.back().cumulative = 1.0;
        }
        keyCount_[i] = int(keys_.size()) - firstKey_[i];
    }
    routeClasses_ = int(classes.size());

    // Destinations per (node, route class).
    destBegin_.assign(n * std::size_t(routeClasses_) + 1, 0);
    std::vector<int> scratch;
    for (std::size_t i = 0; i < n; ++i) {
        for (int c = 0; c < routeClasses_; ++c) {
            destBegin_[i * std::size_t(routeClasses_) + std::size_t(c)] = std::uint32_t(dest_.size());
            if (kinds_[i] == NodeKind::Exchange) {
                const std::string &key = *classes[std::size_t(c)].key;
                route(int(i), key, classes[std::size_t(c)].headers, &scratch);
                dest_.insert(dest_.end(), scratch.begin(), scratch.end());
            }
        }
    }
    destBegin_.back() = std::uint32_t(dest_.size());
}

int CompiledTopology::indexOf(std::string_view id) const
{
    const auto it = index_.find(std::string(id));
    return it == index_.end() ? -1 : it->second;
}

std::span<const CompiledTopology::PublishKey> CompiledTopology::publishKeys(int producer) const
{
    const int first = firstKey_[std::size_t(producer)];
    if (first < 0)
        return {};
    return std::span<const PublishKey>(keys_).subspan(std::size_t(first),
                                                      std::size_t(keyCount_[std::size_t(producer)]));
}

std::span<const int> CompiledTopology::destinations(int target, int routeClass) const
{
    if (target < 0 || target >= nodeCount())
        return {};
    if (kinds_[std::size_t(target)] == NodeKind::Queue)
        return std::span<const int>(self_).subspan(std::size_t(target), 1);
    if (routeClass < 0 || routeClass >= routeClasses_)
        return {};
    const std::size_t at = std::size_t(target) * std::size_t(routeClasses_) + std::size_t(routeClass);
    return std::span<const int>(dest_).subspan(destBegin_[at], destBegin_[at + 1] - destBegin_[at]);
}

// The binding match, by AMQP 0-9-1 rules. The only copy in the program.
bool CompiledTopology::matches(int exchange, const Binding &b, std::string_view key,
                               const Headers *headers) const
{
    static const Headers none;
    switch (exchangeType_[std::size_t(exchange)]) {
    case ExchangeType::Direct:
        return b.key == key;
    case ExchangeType::Fanout:
        return true;
    case ExchangeType::Topic:
        return topicMatches(b.key, key);
    case ExchangeType::Headers:
        return headersMatch(b.match, b.arguments, headers ? *headers : none);
    }
    return false;
}

void CompiledTopology::route(int exchange, std::string_view key, const Headers *headers,
                             std::vector<int> *queues) const
{
    queues->clear();
    if (exchange < 0 || exchange >= nodeCount() || kinds_[std::size_t(exchange)] != NodeKind::Exchange)
        return;
    for (const Binding &b : bindings_[std::size_t(exchange)])
        // A queue bound twice still gets one copy, as in AMQP.
        if (matches(exchange, b, key, headers)
            && std::find(queues->begin(), queues->end(), b.queue) == queues->end())
            queues->push_back(b.queue);
}

std::span<const int> CompiledTopology::consumersOf(int queue) const
{
    return consumers_[std::size_t(queue)];
}

std::span<const CompiledTopology::Onward> CompiledTopology::onward(int node) const
{
    return onward_[std::size_t(node)];
}

} // namespace ql
