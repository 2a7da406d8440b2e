#include "sim/simulation.h"

#include "random/rng.h"
#include "random/sampler.h"
#include "sim/eventlist.h"
#include "sim/ringbuffer.h"
#include "stats/serieswriter.h"
#include "topology/compiledtopology.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace ql {

namespace {

enum EventKind : std::uint8_t {
    Arrival = 1, ServiceEnd = 2, WarmupEnd = 3, Sample = 4, DelayEnd = 5, Expire = 6, Crash = 7, Restart = 8,
    Retry = 9
};
constexpr double Never = std::numeric_limits<double>::infinity();
constexpr std::uint32_t NoMessage = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t NoTarget = std::numeric_limits<std::uint32_t>::max();

struct Message
{
    double publishTime;
    double enqueueTime;   // arrival in the current queue (or its return to it)
    double serviceStart;
    double ttl;           // per-message TTL (AMQP expiration), Never without one
    double expireAt;      // in its current queue, when that queue expires messages
    std::uint64_t serial;
    std::uint32_t route;  // routing identity (producer key + headers), see Topology
    std::uint32_t level;  // priority level index, 0 = highest
    std::uint32_t nextFree;
    std::uint16_t returns;     // unsuccessful deliveries so far (requeued: redelivered)
    std::uint8_t deadLetters;  // dead-letter hops since its last rejection (cycle rule)
    std::uint8_t attempts;     // its producer's retries of its publish so far
};

// A piecewise-constant quantity (queue length, busy servers) integrated over time, with
// its value and integral at the end of warm-up kept so both the whole-run series and the
// post-warm-up statistics come from one accumulator.
struct Level
{
    double area = 0, last = 0;
    int value = 0;
    int maxAfterWarmup = 0;

    void set(double t, int v)
    {
        area += double(value) * (t - last);
        last = t;
        value = v;
        if (v > maxAfterWarmup)
            maxAfterWarmup = v;
    }
    double areaAt(double t) const { return area + double(value) * (t - last); }
};

// Counters that only grow; statistics after warm-up are differences against a copy taken at
// the end of warm-up, time series are differences between samples.
struct Counters
{
    std::uint64_t published = 0, routed = 0, unroutable = 0, arrivals = 0, drops = 0,
                  dispatched = 0, completed = 0, waits = 0;
    double waitSum = 0;
    // failures and retries
    std::uint64_t expired = 0, deadLetteredExpired = 0, deadLetteredRejected = 0,
                  deadLetteredMaxlen = 0, deadLetteredDeliveryLimit = 0, requeued = 0,
                  redelivered = 0, rejected = 0, crashes = 0, interrupted = 0, refused = 0, retried = 0,
                  givenUp = 0;
};

struct OnwardLink
{
    double cumulative;      // cumulative probability up to and including this link
    std::uint32_t target;
};

struct NodeState
{
    NodeKind kind;
    Rng rng;
    Sampler sampler;        // producer: interarrival; consumer: service; delay: delay
    // producer
    std::uint32_t target = NoTarget;
    std::vector<double> keyCumulative; // weighted routing keys
    std::vector<std::uint32_t> keyRoutes;
    std::uint32_t level = 0;
    std::int64_t limit = -1;
    std::int64_t sent = 0;
    bool hasTtl = false;    // draws a per-message TTL from auxSampler
    Sampler auxSampler;     // producer: message TTL
    Rng auxRng;             // producer: TTL draws; consumer: outcome draws (own streams)
    int retryLimit = 0;     // producer: retries of a refused publish
    Sampler retrySampler;
    double retryFactor = 1, retryMax = Never;
    Rng retryRng;
    // exchange: routing table row offset (route id -> span of queues)
    std::uint32_t exchangeIndex = 0;
    // queue
    std::vector<RingBuffer> ready; // one ring per priority level (1 unless discipline priority)
    std::uint32_t readyCount = 0;
    std::int64_t capacity = 0;
    Overflow overflow = Overflow::RejectPublish;
    Discipline discipline = Discipline::Fifo;
    std::vector<std::uint32_t> consumers;
    std::uint32_t roundRobin = 0;
    std::uint32_t deadLetter = NoTarget; // where what it drops goes (a dead-letter link)
    bool expiring = false;         // messages in it may expire (a queue or message TTL)
    double queueTtl = Never;       // x-message-ttl
    double expiryArmedAt = Never;  // when the pending Expire event is due
    std::int64_t deliveryLimit = -1; // quorum: unsuccessful deliveries allowed
    Level length;
    // consumer
    std::uint32_t queue = NoTarget;
    int servers = 1;
    int slots = 1;          // servers * prefetch
    int inFlight = 0;
    RingBuffer waiting;     // delivered, not yet in service
    bool outcomes = false;  // rejects or requeues some messages
    double rejectProbability = 0, requeueProbability = 0;
    // crashes: service ends are cancellable timers then, so a crash can take them back
    bool crashes = false;
    bool down = false;
    int upSlots = 1;        // slots while up (0 while down, so no queue hands it anything)
    Sampler failureSampler, restartSampler;
    Rng crashRng;
    std::vector<std::pair<TimerId, std::uint32_t>> inService;
    Level downLevel;        // 1 while down
    Level busy;             // consumer: busy servers; delay: messages in transit
    std::vector<OnwardLink> onward;
    bool onwardAlways = false; // single link without probability
    // statistics
    Counters total;
    Counters atWarmup;
    Counters atSample;
    double lengthAreaAtWarmup = 0, busyAreaAtWarmup = 0, downAreaAtWarmup = 0;
    double lengthAreaAtSample = 0, busyAreaAtSample = 0;
    std::unique_ptr<Histogram> waitHist;
    std::unique_ptr<Histogram> serviceHist;
};

} // namespace

