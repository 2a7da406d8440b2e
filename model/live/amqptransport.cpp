// The AMQP live backend on rabbitmq-c (see amqptransport.h).
#include "live/amqptransport.h"

#include "live/amqpchannel.h"
#include "live/amqpconnection.h"
#include "live/amqptopology.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace ql {

namespace {

amqp_bytes_t bytesOf(const std::string &s)
{
    amqp_bytes_t b;
    b.len = s.size();
    b.bytes = const_cast<char *>(s.data());
    return b;
}

// Table entries point into their key and value: both must outlive the RPC (hence no
// temporaries; keys are literals or strings of the topology).
amqp_table_entry_t textEntry(amqp_bytes_t key, const std::string &value)
{
    amqp_table_entry_t e{};
    e.key = key;
    e.value.kind = AMQP_FIELD_KIND_UTF8;
    e.value.value.bytes = bytesOf(value);
    return e;
}

amqp_table_entry_t intEntry(const char *key, std::int64_t value)
{
    amqp_table_entry_t e{};
    e.key = amqp_cstring_bytes(key);
    e.value.kind = AMQP_FIELD_KIND_I64;
    e.value.value.i64 = value;
    return e;
}

amqp_table_t tableOf(std::vector<amqp_table_entry_t> &entries)
{
    amqp_table_t t;
    t.num_entries = int(entries.size());
    t.entries = entries.empty() ? nullptr : entries.data();
    return t;
}

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Every 50 ms: cuts the connection of any channel whose write has stalled longer than the
// I/O timeout (rabbitmq-c waits for ever on a socket the broker no longer reads), and lets
// idle channels take their confirms (AmqpChannel::housekeep()).
class Watchdog
{
public:
    explicit Watchdog(int ioTimeoutMs) : ioTimeoutMs_(ioTimeoutMs) {}
    ~Watchdog() { stop(); }

    void add(AmqpChannel *c)
    {
        std::lock_guard<std::mutex> lock(m_);
        channels_.push_back(c);
        if (!thread_.joinable()) {
            stop_ = false;
            thread_ = std::thread([this] { loop(); });
        }
    }
    void remove(AmqpChannel *c)
    {
        std::lock_guard<std::mutex> lock(m_);
        channels_.erase(std::remove(channels_.begin(), channels_.end(), c), channels_.end());
    }
    void stop()
    {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable())
            thread_.join();
    }

private:
    void loop()
    {
        std::unique_lock<std::mutex> lock(m_);
        while (!stop_) {
            cv_.wait_for(lock, std::chrono::milliseconds(50));
            const std::int64_t now = steadyNs();
            for (AmqpChannel *c : channels_) {
                // Once some connection found the broker gone or hung, a write stuck for a
                // second is stuck for good.
                const int limitMs = c->brokerTrouble() ? std::min(1000, ioTimeoutMs_) : ioTimeoutMs_;
                const std::int64_t since = c->busySinceNs();
                if (since > 0 && now - since > std::int64_t(limitMs) * 1'000'000)
                    c->cut(limitMs);
                else
                    c->housekeep();
            }
        }
    }

    const int ioTimeoutMs_;
    std::mutex m_;
    std::condition_variable cv_;
    std::vector<AmqpChannel *> channels_;
    std::thread thread_;
    bool stop_ = false;
};

// The channel handed out: an AmqpChannel the watchdog watches while it lives.
class WatchedChannel final : public TransportChannel
{
public:
    WatchedChannel(std::shared_ptr<Watchdog> watchdog, std::unique_ptr<AmqpChannel> channel)
        : watchdog_(std::move(watchdog)), channel_(std::move(channel))
    {
        watchdog_->add(channel_.get());
    }
    ~WatchedChannel() override
    {
        channel_->close(); // still watched: closing talks to the broker too
        watchdog_->remove(channel_.get());
        channel_.reset();
    }
    bool publish(const OutMessage *m, std::size_t n, std::string *error) override
    {
        return channel_->publish(m, n, error);
    }
    bool subscribe(int queue, int consumer, int prefetch, std::string *error) override
    {
        return channel_->subscribe(queue, consumer, prefetch, error);
    }
    int receive(Delivery *out, std::size_t max, std::chrono::steady_clock::time_point deadline,
                std::string *error) override
    {
        return channel_->receive(out, max, deadline, error);
    }
    bool ack(const std::uint64_t *tags, std::size_t n, std::string *error) override
    {
        return channel_->ack(tags, n, error);
    }
    // Consumer rejects and requeues are not declared on RabbitMQ yet: the live runner
    // refuses such scenarios on this backend before anything is deployed.
    bool reject(const Delivery *, std::size_t, bool, std::string *error) override
    {
        *error = "amqp backend: rejects and requeues are not supported on RabbitMQ yet";
        return false;
    }

private:
    std::shared_ptr<Watchdog> watchdog_;
    std::unique_ptr<AmqpChannel> channel_;
};

} // namespace

