#include "topology/nodekinds.h"

#include <algorithm>
#include <array>

namespace ql {

namespace {

constexpr const char *kExchangeTypes[] = {"direct", "fanout", "topic", "headers"};
constexpr const char *kOverflows[] = {"reject-publish", "drop-head", "reject-publish-dlx"};
constexpr const char *kQueueTypes[] = {"classic", "quorum"};
constexpr const char *kDisciplines[] = {"fifo", "lifo", "priority"};

constexpr FieldSpec kProducerFields[] = {
    {"interarrival", FieldType::Distribution, "Interarrival", true},
    {"routing_key", FieldType::Text, "Routing key"},
    {"routing_keys", FieldType::WeightedKeys, "Routing keys"},
    {"limit", FieldType::Integer, "Limit", false, 0, kMaxCount},
    {"priority", FieldType::Integer, "Priority", false, 0, kMaxPriority},
    {"headers", FieldType::StringMap, "Headers"},
    {"message_ttl", FieldType::Distribution, "Message TTL"},
    {"retry_limit", FieldType::Integer, "Retries", false, 0, 65535},
    {"retry_backoff", FieldType::Distribution, "Retry backoff"},
    {"retry_backoff_factor", FieldType::Number, "Backoff factor", false, 1, kMaxCount},
    {"retry_backoff_max", FieldType::Number, "Backoff cap", false, 0, kMaxCount},
};
constexpr FieldSpec kExchangeFields[] = {
    {"type", FieldType::Choice, "Type", false, 0, 0, kExchangeTypes},
};
constexpr FieldSpec kQueueFields[] = {
    {"capacity", FieldType::Integer, "Capacity", false, 0, kMaxCount},
    {"overflow", FieldType::Choice, "Overflow", false, 0, 0, kOverflows},
    {"discipline", FieldType::Choice, "Discipline", false, 0, 0, kDisciplines},
    {"message_ttl", FieldType::Number, "Message TTL", false, 0, kMaxCount},
    {"queue_type", FieldType::Choice, "Queue type", false, 0, 0, kQueueTypes},
    {"delivery_limit", FieldType::Integer, "Delivery limit", false, 1, kMaxDeliveryLimit},
};
constexpr FieldSpec kConsumerFields[] = {
    {"service", FieldType::Distribution, "Service", true},
    {"servers", FieldType::Integer, "Servers", false, 1, kMaxServers},
    {"prefetch", FieldType::Integer, "Prefetch", false, 1, kMaxPrefetch},
    {"reject_probability", FieldType::Probability, "Reject probability", false, 0, 1},
    {"requeue_probability", FieldType::Probability, "Requeue probability", false, 0, 1},
    {"time_to_failure", FieldType::Distribution, "Time to failure"},
    {"time_to_restart", FieldType::Distribution, "Time to restart"},
};

constexpr FieldSpec kDelayFields[] = {
    {"delay", FieldType::Distribution, "Delay", true},
};

constexpr MetricSpec kProducerMetrics[] = {
    {MetricId::Published, "published", "Published", MetricType::Count},
    {MetricId::Throughput, "throughput", "Throughput", MetricType::Throughput},
    {MetricId::Refused, "refused", "Refused", MetricType::Count, true, true},
    {MetricId::Retried, "retried", "Retried", MetricType::Count, true, true},
    {MetricId::GivenUp, "given_up", "Given up", MetricType::Count, true, true},
};
constexpr MetricSpec kExchangeMetrics[] = {
    {MetricId::Routed, "routed", "Routed", MetricType::Count},
    {MetricId::Unroutable, "unroutable", "Unroutable", MetricType::Count},
    {MetricId::Throughput, "throughput", "Throughput", MetricType::Throughput},
};
constexpr MetricSpec kQueueMetrics[] = {
    {MetricId::Arrivals, "arrivals", "Arrivals", MetricType::Count},
    {MetricId::Drops, "drops", "Drops", MetricType::Count},
    {MetricId::Dispatched, "dispatched", "Dispatched", MetricType::Count, false},
    {MetricId::Throughput, "throughput", "Throughput", MetricType::Throughput},
    {MetricId::Wait, "wait", "Wait", MetricType::Stats},
    {MetricId::Length, "length", "Length", MetricType::Level},
    {MetricId::Expired, "expired", "Expired", MetricType::Count, true, true},
    {MetricId::DeadLetteredExpired, "dead_lettered_expired", "Dead-lettered (expired)", MetricType::Count, true, true},
    {MetricId::DeadLetteredRejected, "dead_lettered_rejected", "Dead-lettered (rejected)", MetricType::Count, true, true},
    {MetricId::DeadLetteredMaxlen, "dead_lettered_maxlen", "Dead-lettered (maxlen)", MetricType::Count, true, true},
    {MetricId::DeadLetteredDeliveryLimit, "dead_lettered_delivery_limit", "Dead-lettered (delivery limit)",
     MetricType::Count, true, true},
    {MetricId::Requeued, "requeued", "Requeued", MetricType::Count, true, true},
    {MetricId::Redelivered, "redelivered", "Redelivered", MetricType::Count, true, true},
};
constexpr MetricSpec kConsumerMetrics[] = {
    {MetricId::Completed, "completed", "Completed", MetricType::Count},
    {MetricId::Throughput, "throughput", "Throughput", MetricType::Throughput},
    {MetricId::Service, "service", "Service", MetricType::Stats},
    {MetricId::Utilization, "utilization", "Utilization", MetricType::MeanCi},
    {MetricId::Rejected, "rejected", "Rejected", MetricType::Count, true, true},
    {MetricId::Requeued, "requeued", "Requeued", MetricType::Count, true, true},
    {MetricId::Crashes, "crashes", "Crashes", MetricType::Count, true, true},
    {MetricId::Interrupted, "interrupted", "Interrupted services", MetricType::Count, true, true},
    {MetricId::Downtime, "downtime", "Downtime", MetricType::Count, true, true},
};

// A delay reports what passed through it, how long each took (the service histogram of
// its results) and how many were on their way (the level of its results).
constexpr MetricSpec kDelayMetrics[] = {
    {MetricId::Arrivals, "arrivals", "Arrivals", MetricType::Count},
    {MetricId::Completed, "completed", "Passed", MetricType::Count},
    {MetricId::Throughput, "throughput", "Throughput", MetricType::Throughput},
    {MetricId::Service, "delay", "Delay", MetricType::Stats},
    {MetricId::Length, "in_transit", "In transit", MetricType::Level},
};

constexpr SeriesSpec kProducerSeries[] = {
    {SeriesColumn::ProducerThroughput, "throughput"},
};
constexpr SeriesSpec kExchangeSeries[] = {
    {SeriesColumn::ExchangeThroughput, "throughput"},
    {SeriesColumn::ExchangeUnroutable, "unroutable"},
};
constexpr SeriesSpec kQueueSeries[] = {
    {SeriesColumn::QueueLength, "length"},
    {SeriesColumn::QueueLengthMean, "length_mean"},
    {SeriesColumn::QueueArrivalRate, "arrival_rate"},
    {SeriesColumn::QueueDrops, "drops"},
    {SeriesColumn::QueueWaitMean, "wait_mean"},
};
constexpr SeriesSpec kConsumerSeries[] = {
    {SeriesColumn::ConsumerUtilization, "utilization"},
    {SeriesColumn::ConsumerThroughput, "throughput"},
    {SeriesColumn::ConsumerBusy, "busy"},
};

constexpr SeriesSpec kDelaySeries[] = {
    {SeriesColumn::DelayThroughput, "throughput"},
    {SeriesColumn::DelayInTransit, "in_transit"},
};
constexpr SeriesSpec kEndToEndSeries[] = {
    {SeriesColumn::EndToEndThroughput, "throughput"},
    {SeriesColumn::EndToEndLatencyMean, "latency_mean"},
    {SeriesColumn::EndToEndLatencyP50, "latency_p50"},
    {SeriesColumn::EndToEndLatencyP95, "latency_p95"},
    {SeriesColumn::EndToEndLatencyP99, "latency_p99"},
};

Node defaultProducer(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Producer;
    n.interarrival = Distribution::exponential(1.0);
    return n;
}
Node defaultExchange(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Exchange;
    n.exchangeType = ExchangeType::Direct;
    return n;
}
Node defaultQueue(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Queue;
    return n;
}
Node defaultConsumer(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Consumer;
    n.service = Distribution::exponential(0.8);
    return n;
}
Node defaultSink(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Sink;
    return n;
}

Node defaultDelay(const std::string &id)
{
    Node n;
    n.id = id;
    n.kind = NodeKind::Delay;
    n.delay = Distribution::deterministic(0.5);
    return n;
}

// Indexed by NodeKind; nodeKindInfo() checks the order once.
const NodeKindInfo kKinds[] = {
    {NodeKind::Producer, "producer", "Producer", "producer", "Publishes messages", "producers", "publishes to",
     kProducerFields, kProducerMetrics, kProducerSeries, OutDegree::One, MetricId::Published,
     {LiveSupport::Native, LiveSupport::Native, ""}, defaultProducer},
    {NodeKind::Exchange, "exchange", "Exchange", "exchange", "Routes to bound queues", "exchanges", "routes to",
     kExchangeFields, kExchangeMetrics, kExchangeSeries, OutDegree::Any, MetricId::Routed,
     {LiveSupport::Native, LiveSupport::Native, ""}, defaultExchange},
    {NodeKind::Queue, "queue", "Queue", "queue", "Holds waiting messages", "queues", "delivers to",
     kQueueFields, kQueueMetrics, kQueueSeries, OutDegree::Any, MetricId::Dispatched,
     {LiveSupport::Native, LiveSupport::Native, ""}, defaultQueue},
    {NodeKind::Consumer, "consumer", "Consumer", "consumer", "Serves one queue", "consumers", "hands messages on to",
     kConsumerFields, kConsumerMetrics, kConsumerSeries, OutDegree::Probabilities,
     MetricId::Completed,
     {LiveSupport::Native, LiveSupport::Native, ""}, defaultConsumer},
    {NodeKind::Sink, "sink", "Sink", "sink", "Ends a pipeline", "sinks", "",
     {}, {}, {}, OutDegree::Any, MetricId::Completed,
     {LiveSupport::Native, LiveSupport::Native, ""}, defaultSink},
    {NodeKind::Delay, "delay", "Delay", "delay", "Holds each message a while",
     "delays", "hands messages on to",
     kDelayFields, kDelayMetrics, kDelaySeries, OutDegree::Probabilities, MetricId::Completed,
     {LiveSupport::Emulated, LiveSupport::Emulated,
      "the live runner holds each message for its drawn delay and then sends it on (as a "
      "client that sleeps before a retry would); the broker sees only the send"},
     defaultDelay},
};

// Palette order: the pipeline from left to right, then the extras.
constexpr NodeKind kPaletteOrder[] = {NodeKind::Producer, NodeKind::Exchange, NodeKind::Queue,
                                      NodeKind::Consumer, NodeKind::Delay, NodeKind::Sink};

constexpr LinkRule kLinkRules[] = {
    {NodeKind::Producer, NodeKind::Exchange, LinkRole::Publish},
    {NodeKind::Producer, NodeKind::Queue, LinkRole::Publish},
    {NodeKind::Producer, NodeKind::Delay, LinkRole::Publish},
    {NodeKind::Exchange, NodeKind::Queue, LinkRole::Binding},
    {NodeKind::Queue, NodeKind::Consumer, LinkRole::Subscription},
    {NodeKind::Consumer, NodeKind::Exchange, LinkRole::Onward},
    {NodeKind::Consumer, NodeKind::Queue, LinkRole::Onward},
    {NodeKind::Consumer, NodeKind::Sink, LinkRole::Onward},
    {NodeKind::Consumer, NodeKind::Delay, LinkRole::Onward},
    {NodeKind::Delay, NodeKind::Exchange, LinkRole::Onward},
    {NodeKind::Delay, NodeKind::Queue, LinkRole::Onward},
    {NodeKind::Delay, NodeKind::Sink, LinkRole::Onward},
    {NodeKind::Delay, NodeKind::Delay, LinkRole::Onward},
    // What a bounded queue drops goes on instead of vanishing (RabbitMQ's dead-letter
    // exchange); always written with "role": "dead-letter".
    {NodeKind::Queue, NodeKind::Exchange, LinkRole::DeadLetter, true},
    {NodeKind::Queue, NodeKind::Queue, LinkRole::DeadLetter, true},
};

std::string article(const char *word)
{
    const char c = word[0];
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    return std::string(vowel ? "an " : "a ") + word;
}

std::string orList(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? " or " : ", ";
        out += items[i];
    }
    return out;
}

} // namespace

