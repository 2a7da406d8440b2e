#include "live/liverun.h"

#include "random/sampler.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace ql::live {

void LiveRun::compile()
{
    n = sc.nodes.size();
    topology = CompiledTopology(sc);
    identityBase.assign(n, -1);
    producerTarget.assign(n, -1);
    keyCumulative.assign(n, {});
    onward.assign(n, {});
    onwardAlways.assign(n, false);
    consumerQueue.assign(n, -1);
    identityKey.clear();
    identityHeaders.clear();
    identityPriority.clear();
    for (const CompiledTopology::PublishKey &k : topology.allPublishKeys()) {
        identityKey.push_back(k.key);
        identityHeaders.push_back(k.headers.empty() ? nullptr : &k.headers);
        identityPriority.push_back(k.priority);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const int node = int(i);
        switch (topology.kind(node)) {
        case NodeKind::Producer:
            identityBase[i] = topology.firstPublishKey(node);
            producerTarget[i] = topology.publishTarget(node);
            for (const CompiledTopology::PublishKey &k : topology.publishKeys(node))
                keyCumulative[i].push_back(k.cumulative);
            break;
        case NodeKind::Consumer:
            consumerQueue[i] = topology.queueOf(node);
            [[fallthrough]];
        case NodeKind::Delay:
            onwardAlways[i] = topology.onwardAlways(node);
            for (const CompiledTopology::Onward &o : topology.onward(node))
                onward[i].push_back({o.cumulative, o.to});
            break;
        case NodeKind::Exchange:
        case NodeKind::Queue:
        case NodeKind::Sink:
            break;
        }
    }
}

std::span<const int> LiveRun::destinations(int target, int identity) const
{
    const auto &keys = topology.allPublishKeys();
    if (keys.empty())
        return topology.destinations(target, -1);
    return topology.destinations(target, keys[std::size_t(std::max(identity, 0))].routeClass);
}

// Counts one message published to `target` with routing identity `identity`.
void LiveRun::countPublish(WorkerShared &w, bool measuring, int target, int identity,
                           bool fromProducer, int producer)
{
    if (isDelay(target)) {
        // Handed to a delay, not to the broker: the delay's thread counts its arrival.
        if (fromProducer) {
            w.total[std::size_t(producer)].published++;
            if (measuring)
                w.measured[std::size_t(producer)].published++;
            w.publishedTotal++;
        }
        return;
    }
    const std::span<const int> queues = destinations(target, identity);
    auto bump = [&](std::vector<NodeCounters> &c) {
        if (fromProducer)
            c[std::size_t(producer)].published++;
        if (sc.nodes[std::size_t(target)].kind == NodeKind::Exchange) {
            if (queues.empty())
                c[std::size_t(target)].unroutable++;
            else
                c[std::size_t(target)].routed++;
        }
        for (int q : queues)
            c[std::size_t(q)].arrivals++;
    };
    bump(w.total);
    if (measuring)
        bump(w.measured);
    if (fromProducer) {
        w.publishedTotal++;
        w.publishedCopies += queues.size();
    } else {
        w.onwardCopies += queues.size();
    }
    if (queues.empty())
        w.unroutableTotal++;
}

int LiveRun::chooseOnward(int node, Rng &rng) const
{
    const std::vector<Onward> &links = onward[std::size_t(node)];
    if (onwardAlways[std::size_t(node)])
        return links.front().target;
    if (links.empty())
        return -1;
    const double u = rng.uniform();
    for (const Onward &l : links)
        if (u < l.cumulative)
            return l.target;
    return -1; // the probability remainder
}

OutMessage LiveRun::onwardMessage(int to, const Payload &pl, int priority, std::int64_t t, int *identity) const
{
    *identity = pl.producer >= 0 && !identityKey.empty()
        ? identityBase[std::size_t(pl.producer)] + std::max(0, pl.keyIndex) : -1;
    OutMessage m;
    m.target = to;
    if (*identity >= 0) {
        m.routingKey = identityKey[std::size_t(*identity)];
        m.headers = identityHeaders[std::size_t(*identity)];
    }
    m.priority = priority;
    m.payload = pl;
    m.payload.hopNs = t;
    return m;
}

