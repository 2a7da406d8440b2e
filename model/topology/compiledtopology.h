// What a topology means, compiled once from a Scenario: which node an id names, which links
// are legal and in what role, where a producer publishes and with which keys, which queues
// receive a message sent to an exchange with a key or headers, which queue a consumer
// serves, and where a served message goes next. The engine, theory, the narrator, the
// embedded broker, the AMQP deployer, the validator and the editor all ask this one object,
// so they cannot disagree; the binding match (AMQP 0-9-1 rules) is written here only.
//
// A CompiledTopology is a value: it copies what it needs from the scenario, so it may
// outlive it. Links that name an unknown node or join kinds no rule allows are left out of
// the graph and listed in refusedLinks() for the validator to report.
#pragma once

#include "scenario/scenario.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ql {

class CompiledTopology
{
public:
    // One link of the graph, with its role resolved (never Auto).
    struct Edge
    {
        int link; // index into Scenario::links
        int from;
        int to;
        LinkRole role;
        std::optional<double> probability;
    };
    // A key a producer publishes with: its routing key and headers, its priority, its
    // cumulative weight among the producer's keys (the last is exactly 1), and its route
    // class, shared by every key with the same (routing key, headers).
    struct PublishKey
    {
        int producer;
        std::string key;
        Headers headers;
        int priority;
        double cumulative;
        int routeClass;
    };
    // The onward choice after service (or after a delay): the next node, taken when a
    // uniform draw is below `cumulative`; a draw above the last one leaves the system.
    struct Onward
    {
        double cumulative;
        int to;
    };
    // Why a link is left out of the graph.
    struct Refusal
    {
        int link;
        std::string why; // empty when an end names no node (the validator says which)
    };

    CompiledTopology() = default;
    explicit CompiledTopology(const Scenario &scenario);

    int nodeCount() const { return int(kinds_.size()); }
    // The node with this id, or -1. Hashed.
    int indexOf(std::string_view id) const;
    NodeKind kind(int node) const { return kinds_[std::size_t(node)]; }

    std::span<const Edge> outgoing(int node) const { return edges(out_, node); }
    std::span<const Edge> incoming(int node) const { return edges(in_, node); }
    std::span<const Refusal> refusedLinks() const { return refused_; }

    // Producers: the node they publish to (the first publish link), or -1, and their keys.
    int publishTarget(int producer) const { return publishTarget_[std::size_t(producer)]; }
    std::span<const PublishKey> publishKeys(int producer) const;
    // Every producer's keys in node order; a PublishKey's position is its live "identity".
    const std::vector<PublishKey> &allPublishKeys() const { return keys_; }
    int firstPublishKey(int producer) const { return firstKey_[std::size_t(producer)]; }
    int routeClassCount() const { return routeClasses_; }

    // The queues a message sent to `target` with route class `routeClass` reaches: for an
    // exchange, every bound queue whose binding matches, once each, in link order; for a
    // queue, itself (whatever the class); otherwise none. A flat table built once; no
    // allocation to read.
    std::span<const int> destinations(int target, int routeClass) const;
    // The same for any key and headers (an exchange node; anything else routes nowhere).
    void route(int exchange, std::string_view key, const Headers *headers,
               std::vector<int> *queues) const;

    // Consumers and queues.
    int queueOf(int consumer) const { return queueOf_[std::size_t(consumer)]; }
    std::span<const int> consumersOf(int queue) const;

    // Onward links of a consumer or a delay, cumulative in link order. `onwardAlways`: a
    // single link without a probability, taken without a draw.
    std::span<const Onward> onward(int node) const;
    bool onwardAlways(int node) const { return onwardAlways_[std::size_t(node)]; }

    // Distinct producer priorities, highest first ({0} when there are no producers), and
    // the level (index into them) of each producer.
    const std::vector<int> &priorityLevels() const { return levels_; }
    int levelOf(int producer) const { return levelOf_[std::size_t(producer)]; }

private:
    struct Binding
    {
        int queue;
        std::string key;
        HeadersMatch match;
        Headers arguments;
    };
    static std::span<const Edge> edges(const std::vector<std::vector<Edge>> &table, int node)
    {
        return table[std::size_t(node)];
    }
    bool matches(int exchange, const Binding &b, std::string_view key, const Headers *headers) const;

    std::vector<NodeKind> kinds_;
    std::vector<ExchangeType> exchangeType_;
    std::unordered_map<std::string, int> index_;
    std::vector<std::vector<Edge>> out_, in_;
    std::vector<Refusal> refused_;
    std::vector<std::vector<Binding>> bindings_; // per exchange node
    std::vector<int> publishTarget_;
    std::vector<PublishKey> keys_;
    std::vector<int> firstKey_, keyCount_;
    int routeClasses_ = 0;
    std::vector<std::uint32_t> destBegin_; // [node * routeClasses + class], one past: +1
    std::vector<int> dest_;
    std::vector<int> self_; // self_[i] == i: a queue's destinations
    std::vector<int> queueOf_;
    std::vector<std::vector<int>> consumers_;
    std::vector<std::vector<Onward>> onward_;
    std::vector<char> onwardAlways_;
    std::vector<int> levels_;
    std::vector<int> levelOf_;
};

} // namespace ql