struct Simulation::Impl
{
    const Scenario scenario; // a copy: the caller's may change while we run (the editor)
    EventList events;
    std::vector<NodeState> nodes;
    std::vector<Message> messages;
    std::uint32_t freeList = NoMessage;
    std::uint64_t nextSerial = 1;
    // Routing: routeSpans[exchangeIndex * routeCount + route] = [begin, end) in routeTargets.
    std::uint32_t routeCount = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> routeSpans;
    std::vector<std::uint32_t> routeTargets;
    std::uint32_t levelCount = 1;

    double duration;
    double warmup;
    double sampleInterval;
    std::int64_t maxMessages = -1;
    std::int64_t publishedTotal = 0;
    std::uint64_t eventCount = 0;
    bool finished = false;
    bool warmedUp = false;
    std::atomic<bool> stopRequested{false};
    const std::atomic<bool> *cancel = nullptr;
    std::string error;
    // Safety net against zero-time loops: how many checks in a row saw the clock stand still.
    double lastCheckTime = -1;
    int stalledChecks = 0;
    SimObserver *observer = nullptr;
    // The producer whose publish is being routed right now (a refusal is its nack), and
    // whether that publish was refused already (one nack per publish, as with confirms).
    std::uint32_t publishing = NoTarget;
    bool publishRefused = false;

    // end to end
    std::uint64_t delivered = 0, deliveredAtWarmup = 0, deliveredAtSample = 0;
    double latencySumAtSample = 0, latencySum = 0;
    Histogram latency;        // after warm-up
    Histogram latencyInterval; // since the last sample, for the series
    SeriesWriter series;

    Impl(const Scenario &s, std::uint64_t seed);
    void compile(std::uint64_t seed);
    void startMeasuring();

    std::uint32_t allocMessage()
    {
        if (freeList == NoMessage) {
            messages.push_back(Message{});
            return std::uint32_t(messages.size() - 1);
        }
        const std::uint32_t m = freeList;
        freeList = messages[m].nextFree;
        return m;
    }
    void freeMessage(std::uint32_t m)
    {
        messages[m].nextFree = freeList;
        freeList = m;
    }

    void dispatchEvent(const Event &e);
    void produce(std::uint32_t p);
    void send(std::uint32_t from, std::uint32_t to, std::uint32_t m);
    void route(std::uint32_t x, std::uint32_t m);
    void arriveAtQueue(std::uint32_t q, std::uint32_t m);
    void dispatchQueue(std::uint32_t q);
    int pickConsumer(NodeState &queue);
    void deliverToConsumer(std::uint32_t q, std::uint32_t c, std::uint32_t m);
    void startService(std::uint32_t c, std::uint32_t m);
    void endService(std::uint32_t c, std::uint32_t m);
    void forward(std::uint32_t from, std::uint32_t m);
    void enterDelay(std::uint32_t d, std::uint32_t m);
    void leaveDelay(std::uint32_t d, std::uint32_t m);
    void finishMessage(std::uint32_t m);
    void drop(std::uint32_t node, std::uint32_t m, DropReason why);
    bool settle(std::uint32_t c, std::uint32_t m);
    void returnToQueue(std::uint32_t q, std::uint32_t m);
    void crash(std::uint32_t c);
    void publish(std::uint32_t p, std::uint32_t m);
    bool refusePublish(std::uint32_t m);
    void restart(std::uint32_t c);
    void expireHeads(std::uint32_t q);
    void armExpiry(std::uint32_t q);
    std::uint32_t takeReady(NodeState &queue);
    void takeSample(double t);
    void finish(double t);
    bool shouldEnd();
    RunStats collect(double t) const;
};

Simulation::Impl::Impl(const Scenario &s, std::uint64_t seed)
    : scenario(s)
    , duration(s.run.duration)
    , warmup(s.run.warmup)
{
    sampleInterval = s.run.sampleInterval > 0 ? s.run.sampleInterval : duration / 100.0;
    if (s.run.maxMessages)
        maxMessages = *s.run.maxMessages;
    compile(seed);
}

