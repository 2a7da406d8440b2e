// The one interface every live backend implements (the embedded in-process broker and AMQP
// through rabbitmq-c): deploy a scenario's exchanges, queues and bindings, open per-thread
// channels that publish and consume, acknowledge after service, report what the backend can
// tell about queue depths and drops, and tear down everything it created. LiveRunner drives
// it and never asks which backend it talks to. Plain C++, no Qt.
//
// Threading model (who may call what):
//   - Transport::deploy(), openChannel(), teardown() and the destructor are called from ONE
//     controlling thread (LiveRunner's caller), never concurrently with each other. deploy()
//     comes first; every channel is opened after deploy() and destroyed before teardown().
//   - A TransportChannel belongs to exactly one worker thread at a time (a producer thread
//     or a consumer thread): publish(), subscribe(), receive(), ack() on one channel are
//     never called concurrently. Different channels are used concurrently from different
//     threads. (One AMQP connection per channel is fine: rabbitmq-c connections are not
//     thread-safe, so the AMQP backend may give each channel its own connection.)
//     LiveRunner opens every channel and subscribes the consumers' channels on the
//     controlling thread, then hands each channel to its worker thread (the thread's start
//     orders the calls); after the workers have joined, it destroys the channels on the
//     controlling thread.
//   - Transport::snapshot() is called from the controlling thread, which samples: every 10
//     to 20 ms and at each time-series sample while workers run, then once more after the
//     workers have stopped and their channels are closed. It must be thread-safe against the
//     channels' calls.
//   - Nothing here blocks without a bound: receive() returns at its deadline; the runner
//     never passes a deadline more than ~100 ms ahead, so a stop request is noticed without
//     any cross-thread wake-up call.
//
// Errors the user can cause (unreachable broker, wrong password, missing vhost, a queue
// that vanished) are values: the call returns false / a negative count and fills *error with
// one line that names the host, port, vhost or queue and says what to do. Never put a
// password in an error (use maskUri()). Dropped and unroutable messages are not errors:
// they are counted and reported by snapshot().
#pragma once

#include "scenario/scenario.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ql {

// How a live run is set up; filled by the CLI/GUI, read by the factory and LiveRunner.
struct LiveOptions
{
    std::string backend = "embedded";   // "embedded" or "amqp"
    // AMQP URI, amqp://user:pass@host:port/vhost or amqps://...; empty: the environment
    // variable QUEUELAB_AMQP_URI, then amqp://guest:guest@localhost:5672/.
    std::string uri;
    // Wall-clock seconds per second of scenario time. 0 = default: 1 for "ms" scenarios (run
    // as written); for "s" scenarios 0.001 on the embedded backend (one scenario second lasts
    // one wall millisecond, as if the unit were ms) and 0.01 on amqp (a broker round trip
    // costs a good fraction of a millisecond, so services of ~1 ms would be swamped).
    double timeScale = 0;
    // Wall-clock length of the whole run (warm-up included), in seconds; overrides
    // run.duration when set. Warm-up keeps its scenario value (scaled), clipped to half.
    std::optional<double> durationSeconds;
    // Prefix of every name the backend creates (exchanges, queues); empty = generated,
    // unique per run (e.g. "ql-4711-1a2b3c."), so concurrent runs cannot collide.
    std::string runPrefix;
    // Bound on connecting/declaring; a broker that does not answer within it is an error.
    int connectTimeoutMs = 3000;
    // Declare AMQP queues and exchanges durable (the model has no persistence; off).
    bool durable = false;
    // Seed of the interarrival/service/routing draws; 0 = from std::random_device. Live
    // runs are never reproducible (thread timing), the seed only fixes the draws.
    std::uint64_t seed = 0;
};

// The resolved time scale (LiveOptions::timeScale, or its default for the scenario's unit)
// in wall seconds per scenario time unit, e.g. 0.001 for an "ms" scenario run as written.
double wallSecondsPerUnit(const Scenario &scenario, const LiveOptions &options);

