// The scenario-to-RabbitMQ mapping and client-side routing of the AMQP backend
// (see amqptopology.h).
#include "live/amqptopology.h"


#include <algorithm>

namespace ql {

namespace {

// AMQP short strings (exchange and queue names) hold at most 255 bytes.
constexpr std::size_t kMaxName = 255;

} // namespace

bool AmqpTopology::build(const Scenario &scenario, const std::string &prefix, std::string *error)
{
    auto fail = [&](const std::string &why) {
        if (error)
            *error = why;
        return false;
    };
    const std::size_t n = scenario.nodes.size();
    queues_.clear();
    exchanges_.clear();
    bindings_.clear();
    names_.assign(n, {});
    queueSlot_.assign(n, -1);
    isExchange_.assign(n, 0);

    int maxPriority = 1;
    for (const Node &node : scenario.nodes) {
        if (node.kind == NodeKind::Producer)
            maxPriority = std::max(maxPriority, node.priority);
    }
    maxPriority = std::min(maxPriority, 255);

    for (std::size_t i = 0; i < n; ++i) {
        const Node &node = scenario.nodes[i];
        if (node.kind != NodeKind::Queue && node.kind != NodeKind::Exchange)
            continue;
        const std::string name = prefix + node.id;
        if (name.size() + 8 > kMaxName) // room for the "~dropped" suffix
            return fail("node '" + node.id + "': the AMQP name '" + name + "' is longer than "
                        "AMQP allows (255 bytes with the run prefix); shorten the node id");
        names_[i] = name;
        if (node.kind == NodeKind::Exchange) {
            isExchange_[i] = 1;
            exchanges_.push_back({int(i), name, node.exchangeType});
            continue;
        }
        if (node.discipline == Discipline::Lifo)
            return fail("queue '" + node.id + "' has discipline lifo, which RabbitMQ cannot do "
                        "(its queues are FIFO, or by priority): run it with the embedded "
                        "backend, or make the queue fifo");
        AmqpQueueSpec q;
        q.node = int(i);
        q.name = name;
        q.capacity = std::max<std::int64_t>(0, node.capacity);
        q.overflow = node.overflow;
        q.maxPriority = node.discipline == Discipline::Priority ? maxPriority : 0;
        if (q.capacity > 0 && q.overflow == Overflow::DropHead)
            q.droppedQueue = name + "~dropped"; // '~' cannot occur in a node id
        queueSlot_[i] = int(queues_.size());
        queues_.push_back(std::move(q));
    }

    // Bindings: the topology's binding links, declared on the broker as they are, in file
    // order.
    topology_ = CompiledTopology(scenario);
    for (const CompiledTopology::Refusal &r : topology_.refusedLinks()) {
        const Link &link = scenario.links[std::size_t(r.link)];
        if (!r.why.empty())
            return fail("link " + link.from + " -> " + link.to + ": " + r.why);
    }
    std::vector<CompiledTopology::Edge> edges;
    for (std::size_t i = 0; i < n; ++i)
        for (const CompiledTopology::Edge &e : topology_.outgoing(int(i)))
            if (e.role == LinkRole::Binding)
                edges.push_back(e);
    std::sort(edges.begin(), edges.end(), [](const auto &a, const auto &b) { return a.link < b.link; });
    {
        for (const CompiledTopology::Edge &e : edges) {
            const Link &link = scenario.links[std::size_t(e.link)];
            AmqpBindingSpec b;
            b.exchange = e.from;
            b.queue = e.to;
            b.queueSlot = queueSlot_[std::size_t(e.to)];
            b.key = link.bindingKey;
            b.match = link.match;
            b.arguments = link.arguments;
            bindings_.push_back(std::move(b));
        }
    }
    counters_ = std::make_unique<AmqpQueueCounters[]>(std::max<std::size_t>(1, queues_.size()));
    unroutable = 0;
    rejectedUnattributed = 0;
    return true;
}

const std::string &AmqpTopology::name(int node) const
{
    static const std::string none;
    return node >= 0 && std::size_t(node) < names_.size() ? names_[std::size_t(node)] : none;
}

int AmqpTopology::queueSlot(int node) const
{
    return node >= 0 && std::size_t(node) < queueSlot_.size() ? queueSlot_[std::size_t(node)] : -1;
}

bool AmqpTopology::isExchange(int node) const
{
    return node >= 0 && std::size_t(node) < isExchange_.size() && isExchange_[std::size_t(node)];
}

void AmqpTopology::route(int exchangeNode, std::string_view key, const Headers *headers,
                         std::vector<int> *out) const
{
    out->clear();
    if (!isExchange(exchangeNode))
        return;
    topology_.route(exchangeNode, key, headers, out);
    for (int &slot : *out)
        slot = queueSlot_[std::size_t(slot)];
    // Two bindings to one queue still deliver one copy, as in RabbitMQ.
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
}

int AmqpTopology::blame(const std::vector<int> &slots) const
{
    int found = kUnattributed;
    for (int s : slots) {
        if (!queues_[std::size_t(s)].rejects())
            continue;
        if (found != kUnattributed)
            return kUnattributed; // two queues could have refused it
        found = s;
    }
    return found;
}

} // namespace ql