void Simulation::Impl::compile(std::uint64_t seed)
{
    const auto &sn = scenario.nodes;
    const std::uint32_t n = std::uint32_t(sn.size());
    nodes.resize(n);

    // What the topology means: compiled once, shared with theory and the live backends.
    const CompiledTopology topology(scenario);
    levelCount = std::uint32_t(topology.priorityLevels().size());
    routeCount = std::uint32_t(topology.routeClassCount());

    const bool anyMessageTtl = std::any_of(sn.begin(), sn.end(), [](const Node &node) {
        return node.kind == NodeKind::Producer && node.messageTtl;
    });
    std::uint32_t exchangeCount = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const Node &node = sn[i];
        NodeState &st = nodes[i];
        st.kind = node.kind;
        st.rng.reseed(streamSeed(seed, node.id));
        switch (node.kind) {
        case NodeKind::Producer:
            st.sampler = Sampler(node.interarrival);
            if (node.retryLimit > 0) {
                st.retryLimit = node.retryLimit;
                st.retrySampler = Sampler(node.retryBackoff);
                st.retryFactor = node.retryBackoffFactor;
                st.retryMax = node.retryBackoffMax ? *node.retryBackoffMax : Never;
                st.retryRng.reseed(streamSeed(seed, node.id + "#retry"));
            }
            if (node.messageTtl) {
                st.hasTtl = true;
                st.auxSampler = Sampler(*node.messageTtl);
                st.auxRng.reseed(streamSeed(seed, node.id + "#ttl"));
            }
            st.limit = node.limit ? *node.limit : -1;
            st.level = std::uint32_t(topology.levelOf(int(i)));
            if (topology.publishTarget(int(i)) >= 0)
                st.target = std::uint32_t(topology.publishTarget(int(i)));
            for (const CompiledTopology::PublishKey &k : topology.publishKeys(int(i))) {
                st.keyRoutes.push_back(std::uint32_t(k.routeClass));
                st.keyCumulative.push_back(k.cumulative);
            }
            break;
        case NodeKind::Exchange:
            st.exchangeIndex = exchangeCount++;
            break;
        case NodeKind::Queue:
            st.capacity = node.capacity;
            st.overflow = node.overflow;
            st.discipline = node.discipline;
            st.ready.resize(node.discipline == Discipline::Priority ? levelCount : 1);
            st.waitHist = std::make_unique<Histogram>();
            for (int c : topology.consumersOf(int(i)))
                st.consumers.push_back(std::uint32_t(c));
            for (const CompiledTopology::Edge &e : topology.outgoing(int(i)))
                if (e.role == LinkRole::DeadLetter)
                    st.deadLetter = std::uint32_t(e.to);
            if (node.queueTtl)
                st.queueTtl = std::max(0.0, *node.queueTtl);
            st.expiring = node.queueTtl || anyMessageTtl;
            if (node.queueType == QueueType::Quorum && node.deliveryLimit)
                st.deliveryLimit = *node.deliveryLimit;
            break;
        case NodeKind::Consumer:
            st.sampler = Sampler(node.service);
            st.servers = node.servers;
            st.slots = node.servers * node.prefetch;
            st.serviceHist = std::make_unique<Histogram>();
            st.rejectProbability = node.rejectProbability;
            st.requeueProbability = node.requeueProbability;
            st.outcomes = node.rejectProbability > 0 || node.requeueProbability > 0;
            if (st.outcomes)
                st.auxRng.reseed(streamSeed(seed, node.id + "#outcome"));
            if (node.timeToFailure && node.timeToRestart) {
                st.crashes = true;
                st.failureSampler = Sampler(*node.timeToFailure);
                st.restartSampler = Sampler(*node.timeToRestart);
                st.crashRng.reseed(streamSeed(seed, node.id + "#crash"));
            }
            if (topology.queueOf(int(i)) >= 0)
                st.queue = std::uint32_t(topology.queueOf(int(i)));
            st.onwardAlways = topology.onwardAlways(int(i));
            for (const CompiledTopology::Onward &o : topology.onward(int(i)))
                st.onward.push_back({o.cumulative, std::uint32_t(o.to)});
            break;
        case NodeKind::Delay:
            // Unlimited servers: every message gets its own delay (M/G/inf). Its delay times
            // go to the service histogram, its messages in transit to the busy level.
            st.sampler = Sampler(node.delay);
            st.serviceHist = std::make_unique<Histogram>();
            st.onwardAlways = topology.onwardAlways(int(i));
            for (const CompiledTopology::Onward &o : topology.onward(int(i)))
                st.onward.push_back({o.cumulative, std::uint32_t(o.to)});
            break;
        case NodeKind::Sink:
            break;
        }
    }

    // Routing table: the exchanges' rows of the topology's destinations, flattened.
    routeSpans.assign(std::size_t(exchangeCount) * routeCount, {0, 0});
    for (std::uint32_t i = 0; i < n; ++i) {
        if (nodes[i].kind != NodeKind::Exchange)
            continue;
        for (std::uint32_t r = 0; r < routeCount; ++r) {
            const auto begin = std::uint32_t(routeTargets.size());
            for (int q : topology.destinations(int(i), int(r)))
                routeTargets.push_back(std::uint32_t(q));
            routeSpans[std::size_t(nodes[i].exchangeIndex) * routeCount + r] =
                {begin, std::uint32_t(routeTargets.size())};
        }
    }

    // Time series: the columns every run shares (stats/serieswriter.h).
    series = SeriesWriter(scenario);

    // First events: one arrival per producer, warm-up end, first sample.
    events.reserve(64);
    for (std::uint32_t i = 0; i < n; ++i) {
        NodeState &st = nodes[i];
        if (st.kind == NodeKind::Producer && st.target != NoTarget && st.limit != 0 && maxMessages != 0)
            events.push(st.sampler(st.rng), Arrival, i, 0);
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        NodeState &st = nodes[i];
        st.upSlots = st.slots;
        if (st.crashes)
            events.push(std::max(0.0, st.failureSampler(st.crashRng)), Crash, i, 0);
    }
    if (warmup > 0)
        events.push(warmup, WarmupEnd, 0, 0);
    else
        startMeasuring();
    events.push(std::min(sampleInterval, duration), Sample, 0, 0);
}

void Simulation::Impl::startMeasuring()
{
    const double t = events.now();
    warmedUp = true;
    for (NodeState &st : nodes) {
        st.atWarmup = st.total;
        st.lengthAreaAtWarmup = st.length.areaAt(t);
        st.busyAreaAtWarmup = st.busy.areaAt(t);
        st.downAreaAtWarmup = st.downLevel.areaAt(t);
        st.length.maxAfterWarmup = st.length.value;
        st.busy.maxAfterWarmup = st.busy.value;
        if (st.waitHist)
            st.waitHist->reset();
        if (st.serviceHist)
            st.serviceHist->reset();
    }
    deliveredAtWarmup = delivered;
    latency.reset();
}

inline void Simulation::Impl::dispatchEvent(const Event &e)
{
    switch (e.kind()) {
    case Arrival:
        produce(e.target);
        break;
    case ServiceEnd:
        endService(e.target, e.data);
        break;
    case DelayEnd:
        leaveDelay(e.target, e.data);
        break;
    case Crash:
        crash(e.target);
        break;
    case Retry:
        nodes[e.target].total.retried++;
        messages[e.data].attempts++;
        publish(e.target, e.data);
        break;
    case Restart:
        restart(e.target);
        break;
    case Expire:
        // Only the pending one: an earlier head may have armed a later event since.
        if (e.time == nodes[e.target].expiryArmedAt) {
            nodes[e.target].expiryArmedAt = Never;
            expireHeads(e.target);
            armExpiry(e.target);
        }
        break;
    case WarmupEnd:
        startMeasuring();
        break;
    case Sample:
        takeSample(e.time);
        if (e.time < duration)
            events.push(std::min(e.time + sampleInterval, duration), Sample, 0, 0);
        break;
    }
}

