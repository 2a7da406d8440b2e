#include "live/embeddedtransport.h"

#include "topology/compiledtopology.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace ql {

namespace {

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A growable ring: FIFO and LIFO without per-message allocation (capacity doubles when full
// and is kept afterwards).
template <class T>
class Ring
{
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    void pushBack(const T &v)
    {
        if (size_ == buf_.size())
            grow();
        buf_[(head_ + size_) & mask_] = v;
        ++size_;
    }
    void pushFront(const T &v)
    {
        if (size_ == buf_.size())
            grow();
        head_ = (head_ + mask_) & mask_;
        buf_[head_] = v;
        ++size_;
    }
    const T &front() const { return buf_[head_]; }
    const T &back() const { return buf_[(head_ + size_ - 1) & mask_]; }
    T popFront()
    {
        T v = buf_[head_];
        head_ = (head_ + 1) & mask_;
        --size_;
        return v;
    }
    T popBack()
    {
        --size_;
        return buf_[(head_ + size_) & mask_];
    }

private:
    void grow()
    {
        const std::size_t cap = buf_.empty() ? 64 : buf_.size() * 2;
        std::vector<T> next(cap);
        for (std::size_t i = 0; i < size_; ++i)
            next[i] = buf_[(head_ + i) & mask_];
        buf_.swap(next);
        head_ = 0;
        mask_ = cap - 1;
    }
    std::vector<T> buf_;
    std::size_t head_ = 0, size_ = 0, mask_ = 0;
};

struct Item
{
    Payload payload;
    int priority = 0;
    std::int64_t ttlNs = -1;          // its own TTL (AMQP expiration), -1 = none
    std::int64_t expireAtNs = INT64_MAX; // in its current queue
    int returns = 0;                  // nack-with-requeue returns so far (x-delivery-count)
    int deadLetters = 0;              // dead-letter hops since its last rejection (cycle rule)
};

// Why a queue dead-letters a message (RabbitMQ's x-death reasons).
enum class DeathReason { Expired, Rejected, Maxlen, DeliveryLimit };

// A message a queue gave up, to be re-published to its dead-letter target once the queue's
// lock is released (another queue's lock is never taken under one's own).
struct DeadLetter
{
    Item item;
    int target = -1; // node of the dead-letter exchange or queue
};

struct Subscription;

// One queue. Everything in it (and in its subscriptions' inboxes and counters) is guarded
// by `m`.
struct EQueue
{
    std::mutex m;
    int node = -1;
    std::string name;
    std::int64_t capacity = 0;
    Overflow overflow = Overflow::RejectPublish;
    Discipline discipline = Discipline::Fifo;
    std::vector<Ring<Item>> levels;          // index 0 = highest priority
    std::array<std::uint8_t, 256> levelOf{}; // message priority -> level
    std::int64_t ready = 0;
    std::vector<Subscription *> subs;
    std::size_t roundRobin = 0;
    std::int64_t arrivals = 0, drops = 0;
    std::int64_t orphanUnacked = 0;          // unacked of closed subscriptions
    // Failures: TTL, dead-letter target, quorum delivery limit, and what they did.
    bool expiring = false;                   // a queue TTL, or producers that set one
    std::int64_t queueTtlNs = -1;
    int deadLetterTarget = -1;
    std::int64_t deliveryLimit = -1;
    std::int64_t expired = 0, dlExpired = 0, dlRejected = 0, dlMaxlen = 0, dlDeliveryLimit = 0,
                 requeued = 0, redelivered = 0;
    std::int64_t readyPeak = 0;              // since the previous snapshot
    double areaNs = 0;                       // integral of ready over time
    std::int64_t lastNs = 0;

    void touch(std::int64_t t)
    {
        if (t > lastNs) {
            areaNs += double(ready) * double(t - lastNs);
            lastNs = t;
        }
    }
    Subscription *pickSubscriber();
    Item take()
    {
        for (Ring<Item> &ring : levels) {
            if (!ring.empty()) {
                --ready;
                return discipline == Discipline::Lifo ? ring.popBack() : ring.popFront();
            }
        }
        return {};
    }
    // When `item`, entering at `t`, expires here: after the lower of the queue's and its own
    // TTL (RabbitMQ's rule); INT64_MAX without either.
    std::int64_t expiryFrom(const Item &item, std::int64_t t) const
    {
        std::int64_t ttl = queueTtlNs;
        if (item.ttlNs >= 0 && (ttl < 0 || item.ttlNs < ttl))
            ttl = item.ttlNs;
        return ttl >= 0 ? t + ttl : INT64_MAX;
    }
    // Gives a message up: to the dead-letter target (counted by reason), else dropped.
    void giveUp(const Item &item, DeathReason why, std::vector<DeadLetter> *dead)
    {
        if (deadLetterTarget < 0)
            return;
        std::int64_t *count = why == DeathReason::Expired ? &dlExpired
            : why == DeathReason::Rejected               ? &dlRejected
            : why == DeathReason::Maxlen                 ? &dlMaxlen
                                                         : &dlDeliveryLimit;
        ++*count;
        dead->push_back({item, deadLetterTarget});
    }
    // Expired messages leave at the head only, as in RabbitMQ. Returns the next head's
    // expiry (INT64_MAX for none).
    std::int64_t expireHeads(std::int64_t t, std::vector<DeadLetter> *dead)
    {
        std::int64_t next = INT64_MAX;
        if (!expiring)
            return next;
        const bool lifo = discipline == Discipline::Lifo;
        for (Ring<Item> &ring : levels) {
            while (!ring.empty()) {
                const Item &head = lifo ? ring.back() : ring.front();
                if (head.expireAtNs > t) {
                    next = std::min(next, head.expireAtNs);
                    break;
                }
                touch(t);
                const Item gone = lifo ? ring.popBack() : ring.popFront();
                --ready;
                ++expired;
                giveUp(gone, DeathReason::Expired, dead);
            }
        }
        return next;
    }
    // A consumer returned a message (nack with requeue): back to the head, or dead-lettered
    // once a quorum queue's delivery limit is passed.
    void requeue(Item item, std::int64_t t, std::vector<DeadLetter> *dead)
    {
        ++requeued;
        ++item.returns;
        if (deliveryLimit >= 0 && item.returns > deliveryLimit) {
            item.deadLetters = 0;
            giveUp(item, DeathReason::DeliveryLimit, dead);
            return;
        }
        touch(t);
        const int p = std::clamp(item.priority, 0, 255);
        Ring<Item> &ring = levels[levels.size() > 1 ? levelOf[std::size_t(p)] : 0];
        if (discipline == Discipline::Lifo)
            ring.pushBack(item);
        else
            ring.pushFront(item);
        if (++ready > readyPeak)
            readyPeak = ready;
    }
    void dropHead()
    {
        std::size_t victim = levels.size();
        std::int64_t oldest = 0;
        for (std::size_t l = 0; l < levels.size(); ++l) {
            if (levels[l].empty())
                continue;
            if (victim == levels.size() || levels[l].front().payload.hopNs < oldest) {
                victim = l;
                oldest = levels[l].front().payload.hopNs;
            }
        }
        if (victim < levels.size()) {
            lastDropped = levels[victim].popFront();
            --ready;
        }
    }
    Item lastDropped;
    // Offers one message; returns the subscriber to wake, if any.
    Subscription *offer(Item item, std::int64_t t, std::vector<DeadLetter> *dead);
    void fill(Subscription &s, std::vector<DeadLetter> *dead);
    void deliverTo(Subscription &s, const Item &item);
};

struct Subscription
{
    EQueue *queue = nullptr;
    int consumer = -1;
    std::int64_t window = 1;
    Ring<Item> inbox;            // delivered, not yet received by the consumer thread
    std::int64_t unacked = 0;    // inbox + received and not acknowledged
    std::int64_t peakUnacked = 0;
    bool waiting = false;        // the consumer thread sleeps on cv
    std::condition_variable cv;

    bool hasRoom() const { return unacked < window; }
    bool notify = false;         // woken by someone else's settle: notify after unlocking
    void deliver(const Item &item)
    {
        inbox.pushBack(item);
        if (++unacked > peakUnacked)
            peakUnacked = unacked;
    }
};

Subscription *EQueue::pickSubscriber()
{
    const std::size_t count = subs.size();
    for (std::size_t k = 0; k < count; ++k) {
        std::size_t i = roundRobin + k;
        if (i >= count)
            i -= count;
        if (subs[i]->hasRoom()) {
            roundRobin = i + 1 == count ? 0 : i + 1;
            return subs[i];
        }
    }
    return nullptr;
}

Subscription *EQueue::offer(Item item, std::int64_t t, std::vector<DeadLetter> *dead)
{
    ++arrivals;
    if (ready == 0) {
        if (Subscription *s = pickSubscriber()) {
            deliverTo(*s, item);
            if (s->waiting) {
                s->waiting = false;
                return s;
            }
            return nullptr;
        }
    }
    touch(t);
    if (capacity > 0 && ready >= capacity) {
        ++drops;
        if (overflow == Overflow::RejectPublish)
            return nullptr;
        if (overflow == Overflow::RejectPublishDlx) {
            giveUp(item, DeathReason::Maxlen, dead);
            return nullptr;
        }
        dropHead();
        giveUp(lastDropped, DeathReason::Maxlen, dead);
    }
    if (expiring)
        item.expireAtNs = expiryFrom(item, t);
    const int p = std::clamp(item.priority, 0, 255);
    levels[levels.size() > 1 ? levelOf[std::size_t(p)] : 0].pushBack(item);
    if (++ready > readyPeak)
        readyPeak = ready;
    return nullptr;
}

void EQueue::deliverTo(Subscription &s, const Item &item)
{
    if (item.returns > 0)
        ++redelivered;
    s.deliver(item);
}

void EQueue::fill(Subscription &s, std::vector<DeadLetter> *dead)
{
    if (ready == 0 || !s.hasRoom())
        return;
    const std::int64_t t = nowNs();
    touch(t);
    expireHeads(t, dead);
    while (ready > 0 && s.hasRoom()) {
        deliverTo(s, take());
        if (expiring)
            expireHeads(t, dead);
    }
}

struct EExchange
{
    int node = -1;
    std::size_t index = 0;    // position in the transport's exchange list
    std::string name;
    ExchangeType type = ExchangeType::Direct;
    const CompiledTopology *topology = nullptr;
    const std::vector<EQueue *> *queueOfNode = nullptr;

    // Every bound queue that matches, each once (a queue bound twice gets one copy).
    void route(std::string_view key, const Headers *headers, std::vector<EQueue *> *out) const
    {
        std::vector<int> queues;
        topology->route(node, key, headers, &queues);
        out->clear();
        for (int q : queues)
            out->push_back((*queueOfNode)[std::size_t(q)]);
    }
};

struct StringHash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

} // namespace

struct EmbeddedTransport::Impl
{
    LiveOptions options;
    std::string prefix;
    const Scenario *scenario = nullptr;
    CompiledTopology topology;
    std::vector<std::unique_ptr<EQueue>> queues;
    std::vector<std::unique_ptr<EExchange>> exchanges;
    std::vector<EQueue *> queueOfNode;
    std::vector<EExchange *> exchangeOfNode;
    std::vector<std::vector<EQueue *>> selfRoute; // queue node -> {that queue}
    std::atomic<std::int64_t> unroutable{0};
    std::atomic<int> openChannels{0};
    // Peak unacked per consumer node of closed subscriptions (kept across teardown).
    mutable std::mutex peaksMutex;
    std::vector<std::pair<int, std::int64_t>> peaks;

