#include "sim/narrator.h"


#include <algorithm>
#include <charconv>
#include <cmath>

namespace ql {

namespace {

// Messages a run can leave in queues (an overloaded, unbounded queue grows without end):
// past this many records the narrator forgets them all rather than grow.
constexpr std::size_t MaxTracks = 100000;

std::string quoted(const std::string &s)
{
    return "'" + s + "'";
}

std::string number(std::uint64_t v)
{
    return std::to_string(v);
}

} // namespace

Narrator::Narrator(std::size_t capacity)
    : lines_(std::max<std::size_t>(1, capacity))
{
}

Narrator::Narrator(const Scenario &scenario, std::size_t capacity)
    : Narrator(capacity)
{
    setScenario(scenario);
}

void Narrator::setScenario(const Scenario &scenario)
{
    scenario_ = scenario;
    unit_ = timeUnitName(scenario.timeUnit);
    // Enough decimals to tell apart the events of the fastest part of the topology: a
    // service of 0.05 s needs three, one of 1 s two (never fewer: "t=3.20 s" reads well).
    double fastest = 0;
    for (const Node &node : scenario.nodes) {
        double mean = 0;
        if (node.kind == NodeKind::Producer)
            mean = node.interarrival.expectation();
        else if (node.kind == NodeKind::Consumer)
            mean = node.service.expectation();
        if (std::isfinite(mean) && mean > 0 && (fastest == 0 || mean < fastest))
            fastest = mean;
    }
    decimals_ = fastest > 0 ? std::clamp(1 - int(std::floor(std::log10(fastest))), 2, 6) : 2;
    topology_ = CompiledTopology(scenario);
    clear();
}

void Narrator::clear()
{
    for (NarrativeLine &l : lines_)
        l = NarrativeLine{};
    head_ = count_ = 0;
    nextSeq_ = 0;
    forgetMessages();
}

void Narrator::clearLines()
{
    flush();
    for (std::size_t i = 0; i < count_; ++i)
        lines_[(head_ + i) % lines_.size()].text = std::string();
    head_ = count_ = 0;
}

void Narrator::forgetMessages()
{
    tracks_.clear();
    pending_.reset();
    lastInto_.assign(scenario_.nodes.size(), 0);
}

std::string Narrator::formatTime(double t) const
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, t, std::chars_format::fixed, decimals_);
    // Locale-independent on purpose: the GUI sets the C locale from the environment.
    std::string s(buf, r.ec == std::errc() ? r.ptr : buf);
    return s + " " + unit_;
}

const NarrativeLine *Narrator::lineBySeq(std::uint64_t seq) const
{
    if (seq < firstSeq() || seq >= nextSeq_)
        return nullptr;
    return &line(std::size_t(seq - firstSeq()));
}

std::vector<std::string> Narrator::texts() const
{
    std::vector<std::string> out;
    out.reserve(count_);
    for (std::size_t i = 0; i < count_; ++i)
        out.push_back(line(i).text);
    return out;
}

Narrator::Track &Narrator::track(std::uint64_t msg)
{
    if (tracks_.size() >= MaxTracks && tracks_.find(msg) == tracks_.end())
        tracks_.clear();
    return tracks_[msg];
}

Narrator::Track *Narrator::findTrack(std::uint64_t msg)
{
    const auto it = tracks_.find(msg);
    return it == tracks_.end() ? nullptr : &it->second;
}

void Narrator::add(double t, std::uint64_t msg, NarrativeLine::Kind kind, int node, int other, std::string text)
{
    const std::size_t cap = lines_.size();
    NarrativeLine *l;
    if (count_ < cap) {
        l = &lines_[(head_ + count_) % cap];
        ++count_;
    } else { // full: the oldest line makes room
        l = &lines_[head_];
        head_ = (head_ + 1) % cap;
    }
    l->seq = nextSeq_++;
    l->time = t;
    l->msg = msg;
    const Track *tr = msg ? findTrack(msg) : nullptr;
    l->original = tr ? tr->original : 0;
    l->node = node;
    l->other = other;
    l->kind = kind;
    l->text.clear();
    l->text.append("t=").append(formatTime(t)).append(": ").append(text);
}

void Narrator::addNote(double t, const std::string &text)
{
    flush();
    add(t, 0, NarrativeLine::Note, -1, -1, text);
}

std::string Narrator::name(int node) const
{
    return valid(node) ? scenario_.nodes[std::size_t(node)].id : std::string("?");
}