void LiveRun::observeSend(std::int64_t ns, std::uint64_t msg, int from, int to, int identity) const
{
    const double t = unitsAt(ns);
    observer->moved(t, msg, from, to);
    switch (topology.kind(to)) {
    case NodeKind::Queue:
        observer->enqueued(t, msg, to, -1);
        break;
    case NodeKind::Exchange: {
        const std::span<const int> queues = destinations(to, identity);
        if (queues.empty())
            observer->dropped(t, msg, to, DropReason::Unroutable);
        for (int q : queues) {
            observer->moved(t, msg, to, q);
            observer->enqueued(t, msg, q, -1);
        }
        break;
    }
    case NodeKind::Producer:
    case NodeKind::Consumer:
    case NodeKind::Delay:
    case NodeKind::Sink:
        break;
    }
}

void LiveRun::deliver(WorkerShared &w, const Payload &pl, std::int64_t t)
{
    const double latency = double(t - pl.originNs) * unitsPerNs;
    if (observer)
        observer->delivered(unitsAt(t), pl.seq, latency);
    w.e2eTotal.delivered++;
    w.e2eTotal.latencySum += latency;
    w.latencyInterval.add(latency);
    if (t >= warmupEndNs) {
        w.e2eMeasured.delivered++;
        w.e2eMeasured.latencySum += latency;
        w.latency.add(latency);
    }
}

void LiveRun::handOver(DelayHandoffs &handoffs)
{
    for (auto &[delay, arrival] : handoffs) {
        DelayInbox &inbox = *delayInboxes[std::size_t(delay)];
        {
            std::lock_guard lock(inbox.m);
            inbox.arrivals.push_back(arrival);
        }
        inbox.cv.notify_one();
    }
    handoffs.clear();
}

void LiveRun::producerLoop(int p)
{
    preciseTimers();
    const Node &node = sc.nodes[std::size_t(p)];
    TransportChannel &ch = *channels[std::size_t(p)];
    WorkerShared &w = *workers[std::size_t(p)];
    Rng rng(streamSeed(seed, node.id));
    const Sampler sampler(node.interarrival);
    // Its messages' TTLs, from a stream of their own (as the simulator draws them).
    Rng ttlRng(streamSeed(seed, node.id + "#ttl"));
    const Sampler ttlSampler(node.messageTtl.value_or(Distribution{}));
    const bool hasTtl = node.messageTtl.has_value();
    const int target = producerTarget[std::size_t(p)];
    const auto &cumulative = keyCumulative[std::size_t(p)];
    const int base = identityBase[std::size_t(p)];
    const std::int64_t limit = node.limit ? *node.limit : -1;
    const std::int64_t maxMessages = sc.run.maxMessages ? *sc.run.maxMessages : -1;
    std::int64_t sent = 0;
    std::uint64_t seq = std::uint64_t(p) << 40;
    std::vector<OutMessage> batch;
    batch.reserve(Batch);
    std::vector<int> identities;
    identities.reserve(Batch);
    const bool toDelay = target >= 0 && isDelay(target);
    DelayHandoffs handoffs;
    std::string err;

    // Absolute send times, in double nanoseconds so tiny interarrival times add up.
    double next = double(startNs) + sampler(rng) * nsPerUnit;
    bool limited = target < 0 || limit == 0 || maxMessages == 0;
    while (!limited) {
        std::int64_t now = nowNs();
        if (stopping(now) || next >= double(stopAtNs.load(std::memory_order_relaxed)))
            break;
        bool waited = false;
        if (next > double(now)) {
            if (!waitUntil(std::int64_t(std::ceil(next))))
                break;
            now = nowNs();
            waited = true;
        }
        // Everything due by now goes in one batch (a producer behind schedule catches up).
        const double firstDue = next;
        batch.clear();
        identities.clear();
        while (next <= double(now) && batch.size() < Batch) {
            if (maxMessages > 0 && globalPublished.fetch_add(1, std::memory_order_relaxed) >= maxMessages) {
                limited = true;
                break;
            }
            std::size_t k = 0;
            if (cumulative.size() > 1) {
                const double u = rng.uniform();
                while (k + 1 < cumulative.size() && u >= cumulative[k])
                    ++k;
            }
            const int identity = base + int(k);
            OutMessage m;
            m.target = target;
            m.routingKey = identityKey[std::size_t(identity)];
            m.headers = identityHeaders[std::size_t(identity)];
            m.priority = identityPriority[std::size_t(identity)];
            m.payload.originNs = now;
            m.payload.hopNs = now;
            m.payload.seq = ++seq;
            m.payload.producer = p;
            m.payload.keyIndex = node.routingKeys.empty() ? -1 : int(k);
            if (hasTtl)
                m.ttlNs = std::int64_t(std::max(0.0, ttlSampler(ttlRng)) * nsPerUnit);
            batch.push_back(m);
            identities.push_back(identity);
            next += sampler(rng) * nsPerUnit;
            if (limit > 0 && ++sent >= limit) {
                limited = true;
                break;
            }
        }
        if (batch.empty())
            continue;
        // Told before the send: a consumer may receive a message before publish() returns.
        if (observer) {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                observer->published(unitsAt(now), batch[i].payload.seq, p);
                observeSend(now, batch[i].payload.seq, p, target, identities[i]);
            }
        }
        if (toDelay) {
            for (const OutMessage &m : batch)
                handoffs.push_back({target, DelayArrival{m.payload, m.priority, m.payload.originNs}});
            handOver(handoffs);
        } else if (!ch.publish(batch.data(), batch.size(), &err)) {
            fail(err);
            break;
        }
        const bool measuring = now >= warmupEndNs;
        std::lock_guard lock(w.m);
        for (int identity : identities)
            countPublish(w, measuring, target, identity, true, p);
        if (waited)
            w.lateness.add(std::max(0.0, double(now) - firstDue) * 1e-3);
    }
    producersDone.fetch_add(1);
}