    // Expiry: a thread that removes expired heads on time while no consumer takes them
    // (RabbitMQ's queues run a timer for their head). Only when some queue expires messages.
    std::thread expiryThread;
    std::mutex expiryMutex;
    std::condition_variable expiryCv;
    bool expiryStop = false;
    bool expiryKick = false;
    void expiryLoop();
    void kickExpiry()
    {
        {
            std::lock_guard lock(expiryMutex);
            expiryKick = true;
        }
        expiryCv.notify_one();
    }
    bool anyExpiring = false;

    // Re-publishes what queues gave up to their dead-letter targets, with the message's
    // routing key (from its producer's keys), after RabbitMQ's cycle rule.
    void publishDeadLetters(std::vector<DeadLetter> &dead);
};

void EmbeddedTransport::Impl::publishDeadLetters(std::vector<DeadLetter> &dead)
{
    std::vector<DeadLetter> more;
    std::vector<int> targets;
    while (!dead.empty()) {
        for (DeadLetter &d : dead) {
            Item item = d.item;
            if (++item.deadLetters > int(queueOfNode.size()))
                continue; // round a dead-letter cycle without a rejection: dropped, as RabbitMQ does
            item.ttlNs = -1; // RabbitMQ removes a dead-lettered message's expiration
            item.expireAtNs = INT64_MAX;
            const std::int64_t t = nowNs();
            item.payload.hopNs = t; // it enters its next queue now
            targets.clear();
            if (queueOfNode[std::size_t(d.target)]) {
                targets.push_back(d.target);
            } else if (exchangeOfNode[std::size_t(d.target)]) {
                const auto &keys = topology.allPublishKeys();
                const int identity = item.payload.producer >= 0 && !keys.empty()
                    ? topology.firstPublishKey(item.payload.producer) + std::max(0, item.payload.keyIndex) : -1;
                const std::string_view key = identity >= 0 ? std::string_view(keys[std::size_t(identity)].key) : "";
                const Headers *headers = identity >= 0 && !keys[std::size_t(identity)].headers.empty()
                    ? &keys[std::size_t(identity)].headers : nullptr;
                topology.route(d.target, key, headers, &targets);
                if (targets.empty())
                    unroutable.fetch_add(1, std::memory_order_relaxed);
            }
            for (int qn : targets) {
                EQueue &q = *queueOfNode[std::size_t(qn)];
                Subscription *wake = nullptr;
                {
                    std::lock_guard lock(q.m);
                    wake = q.offer(item, t, &more);
                }
                if (wake)
                    wake->cv.notify_one();
            }
            if (anyExpiring)
                kickExpiry();
        }
        dead.swap(more);
        more.clear();
    }
}

void EmbeddedTransport::Impl::expiryLoop()
{
    std::vector<DeadLetter> dead;
    std::vector<Subscription *> wake;
    for (;;) {
        const std::int64_t t = nowNs();
        std::int64_t next = t + 50'000'000;
        for (const auto &qp : queues) {
            EQueue &q = *qp;
            if (!q.expiring)
                continue;
            std::lock_guard lock(q.m);
            next = std::min(next, q.expireHeads(t, &dead));
        }
        publishDeadLetters(dead);
        std::unique_lock lock(expiryMutex);
        if (expiryStop)
            return;
        if (!expiryKick)
            expiryCv.wait_until(lock, std::chrono::steady_clock::time_point(std::chrono::nanoseconds(next)),
                                [this] { return expiryStop || expiryKick; });
        expiryKick = false;
        if (expiryStop)
            return;
    }
}

namespace {

class EmbeddedChannel final : public TransportChannel
{
public:
    explicit EmbeddedChannel(EmbeddedTransport::Impl *t)
        : t_(t)
        , routeCache_(t->exchanges.size())
    {
        t_->openChannels++;
    }

