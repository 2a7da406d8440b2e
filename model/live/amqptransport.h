// The AMQP live backend: runs a scenario's topology on a real RabbitMQ through rabbitmq-c.
// deploy() declares the exchanges, queues (with the RabbitMQ arguments of amqptopology.h)
// and bindings under a per-run name prefix; every worker thread gets its own connection
// (AmqpChannel); snapshot() asks the broker for queue depths (passive queue.declare) and
// adds the counts the channels keep (arrivals, confirms' nacks, returns, acks); teardown()
// deletes everything deploy() created, also after a failed deploy or a lost broker.
//
// What snapshot() reports per queue: `ready` from the broker (passive queue.declare);
// `arrivals` counted where published, routed by AMQP rules on the client; `drops` = the
// basic.nacks of publisher confirms blamed on the queue (reject-publish) + the heads it
// dead-lettered (drop-head, see amqptopology.h), final once the publishing channels are
// closed; `unacked` = deliveries not yet acknowledged PLUS our publishes the broker has not
// confirmed yet (in transit, counted nowhere else), so ready + unacked == 0 means nothing is
// in flight. No readyPeak or readyIntegralNs: the broker tells neither.
//
// Credentials come from the URI (LiveOptions::uri, else QUEUELAB_AMQP_URI, see amqpuri.h);
// where() and every error show it with the password masked.
//
// Bounds: connecting, logging in and each RPC take at most LiveOptions::connectTimeoutMs
// (at least 1 s); a write the broker stops reading (a hung broker, a memory alarm) is cut
// after ioTimeoutMs() by a watchdog thread, so no call blocks for ever.
#pragma once

#include "live/amqpuri.h"
#include "live/transport.h"

#include <memory>
#include <string>

namespace ql {

class AmqpTransport final : public Transport
{
public:
    // Resolves and parses the URI; nullptr with *error if it is not usable. Connects only
    // in deploy().
    static std::unique_ptr<AmqpTransport> create(const LiveOptions &options, std::string *error);
    ~AmqpTransport() override;

    std::string name() const override;
    std::string where() const override;
    TransportCapabilities capabilities() const override;
    bool deploy(const Scenario &scenario, std::string *error) override;
    std::string physicalName(int node) const override;
    std::unique_ptr<TransportChannel> openChannel(std::string *error) override;
    bool snapshot(TransportSnapshot *out, std::string *error) override;
    bool teardown(std::string *error) override;

    const AmqpUri &uri() const;
    const std::string &runPrefix() const;
    // Broker-side name of the queue counting a drop-head queue's drops ("" if none).
    std::string droppedQueueName(int node) const;
    int ioTimeoutMs() const;

private:
    AmqpTransport(const LiveOptions &options, const AmqpUri &uri);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ql