std::string Narrator::kindName(int node) const
{
    if (!valid(node))
        return "?";
    return std::string(nodeKindName(scenario_.nodes[std::size_t(node)].kind)) + " " + name(node);
}

std::string Narrator::messageName(std::uint64_t msg, const Track *tr) const
{
    std::string s = "message #" + number(msg);
    if (tr && tr->original)
        s += ", a copy of #" + number(tr->original) + ",";
    return s;
}

std::string Narrator::servers(int consumer, int busy) const
{
    const int total = valid(consumer) ? scenario_.nodes[std::size_t(consumer)].servers : 1;
    return std::to_string(busy) + " of " + std::to_string(total) + " servers";
}

void Narrator::flush()
{
    if (!pending_)
        return;
    const Pending p = *pending_;
    pending_.reset();
    tellToConsumer(p, std::nullopt);
}

void Narrator::published(double t, std::uint64_t msg, int producer)
{
    flush();
    Track &tr = track(msg);
    tr = Track{};
    tr.publishedAt = tr.arrivedAt = t;
    tr.producer = tr.at = producer;
    std::string text = "message #" + number(msg) + " published by " + name(producer);
    // The routing key matters only where an exchange reads it: say it when the producer has
    // one key and publishes to a direct or topic exchange.
    if (valid(producer)) {
        const Node &p = scenario_.nodes[std::size_t(producer)];
        for (const Link &link : scenario_.links) {
            if (link.from != p.id)
                continue;
            const Node *target = scenario_.node(link.to);
            const bool keyed = target && target->kind == NodeKind::Exchange
                && (target->exchangeType == ExchangeType::Direct || target->exchangeType == ExchangeType::Topic);
            const std::string *key = p.routingKeys.empty() ? &p.routingKey
                : p.routingKeys.size() == 1                 ? &p.routingKeys.front().key
                                                            : nullptr;
            if (keyed && key)
                text += " with routing key " + quoted(*key);
            break; // a producer publishes to its first link
        }
    }
    add(t, msg, NarrativeLine::Published, producer, -1, std::move(text));
}

void Narrator::moved(double t, std::uint64_t msg, int from, int to)
{
    flush();
    if (!valid(from) || !valid(to))
        return;
    const NodeKind fromKind = scenario_.nodes[std::size_t(from)].kind;
    const NodeKind toKind = scenario_.nodes[std::size_t(to)].kind;
    Track *tr = findTrack(msg);
    if (!tr) {
        Track fresh;
        // A message the exchange has not seen come in is one of the copies a fanout (or a
        // topic matching several bindings) makes of the one that did.
        const std::uint64_t original = fromKind == NodeKind::Exchange ? lastInto_[std::size_t(from)] : 0;
        if (original && original != msg) {
            fresh.original = original;
            if (const Track *o = findTrack(original)) {
                fresh.publishedAt = o->publishedAt;
                fresh.producer = o->producer;
            }
        }
        tr = &track(msg);
        *tr = fresh;
        tr->at = from;
    }
    if (fromKind == NodeKind::Queue && toKind == NodeKind::Consumer) {
        // Told with what happens next (service starts, or it waits in the prefetch buffer).
        pending_ = Pending{t, msg, from, to};
        lastInto_[std::size_t(to)] = msg;
        return;
    }
    switch (fromKind) {
    case NodeKind::Producer:
        // The published line said who; the next line (enters queue, routed, unroutable) says
        // where. Only an unusual target gets a line of its own.
        if (toKind != NodeKind::Exchange && toKind != NodeKind::Queue)
            add(t, msg, NarrativeLine::Forwarded, to, from,
                "message #" + number(msg) + " goes from " + name(from) + " to " + kindName(to));
        break;
    case NodeKind::Exchange: {
        std::string text = messageName(msg, tr) + " routed by exchange " + name(from) + " to " + kindName(to);
        const Node &ex = scenario_.nodes[std::size_t(from)];
        if (ex.exchangeType == ExchangeType::Direct || ex.exchangeType == ExchangeType::Topic) {
            for (const Link &link : scenario_.links) {
                if (link.from == ex.id && link.to == scenario_.nodes[std::size_t(to)].id) {
                    if (!link.bindingKey.empty())
                        text += " (binding " + quoted(link.bindingKey) + ")";
                    break;
                }
            }
        }
        add(t, msg, NarrativeLine::Routed, to, from, std::move(text));
        break;
    }
    case NodeKind::Consumer:
        add(t, msg, NarrativeLine::Forwarded, to, from,
            "message #" + number(msg) + " goes on from " + name(from) + " to " + kindName(to));
        break;
    case NodeKind::Delay:
        add(t, msg, NarrativeLine::Forwarded, to, from,
            "message #" + number(msg) + " leaves delay " + name(from) + " after "
                + formatTime(t - tr->arrivedAt) + " and goes on to " + kindName(to));
        break;
    case NodeKind::Queue:
    case NodeKind::Sink:
        add(t, msg, NarrativeLine::Forwarded, to, from,
            "message #" + number(msg) + " moves from " + kindName(from) + " to " + kindName(to));
        break;
    }
    tr->at = to;
    tr->arrivedAt = t;
    tr->enqueuedAt = tr->serviceAt = -1;
    lastInto_[std::size_t(to)] = msg;
}