    ~EmbeddedChannel() override
    {
        if (sub_) {
            EQueue &q = *sub_->queue;
            std::lock_guard lock(q.m);
            sub_->unacked -= pendingAcks_;
            // Deliveries never acknowledged stay counted as in flight (unacked), as they would
            // be until RabbitMQ noticed the closed channel; the run is over by then.
            q.orphanUnacked += sub_->unacked;
            std::lock_guard plock(t_->peaksMutex);
            t_->peaks.emplace_back(sub_->consumer, sub_->peakUnacked);
            q.subs.erase(std::find(q.subs.begin(), q.subs.end(), sub_.get()));
            q.roundRobin = 0;
        }
        t_->openChannels--;
    }

    bool publish(const OutMessage *messages, std::size_t n, std::string *error) override
    {
        // Route every message first, then lock each destination queue once for the batch.
        routes_.resize(n);
        touched_.clear();
        for (std::size_t i = 0; i < n; ++i) {
            const OutMessage &msg = messages[i];
            const std::vector<EQueue *> *dest = resolve(msg, error);
            if (!dest)
                return false;
            routes_[i] = dest;
            if (dest->empty())
                t_->unroutable.fetch_add(1, std::memory_order_relaxed);
            for (EQueue *q : *dest)
                if (std::find(touched_.begin(), touched_.end(), q) == touched_.end())
                    touched_.push_back(q);
        }
        wake_.clear();
        for (EQueue *q : touched_) {
            std::lock_guard lock(q->m);
            for (std::size_t i = 0; i < n; ++i) {
                const std::vector<EQueue *> &dest = *routes_[i];
                if (std::find(dest.begin(), dest.end(), q) == dest.end())
                    continue;
                Item item;
                item.payload = messages[i].payload;
                item.priority = messages[i].priority;
                item.ttlNs = messages[i].ttlNs;
                if (Subscription *s = q->offer(item, messages[i].payload.hopNs, &dead_))
                    wake_.push_back(s);
            }
        }
        // Wake after unlocking, so the woken consumer does not block on the mutex at once.
        // Subscriptions outlive every publishing thread (see transport.h), so this is safe.
        for (Subscription *s : wake_)
            s->cv.notify_one();
        t_->publishDeadLetters(dead_);
        if (t_->anyExpiring)
            t_->kickExpiry();
        return true;
    }