struct AmqpTransport::Impl
{
    LiveOptions options;
    AmqpUri uri;
    std::string prefix;
    int timeoutMs = 3000;     // connect, log in
    int rpcTimeoutMs = 3000;  // each RPC
    int ioTimeoutMs = 9000;   // a stalled write
    std::shared_ptr<AmqpTopology> topology;
    std::shared_ptr<Watchdog> watchdog;

    std::mutex mutex;         // guards what follows: control connection, created objects
    AmqpConnection control;
    struct Created
    {
        bool exchange;
        std::string name;
    };
    std::vector<Created> created;

    bool ensureControl(std::string *error)
    {
        if (control.isOpen() && !control.isBroken())
            return true;
        return control.open(uri, timeoutMs, rpcTimeoutMs, error);
    }
    std::string onBroker(const std::string &what) const
    {
        return what + " on " + uri.hostPort();
    }
};

std::unique_ptr<AmqpTransport> AmqpTransport::create(const LiveOptions &options, std::string *error)
{
    AmqpUri uri;
    if (!resolveAmqpUri(options.uri, &uri, error))
        return nullptr;
    return std::unique_ptr<AmqpTransport>(new AmqpTransport(options, uri));
}

AmqpTransport::AmqpTransport(const LiveOptions &options, const AmqpUri &uri)
    : d(std::make_unique<Impl>())
{
    d->options = options;
    d->uri = uri;
    d->prefix = options.runPrefix.empty() ? makeRunPrefix() : options.runPrefix;
    d->timeoutMs = std::max(1000, options.connectTimeoutMs);
    d->rpcTimeoutMs = d->timeoutMs;
    d->ioTimeoutMs = std::max(5000, 3 * d->timeoutMs);
    d->watchdog = std::make_shared<Watchdog>(d->ioTimeoutMs);
}

AmqpTransport::~AmqpTransport()
{
    std::string ignored;
    teardown(&ignored);
}

std::string AmqpTransport::name() const
{
    return "amqp";
}

std::string AmqpTransport::where() const
{
    return d->uri.display();
}

TransportCapabilities AmqpTransport::capabilities() const
{
    TransportCapabilities c;
    c.exactDrops = true;    // confirms' nacks (reject-publish), dead-lettered heads (drop-head)
    c.readyDepth = true;    // passive queue.declare
    c.exactArrivals = true; // counted where published, routed by AMQP rules on the client
    return c;
}

const AmqpUri &AmqpTransport::uri() const
{
    return d->uri;
}

const std::string &AmqpTransport::runPrefix() const
{
    return d->prefix;
}

int AmqpTransport::ioTimeoutMs() const
{
    return d->ioTimeoutMs;
}

std::string AmqpTransport::physicalName(int node) const
{
    return d->topology ? d->topology->name(node) : std::string();
}

std::string AmqpTransport::droppedQueueName(int node) const
{
    if (!d->topology)
        return {};
    const int slot = d->topology->queueSlot(node);
    return slot < 0 ? std::string() : d->topology->queues()[std::size_t(slot)].droppedQueue;
}

