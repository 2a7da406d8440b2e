// Test helper: builds scenarios in code, so simulation tests read as the topology they test.
#pragma once

#include "scenario/scenario.h"

#include <string>

namespace ql::test {

class ScenarioBuilder
{
public:
    explicit ScenarioBuilder(std::string name = "test")
    {
        s.name = std::move(name);
        s.run.duration = 10000;
        s.run.warmup = 0;
        s.run.seed = 42;
        s.run.replications = 1;
    }

    ScenarioBuilder &run(double duration, double warmup, int replications, std::uint64_t seed = 42)
    {
        s.run.duration = duration;
        s.run.warmup = warmup;
        s.run.replications = replications;
        s.run.seed = seed;
        return *this;
    }
    ScenarioBuilder &producer(const std::string &id, Distribution interarrival, std::string key = {})
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Producer;
        n.interarrival = interarrival;
        n.routingKey = std::move(key);
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &exchange(const std::string &id, ExchangeType type)
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Exchange;
        n.exchangeType = type;
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &queue(const std::string &id, std::int64_t capacity = 0,
                           Overflow overflow = Overflow::RejectPublish,
                           Discipline discipline = Discipline::Fifo)
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Queue;
        n.capacity = capacity;
        n.overflow = overflow;
        n.discipline = discipline;
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &consumer(const std::string &id, Distribution service, int servers = 1, int prefetch = 1)
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Consumer;
        n.service = service;
        n.servers = servers;
        n.prefetch = prefetch;
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &delay(const std::string &id, Distribution delay)
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Delay;
        n.delay = delay;
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &sink(const std::string &id)
    {
        Node n;
        n.id = id;
        n.kind = NodeKind::Sink;
        s.nodes.push_back(n);
        return *this;
    }
    ScenarioBuilder &link(const std::string &from, const std::string &to, std::string bindingKey = {})
    {
        Link l;
        l.from = from;
        l.to = to;
        l.bindingKey = std::move(bindingKey);
        s.links.push_back(l);
        return *this;
    }
    // A dead-letter link: what `queue` dead-letters goes to `to` (an exchange or a queue).
    ScenarioBuilder &deadLetter(const std::string &queue, const std::string &to)
    {
        Link l;
        l.from = queue;
        l.to = to;
        l.role = LinkRole::DeadLetter;
        s.links.push_back(l);
        return *this;
    }

    ScenarioBuilder &linkP(const std::string &from, const std::string &to, double probability)
    {
        Link l;
        l.from = from;
        l.to = to;
        l.probability = probability;
        s.links.push_back(l);
        return *this;
    }
    Node &last() { return s.nodes.back(); }

    Scenario build() const { return s; }
    operator Scenario() const { return s; }

    Scenario s;
};

inline Distribution expo(double mean)
{
    return Distribution::exponential(mean);
}

inline Distribution det(double value)
{
    return Distribution::deterministic(value);
}

} // namespace ql::test
