// The embedded backend: an in-process broker on real threads and real bounded queues, with
// the spec's exchanges (direct, fanout, topic, headers via topology/routing.h), capacity
// counted in ready messages (RabbitMQ's max-length) with reject-publish or drop-head,
// fifo/lifo/priority, per-subscription prefetch windows and round-robin dispatch among the
// subscribers with spare room. Nothing to install; the default live backend.
//
// Each queue is a mutex-protected set of rings. Publishers and consumers move messages in
// batches (one lock per batch and queue), a message that finds a subscriber with room goes
// straight into that subscriber's inbox, and a subscriber waits on its own condition
// variable, woken only when it is really waiting. Acknowledgements are applied at the
// channel's next receive() (one lock for both) and when the channel closes.
#pragma once

#include "live/transport.h"

#include <memory>

namespace ql {

class EmbeddedTransport final : public Transport
{
public:
    explicit EmbeddedTransport(const LiveOptions &options);
    ~EmbeddedTransport() override;

    std::string name() const override { return "embedded"; }
    std::string where() const override { return "in-process"; }
    TransportCapabilities capabilities() const override;

    bool deploy(const Scenario &scenario, std::string *error) override;
    std::string physicalName(int node) const override;
    std::unique_ptr<TransportChannel> openChannel(std::string *error) override;
    bool snapshot(TransportSnapshot *out, std::string *error) override;
    bool teardown(std::string *error) override;

    // Embedded-only check for tests: the most unacknowledged deliveries any subscription of
    // the consumer node ever held at once (prefetch must bound it); still known after
    // teardown().
    std::int64_t peakUnacked(int consumerNode) const;

    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

} // namespace ql
