// JSON (as QJsonDocument parsed it) -> Scenario. This layer reports what is wrong with the
// shape of the file: missing keys, wrong types, unknown names, unreadable trace files, and
// unknown keys (warnings). Whether the values make sense together is scenariovalidator.cpp.
#include "scenario/scenarioio_p.h"
#include "scenario/tracefile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <map>

namespace ql::detail {

namespace {

std::string join(const std::string &parent, std::string_view key)
{
    if (parent.empty())
        return std::string(key);
    std::string out = parent;
    out += '.';
    out += key;
    return out;
}

std::string indexed(const std::string &parent, qsizetype i)
{
    return parent + '[' + std::to_string(i) + ']';
}

std::string str(const QString &s)
{
    return s.toStdString();
}

// How a JSON value reads in "got ..." (short: a long string is cut).
std::string describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return v.toBool() ? "true" : "false";
    case QJsonValue::Double: return numberText(v.toDouble());
    case QJsonValue::String: {
        std::string s = str(v.toString());
        if (s.size() > 40)
            s = s.substr(0, 37) + "...";
        return "string " + inQuotes(s);
    }
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
    }
    return "nothing";
}

// For "must be a number, got string \"12\"": what the user most likely meant.
std::string numberHint(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    const std::string s = str(v.toString().trimmed());
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "nan" || lower == "inf" || lower == "-inf" || lower == "infinity"
        || lower == "-infinity" || lower == "+infinity")
        return "; JSON has no NaN or infinity: write a finite number";
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty())
        return "; write the number without quotes";
    return {};
}

const std::vector<std::string> kTopKeys = {"format", "version", "name", "description",
                                           "time_unit", "run", "nodes", "links", "layout",
                                           "lesson"};
const std::vector<std::string> kRunKeys = {"duration", "warmup", "seed", "replications",
                                           "max_messages", "sample_interval"};
const std::vector<std::string> kLinkKeys = {"from", "to", "binding_key", "match", "arguments",
                                            "probability", "role"};
const std::vector<std::string> kLessonKeys = {"title", "summary", "order", "steps"};
const std::vector<std::string> kStepKeys = {"title", "text", "highlight", "changes", "question"};
const std::vector<std::string> kChangeKeys = {"node", "field", "value"};
const std::vector<std::string> kQuestionKeys = {"prompt", "node", "metric", "unit", "tolerance",
                                                "explanation"};

// A kind's file keys, from the node-kind table.
const std::vector<std::string> &keysOf(NodeKind kind)
{
    static const std::map<NodeKind, std::vector<std::string>> keys = [] {
        std::map<NodeKind, std::vector<std::string>> m;
        for (const NodeKindInfo &k : nodeKinds())
            for (const FieldSpec &f : k.fields)
                m[k.kind].push_back(f.key);
        return m;
    }();
    static const std::vector<std::string> none;
    const auto it = keys.find(kind);
    return it == keys.end() ? none : it->second;
}

// The inclusive limits of an integer key of a kind, from the node-kind table.
std::int64_t minOf(NodeKind kind, const char *key) { return nodeField(kind, key)->min; }
std::int64_t maxOf(NodeKind kind, const char *key) { return nodeField(kind, key)->max; }
// The spellings of a choice key of a kind, from the node-kind table.
std::vector<std::string> choicesOf(NodeKind kind, const char *key)
{
    const std::span<const char *const> c = nodeField(kind, key)->choices;
    return std::vector<std::string>(c.begin(), c.end());
}

std::vector<std::string> enumNames(std::initializer_list<const char *> names)
{
    return {names.begin(), names.end()};
}

class Reader
{
public:
    explicit Reader(ReadContext &ctx)
        : ctx_(ctx)
    {
    }

    Scenario read(const QJsonObject &root);

    // One field of a node (or of "run") as it would appear in the file, read into *node
    // (or *run). Messages name `path` + ".value".
    bool readField(const std::string &field, const QJsonValue &value, const std::string &path,
                   Node *node, RunSettings *run);

private:
    void error(const std::string &path, const std::string &message)
    {
        ctx_.diagnostics->error(ctx_.file, path, message);
        ctx_.errorPaths.insert(path);
    }
    void warning(const std::string &path, const std::string &message)
    {
        ctx_.diagnostics->warning(ctx_.file, path, message);
    }