std::span<const NodeKindInfo> nodeKinds()
{
    static const auto ordered = [] {
        std::array<NodeKindInfo, std::size(kPaletteOrder)> a{};
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i] = nodeKindInfo(kPaletteOrder[i]);
        return a;
    }();
    return ordered;
}

const NodeKindInfo &nodeKindInfo(NodeKind kind)
{
    const auto i = std::size_t(kind);
    if (i < std::size(kKinds) && kKinds[i].kind == kind) [[likely]]
        return kKinds[i];
    for (const NodeKindInfo &info : kKinds) // never reached while kKinds follows the enum
        if (info.kind == kind)
            return info;
    return kKinds[0];
}

const FieldSpec *nodeField(NodeKind kind, const std::string &key)
{
    for (const FieldSpec &f : nodeKindInfo(kind).fields)
        if (key == f.key)
            return &f;
    return nullptr;
}

const NodeKindInfo *kindWithField(const std::string &key)
{
    for (const NodeKindInfo &info : kKinds)
        for (const FieldSpec &f : info.fields)
            if (key == f.key)
                return &info;
    return nullptr;
}

const MetricSpec *nodeMetric(NodeKind kind, const std::string &key)
{
    for (const MetricSpec &m : nodeKindInfo(kind).metrics)
        if (key == m.key)
            return &m;
    return nullptr;
}