// What travels in a message body. Transports carry it opaquely (AMQP serialises it with
// encodePayload()/decodePayload()); LiveRunner fills and reads it. All times are
// std::chrono::steady_clock nanoseconds of this process.
struct Payload
{
    std::int64_t originNs = 0;  // first publish by a producer: end-to-end latency starts here
    std::int64_t hopNs = 0;     // publish into the current queue: queue wait starts here
    std::uint64_t seq = 0;      // unique per run (producer << 40 | count), for tracing
    std::int32_t producer = -1; // scenario node index of the producer
    std::int32_t keyIndex = -1; // index into the producer's routing_keys (-1: routing_key)
};

// Wire form of a Payload: 4-byte magic "QLM1" then the five fields little-endian,
// kPayloadBytes in all. decodePayload() refuses bodies that are not ours (a foreign client
// publishing into the topology), so the runner can count and skip them.
inline constexpr std::size_t kPayloadBytes = 4 + 8 + 8 + 8 + 4 + 4;
void encodePayload(const Payload &p, unsigned char out[kPayloadBytes]);
bool decodePayload(const void *body, std::size_t size, Payload *out);


// One message to publish. The views (routingKey, headers) must stay valid only until
// publish() returns.
struct OutMessage
{
    int target = -1;               // scenario node index of an exchange, or of a queue
                                   // (a queue target = AMQP's default exchange)
    std::string_view routingKey;
    const Headers *headers = nullptr;  // nullptr = no headers
    int priority = 0;              // 0..255; only priority queues look at it
    std::int64_t ttlNs = -1;       // per-message TTL (AMQP expiration), wall ns; -1 = none
    Payload payload;
};

// One message handed to a subscriber; ack it (by tag) after its service ends.
struct Delivery
{
    Payload payload;
    std::uint64_t tag = 0;         // delivery tag, unique on its channel
    int priority = 0;
    bool foreign = false;          // body was not a Payload (payload left default)
    bool redelivered = false;      // it was returned (nack with requeue) and comes again
    int deliveryCount = 0;         // times it was returned before (x-delivery-count)
    std::int64_t ttlNs = -1;       // its per-message TTL, as published (-1 = none)
};

// Per-thread publishing/consuming handle. See the threading model above.
class TransportChannel
{
public:
    virtual ~TransportChannel() = default;

    // Publishes n messages in order (batch them: this is the hot path). Messages a full
    // queue rejects or drops, and unroutable ones, are counted, not errors. Returns false on
    // a transport failure (connection lost ...), with *error set.
    virtual bool publish(const OutMessage *messages, std::size_t n, std::string *error) = 0;

    // Starts consuming the queue (scenario node index) for the consumer node `consumer`,
    // with at most `prefetch` unacknowledged deliveries on this channel (the runner passes
    // the consumer's servers * prefetch). At most one subscription per channel.
    virtual bool subscribe(int queue, int consumer, int prefetch, std::string *error) = 0;

    // Waits until at least one delivery is available or `deadline` passes, then moves up to
    // `max` deliveries into out. Returns the count (0 at the deadline), or -1 on a transport
    // failure with *error set. Never returns more than the prefetch window allows.
    virtual int receive(Delivery *out, std::size_t max,
                        std::chrono::steady_clock::time_point deadline, std::string *error) = 0;

    // Acknowledges deliveries by tag (any order). A backend may defer the actual ack to
    // its next receive() on this channel, as long as it is not lost.
    virtual bool ack(const std::uint64_t *tags, std::size_t n, std::string *error) = 0;

    // Settles deliveries negatively (basic.nack): with `requeue` they go back to the head of
    // their queue and are delivered again (a quorum queue dead-letters one past its delivery
    // limit); without, the queue dead-letters them (reason "rejected") or drops them. The
    // deliveries are passed whole: a backend that keeps no copy needs the message back.
    virtual bool reject(const Delivery *deliveries, std::size_t n, bool requeue, std::string *error) = 0;
};