    void typeError(const std::string &path, const char *expected, const QJsonValue &v,
                   const std::string &hint = {})
    {
        error(path, std::string("must be ") + expected + ", got " + describe(v) + hint);
    }

    // Each getter leaves *out alone and returns false when the key is absent or wrong;
    // a wrong value is reported, an absent one is not (the caller knows if it is required).
    bool getNumber(const QJsonObject &o, const char *key, const std::string &parent, double *out);
    bool getInteger(const QJsonObject &o, const char *key, const std::string &parent,
                    std::int64_t lo, std::int64_t hi, std::int64_t *out);
    bool getInt(const QJsonObject &o, const char *key, const std::string &parent, std::int64_t lo,
                std::int64_t hi, int *out);
    bool getString(const QJsonObject &o, const char *key, const std::string &parent,
                   std::string *out);
    bool getStringMap(const QJsonObject &o, const char *key, const std::string &parent,
                      std::vector<std::pair<std::string, std::string>> *out);
    bool getNumberArray(const QJsonObject &o, const char *key, const std::string &parent,
                        std::vector<double> *out);
    template <typename Enum>
    bool getEnum(const QJsonObject &o, const char *key, const std::string &parent,
                 bool (*fromName)(const std::string &, Enum *),
                 const std::vector<std::string> &names, Enum *out);

    bool integerValue(const QJsonValue &v, const std::string &path, std::int64_t lo,
                      std::int64_t hi, std::int64_t *out);
    void missing(const std::string &path, const std::string &what)
    {
        error(path, "missing; " + what);
    }

    // Warns about keys of `o` not in `known`; `other` explains keys that belong elsewhere.
    void checkKeys(const QJsonObject &o, const std::string &parent,
                   const std::vector<std::string> &known,
                   const std::function<std::string(const std::string &)> &other = {});

    void readRun(const QJsonValue &v, RunSettings *run);
    void readNode(const QJsonValue &v, const std::string &path, Node *node);
    void readLink(const QJsonValue &v, const std::string &path, Link *link);
    void readLayout(const QJsonValue &v, Scenario *s);
    bool readDistribution(const QJsonValue &v, const std::string &path, Distribution *d);
    void readLesson(const QJsonValue &v, Lesson *lesson);
    void readStep(const QJsonValue &v, const std::string &path, LessonStep *step);
    void readChange(const QJsonValue &v, const std::string &path, LessonChange *change);
    void readQuestion(const QJsonValue &v, const std::string &path, LessonQuestion *question);
    // Markdown: a string, or an array of lines (joined with newlines) that diffs well.
    bool getText(const QJsonObject &o, const char *key, const std::string &parent,
                 std::string *out);
    void loadTrace(const std::string &path, Distribution *d);

    ReadContext &ctx_;
};

bool Reader::getNumber(const QJsonObject &o, const char *key, const std::string &parent,
                       double *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    const QJsonValue v = it.value();
    if (!v.isDouble()) {
        typeError(join(parent, key), "a number", v, numberHint(v));
        return false;
    }
    *out = v.toDouble();
    return true;
}

bool Reader::integerValue(const QJsonValue &v, const std::string &path, std::int64_t lo,
                          std::int64_t hi, std::int64_t *out)
{
    if (!v.isDouble()) {
        typeError(path, "an integer", v, numberHint(v));
        return false;
    }
    const double d = v.toDouble();
    if (d != std::floor(d)) {
        error(path, "must be an integer, got " + numberText(d));
        return false;
    }
    // Compare as doubles first: a huge value must not overflow the conversion.
    if (d < static_cast<double>(lo)) {
        error(path, "must be >= " + std::to_string(lo) + ", got " + numberText(d));
        return false;
    }
    if (d > static_cast<double>(hi)) {
        error(path, "must be at most " + std::to_string(hi) + ", got " + numberText(d));
        return false;
    }
    *out = static_cast<std::int64_t>(d);
    return true;
}

bool Reader::getInteger(const QJsonObject &o, const char *key, const std::string &parent,
                        std::int64_t lo, std::int64_t hi, std::int64_t *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    return integerValue(it.value(), join(parent, key), lo, hi, out);
}