bool AmqpTransport::deploy(const Scenario &scenario, std::string *error)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    if (d->topology) {
        if (error)
            *error = "the AMQP topology is already deployed";
        return false;
    }
    auto topology = std::make_shared<AmqpTopology>();
    if (!topology->build(scenario, d->prefix, error))
        return false;
    d->topology = topology;
    if (!d->ensureControl(error))
        return false;
    amqp_connection_state_t c = d->control.state();
    const amqp_channel_t ch = AmqpConnection::kChannel;
    const bool durable = d->options.durable;

    for (const AmqpExchangeSpec &x : topology->exchanges()) {
        // Recorded before the RPC: a declare that timed out may still have happened.
        d->created.push_back({true, x.name});
        amqp_exchange_declare(c, ch, bytesOf(x.name), amqp_cstring_bytes(exchangeTypeName(x.type)),
                              0, durable, 0, 0, amqp_empty_table);
        if (!d->control.rpcOk(d->onBroker("declaring exchange '" + x.name + "'"), error))
            return false;
    }
    for (const AmqpQueueSpec &q : topology->queues()) {
        std::vector<amqp_table_entry_t> args;
        const std::string overflow = q.overflow == Overflow::DropHead ? "drop-head" : "reject-publish";
        const std::string noExchange;
        if (!q.droppedQueue.empty()) {
            d->created.push_back({false, q.droppedQueue});
            amqp_queue_declare(c, ch, bytesOf(q.droppedQueue), 0, durable, 0, 0, amqp_empty_table);
            if (!d->control.rpcOk(d->onBroker("declaring queue '" + q.droppedQueue + "'"), error))
                return false;
        }
        if (q.capacity > 0) {
            args.push_back(intEntry("x-max-length", q.capacity));
            args.push_back(textEntry(amqp_cstring_bytes("x-overflow"), overflow));
        }
        if (q.maxPriority > 0)
            args.push_back(intEntry("x-max-priority", q.maxPriority));
        if (!q.droppedQueue.empty()) {
            args.push_back(textEntry(amqp_cstring_bytes("x-dead-letter-exchange"), noExchange));
            args.push_back(textEntry(amqp_cstring_bytes("x-dead-letter-routing-key"), q.droppedQueue));
        }
        d->created.push_back({false, q.name});
        amqp_queue_declare(c, ch, bytesOf(q.name), 0, durable, 0, 0, tableOf(args));
        if (!d->control.rpcOk(d->onBroker("declaring queue '" + q.name + "'"), error))
            return false;
    }
    for (const AmqpBindingSpec &b : topology->bindings()) {
        const std::string &queue = topology->name(b.queue);
        const std::string &exchange = topology->name(b.exchange);
        std::vector<amqp_table_entry_t> args;
        const std::string match = b.match == HeadersMatch::Any ? "any" : "all";
        const bool headers = topology->exchanges().end()
                             != std::find_if(topology->exchanges().begin(), topology->exchanges().end(),
                                             [&](const AmqpExchangeSpec &x) {
                                                 return x.node == b.exchange && x.type == ExchangeType::Headers;
                                             });
        if (headers) {
            args.push_back(textEntry(amqp_cstring_bytes("x-match"), match));
            for (const auto &[key, value] : b.arguments)
                args.push_back(textEntry(bytesOf(key), value));
        }
        amqp_queue_bind(c, ch, bytesOf(queue), bytesOf(exchange), bytesOf(b.key), tableOf(args));
        if (!d->control.rpcOk(d->onBroker("binding queue '" + queue + "' to exchange '" + exchange + "'"),
                              error))
            return false;
    }
    return true;
}

std::unique_ptr<TransportChannel> AmqpTransport::openChannel(std::string *error)
{
    if (!d->topology) {
        if (error)
            *error = "openChannel() before deploy()";
        return nullptr;
    }
    auto channel = std::make_unique<AmqpChannel>(d->topology);
    if (!channel->open(d->uri, d->timeoutMs, d->rpcTimeoutMs, error))
        return nullptr;
    return std::make_unique<WatchedChannel>(d->watchdog, std::move(channel));
}