void Simulation::Impl::produce(std::uint32_t p)
{
    NodeState &st = nodes[p];
    const double now = events.now();
    const std::uint32_t m = allocMessage();
    Message &msg = messages[m];
    msg.publishTime = now;
    msg.serial = nextSerial++;
    msg.level = st.level;
    msg.ttl = st.hasTtl ? std::max(0.0, st.auxSampler(st.auxRng)) : Never;
    msg.returns = 0;
    msg.deadLetters = 0;
    msg.attempts = 0;
    if (st.keyRoutes.size() == 1) {
        msg.route = st.keyRoutes.front();
    } else {
        const double u = st.rng.uniform();
        std::size_t k = 0;
        while (k + 1 < st.keyCumulative.size() && u >= st.keyCumulative[k])
            ++k;
        msg.route = st.keyRoutes[k];
    }
    st.total.published++;
    st.sent++;
    publishedTotal++;
    if (observer)
        observer->published(now, msg.serial, int(p));

    // Next publish, unless a limit is reached.
    if ((st.limit < 0 || st.sent < st.limit) && (maxMessages < 0 || publishedTotal < maxMessages))
        events.push(now + st.sampler(st.rng), Arrival, p, 0);

    publish(p, m);
}

inline void Simulation::Impl::publish(std::uint32_t p, std::uint32_t m)
{
    if (nodes[p].retryLimit == 0) {
        send(p, nodes[p].target, m);
        return;
    }
    publishing = p;
    publishRefused = false;
    send(p, nodes[p].target, m);
    publishing = NoTarget;
}

// The broker refused a copy of the message being published (a full reject-publish queue,
// or no binding): under publisher confirms the producer hears it and publishes the whole
// message again after its backoff, up to its limit (copies other queues accepted stay:
// they are delivered twice). True when the message was kept for the retry.
bool Simulation::Impl::refusePublish(std::uint32_t m)
{
    if (publishRefused)
        return false; // one nack per publish
    publishRefused = true;
    NodeState &producer = nodes[publishing];
    producer.total.refused++;
    Message &msg = messages[m];
    if (msg.attempts >= producer.retryLimit) {
        producer.total.givenUp++;
        return false;
    }
    double wait = std::max(0.0, producer.retrySampler(producer.retryRng));
    for (int k = 0; k < msg.attempts; ++k)
        wait *= producer.retryFactor;
    events.push(events.now() + std::min(wait, producer.retryMax), Retry, publishing, m);
    return true;
}

inline void Simulation::Impl::send(std::uint32_t from, std::uint32_t to, std::uint32_t m)
{
    if (observer)
        observer->moved(events.now(), messages[m].serial, int(from), int(to));
    switch (nodes[to].kind) {
    case NodeKind::Queue:
        arriveAtQueue(to, m);
        break;
    case NodeKind::Exchange:
        route(to, m);
        break;
    case NodeKind::Delay:
        enterDelay(to, m);
        break;
    case NodeKind::Sink:
        finishMessage(m);
        break;
    case NodeKind::Producer:
    case NodeKind::Consumer:
        // No link role sends a message here (topology/nodekinds.h): a queue hands messages
        // to its consumers by subscription, not by send().
        finishMessage(m);
        break;
    }
}

void Simulation::Impl::route(std::uint32_t x, std::uint32_t m)
{
    NodeState &ex = nodes[x];
    const auto [begin, end] = routeSpans[std::size_t(ex.exchangeIndex) * routeCount + messages[m].route];
    if (begin == end) {
        ex.total.unroutable++;
        drop(x, m, DropReason::Unroutable);
        return;
    }
    ex.total.routed++;
    // Fanout: every extra queue gets its own copy with the original publish time.
    for (std::uint32_t i = begin; i + 1 < end; ++i) {
        const std::uint32_t copy = allocMessage();
        messages[copy] = messages[m];
        messages[copy].serial = nextSerial++;
        send(x, routeTargets[i], copy);
    }
    send(x, routeTargets[end - 1], m);
}

void Simulation::Impl::arriveAtQueue(std::uint32_t q, std::uint32_t m)
{
    NodeState &queue = nodes[q];
    const double now = events.now();
    queue.total.arrivals++;
    messages[m].enqueueTime = now;

    // Fast path: nothing waits and a consumer has room, so the message goes straight on.
    if (queue.readyCount == 0) {
        const int c = pickConsumer(queue);
        if (c >= 0) {
            deliverToConsumer(q, std::uint32_t(c), m);
            return;
        }
    }
    if (queue.capacity > 0 && queue.readyCount >= queue.capacity) {
        queue.total.drops++;
        if (queue.overflow != Overflow::DropHead) { // reject-publish(-dlx): the new one goes
            drop(q, m, DropReason::Overflow);
            return;
        }
        // drop-head: the oldest ready message goes.
        std::uint32_t oldestLevel = 0;
        double oldest = std::numeric_limits<double>::infinity();
        for (std::uint32_t l = 0; l < queue.ready.size(); ++l) {
            if (!queue.ready[l].empty() && messages[queue.ready[l].front()].enqueueTime < oldest) {
                oldest = messages[queue.ready[l].front()].enqueueTime;
                oldestLevel = l;
            }
        }
        const std::uint32_t victim = queue.ready[oldestLevel].popFront();
        queue.readyCount--;
        drop(q, victim, DropReason::DropHead);
    }
    const std::uint32_t level = queue.ready.size() > 1 ? messages[m].level : 0;
    queue.ready[level].pushBack(m);
    queue.readyCount++;
    queue.length.set(now, int(queue.readyCount));
    if (observer)
        observer->enqueued(now, messages[m].serial, int(q), int(queue.readyCount));
    if (queue.expiring) [[unlikely]] {
        // The lower of the queue's and the message's TTL, from now (RabbitMQ's rule).
        messages[m].expireAt = now + std::min(messages[m].ttl, queue.queueTtl);
        armExpiry(q);
    }
}

