// A worker's AMQP connection: publish with confirms, consume with prefetch and manual acks
// (see amqpchannel.h).
#include "live/amqpchannel.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace ql {

namespace {


std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

amqp_bytes_t bytesOf(std::string_view s)
{
    amqp_bytes_t b;
    b.len = s.size();
    b.bytes = const_cast<char *>(s.data());
    return b;
}

timeval untilDeadline(std::chrono::steady_clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    timeval tv{};
    if (left.count() > 0) {
        tv.tv_sec = left.count() / 1000000;
        tv.tv_usec = left.count() % 1000000;
    }
    return tv;
}

} // namespace

// Marks writes as under way, for the watchdog; the outermost mark counts.
class AmqpChannel::Busy
{
public:
    explicit Busy(AmqpChannel *c) : c_(c), outer_(c->busySince_.load(std::memory_order_relaxed) == 0)
    {
        if (outer_)
            c_->busySince_.store(steadyNs(), std::memory_order_relaxed);
    }
    ~Busy()
    {
        if (outer_)
            c_->busySince_.store(0, std::memory_order_relaxed);
    }
    Busy(const Busy &) = delete;
    Busy &operator=(const Busy &) = delete;

private:
    AmqpChannel *c_;
    bool outer_;
};

AmqpChannel::AmqpChannel(std::shared_ptr<const AmqpTopology> topology)
    : topology_(std::move(topology))
{
}

AmqpChannel::~AmqpChannel()
{
    close();
}

void AmqpChannel::close()
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_)
        return;
    closed_ = true;
    Busy busy(this); // a hung broker must not hold this up either
    std::string ignored;
    const bool healthy = conn_.isOpen() && failure_.empty() && !topology_->brokerTrouble.load();
    if (healthy)
        flushAcks(&ignored); // else the broker would requeue what was served
    if (healthy && failure_.empty() && !pending_.empty()) {
        // Confirms still due decide the last drop counts; give them a moment.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (!pending_.empty() && std::chrono::steady_clock::now() < deadline
               && pump(deadline, Until::Confirms, 0, &ignored)) {
        }
    }
    // What never got its confirm is no longer ours to count as in transit.
    for (const Pending &p : pending_) {
        if (!p.settled && p.slot >= 0)
            topology_->counters(p.slot).inTransit.fetch_sub(p.copies, std::memory_order_relaxed);
    }
    // Unacknowledged deliveries go back to their queue when the channel closes.
    if (queueSlot_ >= 0 && outstanding_ > 0)
        topology_->counters(queueSlot_).released.fetch_add(outstanding_, std::memory_order_relaxed);
    outstanding_ = 0;
    conn_.close(healthy && failure_.empty());
    if (failure_.empty())
        failure_ = "the AMQP channel is closed";
}

bool AmqpChannel::open(const AmqpUri &uri, int timeoutMs, int rpcTimeoutMs, std::string *error)
{
    if (!conn_.open(uri, timeoutMs, rpcTimeoutMs, error))
        return false;
    fd_.store(conn_.socketFd());
    amqp_confirm_select(conn_.state(), AmqpConnection::kChannel);
    return conn_.rpcOk("turning on publisher confirms", error);
}

bool AmqpChannel::failed(std::string *error) const
{
    if (failure_.empty())
        return false;
    if (error)
        *error = failure_;
    return true;
}

bool AmqpChannel::fail(const std::string &why, std::string *error)
{
    if (failure_.empty())
        failure_ = why;
    if (error)
        *error = failure_;
    return false;
}

bool AmqpChannel::failStatus(int status, const std::string &what, std::string *error)
{
    topology_->brokerTrouble.store(true);
    const int cutMs = cutAfterMs_.load();
    if (cutMs > 0) {
        conn_.statusError(status, what); // marks the connection broken
        return fail(what + ": the AMQP broker at " + conn_.uri().hostPort() + " accepted no data for "
                        + std::to_string(std::max(1, cutMs / 1000)) + " s (blocked by a memory or disk "
                        "alarm, or hung?); gave up",
                    error);
    }
    return fail(conn_.statusError(status, what), error);
}

