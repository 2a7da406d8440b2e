// Applying a lesson step's changes the way the reader reads them (scenarioreader_p.h).
#include "scenario/scenarioreader_p.h"

#include <QJsonDocument>

namespace ql::detail {

using namespace reading;

const std::vector<std::string> &changeableFields(NodeKind kind)
{
    return keysOf(kind);
}

const std::vector<std::string> &changeableRunFields()
{
    return kRunKeys;
}

bool readChangeValue(const Scenario &s, const LessonChange &change, const std::string &path,
                     const std::string &file, const std::string &baseDir, Node *node,
                     RunSettings *run, Diagnostics &d)
{
    const bool toRun = change.node.empty();
    const Node *target = toRun ? nullptr : s.node(change.node);
    if (!toRun && !target) {
        d.error(file, path + ".node", "no node with id " + inQuotes(change.node)
                                          + "; name a node of the scenario, or \"run\" for "
                                            "the run settings");
        return false;
    }
    const std::vector<std::string> &fields = toRun ? changeableRunFields()
                                                   : changeableFields(target->kind);
    if (std::find(fields.begin(), fields.end(), change.field) == fields.end()) {
        std::vector<std::string> q;
        for (const std::string &f : fields)
            q.push_back(inQuotes(f));
        const std::string owner = toRun ? std::string("the run settings")
                                        : std::string("a ") + nodeKindName(target->kind);
        std::string message = fields.empty()
            ? owner + " has no field a lesson can change"
            : inQuotes(change.field) + " is not a field of " + owner + "; use " + listOr(q);
        const std::string near = closestMatch(change.field, fields);
        if (!near.empty())
            message += " (did you mean " + inQuotes(near) + "?)";
        d.error(file, path + ".field", message);
        return false;
    }
    QJsonParseError pe;
    const QByteArray text = QByteArray("[") + QByteArray::fromStdString(change.value) + "]";
    const QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error != QJsonParseError::NoError || doc.array().size() != 1) {
        d.error(file, path + ".value", "is not one JSON value (" + pe.errorString().toStdString()
                                           + "); write it as in the node itself, e.g. 10 or "
                                             "{\"dist\": \"exponential\", \"mean\": 1}");
        return false;
    }
    ReadContext ctx;
    ctx.file = file;
    ctx.baseDir = baseDir;
    ctx.diagnostics = &d;
    Reader reader(ctx);
    if (toRun) {
        RunSettings r = s.run;
        RunSettings fresh;
        if (!reader.readField(change.field, doc.array().at(0), path, nullptr, &fresh))
            return false;
        // Copy only the field: the others keep the scenario's values.
        if (change.field == "duration") r.duration = fresh.duration;
        else if (change.field == "warmup") r.warmup = fresh.warmup;
        else if (change.field == "seed") r.seed = fresh.seed;
        else if (change.field == "replications") r.replications = fresh.replications;
        else if (change.field == "max_messages") r.maxMessages = fresh.maxMessages;
        else if (change.field == "sample_interval") r.sampleInterval = fresh.sampleInterval;
        *run = r;
        return true;
    }
    Node fresh;
    fresh.id = target->id;
    fresh.kind = target->kind;
    if (!reader.readField(change.field, doc.array().at(0), path, &fresh, nullptr))
        return false;
    Node n = *target;
    const std::string &f = change.field;
    if (f == "interarrival") n.interarrival = fresh.interarrival;
    else if (f == "routing_key") { n.routingKey = fresh.routingKey; n.routingKeys.clear(); }
    else if (f == "routing_keys") { n.routingKeys = fresh.routingKeys; n.routingKey.clear(); }
    else if (f == "limit") n.limit = fresh.limit;
    else if (f == "priority") n.priority = fresh.priority;
    else if (f == "headers") n.headers = fresh.headers;
    else if (f == "type") n.exchangeType = fresh.exchangeType;
    else if (f == "capacity") n.capacity = fresh.capacity;
    else if (f == "overflow") n.overflow = fresh.overflow;
    else if (f == "discipline") n.discipline = fresh.discipline;
    else if (f == "service") n.service = fresh.service;
    else if (f == "servers") n.servers = fresh.servers;
    else if (f == "prefetch") n.prefetch = fresh.prefetch;
    else if (f == "delay") n.delay = fresh.delay;
    else if (f == "message_ttl" && n.kind == NodeKind::Producer) n.messageTtl = fresh.messageTtl;
    else if (f == "message_ttl") n.queueTtl = fresh.queueTtl;
    else if (f == "queue_type") n.queueType = fresh.queueType;
    else if (f == "delivery_limit") n.deliveryLimit = fresh.deliveryLimit;
    else if (f == "reject_probability") n.rejectProbability = fresh.rejectProbability;
    else if (f == "requeue_probability") n.requeueProbability = fresh.requeueProbability;
    *node = std::move(n);
    return true;
}

bool applyStepChanges(const LessonStep &step, const std::string &stepPath,
                      const std::string &file, const std::string &baseDir, Scenario *s,
                      Diagnostics &d)
{
    for (std::size_t j = 0; j < step.changes.size(); ++j) {
        const LessonChange &c = step.changes[j];
        const std::string path = stepPath + ".changes[" + std::to_string(j) + "]";
        Node node;
        RunSettings run;
        if (!readChangeValue(*s, c, path, file, baseDir, &node, &run, d))
            return false;
        Scenario next = *s;
        std::string prefix;
        if (c.node.empty()) {
            next.run = run;
            prefix = "run." + c.field;
        } else {
            const int i = next.nodeIndex(c.node);
            next.nodes[std::size_t(i)] = std::move(node);
            prefix = "nodes[" + std::to_string(i) + "]." + c.field;
        }
        // Whether the value fits (range, and with the rest of the scenario): the checks of a
        // whole scenario, without its lesson (which is what is being checked).
        std::optional<Lesson> lesson = std::move(next.lesson);
        next.lesson.reset();
        Diagnostics check;
        validate(next, file, nullptr, check);
        next.lesson = std::move(lesson);
        bool ok = true;
        for (const Diagnostic &e : check.errors()) {
            ok = false;
            const bool own = e.path.compare(0, prefix.size(), prefix) == 0
                             && (e.path.size() == prefix.size() || e.path[prefix.size()] == '.'
                                 || e.path[prefix.size()] == '[');
            if (own)
                d.error(file, path + ".value" + e.path.substr(prefix.size()), e.message);
            else
                d.error(file, path, "with this change the scenario is not valid: "
                                        + (e.path.empty() ? std::string() : e.path + ": ")
                                        + e.message);
        }
        if (!ok)
            return false;
        *s = std::move(next);
    }
    return true;
}

} // namespace ql::detail