// Expired messages leave a queue when they reach its head (the end it delivers from), as in
// RabbitMQ's classic and quorum queues: one behind a longer-lived message waits for it.
void Simulation::Impl::expireHeads(std::uint32_t q)
{
    NodeState &queue = nodes[q];
    const double now = events.now();
    const bool lifo = queue.discipline == Discipline::Lifo;
    for (RingBuffer &ring : queue.ready) {
        while (!ring.empty()) {
            const std::uint32_t m = lifo ? ring.back() : ring.front();
            if (messages[m].expireAt > now)
                break;
            if (lifo)
                ring.popBack();
            else
                ring.popFront();
            queue.readyCount--;
            queue.length.set(now, int(queue.readyCount));
            queue.total.expired++;
            drop(q, m, DropReason::Expired);
        }
    }
}

void Simulation::Impl::armExpiry(std::uint32_t q)
{
    NodeState &queue = nodes[q];
    const bool lifo = queue.discipline == Discipline::Lifo;
    double next = Never;
    for (const RingBuffer &ring : queue.ready)
        if (!ring.empty())
            next = std::min(next, messages[lifo ? ring.back() : ring.front()].expireAt);
    // A new head may be overdue already (it expired behind a longer-lived one): now, then.
    next = std::max(next, events.now());
    if (next < queue.expiryArmedAt) {
        queue.expiryArmedAt = next;
        events.push(next, Expire, q, 0);
    }
}

inline int Simulation::Impl::pickConsumer(NodeState &queue)
{
    const auto count = std::uint32_t(queue.consumers.size());
    for (std::uint32_t k = 0; k < count; ++k) {
        std::uint32_t i = queue.roundRobin + k;
        if (i >= count)
            i -= count;
        const std::uint32_t c = queue.consumers[i];
        if (nodes[c].inFlight < nodes[c].slots) {
            queue.roundRobin = i + 1 == count ? 0 : i + 1;
            return int(c);
        }
    }
    return -1;
}

std::uint32_t Simulation::Impl::takeReady(NodeState &queue)
{
    for (RingBuffer &ring : queue.ready) { // highest priority level first
        if (!ring.empty()) {
            queue.readyCount--;
            return queue.discipline == Discipline::Lifo ? ring.popBack() : ring.popFront();
        }
    }
    return NoMessage;
}

void Simulation::Impl::dispatchQueue(std::uint32_t q)
{
    NodeState &queue = nodes[q];
    while (queue.readyCount > 0) {
        const int c = pickConsumer(queue);
        if (c < 0)
            break;
        if (queue.expiring) [[unlikely]] {
            expireHeads(q);
            if (queue.readyCount == 0)
                break;
        }
        const std::uint32_t m = takeReady(queue);
        queue.length.set(events.now(), int(queue.readyCount));
        deliverToConsumer(q, std::uint32_t(c), m);
    }
    if (queue.expiring) [[unlikely]]
        armExpiry(q);
}

inline void Simulation::Impl::deliverToConsumer(std::uint32_t q, std::uint32_t c, std::uint32_t m)
{
    nodes[q].total.dispatched++;
    if (messages[m].returns) [[unlikely]]
        nodes[q].total.redelivered++;
    if (observer)
        observer->moved(events.now(), messages[m].serial, int(q), int(c));
    NodeState &consumer = nodes[c];
    consumer.inFlight++;
    if (consumer.busy.value < consumer.servers)
        startService(c, m);
    else
        consumer.waiting.pushBack(m);
}

inline void Simulation::Impl::startService(std::uint32_t c, std::uint32_t m)
{
    NodeState &consumer = nodes[c];
    const double now = events.now();
    Message &msg = messages[m];
    NodeState &queue = nodes[consumer.queue];
    const double wait = now - msg.enqueueTime;
    queue.total.waits++;
    queue.total.waitSum += wait;
    queue.waitHist->add(wait);
    msg.serviceStart = now;
    consumer.busy.set(now, consumer.busy.value + 1);
    if (consumer.crashes) [[unlikely]]
        consumer.inService.push_back({events.pushTimer(now + consumer.sampler(consumer.rng), ServiceEnd, c, m), m});
    else
        events.push(now + consumer.sampler(consumer.rng), ServiceEnd, c, m);
    if (observer)
        observer->serviceStarted(now, msg.serial, int(c), consumer.busy.value);
}

void Simulation::Impl::endService(std::uint32_t c, std::uint32_t m)
{
    NodeState &consumer = nodes[c];
    const double now = events.now();
    if (consumer.crashes) [[unlikely]] {
        auto it = std::find_if(consumer.inService.begin(), consumer.inService.end(),
                               [m](const auto &s) { return s.second == m; });
        if (it != consumer.inService.end()) {
            *it = consumer.inService.back();
            consumer.inService.pop_back();
        }
    }
    consumer.busy.set(now, consumer.busy.value - 1);
    consumer.inFlight--;
    consumer.total.completed++;
    consumer.serviceHist->add(now - messages[m].serviceStart);
    if (observer)
        observer->serviceEnded(now, messages[m].serial, int(c), consumer.busy.value);
    if (!consumer.waiting.empty())
        startService(c, consumer.waiting.popFront());
    // A reject or a requeue settles the message here; otherwise it is acknowledged.
    const bool acked = !consumer.outcomes || settle(c, m);
    // The acknowledgement frees a prefetch slot: the queue may hand over its next message.
    if (nodes[consumer.queue].readyCount > 0)
        dispatchQueue(consumer.queue);
    if (acked)
        forward(c, m);
}