    bool subscribe(int queue, int consumer, int prefetch, std::string *error) override
    {
        if (sub_) {
            *error = "embedded broker: a channel subscribes to one queue only";
            return false;
        }
        if (queue < 0 || std::size_t(queue) >= t_->queueOfNode.size() || !t_->queueOfNode[queue]) {
            *error = "embedded broker: node " + std::to_string(queue) + " is not a deployed queue";
            return false;
        }
        EQueue &q = *t_->queueOfNode[std::size_t(queue)];
        sub_ = std::make_unique<Subscription>();
        sub_->queue = &q;
        sub_->consumer = consumer;
        sub_->window = std::max(1, prefetch);
        {
            std::lock_guard lock(q.m);
            q.subs.push_back(sub_.get());
            q.fill(*sub_, &dead_);
        }
        t_->publishDeadLetters(dead_);
        return true;
    }

    int receive(Delivery *out, std::size_t max, std::chrono::steady_clock::time_point deadline,
                std::string *error) override
    {
        if (!sub_) {
            *error = "embedded broker: receive() before subscribe()";
            return -1;
        }
        Subscription &s = *sub_;
        EQueue &q = *s.queue;
        std::size_t count = 0;
        {
            std::unique_lock lock(q.m);
            if (pendingAcks_) {
                s.unacked -= pendingAcks_;
                pendingAcks_ = 0;
                q.fill(s, &dead_);
            }
            while (s.inbox.empty()) {
                if (std::chrono::steady_clock::now() >= deadline)
                    break;
                s.waiting = true;
                s.cv.wait_until(lock, deadline);
                s.waiting = false;
                if (s.inbox.empty() && q.ready > 0 && s.hasRoom())
                    q.fill(s, &dead_); // a return or an expiry made room since
            }
            while (count < max && !s.inbox.empty()) {
                const Item item = s.inbox.popFront();
                Delivery &d = out[count++];
                d.payload = item.payload;
                d.priority = item.priority;
                d.tag = ++nextTag_;
                d.foreign = false;
                d.redelivered = item.returns > 0;
                d.deliveryCount = item.returns;
                d.ttlNs = item.ttlNs;
            }
        }
        if (!dead_.empty())
            t_->publishDeadLetters(dead_);
        return int(count);
    }

