#include "live/embeddedtransport.h"

#include "topology/compiledtopology.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string_view>
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
    const T &front() const { return buf_[head_]; }
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
            levels[victim].popFront();
            --ready;
        }
    }
    // Offers one message; returns the subscriber to wake, if any.
    Subscription *offer(const Item &item, std::int64_t t);
    void fill(Subscription &s);
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

Subscription *EQueue::offer(const Item &item, std::int64_t t)
{
    ++arrivals;
    if (ready == 0) {
        if (Subscription *s = pickSubscriber()) {
            s->deliver(item);
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
        dropHead();
    }
    const int p = std::clamp(item.priority, 0, 255);
    levels[levels.size() > 1 ? levelOf[std::size_t(p)] : 0].pushBack(item);
    if (++ready > readyPeak)
        readyPeak = ready;
    return nullptr;
}

void EQueue::fill(Subscription &s)
{
    if (ready == 0 || !s.hasRoom())
        return;
    touch(nowNs());
    while (ready > 0 && s.hasRoom())
        s.deliver(take());
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
};

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
                if (Subscription *s = q->offer(Item{messages[i].payload, messages[i].priority},
                                               messages[i].payload.hopNs))
                    wake_.push_back(s);
            }
        }
        // Wake after unlocking, so the woken consumer does not block on the mutex at once.
        // Subscriptions outlive every publishing thread (see transport.h), so this is safe.
        for (Subscription *s : wake_)
            s->cv.notify_one();
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
        std::lock_guard lock(q.m);
        q.subs.push_back(sub_.get());
        q.fill(*sub_);
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
        std::unique_lock lock(q.m);
        if (pendingAcks_) {
            s.unacked -= pendingAcks_;
            pendingAcks_ = 0;
            q.fill(s);
        }
        while (s.inbox.empty()) {
            if (std::chrono::steady_clock::now() >= deadline)
                return 0;
            s.waiting = true;
            s.cv.wait_until(lock, deadline);
            s.waiting = false;
        }
        std::size_t count = 0;
        while (count < max && !s.inbox.empty()) {
            const Item item = s.inbox.popFront();
            Delivery &d = out[count++];
            d.payload = item.payload;
            d.priority = item.priority;
            d.tag = ++nextTag_;
            d.foreign = false;
        }
        return int(count);
    }

    bool ack(const std::uint64_t *, std::size_t n, std::string *) override
    {
        pendingAcks_ += std::int64_t(n); // applied under the lock of the next receive()
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