bool Reader::getInt(const QJsonObject &o, const char *key, const std::string &parent,
                    std::int64_t lo, std::int64_t hi, int *out)
{
    std::int64_t v = 0;
    if (!getInteger(o, key, parent, lo, hi, &v))
        return false;
    *out = static_cast<int>(v);
    return true;
}

bool Reader::getString(const QJsonObject &o, const char *key, const std::string &parent,
                       std::string *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    if (!it.value().isString()) {
        typeError(join(parent, key), "a string", it.value());
        return false;
    }
    *out = str(it.value().toString());
    return true;
}

bool Reader::getStringMap(const QJsonObject &o, const char *key, const std::string &parent,
                          std::vector<std::pair<std::string, std::string>> *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    const std::string path = join(parent, key);
    if (!it.value().isObject()) {
        typeError(path, "an object of strings such as {\"format\": \"pdf\"}", it.value());
        return false;
    }
    const QJsonObject map = it.value().toObject();
    bool ok = true;
    std::vector<std::pair<std::string, std::string>> result;
    for (auto m = map.constBegin(); m != map.constEnd(); ++m) {
        if (!m.value().isString()) {
            // AMQP headers can hold numbers too, but matching here compares strings.
            typeError(join(path, str(m.key())), "a string", m.value(),
                      m.value().isDouble() ? "; values are compared as strings: quote it"
                                           : std::string());
            ok = false;
            continue;
        }
        result.emplace_back(str(m.key()), str(m.value().toString()));
    }
    if (ok)
        *out = std::move(result);
    return ok;
}

bool Reader::getNumberArray(const QJsonObject &o, const char *key, const std::string &parent,
                            std::vector<double> *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    const std::string path = join(parent, key);
    if (!it.value().isArray()) {
        typeError(path, "an array of numbers", it.value());
        return false;
    }
    const QJsonArray array = it.value().toArray();
    std::vector<double> result;
    result.reserve(static_cast<std::size_t>(array.size()));
    bool ok = true;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue v = array.at(i);
        if (!v.isDouble()) {
            typeError(indexed(path, i), "a number", v, numberHint(v));
            ok = false;
            continue;
        }
        result.push_back(v.toDouble());
    }
    if (ok)
        *out = std::move(result);
    return ok;
}

template <typename Enum>
bool Reader::getEnum(const QJsonObject &o, const char *key, const std::string &parent,
                     bool (*fromName)(const std::string &, Enum *),
                     const std::vector<std::string> &names, Enum *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    const std::string path = join(parent, key);
    if (!it.value().isString() || !fromName(str(it.value().toString()), out)) {
        std::vector<std::string> q;
        for (const std::string &n : names)
            q.push_back(inQuotes(n));
        error(path, "must be " + listOr(q) + ", got " + describe(it.value()));
        return false;
    }
    return true;
}

void Reader::checkKeys(const QJsonObject &o, const std::string &parent,
                       const std::vector<std::string> &known,
                       const std::function<std::string(const std::string &)> &other)
{
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const std::string k = str(it.key());
        if (std::find(known.begin(), known.end(), k) != known.end())
            continue;
        std::string why = other ? other(k) : std::string();
        if (why.empty()) {
            why = "unknown key, ignored";
            const std::string near = closestMatch(k, known);
            if (!near.empty())
                why += " (did you mean " + inQuotes(near) + "?)";
        }
        warning(join(parent, k), why);
    }
}

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

