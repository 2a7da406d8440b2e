// The one interface through which the simulation kernel tells a user interface what
// happens (as OMNeT++'s cEnvir does). The kernel calls it only when an observer is set, so
// a run without animation pays one predictable branch per callback site and nothing else.
// Node arguments are indexes into Scenario::nodes; `msg` is the message's serial number
// (1, 2, 3 ... in publish order within a replication; fanout copies get their own).
#pragma once

#include <cstdint>

namespace ql {

enum class DropReason { Overflow, DropHead, Unroutable };

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