void LiveRun::consumerLoop(int c)
{
    preciseTimers();
    const Node &node = sc.nodes[std::size_t(c)];
    TransportChannel &ch = *channels[std::size_t(c)];
    WorkerShared &w = *workers[std::size_t(c)];
    Rng rng(streamSeed(seed, node.id));
    const Sampler sampler(node.service);
    const std::size_t window = std::size_t(std::max(1, node.servers)) * std::size_t(std::max(1, node.prefetch));
    const int queue = consumerQueue[std::size_t(c)];
    DelayHandoffs handoffs;

    struct Held
    {
        Delivery d;
        std::int64_t receivedAt;
    };
    std::vector<ServerSlot> &slots = w.slots; // written under w.m only
    int busy = 0;
    std::vector<Held> waiting; // FIFO: served from waitHead on
    std::size_t waitHead = 0;
    std::vector<Delivery> buf(std::min<std::size_t>(window, Batch));
    std::vector<std::uint64_t> acks;
    std::vector<std::int64_t> ackEnds; // planned end behind each entry of acks
    // Services that end in a reject or a return (nack with requeue), from their own stream.
    const bool outcomes = node.rejectProbability > 0 || node.requeueProbability > 0;
    Rng outcomeRng(streamSeed(seed, node.id + "#outcome"));
    std::vector<Delivery> rejects, requeues;
    std::vector<std::int64_t> nackEnds;
    std::deque<WindowCredit> credits(window, WindowCredit{INT64_MIN, 0}); // free places, oldest first
    std::vector<OutMessage> out;
    std::string err;

    auto complete = [&](ServerSlot &s) {
        const std::int64_t t = s.end;
        const bool measuring = t >= warmupEndNs;
        const Payload &pl = s.d.payload;
        w.total[std::size_t(c)].completed++;
        w.busyNs += double(t - s.start);
        if (measuring) {
            w.measured[std::size_t(c)].completed++;
            w.service->add(double(t - s.start) * unitsPerNs);
            w.busyMeasuredNs += double(t - std::max(s.start, warmupEndNs));
        }
        w.completedTotal++;
        s.active = false;
        s.freeAt = t;
        --busy;
        if (observer)
            observer->serviceEnded(unitsAt(t), pl.seq, c, busy);
        if (outcomes) {
            const double u = outcomeRng.uniform();
            if (u < node.rejectProbability + node.requeueProbability) {
                const bool reject = u < node.rejectProbability;
                (reject ? rejects : requeues).push_back(s.d);
                nackEnds.push_back(t);
                NodeCounters &tc = w.total[std::size_t(c)];
                ++(reject ? tc.rejected : tc.requeued);
                if (measuring) {
                    NodeCounters &mc = w.measured[std::size_t(c)];
                    ++(reject ? mc.rejected : mc.requeued);
                }
                return; // the queue dead-letters or redelivers it
            }
        }
        acks.push_back(s.d.tag);
        ackEnds.push_back(t);

        const int to = chooseOnward(c, rng);
        if (to >= 0 && isTarget(to)) {
            int identity = -1;
            out.push_back(onwardMessage(to, pl, s.d.priority, t, &identity));
            countPublish(w, measuring, to, identity, false, -1);
            if (observer)
                observeSend(t, pl.seq, c, to, identity);
            return;
        }
        if (observer && to >= 0)
            observer->moved(unitsAt(t), pl.seq, c, to);
        if (to >= 0 && isDelay(to)) {
            handoffs.push_back({to, DelayArrival{pl, s.d.priority, t}});
            return;
        }
        // It leaves the system here (a sink, no onward link, or the probability remainder).
        deliver(w, pl, t);
    };
    auto start = [&](ServerSlot &s, const Held &h, std::int64_t t) {
        s.active = true;
        s.d = h.d;
        s.start = t;
        s.end = t + std::int64_t(sampler(rng) * nsPerUnit);
        ++busy;
        if (observer)
            observer->serviceStarted(unitsAt(t), h.d.payload.seq, c, busy);
        const double waited = double(t - h.d.payload.hopNs) * unitsPerNs;
        NodeCounters &tq = w.total[std::size_t(queue)];
        tq.waits++;
        tq.waitSum += waited;
        if (t >= warmupEndNs) {
            NodeCounters &mq = w.measured[std::size_t(queue)];
            mq.waits++;
            mq.waitSum += waited;
            w.wait->add(waited);
        }
    };

    for (;;) {
        const std::int64_t now = nowNs();
        const std::int64_t stopAt = stopAtNs.load(std::memory_order_relaxed);
        const std::int64_t horizon = std::min(now, stopAt);
        // Serve, in time order: service ends due by now, and starts of waiting deliveries
        // on free servers (at the later of the server's free time and the delivery's arrival
        // here). Zero service times finish within the same pass.
        {
            std::lock_guard lock(w.m);
            for (;;) {
                ServerSlot *first = nullptr, *free = nullptr;
                for (ServerSlot &s : slots) {
                    if (s.active) {
                        if (s.end <= horizon && s.end < stopAt && (!first || s.end < first->end))
                            first = &s;
                    } else if (!free || s.freeAt < free->freeAt) {
                        free = &s;
                    }
                }
                if (free && waitHead < waiting.size()) {
                    const Held &h = waiting[waitHead];
                    const std::int64_t t = std::max(free->freeAt, h.receivedAt);
                    if (t < stopAt && (!first || t <= first->end)) {
                        start(*free, h, t);
                        ++waitHead;
                        continue;
                    }
                }
                if (!first)
                    break;
                w.lateness.add(double(now - first->end) * 1e-3);
                complete(*first);
            }
            if (waitHead == waiting.size()) {
                waiting.clear();
                waitHead = 0;
            }
            w.held = std::int64_t(waiting.size() - waitHead) + busy;
        }
        // Publish onward, then acknowledge (at-least-once order).
        handOver(handoffs);
        if (!out.empty()) {
            if (!ch.publish(out.data(), out.size(), &err)) {
                fail(err);
                break;
            }
            out.clear();
        }
        // Each settled delivery frees its place in the window when it was planned to, with
        // the lateness of the settle that really freed it.
        auto credit = [&](std::vector<std::int64_t> &ends, std::int64_t at) {
            for (std::int64_t end : ends)
                credits.push_back({end, std::max<std::int64_t>(0, at - end)});
            ends.clear();
        };
        if (!acks.empty()) {
            const std::int64_t ackAt = nowNs();
            if (!ch.ack(acks.data(), acks.size(), &err)) {
                fail(err);
                break;
            }
            credit(ackEnds, ackAt);
            acks.clear();
        }
        if (!nackEnds.empty()) {
            const std::int64_t nackAt = nowNs();
            if ((!rejects.empty() && !ch.reject(rejects.data(), rejects.size(), false, &err))
                || (!requeues.empty() && !ch.reject(requeues.data(), requeues.size(), true, &err))) {
                fail(err);
                break;
            }
            credit(nackEnds, nackAt);
            rejects.clear();
            requeues.clear();
        }
        if (now >= stopAt)
            break;

        std::int64_t nextEnd = INT64_MAX;
        for (const ServerSlot &s : slots)
            if (s.active)
                nextEnd = std::min(nextEnd, s.end);
        if (nextEnd != INT64_MAX && nextEnd - now <= SpinNs) {
            // A service ends very soon: spin to it rather than sleep past it.
            while (nowNs() <= nextEnd && nowNs() < stopAt)
                spinPause();
            continue;
        }
        const std::int64_t deadline = std::min({nextEnd == INT64_MAX ? INT64_MAX : nextEnd - SpinNs,
                                                now + MaxWaitNs, stopAt});
        const std::size_t room = std::min(buf.size(), window - std::min(window, std::size_t(w.held)));
        if (room == 0) {
            // The window is full (every delivery is held here): nothing can arrive before a
            // service ends.
            waitUntil(deadline);
            continue;
        }
        const int got = ch.receive(buf.data(), room, toTimePoint(deadline), &err);
        if (got < 0) {
            fail(err);
            break;
        }
        if (got == 0)
            continue;
        const std::int64_t at = nowNs();
        std::lock_guard lock(w.m);
        for (int i = 0; i < got; ++i) {
            const Delivery &d = buf[std::size_t(i)];
            WindowCredit credit{INT64_MIN, 0};
            if (!credits.empty()) {
                credit = credits.front();
                credits.pop_front();
            }
            if (d.foreign) {
                // Not ours (an outside client published it): acknowledge and skip it.
                w.foreign++;
                acks.push_back(d.tag);
                ackEnds.push_back(at);
                continue;
            }
            // See WindowCredit: a delivery that waited for this place in the window arrives
            // as late as the place was freed plus the broker's round trip, not plus the
            // emulator's own delay in acknowledging.
            std::int64_t receivedAt = at;
            if (credit.openAt > d.payload.hopNs)
                receivedAt = std::max({at - credit.lateness, credit.openAt, d.payload.hopNs});
            waiting.push_back({d, receivedAt});
            if (observer)
                observer->moved(unitsAt(receivedAt), d.payload.seq, queue, c);
            w.total[std::size_t(queue)].dispatched++;
            if (at >= warmupEndNs)
                w.measured[std::size_t(queue)].dispatched++;
        }
        w.held = std::int64_t(waiting.size() - waitHead) + busy;
        w.maxHeld = std::max(w.maxHeld, w.held);
    }
    // Deliveries never served stay unacknowledged: they count as in flight at the stop.
    if (!acks.empty())
        ch.ack(acks.data(), acks.size(), &err);
}

