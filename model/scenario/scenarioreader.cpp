// JSON (as QJsonDocument parsed it) -> Scenario. This layer reports what is wrong with the
// shape of the file: missing keys, wrong types, unknown names, unreadable trace files, and
// unknown keys (warnings). Whether the values make sense together is scenariovalidator.cpp.
#include "scenario/scenarioreader_p.h"
#include "scenario/tracefile.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace ql::detail {

namespace reading {

Scenario Reader::read(const QJsonObject &root)
{
    Scenario s;

    // format and version first: if this is not a scenario file (or one from a newer
    // program), every other message would be noise.
    const auto fmt = root.constFind(QLatin1String("format"));
    if (fmt == root.constEnd()) {
        missing("format", "a scenario file starts with \"format\": \"queuelab-scenario\", "
                          "\"version\": 1; is this a QueueLab scenario file?");
        return s;
    }
    if (fmt.value() != QJsonValue(QLatin1String("queuelab-scenario"))) {
        if (fmt.value() == QJsonValue(QLatin1String("queuelab-results")))
            error("format", "this is a results file (\"queuelab-results\"), not a scenario; "
                            "open the scenario file it was made from");
        else
            error("format", "must be \"queuelab-scenario\", got " + describe(fmt.value())
                                + "; is this a QueueLab scenario file?");
        return s;
    }
    const auto ver = root.constFind(QLatin1String("version"));
    if (ver == root.constEnd()) {
        missing("version", "add \"version\": 1");
        return s;
    }
    if (ver.value().isDouble() && ver.value().toDouble() > 1) {
        error("version", "this file is version " + numberText(ver.value().toDouble())
                             + ", but this program reads version 1; open it with a newer "
                               "QueueLab");
        return s;
    }
    if (ver.value() != QJsonValue(1)) {
        error("version", "must be 1, got " + describe(ver.value()));
        return s;
    }

    checkKeys(root, {}, kTopKeys);
    getString(root, "name", {}, &s.name);
    getString(root, "description", {}, &s.description);
    getEnum(root, "time_unit", {}, &timeUnitFromName, enumNames({"s", "ms"}), &s.timeUnit);

    if (root.contains(QLatin1String("run")))
        readRun(root.value(QLatin1String("run")), &s.run);

    const auto nodes = root.constFind(QLatin1String("nodes"));
    if (nodes == root.constEnd()) {
        missing("nodes", "add \"nodes\": [...] with the producers, exchanges, queues and "
                         "consumers");
    } else if (!nodes.value().isArray()) {
        typeError("nodes", "an array of node objects", nodes.value());
    } else {
        const QJsonArray array = nodes.value().toArray();
        s.nodes.resize(static_cast<std::size_t>(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            readNode(array.at(i), indexed("nodes", i), &s.nodes[static_cast<std::size_t>(i)]);
    }

    const auto links = root.constFind(QLatin1String("links"));
    if (links != root.constEnd()) {
        if (!links.value().isArray()) {
            typeError("links", "an array of link objects", links.value());
        } else {
            const QJsonArray array = links.value().toArray();
            s.links.resize(static_cast<std::size_t>(array.size()));
            for (qsizetype i = 0; i < array.size(); ++i)
                readLink(array.at(i), indexed("links", i), &s.links[static_cast<std::size_t>(i)]);
        }
    }

    if (root.contains(QLatin1String("layout")))
        readLayout(root.value(QLatin1String("layout")), &s);
    if (root.contains(QLatin1String("lesson"))) {
        s.lesson.emplace();
        readLesson(root.value(QLatin1String("lesson")), &*s.lesson);
    }
    return s;
}

void Reader::readRun(const QJsonValue &v, RunSettings *run)
{
    if (!v.isObject()) {
        typeError("run", "an object such as {\"duration\": 10000}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, "run", kRunKeys);
    getNumber(o, "duration", "run", &run->duration);
    getNumber(o, "warmup", "run", &run->warmup);
    std::int64_t seed = 0;
    if (getInteger(o, "seed", "run", 0, kMaxSeed, &seed))
        run->seed = static_cast<std::uint64_t>(seed);
    getInt(o, "replications", "run", 1, kMaxReplications, &run->replications);
    std::int64_t maxMessages = 0;
    if (getInteger(o, "max_messages", "run", 1, kMaxCount, &maxMessages))
        run->maxMessages = maxMessages;
    getNumber(o, "sample_interval", "run", &run->sampleInterval);
}

void Reader::readNode(const QJsonValue &v, const std::string &path, Node *node)
{
    if (!v.isObject()) {
        typeError(path, "a node object such as {\"id\": \"q\", \"kind\": \"queue\"}", v);
        ctx_.brokenIds.insert(node->id);
        return;
    }
    const QJsonObject o = v.toObject();

    if (!o.contains(QLatin1String("id")))
        missing(join(path, "id"), "every node needs an \"id\" that links and layout refer to");
    else
        getString(o, "id", path, &node->id);

    std::vector<std::string> kindNames;
    for (const NodeKindInfo &k : nodeKinds())
        kindNames.push_back(k.name);
    const auto kind = o.constFind(QLatin1String("kind"));
    if (kind == o.constEnd()) {
        missing(join(path, "kind"), "use one of " + listOr(kindNames));
        ctx_.brokenIds.insert(node->id);
        return;
    }
    if (!kind.value().isString() || !nodeKindFromName(str(kind.value().toString()), &node->kind)) {
        std::string message = "unknown kind " + describe(kind.value()) + "; use one of "
                              + listOr(kindNames);
        if (kind.value().isString()) {
            message = "unknown kind " + inQuotes(str(kind.value().toString())) + "; use one of "
                      + listOr(kindNames);
            const std::string near = closestMatch(str(kind.value().toString()), kindNames);
            if (!near.empty())
                message += " (did you mean " + inQuotes(near) + "?)";
        }
        error(join(path, "kind"), message);
        ctx_.brokenIds.insert(node->id);
        return;
    }

    std::vector<std::string> known = {"id", "kind"};
    const std::vector<std::string> &own = keysOf(node->kind);
    known.insert(known.end(), own.begin(), own.end());
    const NodeKind nodeKind = node->kind;
    checkKeys(o, path, known, [nodeKind](const std::string &k) -> std::string {
        if (const NodeKindInfo *other = kindWithField(k))
            return std::string("not used by a ") + nodeKindName(nodeKind) + ", ignored ("
                   + inQuotes(k) + " is a " + other->name + " key)";
        return {};
    });

    switch (node->kind) {
    case NodeKind::Producer: {
        const auto ia = o.constFind(QLatin1String("interarrival"));
        if (ia == o.constEnd())
            missing(join(path, "interarrival"),
                    "a producer needs the time between messages, e.g. \"interarrival\": "
                    "{\"dist\": \"exponential\", \"mean\": 1}");
        else
            readDistribution(ia.value(), join(path, "interarrival"), &node->interarrival);
        getString(o, "routing_key", path, &node->routingKey);
        const auto rks = o.constFind(QLatin1String("routing_keys"));
        if (rks != o.constEnd()) {
            const std::string rpath = join(path, "routing_keys");
            if (o.contains(QLatin1String("routing_key"))) {
                error(rpath, "give either routing_key or routing_keys, not both");
            } else if (!rks.value().isArray()) {
                typeError(rpath, "an array such as [{\"key\": \"a\", \"weight\": 1}]",
                          rks.value());
            } else {
                const QJsonArray array = rks.value().toArray();
                if (array.isEmpty())
                    error(rpath, "must not be empty; list at least one {\"key\": K, "
                                 "\"weight\": W} or use routing_key");
                for (qsizetype i = 0; i < array.size(); ++i) {
                    const std::string epath = indexed(rpath, i);
                    if (!array.at(i).isObject()) {
                        typeError(epath, "an object such as {\"key\": \"a\", \"weight\": 1}",
                                  array.at(i));
                        continue;
                    }
                    const QJsonObject e = array.at(i).toObject();
                    checkKeys(e, epath, {"key", "weight"});
                    WeightedKey wk;
                    if (!e.contains(QLatin1String("key")))
                        missing(join(epath, "key"), "each entry needs the routing \"key\"");
                    else
                        getString(e, "key", epath, &wk.key);
                    getNumber(e, "weight", epath, &wk.weight);
                    node->routingKeys.push_back(std::move(wk));
                }
            }
        }
        std::int64_t limit = 0;
        if (getInteger(o, "limit", path, minOf(NodeKind::Producer, "limit"), maxOf(NodeKind::Producer, "limit"), &limit))
            node->limit = limit;
        getInt(o, "priority", path, minOf(NodeKind::Producer, "priority"),
               maxOf(NodeKind::Producer, "priority"), &node->priority);
        getStringMap(o, "headers", path, &node->headers);
        if (const auto ttl = o.constFind(QLatin1String("message_ttl")); ttl != o.constEnd()) {
            Distribution d;
            if (readDistribution(ttl.value(), join(path, "message_ttl"), &d))
                node->messageTtl = d;
        }
        getInt(o, "retry_limit", path, minOf(NodeKind::Producer, "retry_limit"),
               maxOf(NodeKind::Producer, "retry_limit"), &node->retryLimit);
        if (const auto backoff = o.constFind(QLatin1String("retry_backoff")); backoff != o.constEnd())
            readDistribution(backoff.value(), join(path, "retry_backoff"), &node->retryBackoff);
        getNumber(o, "retry_backoff_factor", path, &node->retryBackoffFactor);
        if (double cap = 0; getNumber(o, "retry_backoff_max", path, &cap))
            node->retryBackoffMax = cap;
        break;
    }
    case NodeKind::Exchange:
        getEnum(o, "type", path, &exchangeTypeFromName,
                choicesOf(NodeKind::Exchange, "type"), &node->exchangeType);
        break;
    case NodeKind::Queue:
        getInteger(o, "capacity", path, minOf(NodeKind::Queue, "capacity"),
                   maxOf(NodeKind::Queue, "capacity"), &node->capacity);
        getEnum(o, "overflow", path, &overflowFromName,
                choicesOf(NodeKind::Queue, "overflow"), &node->overflow);
        getEnum(o, "discipline", path, &disciplineFromName,
                choicesOf(NodeKind::Queue, "discipline"), &node->discipline);
        if (double ttl = 0; getNumber(o, "message_ttl", path, &ttl))
            node->queueTtl = ttl;
        getEnum(o, "queue_type", path, &queueTypeFromName,
                choicesOf(NodeKind::Queue, "queue_type"), &node->queueType);
        if (std::int64_t limit = 0; getInteger(o, "delivery_limit", path, minOf(NodeKind::Queue, "delivery_limit"),
                                               maxOf(NodeKind::Queue, "delivery_limit"), &limit))
            node->deliveryLimit = limit;
        break;
    case NodeKind::Consumer: {
        const auto svc = o.constFind(QLatin1String("service"));
        if (svc == o.constEnd())
            missing(join(path, "service"),
                    "a consumer needs its service time, e.g. \"service\": {\"dist\": "
                    "\"exponential\", \"mean\": 1}");
        else
            readDistribution(svc.value(), join(path, "service"), &node->service);
        getInt(o, "servers", path, minOf(NodeKind::Consumer, "servers"),
               maxOf(NodeKind::Consumer, "servers"), &node->servers);
        getInt(o, "prefetch", path, minOf(NodeKind::Consumer, "prefetch"),
               maxOf(NodeKind::Consumer, "prefetch"), &node->prefetch);
        getNumber(o, "reject_probability", path, &node->rejectProbability);
        getNumber(o, "requeue_probability", path, &node->requeueProbability);
        for (auto [key, out] : {std::pair{"time_to_failure", &node->timeToFailure},
                                std::pair{"time_to_restart", &node->timeToRestart}}) {
            if (const auto it = o.constFind(QLatin1String(key)); it != o.constEnd()) {
                Distribution d;
                if (readDistribution(it.value(), join(path, key), &d))
                    *out = d;
            }
        }
        break;
    }
    case NodeKind::Delay: {
        const auto delay = o.constFind(QLatin1String("delay"));
        if (delay == o.constEnd())
            missing(join(path, "delay"),
                    "a delay needs the time each message takes to pass, e.g. \"delay\": "
                    "{\"dist\": \"deterministic\", \"value\": 0.5}");
        else
            readDistribution(delay.value(), join(path, "delay"), &node->delay);
        break;
    }
    case NodeKind::Sink:
        break;
    }
}

void Reader::readLink(const QJsonValue &v, const std::string &path, Link *link)
{
    if (!v.isObject()) {
        typeError(path, "a link object such as {\"from\": \"a\", \"to\": \"b\"}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kLinkKeys);
    if (!o.contains(QLatin1String("from")))
        missing(join(path, "from"), "a link needs the id of the node it starts at");
    else
        getString(o, "from", path, &link->from);
    if (!o.contains(QLatin1String("to")))
        missing(join(path, "to"), "a link needs the id of the node it leads to");
    else
        getString(o, "to", path, &link->to);
    getString(o, "binding_key", path, &link->bindingKey);
    const auto match = o.constFind(QLatin1String("match"));
    if (match != o.constEnd()) {
        if (match.value() == QJsonValue(QLatin1String("all")))
            link->match = HeadersMatch::All;
        else if (match.value() == QJsonValue(QLatin1String("any")))
            link->match = HeadersMatch::Any;
        else
            error(join(path, "match"),
                  "must be \"all\" or \"any\", got " + describe(match.value()));
    }
    getStringMap(o, "arguments", path, &link->arguments);
    double p = 0;
    if (getNumber(o, "probability", path, &p))
        link->probability = p;
    // Extension: what the link means, where its ends do not imply it (topology/nodekinds.h).
    getEnum(o, "role", path, &linkRoleFromName,
            enumNames({"publish", "binding", "subscription", "onward", "dead-letter"}), &link->role);
}

void Reader::readLayout(const QJsonValue &v, Scenario *s)
{
    if (!v.isObject()) {
        typeError("layout", "an object of positions such as {\"q\": [200, 0]}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const std::string path = join("layout", str(it.key()));
        const QJsonArray a = it.value().toArray();
        if (!it.value().isArray() || a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isDouble()) {
            typeError(path, "a position [x, y]", it.value());
            continue;
        }
        s->layout[str(it.key())] = {a.at(0).toDouble(), a.at(1).toDouble()};
    }
}

} // namespace reading

using reading::Reader;

Scenario readScenario(const QJsonObject &root, ReadContext &ctx)
{
    return Reader(ctx).read(root);
}

} // namespace ql::detail