// What the backend knows about one queue. Absent = the backend cannot tell.
struct QueueSnapshot
{
    int node = -1;                              // scenario node index
    std::optional<std::int64_t> ready;          // ready (not delivered) messages now
    std::optional<std::int64_t> unacked;        // delivered, not yet acknowledged
    std::optional<std::int64_t> arrivals;       // offered since deploy, drops included
    std::optional<std::int64_t> drops;          // rejected or dropped from the head since deploy
    std::optional<std::int64_t> readyPeak;      // max of ready since the previous snapshot()
    // Integral of ready over time since deploy, message-nanoseconds (exact time-average
    // length when present; otherwise the runner averages the sampled `ready`).
    std::optional<double> readyIntegralNs;
    // Failures since deploy, where the backend counts them: messages expired in the queue,
    // dead-lettered by reason, returned by consumers and delivered again.
    std::optional<std::int64_t> expired, deadLetteredExpired, deadLetteredRejected, deadLetteredMaxlen,
        deadLetteredDeliveryLimit, requeued, redelivered;
};

struct TransportSnapshot
{
    std::int64_t atNs = 0;                      // steady_clock ns when taken
    std::vector<QueueSnapshot> queues;          // one per queue node, in node order
    std::optional<std::int64_t> unroutable;     // messages no binding matched
    // Publishes the broker refused without naming a queue (AMQP basic.nack under
    // reject-publish when it cannot be attributed to one queue).
    std::optional<std::int64_t> rejectedUnattributed;
};

// What a backend can tell exactly; the runner says "n/a" or estimates for the rest.
struct TransportCapabilities
{
    bool exactDrops = false;      // QueueSnapshot::drops is exact per queue
    bool readyDepth = false;      // QueueSnapshot::ready is available
    bool exactArrivals = false;   // QueueSnapshot::arrivals is exact per queue
};

class Transport
{
public:
    virtual ~Transport() = default;

    // Backend name, used as results' "source": "embedded", "amqp".
    virtual std::string name() const = 0;
    // Where it runs, for messages: "in-process", "amqp://guest:***@127.0.0.1:5673/".
    virtual std::string where() const = 0;
    virtual TransportCapabilities capabilities() const = 0;

    // Connects (if the backend has a server) and declares every exchange, queue and binding
    // of the scenario, named runPrefix + node id, with capacity/overflow/discipline as the
    // spec says. The scenario must outlive the transport. False with *error on failure;
    // whatever was created before the failure is still removed by teardown().
    virtual bool deploy(const Scenario &scenario, std::string *error) = 0;

    // The name the backend gave a node (prefix included), e.g. for an outside client.
    virtual std::string physicalName(int node) const = 0;

    // A new channel for one worker thread; nullptr with *error on failure.
    virtual std::unique_ptr<TransportChannel> openChannel(std::string *error) = 0;

    // Current counters; see TransportSnapshot. False with *error if the backend cannot be
    // asked (broker gone): the runner then ends the run as partial.
    virtual bool snapshot(TransportSnapshot *out, std::string *error) = 0;

    // Deletes everything deploy() created. Idempotent; the destructor calls it best-effort.
    // False with *error if something could not be removed (names it).
    virtual bool teardown(std::string *error) = 0;
};

// "amqp://user:***@host:port/vhost": the URI with its password masked, for any message.
std::string maskUri(const std::string &uri);

// A unique run prefix, e.g. "ql-4711-1a2b3c." (pid and random bits), for LiveOptions.
std::string makeRunPrefix();

// The backend named by `backend` ("embedded", "amqp"); nullptr with *error for an unknown
// name or a backend that is not built in.
std::unique_ptr<Transport> makeTransport(const std::string &backend, const LiveOptions &options,
                                         std::string *error);

// The embedded in-process broker (model/live/embeddedtransport.cpp).
std::unique_ptr<Transport> makeEmbeddedTransport(const LiveOptions &options, std::string *error);

// The RabbitMQ backend through rabbitmq-c, defined in model/live/amqptransport.cpp.
std::unique_ptr<Transport> makeAmqpTransport(const LiveOptions &options, std::string *error);

} // namespace ql