bool AmqpTransport::snapshot(TransportSnapshot *out, std::string *error)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    const std::shared_ptr<AmqpTopology> topo = d->topology;
    if (!topo) {
        if (error)
            *error = "snapshot() before deploy()";
        return false;
    }
    if ((!d->control.isOpen() || d->control.isBroken()) && topo->brokerTrouble.load()) {
        // No new connection (and its timeout) to a broker this run already lost.
        if (error)
            *error = "the AMQP broker at " + d->uri.hostPort() + " stopped answering earlier in this run";
        return false;
    }
    if (!d->ensureControl(error)) {
        topo->brokerTrouble.store(true);
        return false;
    }
    amqp_connection_state_t c = d->control.state();
    const amqp_channel_t ch = AmqpConnection::kChannel;
    out->queues.clear();
    out->queues.reserve(topo->queues().size());
    for (std::size_t slot = 0; slot < topo->queues().size(); ++slot) {
        const AmqpQueueSpec &q = topo->queues()[slot];
        AmqpQueueCounters &k = topo->counters(int(slot));
        QueueSnapshot s;
        s.node = q.node;
        // A passive declare reports the ready messages (not those delivered, unacked).
        const amqp_queue_declare_ok_t *ok = amqp_queue_declare(c, ch, bytesOf(q.name), 1, 0, 0, 0, amqp_empty_table);
        if (!d->control.rpcOk(d->onBroker("asking for the depth of queue '" + q.name + "'"), error)) {
            if (d->control.isBroken())
                topo->brokerTrouble.store(true);
            return false;
        }
        s.ready = ok ? std::int64_t(ok->message_count) : 0;
        if (!q.droppedQueue.empty()) {
            // Heads RabbitMQ dropped were dead-lettered here; count and clear them.
            const amqp_queue_purge_ok_t *p = amqp_queue_purge(c, ch, bytesOf(q.droppedQueue));
            if (!d->control.rpcOk(d->onBroker("counting the drops of queue '" + q.name + "'"), error)) {
                if (d->control.isBroken())
                    topo->brokerTrouble.store(true);
                return false;
            }
            if (p)
                k.droppedHead.fetch_add(std::int64_t(p->message_count), std::memory_order_relaxed);
        }
        const auto load = [](const std::atomic<std::int64_t> &a) { return a.load(std::memory_order_relaxed); };
        s.arrivals = load(k.arrivals);
        s.drops = load(k.rejected) + load(k.droppedHead);
        // Delivered and not acknowledged; plus our publishes still on their way in, which
        // the broker counts nowhere yet, so that "ready + unacked == 0" means nothing is in
        // flight (the runner's test for a finished run).
        s.unacked = std::max<std::int64_t>(0, load(k.delivered) - load(k.acked) - load(k.released))
                    + load(k.inTransit);
        out->queues.push_back(s);
    }
    out->unroutable = topo->unroutable.load(std::memory_order_relaxed);
    out->rejectedUnattributed = topo->rejectedUnattributed.load(std::memory_order_relaxed);
    out->atNs = steadyNs();
    amqp_maybe_release_buffers(c);
    return true;
}

bool AmqpTransport::teardown(std::string *error)
{
    d->watchdog->stop();
    std::lock_guard<std::mutex> lock(d->mutex);
    if (d->created.empty()) {
        d->control.close();
        return true;
    }
    std::vector<std::string> left;
    std::string why;
    if (d->ensureControl(&why)) {
        // Deleting a long queue can take a while; allow more than for other RPCs.
        const timeval slow{15, 0};
        amqp_set_rpc_timeout(d->control.state(), &slow);
        for (auto it = d->created.rbegin(); it != d->created.rend(); ++it) {
            if (d->control.isBroken()) {
                left.push_back(it->name);
                continue;
            }
            amqp_connection_state_t c = d->control.state();
            if (it->exchange)
                amqp_exchange_delete(c, AmqpConnection::kChannel, bytesOf(it->name), 0);
            else
                amqp_queue_delete(c, AmqpConnection::kChannel, bytesOf(it->name), 0, 0);
            std::string err;
            if (!d->control.rpcOk("deleting '" + it->name + "'", &err) && err.find(" 404 ") == std::string::npos) {
                left.push_back(it->name);
                why = err;
            }
        }
    } else {
        for (const auto &c : d->created)
            left.push_back(c.name);
    }
    while (!why.empty() && (why.back() == '.' || why.back() == ' '))
        why.pop_back();
    d->created.clear(); // reported below; trying again would only wait again
    d->control.close();
    if (left.empty())
        return true;
    if (error) {
        std::string names;
        for (std::size_t i = 0; i < left.size() && i < 6; ++i)
            names += (i ? ", '" : "'") + left[i] + "'";
        if (left.size() > 6)
            names += " and " + std::to_string(left.size() - 6) + " more";
        *error = "could not delete " + std::to_string(left.size()) + " queue(s)/exchange(s) of this run ("
                 + names + ") on " + d->uri.hostPort() + ": " + why
                 + (d->options.durable ? "; delete them with rabbitmqctl delete_queue / the management UI"
                                       : "; they are not durable, so a broker restart removes them too");
    }
    return false;
}

std::unique_ptr<Transport> makeAmqpTransport(const LiveOptions &options, std::string *error)
{
    return AmqpTransport::create(options, error);
}

} // namespace ql
