// The table of node kinds: one entry per kind, holding what the rest of the program needs to
// know about it without a switch of its own: its file name and label, its icon, the keys a
// scenario file gives it (with their limits), the links it may have (ends and role), the
// metrics its results report, the series it samples, its default node for the palette, and
// which live backends run it. The reader, writer, validator, schema check, palette, property
// pages, results writer, series layout and live backends read this table.
//
// Adding a kind: docs/architecture.md ("Adding a node kind").
#pragma once

#include "scenario/scenario.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ql {

// --- file keys --------------------------------------------------------------------------

enum class FieldType {
    Distribution, // {"dist": ..., ...}
    Integer,      // within [min, max]
    Number,       // a finite number within [min, max]
    Probability,  // a number within [0, 1]
    Text,         // a string
    Choice,       // one of `choices`
    WeightedKeys, // [{"key": K, "weight": W}, ...]
    StringMap,    // {"name": "value", ...}
};

struct FieldSpec
{
    const char *key;       // as in the file
    FieldType type;
    const char *label;     // for property pages and tables
    bool required = false;
    std::int64_t min = 0;  // Integer: inclusive limits
    std::int64_t max = 0;
    std::span<const char *const> choices = {}; // Choice: the spellings, default first
};

// Limits shared by the reader, the validator and the editor.
inline constexpr std::int64_t kMaxServers = 1000000;
inline constexpr std::int64_t kMaxPrefetch = 65535;              // AMQP prefetch-count is 16 bits
inline constexpr std::int64_t kMaxPriority = 255;                // AMQP message priorities
inline constexpr std::int64_t kMaxDeliveryLimit = 65535;         // a quorum queue's x-delivery-limit
inline constexpr std::int64_t kMaxCount = std::int64_t(1) << 53; // capacity, limit, max_messages

// --- results ----------------------------------------------------------------------------

// Every figure a node's results report. How each is written follows from its value type.
enum class MetricId {
    Published, Routed, Unroutable, Arrivals, Drops, Dispatched, Completed,
    Throughput, Wait, Length, Service, Utilization,
    // failures and retries (extensions)
    Expired, DeadLetteredExpired, DeadLetteredRejected, DeadLetteredMaxlen,
    DeadLetteredDeliveryLimit, Requeued, Redelivered, Rejected,
    Crashes, Interrupted, Downtime, Refused, Retried, GivenUp,
};
enum class MetricType {
    Count,      // a mean count over replications
    Throughput, // {"mean", "ci95"} per time unit
    Stats,      // {"mean", "ci95", "p50", ..., "max"}
    MeanCi,     // {"mean", "ci95"}
    Level,      // a time average with its maximum: {"mean", "ci95", "max"}
};

struct MetricSpec
{
    MetricId id;
    const char *key;    // results-file key: "wait", "utilization", ...
    const char *label;  // for tables: "Wait", "Utilization"
    MetricType type;
    bool inCsv = true;  // a row of the metrics CSV too (dispatched is JSON only)
    // Written only when not 0: the counts of features a scenario may not use (expired,
    // dead-lettered, requeued ...), so results of scenarios without them stay as they were.
    bool onlyIfNonZero = false;
};

// --- time series ------------------------------------------------------------------------

// Every sampled column. The order within a kind is the order of its series (and CSV).
enum class SeriesColumn {
    ProducerThroughput,
    ExchangeThroughput, ExchangeUnroutable,
    QueueLength, QueueLengthMean, QueueArrivalRate, QueueDrops, QueueWaitMean,
    ConsumerUtilization, ConsumerThroughput, ConsumerBusy,
    DelayThroughput, DelayInTransit,
    EndToEndThroughput, EndToEndLatencyMean, EndToEndLatencyP50, EndToEndLatencyP95,
    EndToEndLatencyP99,
};
inline constexpr int kSeriesColumnCount = int(SeriesColumn::EndToEndLatencyP99) + 1;

struct SeriesSpec
{
    SeriesColumn column;
    const char *metric; // the series' metric name: "length", "throughput", ...
};

// --- links ------------------------------------------------------------------------------

struct LinkRule
{
    NodeKind from;
    NodeKind to;
    LinkRole role;
    bool explicitRole = false; // only when the link names its role (never implied)
};

// How many outgoing links of a role a kind has: exactly one (a producer's publish), any
// number with probabilities (onward), any number (bindings, subscriptions).
enum class OutDegree { One, Probabilities, Any };

// --- live backends ----------------------------------------------------------------------

enum class LiveSupport {
    Native,   // the broker itself does it
    Emulated, // QueueLab's live runner does it beside the broker (said before the run)
    None,     // the backend refuses a scenario with this kind, naming it
};

struct LiveSupportSpec
{
    LiveSupport embedded;
    LiveSupport amqp;
    const char *note; // what Emulated / None means for this kind, for the message
};

// --- the entry --------------------------------------------------------------------------

struct NodeKindInfo
{
    NodeKind kind;
    const char *name;     // file spelling: "queue"
    const char *label;    // "Queue"
    const char *iconKey;  // resources/icons/<iconKey>.svg
    const char *summary;  // one line for the palette's tool tip
    const char *plural;   // "queues"
    const char *sends;    // how its outgoing links read: "routes to" ("" when it has none)
    std::span<const FieldSpec> fields;
    std::span<const MetricSpec> metrics;
    std::span<const SeriesSpec> series;
    OutDegree outDegree;
    MetricId throughputOf; // the count its throughput is the rate of
    LiveSupportSpec live;
    Node (*makeDefault)(const std::string &id); // what the palette drops on the canvas
};

// Every kind, in palette order.
std::span<const NodeKindInfo> nodeKinds();
const NodeKindInfo &nodeKindInfo(NodeKind kind);
// The field of `kind` with file key `key`, or nullptr.
const FieldSpec *nodeField(NodeKind kind, const std::string &key);
// The kind whose fields include `key` (the first in table order), for "is a queue key" hints.
const NodeKindInfo *kindWithField(const std::string &key);
// The metric of `kind` with results key `key`, or nullptr.
const MetricSpec *nodeMetric(NodeKind kind, const std::string &key);

// Every legal link, in the order roles are inferred.
std::span<const LinkRule> linkRules();
// The role of a link between these kinds: `given` when it is not Auto and a rule allows it,
// else the role the first matching rule implies; Auto when no rule allows the link.
LinkRole resolveLinkRole(NodeKind from, NodeKind to, LinkRole given = LinkRole::Auto);
// Why a link between these kinds (with that role) is not allowed, or "" when it is. A pair
// that only an explicit role allows (queue -> exchange: dead-letter) says which.
std::string linkRefusal(NodeKind from, NodeKind to, LinkRole given = LinkRole::Auto);
// The kinds `from` may link to (any role), in table order.
std::vector<NodeKind> linkTargets(NodeKind from);

// The end-to-end series (node ""), in order.
std::span<const SeriesSpec> endToEndSeries();

// Series layout support: the position of a column within its kind's series, and the kind
// it belongs to (Sink for the end-to-end columns).
int seriesOffset(SeriesColumn column);

} // namespace ql
