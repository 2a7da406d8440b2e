// The in-memory form of a scenario file (see docs/scenario-format.md): a topology of
// producers, exchanges, queues, consumers and sinks, the links between them, the run
// settings and the canvas layout. Plain values, no Qt: the simulator, theory, the live
// backends and the editor all read this one structure.
#pragma once

#include "random/distribution.h"
#include "scenario/lesson.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ql {

// Every kind has one entry in the node-kind table (topology/nodekinds.h): its name, keys,
// links, metrics and live support. Switches over NodeKind have no default, so a kind added
// here is a compile error (-Wswitch) wherever it is not handled yet.
enum class NodeKind { Producer, Exchange, Queue, Consumer, Sink, Delay };
// What a link means. Auto: implied by the kinds of its ends (producer -> X publishes,
// exchange -> queue binds, queue -> consumer subscribes, consumer or delay -> X is onward);
// a file names a role only where the ends do not imply it (topology/nodekinds.h).
enum class LinkRole { Auto, Publish, Binding, Subscription, Onward, DeadLetter };
enum class ExchangeType { Direct, Fanout, Topic, Headers };
// Message headers and headers-binding arguments: (name, value) pairs in file order.
using Headers = std::vector<std::pair<std::string, std::string>>;
enum class Overflow { RejectPublish, DropHead, RejectPublishDlx };
// RabbitMQ's queue types where they differ for QueueLab: a quorum queue has a delivery limit.
enum class QueueType { Classic, Quorum };
enum class Discipline { Fifo, Lifo, Priority };
enum class TimeUnit { Seconds, Milliseconds };

const char *nodeKindName(NodeKind);
const char *exchangeTypeName(ExchangeType);
const char *overflowName(Overflow);
const char *queueTypeName(QueueType);
const char *disciplineName(Discipline);
const char *timeUnitName(TimeUnit);
const char *linkRoleName(LinkRole);
bool linkRoleFromName(const std::string &, LinkRole *);
bool nodeKindFromName(const std::string &, NodeKind *);
bool exchangeTypeFromName(const std::string &, ExchangeType *);
bool overflowFromName(const std::string &, Overflow *);
bool queueTypeFromName(const std::string &, QueueType *);
bool disciplineFromName(const std::string &, Discipline *);
bool timeUnitFromName(const std::string &, TimeUnit *);

struct WeightedKey
{
    std::string key;
    double weight = 1;
    bool operator==(const WeightedKey &) const = default;
};

struct Node
{
    std::string id;
    NodeKind kind = NodeKind::Queue;

    // producer
    Distribution interarrival;
    std::string routingKey;                 // used when routingKeys is empty
    std::vector<WeightedKey> routingKeys;   // weighted choice per message
    std::optional<std::int64_t> limit;      // stop after this many publishes
    int priority = 0;                       // message priority (priority queues)
    // Extension: message headers for headers exchanges, string -> string.
    std::vector<std::pair<std::string, std::string>> headers;
    // Extension: per-message TTL (AMQP `expiration`), drawn per message; none when unset.
    std::optional<Distribution> messageTtl;
    // Extension: publisher confirms and retry. A publish the broker refuses (a full
    // reject-publish queue nacks it, an exchange with no match returns it) is published again
    // after a backoff, up to `retryLimit` times; then the producer gives it up. The n-th retry
    // waits min(retryBackoffMax, draw(retryBackoff) * retryBackoffFactor^(n-1)).
    int retryLimit = 0;
    Distribution retryBackoff = Distribution::deterministic(0);
    double retryBackoffFactor = 1;
    std::optional<double> retryBackoffMax;

    // exchange
    ExchangeType exchangeType = ExchangeType::Direct;

    // queue
    std::int64_t capacity = 0;              // 0 = unbounded; counts ready messages
    Overflow overflow = Overflow::RejectPublish;
    Discipline discipline = Discipline::Fifo;
    // Extensions: the queue's message TTL (x-message-ttl; file key "message_ttl"), its type,
    // and a quorum queue's delivery limit (x-delivery-limit).
    std::optional<double> queueTtl;
    QueueType queueType = QueueType::Classic;
    std::optional<std::int64_t> deliveryLimit;

    // consumer
    Distribution service;
    int servers = 1;
    int prefetch = 1;
    // Extensions: how each service ends. With these probabilities the consumer rejects the
    // message (basic.reject / nack without requeue: dead-lettered as "rejected", or dropped)
    // or returns it (nack with requeue: back to the head of its queue, redelivered); the
    // rest are acknowledged and go on.
    double rejectProbability = 0;
    double requeueProbability = 0;
    // Extensions: crashes. While up, the consumer crashes after `timeToFailure`; it stays down
    // for `timeToRestart`. A crash returns every message it holds (in service or prefetched)
    // to the head of its queue, unacknowledged, to be delivered again (at-least-once).
    std::optional<Distribution> timeToFailure;
    std::optional<Distribution> timeToRestart;

    // delay (extension): how long each message takes to pass; unlimited servers (M/G/inf)
    Distribution delay;

    bool operator==(const Node &) const = default;
};

enum class HeadersMatch { All, Any };

struct Link
{
    std::string from;
    std::string to;
    std::string bindingKey;                 // exchange -> queue (direct, topic)
    HeadersMatch match = HeadersMatch::All; // exchange -> queue (headers)
    std::vector<std::pair<std::string, std::string>> arguments; // headers binding
    std::optional<double> probability;      // consumer or delay -> onward
    LinkRole role = LinkRole::Auto;         // extension: written only when not implied

    bool operator==(const Link &) const = default;
};

struct RunSettings
{
    double duration = 10000;
    double warmup = 0;
    std::uint64_t seed = 1;
    int replications = 1;
    std::optional<std::int64_t> maxMessages;  // publishes per replication
    // Extension: interval of the per-node time series; 0 = duration / 100.
    double sampleInterval = 0;

    bool operator==(const RunSettings &) const = default;
};

struct Scenario
{
    std::string name;
    std::string description;
    TimeUnit timeUnit = TimeUnit::Seconds;
    RunSettings run;
    std::vector<Node> nodes;
    std::vector<Link> links;
    std::map<std::string, std::pair<double, double>> layout;
    std::optional<Lesson> lesson;   // extension: teaching mode (docs/scenario-format.md)

    // Lookup helpers; -1 / nullptr when absent.
    int nodeIndex(const std::string &id) const;
    const Node *node(const std::string &id) const;

    bool operator==(const Scenario &) const = default;
};

} // namespace ql