void AmqpChannel::cut(int ioTimeoutMs)
{
    int expected = 0;
    if (cutAfterMs_.compare_exchange_strong(expected, ioTimeoutMs)) {
        const int fd = fd_.load();
        if (fd >= 0)
            ::shutdown(fd, SHUT_RDWR); // the stalled send returns with an error
    }
}

void AmqpChannel::housekeep()
{
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || !failure_.empty() || !conn_.isOpen())
        return;
    // Confirms to take, or heartbeats to send and read (rabbitmq-c does both only inside
    // its frame reads).
    if (pending_.empty() && conn_.uri().heartbeatSeconds == 0)
        return;
    if (steadyNs() - lastUseNs_.load(std::memory_order_relaxed) < 20'000'000)
        return; // the owner is active and reads them itself
    std::string ignored; // a failure sticks in failure_ and reaches the owner's next call
    pump(std::chrono::steady_clock::time_point::min(), Until::Nothing, SIZE_MAX, &ignored);
}

bool AmqpChannel::publish(const OutMessage *messages, std::size_t n, std::string *error)
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed(error))
        return false;
    Busy busy(this);
    lastUseNs_.store(steadyNs(), std::memory_order_relaxed);
    const AmqpTopology &topo = *topology_;
    unsigned char body[kPayloadBytes];
    amqp_basic_properties_t props{};
    for (std::size_t i = 0; i < n; ++i) {
        const OutMessage &m = messages[i];
        int blame = AmqpTopology::kUnattributed, first = -1, copies = 0;
        amqp_bytes_t exchange = amqp_empty_bytes, key;
        bool mandatory = false;
        const int slot = topo.queueSlot(m.target);
        if (slot >= 0) {
            // A producer -> queue link: the default exchange, the queue's name as the key.
            key = bytesOf(topo.name(m.target));
            topo.counters(slot).arrivals.fetch_add(1, std::memory_order_relaxed);
            if (topo.queues()[std::size_t(slot)].rejects())
                blame = slot;
            first = slot;
            copies = 1;
        } else if (topo.isExchange(m.target)) {
            exchange = bytesOf(topo.name(m.target));
            key = bytesOf(m.routingKey);
            mandatory = true; // unroutable messages come back as basic.return
            topo.route(m.target, m.routingKey, m.headers, &route_);
            for (int s : route_)
                topo.counters(s).arrivals.fetch_add(1, std::memory_order_relaxed);
            blame = topo.blame(route_);
            first = route_.empty() ? -1 : route_.front();
            copies = int(route_.size());
        } else {
            return fail("publishing: node " + std::to_string(m.target)
                            + " is neither an exchange nor a queue of the deployed topology",
                        error);
        }
        props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
        props.delivery_mode = 1; // transient: the model has no persistence
        if (m.priority > 0) {
            props._flags |= AMQP_BASIC_PRIORITY_FLAG;
            props.priority = std::uint8_t(std::min(m.priority, 255));
        }
        if (m.headers && !m.headers->empty()) {
            headerEntries_.resize(m.headers->size());
            for (std::size_t h = 0; h < m.headers->size(); ++h) {
                amqp_table_entry_t &e = headerEntries_[h];
                e.key = bytesOf((*m.headers)[h].first);
                e.value.kind = AMQP_FIELD_KIND_UTF8;
                e.value.value.bytes = bytesOf((*m.headers)[h].second);
            }
            props._flags |= AMQP_BASIC_HEADERS_FLAG;
            props.headers.num_entries = int(headerEntries_.size());
            props.headers.entries = headerEntries_.data();
        }
        encodePayload(m.payload, body);
        amqp_bytes_t content;
        content.len = kPayloadBytes;
        content.bytes = body;
        const int st = amqp_basic_publish(conn_.state(), AmqpConnection::kChannel, exchange, key,
                                          mandatory ? 1 : 0, 0, &props, content);
        if (st != AMQP_STATUS_OK) {
            const std::string target(static_cast<const char *>(slot >= 0 ? key.bytes : exchange.bytes),
                                     slot >= 0 ? key.len : exchange.len);
            return failStatus(st, "publishing to '" + target + "'", error);
        }
        if (first >= 0)
            topo.counters(first).inTransit.fetch_add(copies, std::memory_order_relaxed);
        pending_.push_back({blame, first, copies, false});
        ++nextSeq_;
    }
    // Take the confirms (and anything else) that have arrived, without waiting.
    return pump(std::chrono::steady_clock::time_point::min(), Until::Nothing, SIZE_MAX, error);
}