    bool ack(const std::uint64_t *, std::size_t n, std::string *) override
    {
        pendingAcks_ += std::int64_t(n); // applied under the lock of the next receive()
        return true;
    }

    bool reject(const Delivery *deliveries, std::size_t n, bool requeue, std::string *error) override
    {
        if (!sub_) {
            *error = "embedded broker: reject() before subscribe()";
            return false;
        }
        Subscription &s = *sub_;
        EQueue &q = *s.queue;
        wake_.clear();
        {
            std::lock_guard lock(q.m);
            const std::int64_t t = nowNs();
            s.unacked -= std::int64_t(n);
            for (std::size_t i = 0; i < n; ++i) {
                Item item;
                item.payload = deliveries[i].payload;
                item.payload.hopNs = t; // waiting again from now
                item.priority = deliveries[i].priority;
                item.ttlNs = deliveries[i].ttlNs;
                item.returns = deliveries[i].deliveryCount;
                if (requeue) {
                    // It keeps its expiry when it had one (RabbitMQ keeps the original).
                    if (q.expiring)
                        item.expireAtNs = q.expiryFrom(item, deliveries[i].payload.hopNs);
                    q.requeue(item, t, &dead_);
                } else {
                    q.giveUp(item, DeathReason::Rejected, &dead_);
                }
            }
            // Whoever has room gets the returned messages, as RabbitMQ redelivers to any.
            while (q.ready > 0) {
                Subscription *to = q.pickSubscriber();
                if (!to)
                    break;
                q.fill(*to, &dead_);
                if (to != &s && to->waiting) {
                    to->waiting = false;
                    wake_.push_back(to);
                }
            }
        }
        for (Subscription *w : wake_)
            w->cv.notify_one();
        t_->publishDeadLetters(dead_);
        if (t_->anyExpiring)
            t_->kickExpiry();
        return true;
    }

private:
    const std::vector<EQueue *> *resolve(const OutMessage &msg, std::string *error)
    {
        const auto target = std::size_t(msg.target);
        if (msg.target >= 0 && target < t_->queueOfNode.size()) {
            if (t_->queueOfNode[target])
                return &t_->selfRoute[target];
            if (EExchange *x = t_->exchangeOfNode[target]) {
                auto &cache = routeCache_[x->index];
                std::string_view key = msg.routingKey;
                if (x->type == ExchangeType::Headers) {
                    // Headers decide, not the key: cache by their text.
                    keyScratch_.clear();
                    if (msg.headers) {
                        for (const auto &[k, v] : *msg.headers) {
                            keyScratch_ += k;
                            keyScratch_ += '\0';
                            keyScratch_ += v;
                            keyScratch_ += '\0';
                        }
                    }
                    key = keyScratch_;
                } else if (x->type == ExchangeType::Fanout) {
                    key = {};
                }
                auto it = cache.find(key);
                if (it == cache.end()) {
                    std::vector<EQueue *> dest;
                    x->route(msg.routingKey, msg.headers, &dest);
                    it = cache.emplace(std::string(key), std::move(dest)).first;
                }
                return &it->second;
            }
        }
        *error = "embedded broker: publish to node " + std::to_string(msg.target)
            + ", which is neither a deployed exchange nor a queue";
        return nullptr;
    }