bool Reader::readDistribution(const QJsonValue &v, const std::string &path, Distribution *d)
{
    if (!v.isObject()) {
        typeError(path, "a distribution such as {\"dist\": \"exponential\", \"mean\": 1}", v);
        return false;
    }
    const QJsonObject o = v.toObject();
    const std::vector<std::string> names = distributionNames();
    const auto dist = o.constFind(QLatin1String("dist"));
    if (dist == o.constEnd()) {
        missing(join(path, "dist"), "name the distribution, e.g. \"dist\": \"exponential\" (one of "
                                        + listOr(names) + ")");
        return false;
    }
    if (!dist.value().isString() || !distKindFromName(str(dist.value().toString()), &d->kind)) {
        std::string message = "unknown distribution " + describe(dist.value());
        if (dist.value().isString())
            message = "unknown distribution " + inQuotes(str(dist.value().toString()));
        message += "; use one of " + listOr(names);
        if (dist.value().isString()) {
            const std::string near = closestMatch(str(dist.value().toString()), names);
            if (!near.empty())
                message += " (did you mean " + inQuotes(near) + "?)";
        }
        error(join(path, "dist"), message);
        return false;
    }

    const std::vector<std::string> params = distributionParameters(d->kind);
    std::vector<std::string> known = {"dist"};
    known.insert(known.end(), params.begin(), params.end());
    const DistKind kind = d->kind;
    checkKeys(o, path, known, [kind, &params](const std::string &k) -> std::string {
        for (const std::string &name : distributionNames()) {
            DistKind other;
            distKindFromName(name, &other);
            const std::vector<std::string> p = distributionParameters(other);
            if (std::find(p.begin(), p.end(), k) != p.end()) {
                std::vector<std::string> q;
                for (const std::string &x : params)
                    q.push_back(inQuotes(x));
                return std::string("not a parameter of the ") + distKindName(kind)
                       + " distribution, ignored (it takes " + listOr(q) + ")";
            }
        }
        return {};
    });

    const auto has = [&o](const char *key) { return o.contains(QLatin1String(key)); };
    const std::string dname = distKindName(d->kind);
    const auto need = [&](const char *key) {
        if (!has(key)) {
            std::vector<std::string> q;
            for (const std::string &x : params)
                q.push_back(inQuotes(x));
            std::string all;
            for (std::size_t i = 0; i < q.size(); ++i)
                all += (i == 0 ? "" : " and ") + q[i];
            missing(join(path, key), "the " + dname + " distribution needs " + all);
        }
    };

    switch (d->kind) {
    case DistKind::Deterministic:
        need("value");
        getNumber(o, "value", path, &d->value);
        break;
    case DistKind::Exponential: {
        if (has("mean") && has("rate")) {
            error(join(path, "rate"), "give either mean or rate, not both (rate = 1 / mean)");
            break;
        }
        if (!has("mean") && !has("rate")) {
            missing(join(path, "mean"), "an exponential distribution needs \"mean\" (or \"rate\")");
            break;
        }
        getNumber(o, "mean", path, &d->mean);
        double rate = 0;
        if (getNumber(o, "rate", path, &rate)) {
            const std::string rpath = join(path, "rate");
            if (!(rate > 0))
                error(rpath, "must be > 0, got " + numberText(rate));
            else if (!std::isfinite(1 / rate))
                error(rpath, "is too small (its mean, 1 / rate, is not a finite number), got "
                                 + numberText(rate));
            else {
                d->mean = 1 / rate;
                d->rateGiven = true;
            }
        }
        break;
    }
    case DistKind::Uniform:
        need("min");
        need("max");
        getNumber(o, "min", path, &d->min);
        getNumber(o, "max", path, &d->max);
        break;
    case DistKind::Normal:
    case DistKind::Lognormal:
        need("mean");
        need("stddev");
        getNumber(o, "mean", path, &d->mean);
        getNumber(o, "stddev", path, &d->stddev);
        break;
    case DistKind::Erlang:
        need("k");
        need("mean");
        getInt(o, "k", path, 1, kMaxErlangK, &d->k);
        getNumber(o, "mean", path, &d->mean);
        break;
    case DistKind::Gamma:
    case DistKind::Weibull:
        need("shape");
        need("scale");
        getNumber(o, "shape", path, &d->shape);
        getNumber(o, "scale", path, &d->scale);
        break;
    case DistKind::Hyperexponential:
        need("probabilities");
        need("means");
        getNumberArray(o, "probabilities", path, &d->probabilities);
        getNumberArray(o, "means", path, &d->means);
        break;
    case DistKind::Empirical:
        if (has("samples") && has("file")) {
            error(join(path, "file"), "give either samples or file, not both");
            break;
        }
        if (!has("samples") && !has("file")) {
            missing(join(path, "samples"), "an empirical distribution needs \"samples\": [...] "
                                           "or \"file\": \"trace.csv\"");
            break;
        }
        getNumberArray(o, "samples", path, &d->samples);
        if (getString(o, "file", path, &d->file))
            loadTrace(join(path, "file"), d);
        break;
    }
    return true;
}