bool AmqpChannel::subscribe(int queue, int consumer, int prefetch, std::string *error)
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed(error))
        return false;
    const int slot = topology_->queueSlot(queue);
    if (slot < 0)
        return fail("subscribing: node " + std::to_string(queue) + " is not a deployed queue", error);
    if (queueSlot_ >= 0)
        return fail("subscribing: this channel already consumes a queue", error);
    const std::string &name = topology_->name(queue);
    // basic.qos counts messages in a 16-bit field.
    const auto window = std::uint16_t(std::clamp(prefetch, 1, 65535));
    amqp_basic_qos(conn_.state(), AmqpConnection::kChannel, 0, window, 0);
    if (!conn_.rpcOk("setting prefetch " + std::to_string(window) + " (basic.qos)", error))
        return fail(*error, error);
    const std::string tag = "ql-consumer-" + std::to_string(consumer);
    amqp_basic_consume(conn_.state(), AmqpConnection::kChannel, bytesOf(name), bytesOf(tag), 0,
                       0 /* manual acks */, 0, amqp_empty_table);
    if (!conn_.rpcOk("subscribing to queue '" + name + "'", error))
        return fail(*error, error);
    queueSlot_ = slot;
    // Acks of consecutive deliveries go out together once an eighth of the window is done
    // (at once for windows under 16) or before receive() waits: far fewer frames for the
    // broker under load, and never a window held shut while the consumer idles.
    ackBatch_ = std::max(1, int(window) / 8);
    return true;
}

int AmqpChannel::receive(Delivery *out, std::size_t max, std::chrono::steady_clock::time_point deadline,
                         std::string *error)
{
    std::lock_guard<std::mutex> lock(mutex_);
    lastUseNs_.store(steadyNs(), std::memory_order_relaxed);
    if (failed(error))
        return -1;
    // About to wait for deliveries: the window must not stay closed by acks not yet sent.
    if (ready_.empty() && !flushAcks(error))
        return -1;
    if (ready_.size() < max && !pump(deadline, Until::Delivery, max, error))
        return -1;
    const std::size_t n = std::min(max, ready_.size());
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = ready_.front();
        ready_.pop_front();
    }
    return int(n);
}

bool AmqpChannel::sendAck(std::uint64_t tag, bool multiple, std::string *error)
{
    Busy busy(this);
    const int st = amqp_basic_ack(conn_.state(), AmqpConnection::kChannel, tag, multiple ? 1 : 0);
    return st == AMQP_STATUS_OK || failStatus(st, "acknowledging a delivery", error);
}

bool AmqpChannel::reject(const Delivery *, std::size_t, bool, std::string *error)
{
    *error = "amqp backend: rejects and requeues are not supported on RabbitMQ yet";
    return false;
}

