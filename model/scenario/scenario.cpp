// Spec spellings of the scenario enums, and the node lookups. The names here are the
// contract of the file format (docs/scenario-format.md): never change one.
#include "scenario/scenario.h"

#include <cstddef>

namespace ql {

namespace {

template <typename Enum>
struct EnumName
{
    Enum value;
    const char *name;
};

constexpr EnumName<NodeKind> kNodeKinds[] = {
    {NodeKind::Producer, "producer"}, {NodeKind::Exchange, "exchange"},
    {NodeKind::Queue, "queue"},       {NodeKind::Consumer, "consumer"},
    {NodeKind::Sink, "sink"},         {NodeKind::Delay, "delay"},
};
constexpr EnumName<LinkRole> kLinkRoles[] = {
    {LinkRole::Auto, "auto"},           {LinkRole::Publish, "publish"},
    {LinkRole::Binding, "binding"},     {LinkRole::Subscription, "subscription"},
    {LinkRole::Onward, "onward"},       {LinkRole::DeadLetter, "dead-letter"},
};
constexpr EnumName<ExchangeType> kExchangeTypes[] = {
    {ExchangeType::Direct, "direct"}, {ExchangeType::Fanout, "fanout"},
    {ExchangeType::Topic, "topic"},   {ExchangeType::Headers, "headers"},
};
constexpr EnumName<Overflow> kOverflows[] = {
    {Overflow::RejectPublish, "reject-publish"}, {Overflow::DropHead, "drop-head"},
    {Overflow::RejectPublishDlx, "reject-publish-dlx"},
};
constexpr EnumName<QueueType> kQueueTypes[] = {
    {QueueType::Classic, "classic"}, {QueueType::Quorum, "quorum"},
};
constexpr EnumName<Discipline> kDisciplines[] = {
    {Discipline::Fifo, "fifo"}, {Discipline::Lifo, "lifo"}, {Discipline::Priority, "priority"},
};
constexpr EnumName<TimeUnit> kTimeUnits[] = {
    {TimeUnit::Seconds, "s"}, {TimeUnit::Milliseconds, "ms"},
};

template <typename Enum, std::size_t N>
const char *nameOf(const EnumName<Enum> (&table)[N], Enum value)
{
    for (const auto &entry : table) {
        if (entry.value == value)
            return entry.name;
    }
    return "?"; // only reachable with a value cast from an out-of-range integer
}

template <typename Enum, std::size_t N>
bool valueOf(const EnumName<Enum> (&table)[N], const std::string &name, Enum *out)
{
    for (const auto &entry : table) {
        if (name == entry.name) {
            if (out)
                *out = entry.value;
            return true;
        }
    }
    return false;
}

} // namespace

const char *nodeKindName(NodeKind v) { return nameOf(kNodeKinds, v); }
const char *exchangeTypeName(ExchangeType v) { return nameOf(kExchangeTypes, v); }
const char *overflowName(Overflow v) { return nameOf(kOverflows, v); }
const char *queueTypeName(QueueType v) { return nameOf(kQueueTypes, v); }
bool queueTypeFromName(const std::string &s, QueueType *out) { return valueOf(kQueueTypes, s, out); }
const char *disciplineName(Discipline v) { return nameOf(kDisciplines, v); }
const char *timeUnitName(TimeUnit v) { return nameOf(kTimeUnits, v); }
const char *linkRoleName(LinkRole v) { return nameOf(kLinkRoles, v); }
bool linkRoleFromName(const std::string &s, LinkRole *out) { return valueOf(kLinkRoles, s, out); }

bool nodeKindFromName(const std::string &s, NodeKind *out) { return valueOf(kNodeKinds, s, out); }
bool exchangeTypeFromName(const std::string &s, ExchangeType *out)
{
    return valueOf(kExchangeTypes, s, out);
}
bool overflowFromName(const std::string &s, Overflow *out) { return valueOf(kOverflows, s, out); }
bool disciplineFromName(const std::string &s, Discipline *out)
{
    return valueOf(kDisciplines, s, out);
}
bool timeUnitFromName(const std::string &s, TimeUnit *out) { return valueOf(kTimeUnits, s, out); }

int Scenario::nodeIndex(const std::string &id) const
{
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].id == id)
            return static_cast<int>(i);
    }
    return -1;
}

const Node *Scenario::node(const std::string &id) const
{
    const int i = nodeIndex(id);
    return i < 0 ? nullptr : &nodes[static_cast<std::size_t>(i)];
}

} // namespace ql