// Adds one message's time in a delay, from `from` to `to`, to the area under the delay's
// held count (message-ns): whole run, and the part after warm-up. Call with w.m held.
static void addHeld(WorkerShared &w, std::int64_t from, std::int64_t to, std::int64_t warmupEndNs)
{
    if (to <= from)
        return;
    w.busyNs += double(to - from);
    const std::int64_t measuredFrom = std::max(from, warmupEndNs);
    if (to > measuredFrom)
        w.busyMeasuredNs += double(to - measuredFrom);
}

void LiveRun::delayLoop(int d)
{
    preciseTimers();
    const Node &node = sc.nodes[std::size_t(d)];
    TransportChannel &ch = *channels[std::size_t(d)];
    WorkerShared &w = *workers[std::size_t(d)];
    DelayInbox &inbox = *delayInboxes[std::size_t(d)];
    Rng rng(streamSeed(seed, node.id));
    const Sampler sampler(node.delay);

    struct Held
    {
        std::int64_t due, at;
        Payload payload;
        int priority;
    };
    auto later = [](const Held &a, const Held &b) { return a.due > b.due; };
    std::vector<Held> held; // a min-heap by due
    std::vector<DelayArrival> taken;
    std::vector<OutMessage> out;
    DelayHandoffs handoffs;
    std::string err;

    for (;;) {
        {
            std::unique_lock lock(inbox.m);
            const std::int64_t now = nowNs();
            std::int64_t wake = std::min(now + MaxWaitNs, stopAtNs.load(std::memory_order_relaxed));
            if (!held.empty())
                wake = std::min(wake, held.front().due - SpinNs);
            if (inbox.arrivals.empty() && wake > now)
                inbox.cv.wait_until(lock, toTimePoint(wake), [&] { return !inbox.arrivals.empty(); });
            taken.swap(inbox.arrivals);
        }
        std::int64_t now = nowNs();
        const std::int64_t stopAt = stopAtNs.load(std::memory_order_relaxed);
        if (taken.empty() && !held.empty() && held.front().due > now && held.front().due - now <= SpinNs) {
            // The next message is due very soon: spin to it rather than sleep past it.
            while ((now = nowNs()) < held.front().due && now < stopAt)
                spinPause();
        }
        const std::int64_t horizon = std::min(now, stopAt);
        {
            std::lock_guard lock(w.m);
            for (const DelayArrival &a : taken) {
                const std::int64_t at = a.at;
                w.held++;
                if (at >= warmupEndNs)
                    w.peakMeasured = std::max(w.peakMeasured, w.held);
                w.total[std::size_t(d)].arrivals++;
                if (at >= warmupEndNs)
                    w.measured[std::size_t(d)].arrivals++;
                held.push_back({at + std::int64_t(sampler(rng) * nsPerUnit), at, a.payload, a.priority});
                std::push_heap(held.begin(), held.end(), later);
            }
            taken.clear();
            while (!held.empty() && held.front().due <= horizon && held.front().due < stopAt) {
                std::pop_heap(held.begin(), held.end(), later);
                const Held h = held.back();
                held.pop_back();
                addHeld(w, h.at, h.due, warmupEndNs);
                w.held--;
                const bool measuring = h.due >= warmupEndNs;
                w.total[std::size_t(d)].completed++;
                if (measuring) {
                    w.measured[std::size_t(d)].completed++;
                    w.service->add(double(h.due - h.at) * unitsPerNs);
                }
                w.lateness.add(double(now - h.due) * 1e-3);
                const int to = chooseOnward(d, rng);
                if (to >= 0 && isTarget(to)) {
                    int identity = -1;
                    out.push_back(onwardMessage(to, h.payload, h.priority, h.due, &identity));
                    countPublish(w, measuring, to, identity, false, -1);
                    if (observer)
                        observeSend(h.due, h.payload.seq, d, to, identity);
                    continue;
                }
                if (observer && to >= 0)
                    observer->moved(unitsAt(h.due), h.payload.seq, d, to);
                if (to >= 0 && isDelay(to)) {
                    handoffs.push_back({to, DelayArrival{h.payload, h.priority, h.due}});
                } else {
                    deliver(w, h.payload, h.due);
                }
            }
        }
        handOver(handoffs);
        if (!out.empty()) {
            if (!ch.publish(out.data(), out.size(), &err)) {
                fail(err);
                break;
            }
            out.clear();
        }
        if (now >= stopAt)
            break;
    }
    // Messages still held count as in flight at the stop (w.held); their time so far counts.
    std::lock_guard lock(w.m);
    for (const Held &h : held)
        addHeld(w, h.at, stopAtNs.load(), warmupEndNs);
}

double busyUpTo(const WorkerShared &w, std::int64_t at, std::int64_t from)
{
    double area = 0;
    for (const ServerSlot &s : w.slots)
        if (s.active)
            area += double(std::max<std::int64_t>(0, std::min(at, s.end) - std::max(s.start, from)));
    return area;
}

} // namespace ql::live