bool AmqpChannel::ack(const std::uint64_t *tags, std::size_t n, std::string *error)
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (failed(error))
        return false;
    if (n == 0)
        return true;
    Busy busy(this);
    // One basic.ack with multiple=true covers a run of consecutive tags; a tag acknowledged
    // ahead of a gap (servers finishing out of order) goes alone at once, so its prefetch
    // slot frees now and not when the gap closes. The run's ack may wait (see flushAcks()).
    sorted_.assign(tags, tags + n);
    std::sort(sorted_.begin(), sorted_.end());
    std::uint64_t upTo = ackedUpTo_, lastRun = 0;
    std::int64_t count = 0, inRun = 0;
    for (std::size_t i = 0; i < sorted_.size(); ++i) {
        const std::uint64_t t = sorted_[i];
        if (t <= upTo || ackedAbove_.count(t) || (i > 0 && sorted_[i - 1] == t))
            continue; // already acknowledged: acking twice would close the channel
        ++count;
        if (t == upTo + 1) {
            ++inRun;
            upTo = lastRun = t;
            for (auto it = ackedAbove_.begin(); it != ackedAbove_.end() && *it == upTo + 1;
                 it = ackedAbove_.erase(it))
                ++upTo;
        } else {
            if (!sendAck(t, false, error))
                return false;
            ackedAbove_.insert(t);
        }
    }
    ackedUpTo_ = upTo;
    outstanding_ -= count;
    if (queueSlot_ >= 0)
        topology_->counters(queueSlot_).acked.fetch_add(count, std::memory_order_relaxed);
    if (lastRun > 0) {
        deferredAck_ = lastRun;
        deferredCount_ += inRun;
        if (deferredCount_ >= ackBatch_)
            return flushAcks(error);
    }
    return true;
}

bool AmqpChannel::flushAcks(std::string *error)
{
    if (deferredAck_ == 0)
        return true;
    const std::uint64_t tag = deferredAck_;
    deferredAck_ = 0;
    deferredCount_ = 0;
    return sendAck(tag, true, error);
}

bool AmqpChannel::pump(std::chrono::steady_clock::time_point deadline, Until until, std::size_t want,
                       std::string *error)
{
    amqp_connection_state_t c = conn_.state();
    amqp_frame_t frame;
    auto done = [&] {
        switch (until) {
        case Until::Nothing: return true;
        case Until::Delivery: return !ready_.empty();
        case Until::Confirms: return pending_.empty();
        }
        return true;
    };
    // Wait (until the deadline) for what the caller needs ...
    while (!done()) {
        timeval tv = untilDeadline(deadline);
        const int st = amqp_simple_wait_frame_noblock(c, &frame, &tv);
        if (st == AMQP_STATUS_TIMEOUT)
            break;
        if (st != AMQP_STATUS_OK)
            return failStatus(st, "reading from the broker", error);
        if (!handleFrame(frame, error))
            return false;
        if (std::chrono::steady_clock::now() >= deadline)
            break;
    }
    // ... then take whatever else is already there, without waiting.
    while (ready_.size() < want) {
        timeval zero{};
        const int st = amqp_simple_wait_frame_noblock(c, &frame, &zero);
        if (st == AMQP_STATUS_TIMEOUT)
            break;
        if (st != AMQP_STATUS_OK)
            return failStatus(st, "reading from the broker", error);
        if (!handleFrame(frame, error))
            return false;
    }
    amqp_maybe_release_buffers(c);
    return true;
}