bool Reader::getText(const QJsonObject &o, const char *key, const std::string &parent,
                     std::string *out)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd())
        return false;
    const std::string path = join(parent, key);
    if (it.value().isString()) {
        *out = str(it.value().toString());
        return true;
    }
    if (!it.value().isArray()) {
        typeError(path, "a string, or an array of strings (the lines of the text)", it.value());
        return false;
    }
    const QJsonArray lines = it.value().toArray();
    std::string text;
    bool ok = true;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!lines.at(i).isString()) {
            typeError(indexed(path, i), "a string (one line of the text)", lines.at(i));
            ok = false;
            continue;
        }
        if (i > 0)
            text += '\n';
        text += str(lines.at(i).toString());
    }
    if (ok)
        *out = std::move(text);
    return ok;
}

void Reader::readLesson(const QJsonValue &v, Lesson *lesson)
{
    if (!v.isObject()) {
        typeError("lesson", "an object such as {\"title\": \"...\", \"steps\": [...]}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, "lesson", kLessonKeys);
    if (!o.contains(QLatin1String("title")))
        missing("lesson.title", "a lesson needs a \"title\" for the Lessons list");
    else
        getString(o, "title", "lesson", &lesson->title);
    getString(o, "summary", "lesson", &lesson->summary);
    getInt(o, "order", "lesson", -1000000, 1000000, &lesson->order);
    const auto steps = o.constFind(QLatin1String("steps"));
    if (steps == o.constEnd()) {
        missing("lesson.steps", "a lesson needs \"steps\": [{\"title\": ..., \"text\": ...}, ...]");
        return;
    }
    if (!steps.value().isArray()) {
        typeError("lesson.steps", "an array of steps", steps.value());
        return;
    }
    const QJsonArray array = steps.value().toArray();
    lesson->steps.resize(static_cast<std::size_t>(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i)
        readStep(array.at(i), indexed("lesson.steps", i), &lesson->steps[std::size_t(i)]);
}

void Reader::readStep(const QJsonValue &v, const std::string &path, LessonStep *step)
{
    if (!v.isObject()) {
        typeError(path, "a step object such as {\"title\": \"...\", \"text\": \"...\"}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kStepKeys);
    if (!o.contains(QLatin1String("title")))
        missing(join(path, "title"), "every step needs a \"title\"");
    else
        getString(o, "title", path, &step->title);
    getText(o, "text", path, &step->text);

    const auto hl = o.constFind(QLatin1String("highlight"));
    if (hl != o.constEnd()) {
        const std::string hpath = join(path, "highlight");
        if (!hl.value().isArray()) {
            typeError(hpath, "an array of node ids such as [\"hello\"]", hl.value());
        } else {
            const QJsonArray ids = hl.value().toArray();
            for (qsizetype i = 0; i < ids.size(); ++i) {
                if (!ids.at(i).isString())
                    typeError(indexed(hpath, i), "a node id (a string)", ids.at(i));
                else
                    step->highlight.push_back(str(ids.at(i).toString()));
            }
        }
    }

    const auto changes = o.constFind(QLatin1String("changes"));
    if (changes != o.constEnd()) {
        const std::string cpath = join(path, "changes");
        if (!changes.value().isArray()) {
            typeError(cpath, "an array of changes such as [{\"node\": \"w\", \"field\": "
                             "\"prefetch\", \"value\": 10}]",
                      changes.value());
        } else {
            const QJsonArray array = changes.value().toArray();
            step->changes.resize(static_cast<std::size_t>(array.size()));
            for (qsizetype i = 0; i < array.size(); ++i)
                readChange(array.at(i), indexed(cpath, i), &step->changes[std::size_t(i)]);
        }
    }

    const auto question = o.constFind(QLatin1String("question"));
    if (question != o.constEnd()) {
        step->question.emplace();
        readQuestion(question.value(), join(path, "question"), &*step->question);
    }
}

void Reader::readChange(const QJsonValue &v, const std::string &path, LessonChange *change)
{
    if (!v.isObject()) {
        typeError(path, "a change such as {\"node\": \"w\", \"field\": \"prefetch\", "
                        "\"value\": 10}",
                  v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kChangeKeys);
    if (!o.contains(QLatin1String("node")))
        missing(join(path, "node"), "name the node to change, or \"run\" for the run settings");
    else if (getString(o, "node", path, &change->node) && change->node == kRunTarget)
        change->node.clear();
    if (!o.contains(QLatin1String("field")))
        missing(join(path, "field"), "name the key to set, e.g. \"field\": \"service\"");
    else
        getString(o, "field", path, &change->field);
    const auto value = o.constFind(QLatin1String("value"));
    if (value == o.constEnd()) {
        missing(join(path, "value"), "give the new value, written as in the node itself");
        return;
    }
    // Kept as JSON text; the validator reads it as the field it sets, and a loaded scenario
    // holds it in canonical form (scenarioio.cpp).
    const QByteArray wrapped = QJsonDocument(QJsonArray{value.value()}).toJson(QJsonDocument::Compact);
    change->value = wrapped.mid(1, wrapped.size() - 2).toStdString();
}

void Reader::readQuestion(const QJsonValue &v, const std::string &path, LessonQuestion *question)
{
    if (!v.isObject()) {
        typeError(path, "a question such as {\"prompt\": \"...\", \"node\": \"q\", \"metric\": "
                        "\"wait.mean\"}",
                  v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kQuestionKeys);
    if (!o.contains(QLatin1String("prompt")))
        missing(join(path, "prompt"), "a question needs a \"prompt\" saying what to predict");
    else
        getText(o, "prompt", path, &question->prompt);
    getString(o, "node", path, &question->node);
    if (!o.contains(QLatin1String("metric")))
        missing(join(path, "metric"), "name the figure to predict, e.g. \"metric\": \"wait.mean\"");
    else
        getString(o, "metric", path, &question->metric);
    getString(o, "unit", path, &question->unit);
    getNumber(o, "tolerance", path, &question->tolerance);
    getText(o, "explanation", path, &question->explanation);
}

bool Reader::readField(const std::string &field, const QJsonValue &value,
                       const std::string &path, Node *node, RunSettings *run)
{
    const std::size_t before = ctx_.diagnostics->items.size();
    if (run) {
        QJsonObject o;
        o.insert(QString::fromStdString(field), value);
        readRun(o, run);
    } else {
        // The node as the reader sees it: id, kind, the field, and stand-ins for the other
        // required keys (only `field` is taken from the result).
        QJsonObject o;
        o.insert(QLatin1String("id"), QString::fromStdString(node->id));
        o.insert(QLatin1String("kind"), QLatin1String(nodeKindName(node->kind)));
        const QJsonObject standIn{{QLatin1String("dist"), QLatin1String("exponential")},
                                  {QLatin1String("mean"), 1}};
        // Required distributions other than the changed one: stand-ins, so the node reads.
        for (const FieldSpec &f : nodeKindInfo(node->kind).fields)
            if (f.required && f.type == FieldType::Distribution && field != f.key)
                o.insert(QLatin1String(f.key), standIn);
        o.insert(QString::fromStdString(field), value);
        readNode(o, path, node);
    }
    // The reader names the field's own path ("run.duration", "<path>.service.mean"); the
    // file has the value under the change's "value".
    const std::string prefix = (run ? std::string("run") : path) + "." + field;
    bool ok = true;
    for (std::size_t i = before; i < ctx_.diagnostics->items.size(); ++i) {
        Diagnostic &item = ctx_.diagnostics->items[i];
        if (item.path.compare(0, prefix.size(), prefix) == 0
            && (item.path.size() == prefix.size() || item.path[prefix.size()] == '.'
                || item.path[prefix.size()] == '['))
            item.path = path + ".value" + item.path.substr(prefix.size());
        ok = ok && item.severity != Diagnostic::Severity::Error;
    }
    return ok;
}

void Reader::loadTrace(const std::string &path, Distribution *d)
{
    if (d->file.empty()) {
        error(path, "must name a CSV file, got an empty string");
        return;
    }
    std::string message;
    if (!readTraceFile(resolveTracePath(d->file, ctx_.baseDir), &d->samples, &message))
        error(path, message);
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

} // namespace

Scenario readScenario(const QJsonObject &root, ReadContext &ctx)
{
    return Reader(ctx).read(root);
}

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