// How a service ends when the consumer rejects or returns some messages: true for an
// acknowledgement (the message goes on), false when it was rejected (dead-lettered as
// "rejected" or dropped) or returned to the head of its queue (nack with requeue; a quorum
// queue dead-letters it instead once its delivery limit is passed).
bool Simulation::Impl::settle(std::uint32_t c, std::uint32_t m)
{
    NodeState &consumer = nodes[c];
    const std::uint32_t q = consumer.queue;
    const double u = consumer.auxRng.uniform();
    if (u < consumer.rejectProbability) {
        consumer.total.rejected++;
        messages[m].deadLetters = 0; // a rejection: the cycle rule starts again
        drop(q, m, DropReason::Rejected);
        return false;
    }
    if (u >= consumer.rejectProbability + consumer.requeueProbability)
        return true;
    consumer.total.requeued++;
    returnToQueue(q, m);
    return false;
}

// A message comes back unacknowledged (nack with requeue, or its consumer crashed): to the
// head of its queue, ready again with its expiry kept and its wait counted from now; a
// quorum queue dead-letters it instead once it is past its delivery limit.
void Simulation::Impl::returnToQueue(std::uint32_t q, std::uint32_t m)
{
    NodeState &queue = nodes[q];
    queue.total.requeued++;
    Message &msg = messages[m];
    if (msg.returns < std::numeric_limits<std::uint16_t>::max())
        msg.returns++;
    if (queue.deliveryLimit >= 0 && msg.returns > queue.deliveryLimit) {
        msg.deadLetters = 0;
        drop(q, m, DropReason::DeliveryLimit);
        return;
    }
    const double now = events.now();
    msg.enqueueTime = now;
    const std::uint32_t level = queue.ready.size() > 1 ? msg.level : 0;
    if (queue.discipline == Discipline::Lifo)
        queue.ready[level].pushBack(m);
    else
        queue.ready[level].pushFront(m);
    queue.readyCount++;
    queue.length.set(now, int(queue.readyCount));
    if (observer)
        observer->enqueued(now, msg.serial, int(q), int(queue.readyCount));
    if (queue.expiring)
        armExpiry(q);
}

// A consumer crashes: what it holds goes back to its queue unacknowledged (the services
// under way are lost, their work will be done again), and it takes nothing until it restarts.
void Simulation::Impl::crash(std::uint32_t c)
{
    NodeState &consumer = nodes[c];
    const double now = events.now();
    consumer.total.crashes++;
    consumer.down = true;
    consumer.slots = 0;
    consumer.downLevel.set(now, 1);
    for (const auto &[timer, m] : consumer.inService) {
        events.cancel(timer);
        consumer.total.interrupted++;
        if (observer)
            observer->serviceEnded(now, messages[m].serial, int(c), 0);
        returnToQueue(consumer.queue, m);
    }
    consumer.inService.clear();
    // Prefetched messages went out in order: back to the head in the same order.
    std::vector<std::uint32_t> held;
    while (!consumer.waiting.empty())
        held.push_back(consumer.waiting.popBack());
    for (std::uint32_t m : held)
        returnToQueue(consumer.queue, m);
    consumer.busy.set(now, 0);
    consumer.inFlight = 0;
    events.push(now + std::max(0.0, consumer.restartSampler(consumer.crashRng)), Restart, c, 0);
    // Other consumers of the queue may take what came back.
    if (nodes[consumer.queue].readyCount > 0)
        dispatchQueue(consumer.queue);
}

void Simulation::Impl::restart(std::uint32_t c)
{
    NodeState &consumer = nodes[c];
    const double now = events.now();
    consumer.down = false;
    consumer.slots = consumer.upSlots;
    consumer.downLevel.set(now, 0);
    events.push(now + std::max(0.0, consumer.failureSampler(consumer.crashRng)), Crash, c, 0);
    if (nodes[consumer.queue].readyCount > 0)
        dispatchQueue(consumer.queue);
}

void Simulation::Impl::enterDelay(std::uint32_t d, std::uint32_t m)
{
    NodeState &delay = nodes[d];
    const double now = events.now();
    delay.total.arrivals++;
    delay.busy.set(now, delay.busy.value + 1);
    messages[m].serviceStart = now;
    events.push(now + delay.sampler(delay.rng), DelayEnd, d, m);
}

void Simulation::Impl::leaveDelay(std::uint32_t d, std::uint32_t m)
{
    NodeState &delay = nodes[d];
    const double now = events.now();
    delay.busy.set(now, delay.busy.value - 1);
    delay.total.completed++;
    delay.serviceHist->add(now - messages[m].serviceStart);
    forward(d, m);
}

// The onward choice after service: one link without a probability is taken without a draw.
inline void Simulation::Impl::forward(std::uint32_t from, std::uint32_t m)
{
    NodeState &st = nodes[from];
    if (st.onwardAlways) {
        send(from, st.onward.front().target, m);
        return;
    }
    if (!st.onward.empty()) {
        const double u = st.rng.uniform();
        for (const OnwardLink &link : st.onward) {
            if (u < link.cumulative) {
                send(from, link.target, m);
                return;
            }
        }
    }
    finishMessage(m); // no onward link, or the probability remainder: it leaves
}

inline void Simulation::Impl::finishMessage(std::uint32_t m)
{
    const double now = events.now();
    const double l = now - messages[m].publishTime;
    delivered++;
    latencySum += l;
    latency.add(l);
    latencyInterval.add(l);
    if (observer)
        observer->delivered(now, messages[m].serial, l);
    freeMessage(m);
}