bool AmqpChannel::handleFrame(const amqp_frame_t &frame, std::string *error)
{
    switch (frame.frame_type) {
    case AMQP_FRAME_METHOD:
        switch (frame.payload.method.id) {
        case AMQP_BASIC_DELIVER_METHOD: {
            const auto *d = static_cast<const amqp_basic_deliver_t *>(frame.payload.method.decoded);
            content_ = Content::Delivery;
            partial_ = Delivery{};
            partial_.tag = d->delivery_tag;
            bodySize_ = bodyRead_ = 0;
            return true;
        }
        case AMQP_BASIC_RETURN_METHOD:
            content_ = Content::Return;
            bodySize_ = bodyRead_ = 0;
            return true;
        case AMQP_BASIC_ACK_METHOD: {
            const auto *a = static_cast<const amqp_basic_ack_t *>(frame.payload.method.decoded);
            settle(a->delivery_tag, a->multiple, false);
            return true;
        }
        case AMQP_BASIC_NACK_METHOD: {
            const auto *a = static_cast<const amqp_basic_nack_t *>(frame.payload.method.decoded);
            settle(a->delivery_tag, a->multiple, true);
            return true;
        }
        case AMQP_BASIC_CANCEL_METHOD:
            return fail("the AMQP broker at " + conn_.uri().hostPort() + " cancelled the "
                        "subscription to queue '" + topology_->queues()[std::size_t(std::max(queueSlot_, 0))].name
                            + "' (was it deleted?)",
                        error);
        case AMQP_CHANNEL_CLOSE_METHOD:
        case AMQP_CONNECTION_CLOSE_METHOD:
            return fail(conn_.brokerClosed(frame, "during the run"), error);
        default:
            return true; // connection.blocked/unblocked and the like: nothing to do
        }
    case AMQP_FRAME_HEADER:
        if (content_ == Content::None)
            return true;
        bodySize_ = frame.payload.properties.body_size;
        if (content_ == Content::Delivery) {
            const auto *p = static_cast<const amqp_basic_properties_t *>(frame.payload.properties.decoded);
            if (p && (p->_flags & AMQP_BASIC_PRIORITY_FLAG))
                partial_.priority = p->priority;
        }
        if (bodySize_ == 0)
            finishContent();
        return true;
    case AMQP_FRAME_BODY: {
        if (content_ == Content::None)
            return true;
        const amqp_bytes_t &b = frame.payload.body_fragment;
        if (content_ == Content::Delivery && bodyRead_ < kPayloadBytes) {
            const std::size_t take = std::min<std::size_t>(b.len, kPayloadBytes - bodyRead_);
            std::memcpy(body_ + bodyRead_, b.bytes, take);
        }
        bodyRead_ += b.len;
        if (bodyRead_ >= bodySize_)
            finishContent();
        return true;
    }
    default:
        return true;
    }
}

void AmqpChannel::finishContent()
{
    if (content_ == Content::Delivery) {
        partial_.foreign = bodySize_ != kPayloadBytes || !decodePayload(body_, kPayloadBytes, &partial_.payload);
        if (partial_.foreign)
            partial_.payload = Payload{};
        ready_.push_back(partial_);
        ++outstanding_;
        if (queueSlot_ >= 0)
            topology_->counters(queueSlot_).delivered.fetch_add(1, std::memory_order_relaxed);
    } else if (content_ == Content::Return) {
        topology_->unroutable.fetch_add(1, std::memory_order_relaxed);
    }
    content_ = Content::None;
}

void AmqpChannel::settle(std::uint64_t tag, bool multiple, bool nack)
{
    // Confirm tags are the publish numbers 1, 2, ...; multiple=true settles all up to `tag`.
    if (tag < firstPending_ || pending_.empty())
        return;
    const std::uint64_t at = tag - firstPending_;
    if (!multiple && at >= pending_.size())
        return;
    const std::uint64_t last = std::min<std::uint64_t>(at, pending_.size() - 1);
    for (std::uint64_t i = multiple ? 0 : last; i <= last; ++i) {
        Pending &p = pending_[std::size_t(i)];
        if (p.settled)
            continue;
        if (nack) {
            if (p.blame >= 0)
                topology_->counters(p.blame).rejected.fetch_add(1, std::memory_order_relaxed);
            else
                topology_->rejectedUnattributed.fetch_add(1, std::memory_order_relaxed);
        }
        if (p.slot >= 0)
            topology_->counters(p.slot).inTransit.fetch_sub(p.copies, std::memory_order_relaxed);
        p.settled = true;
    }
    while (!pending_.empty() && pending_.front().settled) {
        pending_.pop_front();
        ++firstPending_;
    }
}

} // namespace ql