void Narrator::tellToConsumer(const Pending &p, std::optional<int> busy)
{
    Track &tr = track(p.msg);
    const std::string c = name(p.consumer);
    std::string text = "message #" + number(p.msg);
    if (tr.at == p.queue && tr.enqueuedAt < 0 && tr.arrivedAt == p.t)
        text += " goes straight through queue " + name(p.queue) + " to consumer " + c;
    else if (tr.at == p.queue && tr.enqueuedAt >= 0)
        text += " leaves queue " + name(p.queue) + " after waiting " + formatTime(p.t - tr.enqueuedAt)
            + " and goes to consumer " + c;
    else
        text += " goes to consumer " + c;
    const int total = valid(p.consumer) ? scenario_.nodes[std::size_t(p.consumer)].servers : 1;
    if (busy) {
        if (total <= 1)
            text += ", which was idle";
        else if (*busy <= 1)
            text += ", which was idle (now " + servers(p.consumer, *busy) + " busy)";
        else
            text += ", which now has " + servers(p.consumer, *busy) + " busy";
    } else if (total <= 1) {
        text += ", which is busy: it waits in the prefetch buffer";
    } else {
        text += ", whose " + std::to_string(total) + " servers are all busy: it waits in the prefetch buffer";
    }
    add(p.t, p.msg, NarrativeLine::ToConsumer, p.consumer, p.queue, std::move(text));
    tr.at = p.consumer;
    tr.arrivedAt = p.t;
    tr.enqueuedAt = -1;
    tr.serviceAt = busy ? p.t : -1;
}

void Narrator::enqueued(double t, std::uint64_t msg, int queue, int depth)
{
    flush();
    Track &tr = track(msg);
    tr.at = queue;
    tr.enqueuedAt = t;
    std::string text = "message #" + number(msg) + " enters queue " + name(queue) + ", depth " + std::to_string(depth);
    // The first in line waits for a reason the student should see.
    if (depth == 1 && valid(queue))
        text += topology_.consumersOf(queue).empty() ? ": no consumer reads this queue"
                                                      : ": no consumer can take it now";
    add(t, msg, NarrativeLine::Enqueued, queue, -1, std::move(text));
}

std::string Narrator::unroutableReason(int exchange, const Track *tr) const
{
    const Node &ex = scenario_.nodes[std::size_t(exchange)];
    const bool bound = std::any_of(topology_.outgoing(exchange).begin(), topology_.outgoing(exchange).end(),
                                   [](const CompiledTopology::Edge &e) { return e.role == LinkRole::Binding; });
    if (!bound)
        return "no queue is bound to it";
    if (ex.exchangeType == ExchangeType::Headers)
        return "no binding matches its headers";
    if (ex.exchangeType == ExchangeType::Fanout)
        return "no queue is bound to it";
    // The key is not in the event: it is the producer's, or the one of its keys that this
    // exchange cannot route, when only one of them is unroutable.
    if (tr && valid(tr->producer)) {
        std::vector<const std::string *> unroutable;
        std::vector<int> queues;
        for (const CompiledTopology::PublishKey &k : topology_.publishKeys(tr->producer)) {
            topology_.route(exchange, k.key, &k.headers, &queues);
            if (queues.empty())
                unroutable.push_back(&k.key);
        }
        if (unroutable.size() == 1)
            return "no binding matches key " + quoted(*unroutable.front());
    }
    return "no binding matches its routing key";
}