void Simulation::Impl::drop(std::uint32_t node, std::uint32_t m, DropReason why)
{
    if (observer)
        observer->dropped(events.now(), messages[m].serial, int(node), why);
    NodeState &st = nodes[node];
    if (publishing != NoTarget) [[unlikely]] {
        const bool nacked = (why == DropReason::Overflow && st.overflow == Overflow::RejectPublish)
            || why == DropReason::Unroutable;
        if (nacked && refusePublish(m))
            return;
    }
    if (st.deadLetter != NoTarget) [[unlikely]] {
        // What RabbitMQ dead-letters, by reason: an expired message, a rejected one, one past
        // its delivery limit, and overflow ("maxlen") with drop-head or reject-publish-dlx.
        std::uint64_t *reason = nullptr;
        switch (why) {
        case DropReason::Expired: reason = &st.total.deadLetteredExpired; break;
        case DropReason::Rejected: reason = &st.total.deadLetteredRejected; break;
        case DropReason::DeliveryLimit: reason = &st.total.deadLetteredDeliveryLimit; break;
        case DropReason::DropHead: reason = &st.total.deadLetteredMaxlen; break;
        case DropReason::Overflow:
            if (st.overflow == Overflow::RejectPublishDlx)
                reason = &st.total.deadLetteredMaxlen;
            break;
        case DropReason::Unroutable:
        case DropReason::DeadLetterCycle:
            break;
        }
        Message &msg = messages[m];
        // RabbitMQ's cycle rule: a message that comes round a dead-letter cycle without being
        // rejected is dropped. Here: once it has been dead-lettered more times in a row than
        // there are nodes, it must be going round.
        if (reason && ++msg.deadLetters > std::min<std::size_t>(nodes.size(), 250)) {
            if (observer)
                observer->dropped(events.now(), msg.serial, int(node), DropReason::DeadLetterCycle);
            freeMessage(m);
            return;
        }
        if (reason) {
            ++*reason;
            msg.ttl = Never; // RabbitMQ removes the expiration of a dead-lettered message
            // The broker dead-letters it: whatever happens to it now is no nack of a publish.
            const std::uint32_t by = publishing;
            publishing = NoTarget;
            send(node, st.deadLetter, m);
            publishing = by;
            return;
        }
    }
    freeMessage(m);
}

void Simulation::Impl::takeSample(double t)
{
    if (!series.begin(t))
        return;
    const double dt = series.interval();
    using C = SeriesColumn;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        NodeState &st = nodes[i];
        const int node = int(i);
        const Counters &now = st.total, &then = st.atSample;
        switch (st.kind) {
        case NodeKind::Producer:
            series.put(node, C::ProducerThroughput, double(now.published - then.published) / dt);
            break;
        case NodeKind::Exchange:
            series.put(node, C::ExchangeThroughput, double(now.routed - then.routed) / dt);
            series.put(node, C::ExchangeUnroutable, double(now.unroutable - then.unroutable));
            break;
        case NodeKind::Queue: {
            const double area = st.length.areaAt(t);
            const auto waits = now.waits - then.waits;
            series.put(node, C::QueueLength, st.length.value);
            series.put(node, C::QueueLengthMean, (area - st.lengthAreaAtSample) / dt);
            series.put(node, C::QueueArrivalRate, double(now.arrivals - then.arrivals) / dt);
            series.put(node, C::QueueDrops, double(now.drops - then.drops));
            series.put(node, C::QueueWaitMean, waits ? (now.waitSum - then.waitSum) / double(waits) : 0.0);
            st.lengthAreaAtSample = area;
            break;
        }
        case NodeKind::Consumer: {
            const double area = st.busy.areaAt(t);
            series.put(node, C::ConsumerUtilization, (area - st.busyAreaAtSample) / (dt * st.servers));
            series.put(node, C::ConsumerThroughput, double(now.completed - then.completed) / dt);
            series.put(node, C::ConsumerBusy, st.busy.value);
            st.busyAreaAtSample = area;
            break;
        }
        case NodeKind::Delay:
            series.put(node, C::DelayThroughput, double(now.completed - then.completed) / dt);
            series.put(node, C::DelayInTransit, st.busy.value);
            break;
        case NodeKind::Sink:
            break;
        }
        st.atSample = st.total;
    }
    const auto count = delivered - deliveredAtSample;
    series.putEndToEnd(C::EndToEndThroughput, double(count) / dt);
    series.putEndToEnd(C::EndToEndLatencyMean, count ? (latencySum - latencySumAtSample) / double(count) : 0.0);
    series.putEndToEnd(C::EndToEndLatencyP50, latencyInterval.quantile(0.50));
    series.putEndToEnd(C::EndToEndLatencyP95, latencyInterval.quantile(0.95));
    series.putEndToEnd(C::EndToEndLatencyP99, latencyInterval.quantile(0.99));
    deliveredAtSample = delivered;
    latencySumAtSample = latencySum;
    latencyInterval.reset();
}

void Simulation::Impl::finish(double t)
{
    if (finished)
        return;
    events.setNow(std::max(events.now(), t));
    if (!warmedUp) // a run stopped before the end of warm-up measures nothing
        startMeasuring();
    finished = true;
}

// Called every 4096 events: a stop or cancel request, or a clock that has not moved for
// about ten million events (messages circulating through zero-time services), ends the run.
bool Simulation::Impl::shouldEnd()
{
    if (stopRequested.load(std::memory_order_relaxed)) {
        error = "stopped at t=" + std::to_string(events.now());
        return true;
    }
    if (cancel && cancel->load(std::memory_order_relaxed)) {
        error = "cancelled at t=" + std::to_string(events.now());
        return true;
    }
    if (events.now() == lastCheckTime) {
        if (++stalledChecks > 2500) {
            error = "simulated time stopped advancing at t=" + std::to_string(events.now())
                + ": ten million events at the same instant (messages circulating through "
                  "zero-time services?); give the services a duration or the loop an exit";
            return true;
        }
    } else {
        lastCheckTime = events.now();
        stalledChecks = 0;
    }
    return false;
}