    EmbeddedTransport::Impl *t_;
    std::unique_ptr<Subscription> sub_;
    std::int64_t pendingAcks_ = 0;
    std::uint64_t nextTag_ = 0;
    // Routing results per exchange (by position in t_->exchanges) and key. Pointers into
    // these maps stay valid while the map grows (node-based).
    std::vector<std::unordered_map<std::string, std::vector<EQueue *>, StringHash, std::equal_to<>>> routeCache_;
    std::string keyScratch_;
    std::vector<const std::vector<EQueue *> *> routes_;
    std::vector<EQueue *> touched_;
    std::vector<Subscription *> wake_;
    std::vector<DeadLetter> dead_;
};

} // namespace

EmbeddedTransport::EmbeddedTransport(const LiveOptions &options)
    : d(std::make_unique<Impl>())
{
    d->options = options;
    d->prefix = options.runPrefix.empty() ? makeRunPrefix() : options.runPrefix;
}

EmbeddedTransport::~EmbeddedTransport()
{
    std::string ignored;
    teardown(&ignored);
}

TransportCapabilities EmbeddedTransport::capabilities() const
{
    TransportCapabilities c;
    c.exactDrops = true;
    c.readyDepth = true;
    c.exactArrivals = true;
    return c;
}

bool EmbeddedTransport::deploy(const Scenario &scenario, std::string *error)
{
    if (!d->queues.empty() || !d->exchanges.empty()) {
        *error = "embedded broker: already deployed; tear down first";
        return false;
    }
    d->scenario = &scenario;
    const std::size_t n = scenario.nodes.size();
    d->queueOfNode.assign(n, nullptr);
    d->exchangeOfNode.assign(n, nullptr);
    d->selfRoute.assign(n, {});

    // Priority levels: the distinct producer priorities, highest first (as the simulator).
    d->topology = CompiledTopology(scenario);
    const std::vector<int> &priorities = d->topology.priorityLevels();

    const std::int64_t t0 = nowNs();
    for (std::size_t i = 0; i < n; ++i) {
        const Node &node = scenario.nodes[i];
        if (node.kind == NodeKind::Queue) {
            auto q = std::make_unique<EQueue>();
            q->node = int(i);
            q->name = d->prefix + node.id;
            q->capacity = node.capacity;
            q->overflow = node.overflow;
            q->discipline = node.discipline;
            q->levels.resize(node.discipline == Discipline::Priority ? priorities.size() : 1);
            // A priority between two producer priorities goes to the level of the next
            // lower one; below all of them, to the lowest level.
            for (int p = 0; p < 256; ++p) {
                std::size_t level = priorities.size() - 1;
                for (std::size_t l = 0; l < priorities.size(); ++l) {
                    if (priorities[l] <= p) {
                        level = l;
                        break;
                    }
                }
                q->levelOf[std::size_t(p)] = std::uint8_t(level);
            }
            q->lastNs = t0;
            const double nsPerUnit = wallSecondsPerUnit(scenario, d->options) * 1e9;
            if (node.queueTtl)
                q->queueTtlNs = std::int64_t(std::max(0.0, *node.queueTtl) * nsPerUnit);
            q->expiring = node.queueTtl || std::any_of(scenario.nodes.begin(), scenario.nodes.end(),
                                                       [](const Node &p) { return p.messageTtl.has_value(); });
            d->anyExpiring |= q->expiring;
            if (node.queueType == QueueType::Quorum && node.deliveryLimit)
                q->deliveryLimit = *node.deliveryLimit;
            for (const CompiledTopology::Edge &e : d->topology.outgoing(int(i)))
                if (e.role == LinkRole::DeadLetter)
                    q->deadLetterTarget = e.to;
            d->queueOfNode[i] = q.get();
            d->selfRoute[i] = {q.get()};
            d->queues.push_back(std::move(q));
        } else if (node.kind == NodeKind::Exchange) {
            auto x = std::make_unique<EExchange>();
            x->node = int(i);
            x->index = d->exchanges.size();
            x->name = d->prefix + node.id;
            x->type = node.exchangeType;
            x->topology = &d->topology;
            x->queueOfNode = &d->queueOfNode;
            d->exchangeOfNode[i] = x.get();
            d->exchanges.push_back(std::move(x));
        }
    }
    for (const CompiledTopology::Refusal &r : d->topology.refusedLinks()) {
        const Link &link = scenario.links[std::size_t(r.link)];
        *error = "embedded broker: link " + link.from + " -> " + link.to
            + (r.why.empty() ? std::string(" names a node that does not exist")
                             : " is not deployable (" + r.why + ")")
            + "; validate the scenario first";
        return false;
    }
    if (d->anyExpiring) {
        d->expiryStop = false;
        d->expiryThread = std::thread([impl = d.get()] { impl->expiryLoop(); });
    }
    return true;
}

std::string EmbeddedTransport::physicalName(int node) const
{
    if (!d->scenario || node < 0 || std::size_t(node) >= d->scenario->nodes.size())
        return {};
    return d->prefix + d->scenario->nodes[std::size_t(node)].id;
}

std::unique_ptr<TransportChannel> EmbeddedTransport::openChannel(std::string *error)
{
    if (!d->scenario) {
        *error = "embedded broker: openChannel() before deploy()";
        return nullptr;
    }
    return std::make_unique<EmbeddedChannel>(d.get());
}

bool EmbeddedTransport::snapshot(TransportSnapshot *out, std::string *)
{
    out->atNs = nowNs();
    out->queues.clear();
    out->queues.reserve(d->queues.size());
    for (const auto &qp : d->queues) {
        EQueue &q = *qp;
        QueueSnapshot s;
        s.node = q.node;
        std::lock_guard lock(q.m);
        const std::int64_t t = std::max(out->atNs, q.lastNs);
        std::int64_t unacked = q.orphanUnacked;
        for (const Subscription *sub : q.subs)
            unacked += sub->unacked;
        s.ready = q.ready;
        s.unacked = unacked;
        s.arrivals = q.arrivals;
        s.drops = q.drops;
        s.readyPeak = q.readyPeak;
        q.readyPeak = q.ready;
        s.readyIntegralNs = q.areaNs + double(q.ready) * double(t - q.lastNs);
        s.expired = q.expired;
        s.deadLetteredExpired = q.dlExpired;
        s.deadLetteredRejected = q.dlRejected;
        s.deadLetteredMaxlen = q.dlMaxlen;
        s.deadLetteredDeliveryLimit = q.dlDeliveryLimit;
        s.requeued = q.requeued;
        s.redelivered = q.redelivered;
        out->queues.push_back(s);
    }
    out->unroutable = d->unroutable.load(std::memory_order_relaxed);
    out->rejectedUnattributed = 0;
    return true;
}

bool EmbeddedTransport::teardown(std::string *error)
{
    if (d->openChannels.load() != 0) {
        *error = "embedded broker: teardown() while " + std::to_string(d->openChannels.load())
            + " channel(s) are still open; close them first";
        return false;
    }
    if (d->expiryThread.joinable()) {
        {
            std::lock_guard lock(d->expiryMutex);
            d->expiryStop = true;
        }
        d->expiryCv.notify_one();
        d->expiryThread.join();
    }
    d->anyExpiring = false;
    d->queues.clear();
    d->exchanges.clear();
    d->queueOfNode.clear();
    d->exchangeOfNode.clear();
    d->selfRoute.clear();
    d->scenario = nullptr;
    d->unroutable = 0;
    return true;
}

std::int64_t EmbeddedTransport::peakUnacked(int consumerNode) const
{
    std::int64_t peak = 0;
    for (const auto &qp : d->queues) {
        std::lock_guard lock(qp->m);
        for (const Subscription *s : qp->subs)
            if (s->consumer == consumerNode)
                peak = std::max(peak, s->peakUnacked);
    }
    std::lock_guard lock(d->peaksMutex);
    for (const auto &[c, p] : d->peaks)
        if (c == consumerNode)
            peak = std::max(peak, p);
    return peak;
}

std::unique_ptr<Transport> makeEmbeddedTransport(const LiveOptions &options, std::string *)
{
    return std::make_unique<EmbeddedTransport>(options);
}

} // namespace ql
