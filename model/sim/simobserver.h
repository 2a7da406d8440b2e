// The one interface through which the simulation kernel tells a user interface what
// happens (as OMNeT++'s cEnvir does). The kernel calls it only when an observer is set, so
// a run without animation pays one predictable branch per callback site and nothing else.
// Node arguments are indexes into Scenario::nodes; `msg` is the message's serial number
// (1, 2, 3 ... in publish order within a replication; fanout copies get their own).
#pragma once

#include <cstdint>

namespace ql {

// Why a message left a node other than by service. Overflow: refused when full
// (reject-publish); DropHead: the oldest pushed out; Unroutable: no binding matched;
// Expired: its TTL ran out at the head of a queue; Rejected: a consumer rejected it;
// DeliveryLimit: a quorum queue's delivery limit was passed; DeadLetterCycle: it went round
// a dead-letter cycle without a rejection (RabbitMQ drops it). A queue with a dead-letter
// link re-routes the reasons RabbitMQ dead-letters instead of dropping them.
enum class DropReason { Overflow, DropHead, Unroutable, Expired, Rejected, DeliveryLimit, DeadLetterCycle };

class SimObserver
{
public:
    virtual ~SimObserver() = default;
    // A producer published message `msg`.
    virtual void published(double /*t*/, std::uint64_t /*msg*/, int /*producer*/) {}
    // The message travels the link from one node to the next (zero simulated time).
    virtual void moved(double /*t*/, std::uint64_t /*msg*/, int /*from*/, int /*to*/) {}
    // The message now waits in a queue that holds `depth` ready messages.
    virtual void enqueued(double /*t*/, std::uint64_t /*msg*/, int /*queue*/, int /*depth*/) {}
    // The message was discarded at `node`.
    virtual void dropped(double /*t*/, std::uint64_t /*msg*/, int /*node*/, DropReason) {}
    // A consumer's server starts/ends serving the message; `busy` servers are busy after it.
    virtual void serviceStarted(double /*t*/, std::uint64_t /*msg*/, int /*consumer*/, int /*busy*/) {}
    virtual void serviceEnded(double /*t*/, std::uint64_t /*msg*/, int /*consumer*/, int /*busy*/) {}
    // The message left the system after `latency` (end to end).
    virtual void delivered(double /*t*/, std::uint64_t /*msg*/, double /*latency*/) {}
};

} // namespace ql