void Narrator::dropped(double t, std::uint64_t msg, int node, DropReason reason)
{
    flush();
    const Track *tr = findTrack(msg);
    std::string text = "message #" + number(msg);
    NarrativeLine::Kind kind = NarrativeLine::Dropped;
    if (reason == DropReason::Unroutable && valid(node)) {
        kind = NarrativeLine::Unroutable;
        text += " unroutable at exchange " + name(node) + ": " + unroutableReason(node, tr);
    } else if (valid(node) && scenario_.nodes[std::size_t(node)].kind == NodeKind::Queue) {
        const Node &q = scenario_.nodes[std::size_t(node)];
        bool deadLetters = true; // RabbitMQ dead-letters these reasons when the queue has a link
        switch (reason) {
        case DropReason::DropHead:
            text += " dropped at queue " + q.id + ": queue full, the oldest message makes room (capacity "
                + std::to_string(q.capacity) + ", drop-head)";
            break;
        case DropReason::Overflow:
            deadLetters = q.overflow == Overflow::RejectPublishDlx;
            text += " dropped at queue " + q.id + ": queue full (capacity " + std::to_string(q.capacity) + ", "
                + overflowName(q.overflow) + ")";
            break;
        case DropReason::Expired:
            text += " expired in queue " + q.id + ": its TTL ran out before a consumer took it";
            break;
        case DropReason::Rejected:
            text += " rejected by the consumer of queue " + q.id;
            break;
        case DropReason::DeliveryLimit:
            text += " returned once too often to queue " + q.id + " (delivery limit "
                + std::to_string(q.deliveryLimit.value_or(0)) + ")";
            break;
        case DropReason::DeadLetterCycle:
            deadLetters = false;
            text += " dropped at queue " + q.id + ": it went round a dead-letter cycle without a rejection";
            break;
        case DropReason::Unroutable:
            deadLetters = false;
            text += " dropped at queue " + q.id;
            break;
        }
        for (const CompiledTopology::Edge &e : topology_.outgoing(node))
            if (deadLetters && e.role == LinkRole::DeadLetter)
                text += "; dead-lettered to " + kindName(e.to);
    } else {
        text += " dropped at " + kindName(node);
    }
    add(t, msg, kind, node, -1, std::move(text));
    tracks_.erase(msg);
}

void Narrator::serviceStarted(double t, std::uint64_t msg, int consumer, int busy)
{
    if (pending_ && pending_->msg == msg && pending_->consumer == consumer) {
        const Pending p = *pending_;
        pending_.reset();
        tellToConsumer(p, busy);
        return;
    }
    flush();
    Track &tr = track(msg);
    std::string text = "message #" + number(msg) + " starts service at " + name(consumer);
    if (tr.at == consumer && tr.arrivedAt >= 0 && t > tr.arrivedAt)
        text += " after " + formatTime(t - tr.arrivedAt) + " in its prefetch buffer";
    if (valid(consumer) && scenario_.nodes[std::size_t(consumer)].servers > 1)
        text += ", now " + servers(consumer, busy) + " busy";
    add(t, msg, NarrativeLine::ServiceStarted, consumer, -1, std::move(text));
    tr.at = consumer;
    tr.serviceAt = t;
}

void Narrator::serviceEnded(double t, std::uint64_t msg, int consumer, int busy)
{
    flush();
    Track &tr = track(msg);
    std::string text = "message #" + number(msg) + " finishes service at " + name(consumer);
    if (tr.at == consumer && tr.serviceAt >= 0)
        text += " after " + formatTime(t - tr.serviceAt);
    if (valid(consumer) && scenario_.nodes[std::size_t(consumer)].servers > 1)
        text += busy == 0 ? ", all its servers idle now" : ", leaving " + servers(consumer, busy) + " busy";
    add(t, msg, NarrativeLine::ServiceEnded, consumer, -1, std::move(text));
    tr.at = consumer;
    tr.serviceAt = -1;
}

void Narrator::delivered(double t, std::uint64_t msg, double latency)
{
    flush();
    const Track *tr = findTrack(msg);
    if (!std::isfinite(latency))
        latency = tr && tr->publishedAt >= 0 ? t - tr->publishedAt : std::nan("");
    std::string text = "message #" + number(msg) + " delivered";
    if (std::isfinite(latency))
        text += ", " + formatTime(latency) + " end to end";
    add(t, msg, NarrativeLine::Delivered, tr ? tr->at : -1, -1, std::move(text));
    tracks_.erase(msg);
}

} // namespace ql