std::span<const LinkRule> linkRules() { return kLinkRules; }

LinkRole resolveLinkRole(NodeKind from, NodeKind to, LinkRole given)
{
    for (const LinkRule &r : kLinkRules)
        if (r.from == from && r.to == to
            && (given == LinkRole::Auto ? !r.explicitRole : given == r.role))
            return r.role;
    return LinkRole::Auto;
}

std::vector<NodeKind> linkTargets(NodeKind from)
{
    std::vector<NodeKind> out;
    for (const LinkRule &r : kLinkRules)
        if (r.from == from && !r.explicitRole && std::find(out.begin(), out.end(), r.to) == out.end())
            out.push_back(r.to);
    return out;
}

std::string linkRefusal(NodeKind from, NodeKind to, LinkRole given)
{
    if (resolveLinkRole(from, to, given) != LinkRole::Auto)
        return {};
    const char *f = nodeKindInfo(from).name;
    const char *t = nodeKindInfo(to).name;
    if (given != LinkRole::Auto && resolveLinkRole(from, to) != LinkRole::Auto)
        return std::string("a link from ") + article(f) + " to " + article(t) + " is a "
            + linkRoleName(resolveLinkRole(from, to)) + " link, not " + linkRoleName(given);
    const std::vector<NodeKind> targets = linkTargets(from);
    if (targets.empty())
        return article(f) + " is the end of the line: nothing leaves it";
    const bool anyInto = std::any_of(std::begin(kLinkRules), std::end(kLinkRules),
                                     [to](const LinkRule &r) { return r.to == to; });
    if (!anyInto)
        return std::string("nothing links into ") + article(t) + ": it only starts messages";
    std::vector<std::string> names;
    for (NodeKind k : targets)
        names.push_back(nodeKindInfo(k).plural);
    std::string why = article(f) + " " + nodeKindInfo(from).sends + " " + orList(names)
        + " only, not to " + article(t);
    if (to == NodeKind::Consumer)
        why += "; consumers read from a queue, so put a queue between them";
    for (const LinkRule &r : kLinkRules)
        if (r.from == from && r.to == to && r.explicitRole && given == LinkRole::Auto)
            why += std::string("; for a ") + linkRoleName(r.role) + " link, say so: \"role\": \""
                + linkRoleName(r.role) + "\"";
    return why;
}

std::span<const SeriesSpec> endToEndSeries() { return kEndToEndSeries; }

int seriesOffset(SeriesColumn column)
{
    static const auto offsets = [] {
        std::array<int, kSeriesColumnCount> a{};
        a.fill(-1);
        for (const NodeKindInfo &info : kKinds)
            for (std::size_t i = 0; i < info.series.size(); ++i)
                a[std::size_t(info.series[i].column)] = int(i);
        for (std::size_t i = 0; i < std::size(kEndToEndSeries); ++i)
            a[std::size_t(kEndToEndSeries[i].column)] = int(i);
        return a;
    }();
    return offsets[std::size_t(column)];
}

} // namespace ql
