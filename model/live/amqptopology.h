// What the AMQP backend deploys for a scenario, and what its channels share while a run
// goes: the broker-side names (run prefix + node id), the RabbitMQ arguments that give each
// queue the model's capacity, overflow and discipline, the bindings, the routes computed on
// the client by the same AMQP 0-9-1 rules the simulator uses (topology/routing.h), and the
// per-queue counters the channels update and snapshot() reads. Plain C++, no rabbitmq-c.
//
// How the model maps onto RabbitMQ:
//   capacity C > 0      x-max-length = C (RabbitMQ counts ready messages, as the model does)
//   overflow            x-overflow = reject-publish | drop-head
//   discipline priority x-max-priority = the highest producer priority (1..255)
//   discipline lifo     refused: RabbitMQ queues are FIFO (or by priority)
//   drop-head + C > 0   also x-dead-letter-exchange "" and x-dead-letter-routing-key = a
//                       per-queue "<name>~dropped" queue, so heads RabbitMQ drops can be
//                       counted (snapshot() purges that queue and adds up what it held)
//   every object        durable as LiveOptions::durable (default no), auto-delete no (the
//                       backend deletes what it made), not exclusive
// Rejections under reject-publish come back to the publisher as basic.nack (publisher
// confirms); the route says which queue rejected when only one reject-publish queue with a
// capacity was on it.
#pragma once

#include "live/transport.h"
#include "scenario/scenario.h"
#include "topology/compiledtopology.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ql {

struct AmqpQueueSpec
{
    int node = -1;
    std::string name;               // broker-side name
    std::int64_t capacity = 0;      // x-max-length; 0 = unbounded
    Overflow overflow = Overflow::RejectPublish;
    int maxPriority = 0;            // x-max-priority; 0 = not a priority queue
    std::string droppedQueue;       // dead-letter queue counting drop-head drops ("" none)
    bool rejects() const { return capacity > 0 && overflow == Overflow::RejectPublish; }
};

struct AmqpExchangeSpec
{
    int node = -1;
    std::string name;
    ExchangeType type = ExchangeType::Direct;
};

struct AmqpBindingSpec
{
    int exchange = -1;              // node index
    int queue = -1;                 // node index
    int queueSlot = -1;             // index into AmqpTopology::queues()
    std::string key;                // direct, topic
    HeadersMatch match = HeadersMatch::All;
    Headers arguments;              // headers exchanges
};

// Counters per queue, updated by channel threads (relaxed atomics; read by snapshot()).
struct AmqpQueueCounters
{
    std::atomic<std::int64_t> arrivals{0};    // routed here by our publishes
    std::atomic<std::int64_t> rejected{0};    // basic.nack attributed to this queue
    std::atomic<std::int64_t> droppedHead{0}; // purged from its dead-letter queue
    std::atomic<std::int64_t> delivered{0};   // deliveries received by our consumers
    std::atomic<std::int64_t> acked{0};       // of those, acknowledged
    std::atomic<std::int64_t> released{0};    // unacknowledged when their channel closed
    // Copies published but not yet confirmed by the broker: on their way into the queue
    // (socket buffers, the broker's channel process), counted nowhere else yet.
    std::atomic<std::int64_t> inTransit{0};
};

class AmqpTopology
{
public:
    // Names everything with `prefix` and checks that RabbitMQ can run the scenario. False
    // with *error (naming the node and the fix) otherwise.
    bool build(const Scenario &scenario, const std::string &prefix, std::string *error);

    const std::vector<AmqpQueueSpec> &queues() const { return queues_; }
    const std::vector<AmqpExchangeSpec> &exchanges() const { return exchanges_; }
    const std::vector<AmqpBindingSpec> &bindings() const { return bindings_; }

    // Broker-side name of a node ("" for producers, consumers and sinks, or out of range).
    const std::string &name(int node) const;
    int queueSlot(int node) const;   // index into queues(), -1 if `node` is not a queue
    bool isExchange(int node) const;

    // The queues (slots, ascending, each once) a message published to exchange `node` with
    // this key and these headers reaches. `out` is cleared first.
    void route(int exchangeNode, std::string_view key, const Headers *headers,
               std::vector<int> *out) const;

    // Whom a basic.nack for a message on this route blames: the slot of the one queue on it
    // that rejects when full, or kUnattributed.
    static constexpr int kUnattributed = -1;
    int blame(const std::vector<int> &slots) const;

    AmqpQueueCounters &counters(int slot) const { return counters_[std::size_t(slot)]; }
    mutable std::atomic<std::int64_t> unroutable{0};           // basic.return
    mutable std::atomic<std::int64_t> rejectedUnattributed{0}; // basic.nack, blame unknown
    // Some connection lost the broker or timed out: closing channels then skips what would
    // wait for it (deferred acks, confirms, a polite close).
    mutable std::atomic<bool> brokerTrouble{false};

private:
    std::vector<AmqpQueueSpec> queues_;
    std::vector<AmqpExchangeSpec> exchanges_;
    std::vector<AmqpBindingSpec> bindings_;
    CompiledTopology topology_;                       // routes for route()
    std::vector<std::string> names_;                  // per node
    std::vector<int> queueSlot_;                      // per node
    std::vector<char> isExchange_;                    // per node
    std::unique_ptr<AmqpQueueCounters[]> counters_;
};

} // namespace ql
