// One worker thread's handle on RabbitMQ: its own AMQP connection (rabbitmq-c connections
// are not thread-safe) with one channel in publisher-confirm mode, which publishes (to an
// exchange with the mandatory flag, or to a queue through the default exchange), consumes
// one queue with basic.qos prefetch and manual acknowledgements, and turns basic.nack and
// basic.return into drop and unroutable counts on the shared AmqpTopology.
//
// Nothing blocks without a bound: reads wait at most until the caller's deadline; writes
// that stall (a broker that stopped reading) are cut by the transport's watchdog, which
// shuts the socket down after the I/O timeout.
#pragma once

#include "live/amqpconnection.h"
#include "live/amqptopology.h"
#include "live/transport.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ql {

class AmqpChannel final : public TransportChannel
{
public:
    explicit AmqpChannel(std::shared_ptr<const AmqpTopology> topology);
    ~AmqpChannel() override; // close()
    // Sends the acknowledgements still deferred, waits (bounded) for the confirms still due,
    // so drop counts are final, and closes the connection. Idempotent.
    void close();

    // Connects and puts the channel in confirm mode.
    bool open(const AmqpUri &uri, int timeoutMs, int rpcTimeoutMs, std::string *error);

    bool publish(const OutMessage *messages, std::size_t n, std::string *error) override;
    bool subscribe(int queue, int consumer, int prefetch, std::string *error) override;
    int receive(Delivery *out, std::size_t max, std::chrono::steady_clock::time_point deadline,
                std::string *error) override;
    bool ack(const std::uint64_t *tags, std::size_t n, std::string *error) override;
    // Not yet: the live runner refuses rejects and requeues on RabbitMQ before deploying.
    bool reject(const Delivery *deliveries, std::size_t n, bool requeue, std::string *error) override;

    // For the watchdog (any thread): since when (steady ns) a write has been under way, 0
    // when none; and cutting the connection of a stalled write.
    std::int64_t busySinceNs() const { return busySince_.load(std::memory_order_relaxed); }
    void cut(int ioTimeoutMs);
    bool brokerTrouble() const { return topology_->brokerTrouble.load(std::memory_order_relaxed); }
    // For the watchdog's rounds (any thread): when the owner thread has left the channel
    // alone for a while (a producer past its limit, between slow arrivals), takes the
    // confirms, nacks and returns that came meanwhile, so counts stay current. Never waits.
    void housekeep();

private:
    class Busy;
    bool failed(std::string *error) const;
    bool fail(const std::string &why, std::string *error);
    bool failStatus(int status, const std::string &what, std::string *error);
    // Reads frames: waits until `deadline` until `until` holds (a delivery is ready, every
    // confirm has come), then takes what is already there while fewer than `want`
    // deliveries are ready.
    enum class Until { Nothing, Delivery, Confirms };
    bool pump(std::chrono::steady_clock::time_point deadline, Until until, std::size_t want,
              std::string *error);
    bool handleFrame(const amqp_frame_t &frame, std::string *error);
    void finishContent();
    void settle(std::uint64_t tag, bool multiple, bool nack);
    bool sendAck(std::uint64_t tag, bool multiple, std::string *error);
    bool flushAcks(std::string *error);

    // Guards everything below: the owner thread and the watchdog's housekeep() take turns
    // (rabbitmq-c is not thread-safe, but serialised use from two threads is fine).
    std::mutex mutex_;
    AmqpConnection conn_;
    std::shared_ptr<const AmqpTopology> topology_;
    std::atomic<std::int64_t> lastUseNs_{0};
    std::string failure_;                     // sticky: once failed, every call says why
    bool closed_ = false;
    std::atomic<std::int64_t> busySince_{0};
    std::atomic<int> cutAfterMs_{0};          // set by the watchdog when it cut a stall
    std::atomic<int> fd_{-1};                 // the socket, for the watchdog

    // Publishing: pending_[i] is publish number firstPending_ + i, until its confirm.
    struct Pending
    {
        int blame;      // slot to blame for a basic.nack, or AmqpTopology::kUnattributed
        int slot;       // first queue on the route (its inTransit holds `copies`), or -1
        int copies;     // queues on the route
        bool settled;
    };
    std::deque<Pending> pending_;
    std::uint64_t firstPending_ = 1;
    std::uint64_t nextSeq_ = 1;
    std::vector<int> route_;                  // reused per publish
    std::vector<amqp_table_entry_t> headerEntries_;

    // Consuming.
    int queueSlot_ = -1;
    std::deque<Delivery> ready_;
    std::int64_t outstanding_ = 0;            // delivered, not yet acknowledged
    std::uint64_t ackedUpTo_ = 0;             // every tag up to here is acknowledged
    std::set<std::uint64_t> ackedAbove_;      // acknowledged singly above ackedUpTo_
    std::uint64_t deferredAck_ = 0;           // a multiple-ack up to here is still to send
    std::int64_t deferredCount_ = 0;          // deliveries it covers
    std::int64_t ackBatch_ = 1;               // send once this many are deferred
    std::vector<std::uint64_t> sorted_;       // reused by ack()

    // The content (header + body frames) now being read, after basic.deliver/return.
    enum class Content { None, Delivery, Return } content_ = Content::None;
    Delivery partial_;
    std::uint64_t bodySize_ = 0;
    std::uint64_t bodyRead_ = 0;
    unsigned char body_[kPayloadBytes] = {};
};

} // namespace ql