RunStats Simulation::Impl::collect(double t) const
{
    RunStats r;
    const double measured = std::max(0.0, t - warmup);
    r.measuredTime = measured;
    r.events = eventCount;
    r.nodes.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const NodeState &st = nodes[i];
        NodeRunStats &out = r.nodes[i];
        const Counters &a = st.total, &b = st.atWarmup;
        out.published = a.published - b.published;
        out.routed = a.routed - b.routed;
        out.unroutable = a.unroutable - b.unroutable;
        out.arrivals = a.arrivals - b.arrivals;
        out.drops = a.drops - b.drops;
        out.dispatched = a.dispatched - b.dispatched;
        out.completed = a.completed - b.completed;
        out.expired = a.expired - b.expired;
        out.deadLetteredExpired = a.deadLetteredExpired - b.deadLetteredExpired;
        out.deadLetteredRejected = a.deadLetteredRejected - b.deadLetteredRejected;
        out.deadLetteredMaxlen = a.deadLetteredMaxlen - b.deadLetteredMaxlen;
        out.deadLetteredDeliveryLimit = a.deadLetteredDeliveryLimit - b.deadLetteredDeliveryLimit;
        out.requeued = a.requeued - b.requeued;
        out.redelivered = a.redelivered - b.redelivered;
        out.rejected = a.rejected - b.rejected;
        out.refused = a.refused - b.refused;
        out.retried = a.retried - b.retried;
        out.givenUp = a.givenUp - b.givenUp;
        out.crashes = a.crashes - b.crashes;
        out.interrupted = a.interrupted - b.interrupted;
        if (st.crashes)
            out.downtime = st.downLevel.areaAt(t) - st.downAreaAtWarmup;
        if (st.kind == NodeKind::Queue) {
            out.lengthMean = measured > 0 ? (st.length.areaAt(t) - st.lengthAreaAtWarmup) / measured : 0;
            out.lengthMax = st.length.maxAfterWarmup;
            out.wait = std::make_unique<Histogram>(*st.waitHist);
        }
        if (st.kind == NodeKind::Consumer) {
            out.utilization = measured > 0
                ? (st.busy.areaAt(t) - st.busyAreaAtWarmup) / (measured * st.servers) : 0;
            out.service = std::make_unique<Histogram>(*st.serviceHist);
        }
        if (st.kind == NodeKind::Delay) {
            out.lengthMean = measured > 0 ? (st.busy.areaAt(t) - st.busyAreaAtWarmup) / measured : 0;
            out.lengthMax = st.busy.maxAfterWarmup;
            out.service = std::make_unique<Histogram>(*st.serviceHist);
        }
    }
    r.delivered = delivered - deliveredAtWarmup;
    r.latency = latency;
    r.series = series.series();
    return r;
}

// ---------------------------------------------------------------------------------------

Simulation::Simulation(const Scenario &scenario, int replication)
    : d(std::make_unique<Impl>(scenario, replicationSeed(scenario.run.seed, replication)))
{
}

Simulation::Simulation(const Scenario &scenario, std::uint64_t seed, bool)
    : d(std::make_unique<Impl>(scenario, seed))
{
}

Simulation::~Simulation() = default;

bool Simulation::step()
{
    if (d->finished)
        return false;
    // Stop and cancel are read on every step (a GUI's Step button); the stall check only
    // every 4096 events, as in runUntil().
    const bool flagged = d->stopRequested.load(std::memory_order_relaxed)
        || (d->cancel && d->cancel->load(std::memory_order_relaxed));
    if ((flagged || (d->eventCount & 4095) == 0) && d->shouldEnd()) {
        d->finish(d->events.now());
        return false;
    }
    if (d->events.peekTime() > d->duration) {
        d->finish(d->duration);
        return false;
    }
    Event e;
    if (!d->events.pop(e)) {
        d->finish(d->duration);
        return false;
    }
    d->eventCount++;
    d->dispatchEvent(e);
    return true;
}

void Simulation::runUntil(double t)
{
    Impl &s = *d;
    const double until = std::min(t, s.duration);
    Event e;
    // The hot loop: pop, dispatch, repeat. The stop flag is read every 4096 events.
    while (!s.finished) {
        if ((s.eventCount & 4095) == 0 && s.shouldEnd()) {
            s.finish(s.events.now());
            return;
        }
        if (s.events.peekTime() > until)
            break;
        if (!s.events.pop(e))
            break;
        s.eventCount++;
        s.dispatchEvent(e);
    }
    if (!s.finished && until >= s.duration)
        s.finish(s.duration);
    else if (!s.finished && s.events.now() < until)
        s.events.setNow(until); // idle until t: the clock still moves (time averages)
}

void Simulation::run()
{
    runUntil(d->duration);
}

void Simulation::stop()
{
    d->stopRequested.store(true, std::memory_order_relaxed);
}

double Simulation::now() const { return d->events.now(); }
double Simulation::endTime() const { return d->duration; }
bool Simulation::finished() const { return d->finished; }
std::uint64_t Simulation::eventCount() const { return d->eventCount; }
std::uint64_t Simulation::pendingEvents() const { return d->events.size(); }
void Simulation::setObserver(SimObserver *observer) { d->observer = observer; }
void Simulation::setCancelFlag(const std::atomic<bool> *flag) { d->cancel = flag; }
std::string Simulation::error() const { return d->error; }

int Simulation::queueDepth(int node) const
{
    const auto &st = d->nodes.at(std::size_t(node));
    return st.kind == NodeKind::Queue ? int(st.readyCount) : 0;
}

int Simulation::busyServers(int node) const
{
    const auto &st = d->nodes.at(std::size_t(node));
    return st.kind == NodeKind::Consumer ? st.busy.value : 0;
}

int Simulation::inFlight(int node) const
{
    const auto &st = d->nodes.at(std::size_t(node));
    return st.kind == NodeKind::Consumer ? st.inFlight : 0;
}

RunStats Simulation::snapshot() const
{
    RunStats r = d->collect(d->events.now());
    r.partial = !d->finished || d->stopRequested.load();
    return r;
}

RunStats Simulation::takeStats()
{
    RunStats r = d->collect(d->events.now());
    r.partial = !d->finished || !d->error.empty();
    if (r.partial)
        r.error = d->error.empty() ? "stopped at t=" + std::to_string(d->events.now()) : d->error;
    return r;
}

} // namespace ql
