// Scenario files in and out: JSON syntax (Qt's parser), then scenarioreader.cpp (shape)
// and scenariovalidator.cpp (meaning); writing is a canonical, ordered JSON text through
// JsonWriter and QSaveFile (savefile.h).
#include "scenario/scenarioio.h"

#include "scenario/jsonwriter.h"
#include "scenario/savefile.h"
#include "scenario/scenarioio_p.h"

#include <QByteArray>
#include <QFileInfo>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace ql {

// ---- shared text helpers (scenarioio_p.h) -------------------------------------------------

namespace detail {

std::string numberText(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "inf" : "-inf";
    return JsonWriter::formatNumber(d);
}

std::string inQuotes(std::string_view s)
{
    return JsonWriter::quote(s);
}

std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates)
{
    // Levenshtein distance, case-insensitive; typos are one or two edits away.
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    std::string best;
    // Short words tolerate one edit, longer ones two.
    std::size_t bestDistance = (word.size() >= 6 ? 2 : 1) + 1;
    for (const std::string &cand : candidates) {
        std::vector<std::size_t> row(cand.size() + 1);
        for (std::size_t j = 0; j <= cand.size(); ++j)
            row[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            std::size_t diag = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= cand.size(); ++j) {
                const std::size_t up = row[j];
                const std::size_t cost = lower(word[i - 1]) == lower(cand[j - 1]) ? 0 : 1;
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
                diag = up;
            }
        }
        if (row[cand.size()] < bestDistance) {
            bestDistance = row[cand.size()];
            best = cand;
        }
    }
    return best;
}

std::string listOr(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += i + 1 == items.size() ? " or " : ", ";
        out += items[i];
    }
    return out;
}

std::vector<std::string> distributionParameters(DistKind kind)
{
    switch (kind) {
    case DistKind::Deterministic: return {"value"};
    case DistKind::Exponential: return {"mean", "rate"};
    case DistKind::Uniform: return {"min", "max"};
    case DistKind::Normal:
    case DistKind::Lognormal: return {"mean", "stddev"};
    case DistKind::Erlang: return {"k", "mean"};
    case DistKind::Gamma:
    case DistKind::Weibull: return {"shape", "scale"};
    case DistKind::Hyperexponential: return {"probabilities", "means"};
    case DistKind::Empirical: return {"samples", "file"};
    }
    return {};
}

std::vector<std::string> distributionNames()
{
    std::vector<std::string> names;
    for (int k = static_cast<int>(DistKind::Deterministic);
         k <= static_cast<int>(DistKind::Empirical); ++k)
        names.emplace_back(distKindName(static_cast<DistKind>(k)));
    return names;
}

} // namespace detail

// ---- reading ------------------------------------------------------------------------------

namespace {

using detail::inQuotes;

// What to look for, per kind of JSON syntax error.
const char *syntaxHint(QJsonParseError::ParseError e)
{
    switch (e) {
    case QJsonParseError::UnterminatedObject:
        return "check for a missing '}' or a missing comma between members";
    case QJsonParseError::MissingNameSeparator:
        return "a key must be followed by ':'";
    case QJsonParseError::UnterminatedArray:
        return "check for a missing ']' or a missing comma between elements";
    case QJsonParseError::MissingValueSeparator:
        return "check for a missing comma";
    case QJsonParseError::IllegalValue:
        return "check for a missing quote, a trailing comma, or a word that is not true, "
               "false or null";
    case QJsonParseError::TerminationByNumber:
        return "the file ends inside a number; it looks cut off";
    case QJsonParseError::IllegalNumber:
        return "JSON numbers are finite, without NaN or Infinity, and between about 1e-308 "
               "and 1e308";
    case QJsonParseError::IllegalEscapeSequence:
        return "in a string, write a backslash as \\\\";
    case QJsonParseError::IllegalUTF8String:
        return "save the file as UTF-8";
    case QJsonParseError::UnterminatedString:
        return "check quotes and commas";
    case QJsonParseError::MissingObject:
        return "expected an object after the comma; check for a trailing comma";
    case QJsonParseError::DeepNesting:
        return "a scenario needs only a few levels of nesting";
    case QJsonParseError::DocumentTooLarge:
        return "a scenario file is small; is this the right file?";
    case QJsonParseError::GarbageAtEnd:
        return "remove what follows the final '}'";
    case QJsonParseError::NoError:
        break;
    }
    return "";
}

// 1-based line and column (in characters, not bytes) of a byte offset.
std::pair<int, int> lineColumn(const std::string &text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) { // not a UTF-8 continuation byte
            ++column;
        }
    }
    return {line, column};
}

std::string where(const std::string &text, std::size_t offset)
{
    const auto [line, column] = lineColumn(text, offset);
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

constexpr qint64 kMaxFileSize = 64 * 1024 * 1024;

} // namespace

LoadResult parseScenario(const std::string &json, const std::string &fileName,
                         const std::string &baseDir)
{
    LoadResult result;
    Diagnostics &d = result.diagnostics;

    if (std::all_of(json.begin(), json.end(),
                    [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; })) {
        d.error(fileName, {}, "the file is empty; a scenario file is a JSON object that starts "
                              "with {\"format\": \"queuelab-scenario\", \"version\": 1");
        return result;
    }
    if (const std::size_t nul = json.find('\0'); nul != std::string::npos) {
        d.error(fileName, {}, where(json, nul) + ": the file holds binary data (a NUL byte), "
                                                 "not JSON text; is this the right file?");
        return result;
    }

    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(json.data(), static_cast<qsizetype>(json.size())), &pe);
    if (pe.error != QJsonParseError::NoError) {
        d.error(fileName, {}, where(json, static_cast<std::size_t>(std::max(0, pe.offset))) + ": "
                                  + pe.errorString().toStdString() + " (" + syntaxHint(pe.error)
                                  + ")");
        return result;
    }
    if (!doc.isObject()) {
        d.error(fileName, {}, std::string("the top level must be a JSON object {...}, got ")
                                  + (doc.isArray() ? "an array" : "a single value")
                                  + "; a scenario file starts with {\"format\": "
                                    "\"queuelab-scenario\"");
        return result;
    }

    detail::ReadContext ctx;
    ctx.file = fileName;
    ctx.baseDir = baseDir;
    ctx.diagnostics = &d;
    Scenario s = detail::readScenario(doc.object(), ctx);
    // Not a scenario (or not one this program reads): the rest would be noise.
    if (ctx.errorPaths.count("format") || ctx.errorPaths.count("version"))
        return result;
    detail::validate(s, fileName, &ctx, d);
    if (d.hasErrors())
        return result;
    // Lesson changes hold their value as the writer writes that field, so that a loaded
    // scenario equals the one read back from its saved text.
    if (s.lesson) {
        for (LessonStep &step : s.lesson->steps)
            for (LessonChange &c : step.changes)
                if (std::string v = detail::canonicalChangeValue(s, c); !v.empty())
                    c.value = std::move(v);
    }
    result.scenario = std::move(s);
    return result;
}

LoadResult loadScenarioFile(const std::string &path)
{
    LoadResult result;
    const QString qpath = QString::fromStdString(path);
    const QFileInfo info(qpath);
    if (path.empty()) {
        result.diagnostics.error(path, {}, "no file name given");
        return result;
    }
    if (!info.exists()) {
        result.diagnostics.error(path, {}, "cannot open: no such file ("
                                               + inQuotes(info.absoluteFilePath().toStdString())
                                               + " does not exist)");
        return result;
    }
    if (info.isDir()) {
        result.diagnostics.error(path, {}, "is a folder, not a scenario file");
        return result;
    }
    QFile f(qpath);
    if (!f.open(QIODevice::ReadOnly)) {
        result.diagnostics.error(path, {}, "cannot open: " + f.errorString().toStdString());
        return result;
    }
    if (f.size() > kMaxFileSize) {
        result.diagnostics.error(path, {}, "is " + std::to_string(f.size() / (1024 * 1024))
                                               + " MiB; a scenario file is small JSON text, "
                                                 "is this the right file?");
        return result;
    }
    const QByteArray data = f.readAll();
    if (f.error() != QFileDevice::NoError) {
        result.diagnostics.error(path, {}, "cannot read: " + f.errorString().toStdString());
        return result;
    }
    return parseScenario(data.toStdString(), path, info.absolutePath().toStdString());
}

Diagnostics validateScenario(const Scenario &scenario, const std::string &fileName)
{
    Diagnostics d;
    detail::validate(scenario, fileName, nullptr, d);
    return d;
}

// ---- writing ------------------------------------------------------------------------------

namespace {

// The shortest rate r with 1 / r == mean exactly, so that a file written with "rate" reads
// back to the same mean and shows the rate as the user wrote it: 1 / (1 / 49) is not 49,
// but of all the rates whose mean is 1 / 49, 49 has the fewest digits.
double rateFor(double mean)
{
    const double r0 = 1 / mean;
    if (!std::isfinite(r0) || r0 <= 0)
        return r0;
    for (int digits = 1; digits <= 17; ++digits) {
        char buf[64];
        const auto end = std::to_chars(buf, buf + sizeof buf, r0, std::chars_format::general, digits);
        double r = 0;
        std::from_chars(buf, end.ptr, r);
        if (1 / r == mean)
            return r;
    }
    return r0;
}

void writeNumbers(JsonWriter &w, const std::vector<double> &values)
{
    w.beginArray(JsonWriter::Inline);
    for (double v : values)
        w.value(v);
    w.endArray();
}

void writeStringMap(JsonWriter &w, std::vector<std::pair<std::string, std::string>> map)
{
    // Sorted: the reader returns members sorted by key (QJsonObject), so sorted is canonical.
    std::stable_sort(map.begin(), map.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    w.beginObject(JsonWriter::Inline);
    for (const auto &[k, v] : map) {
        w.key(k);
        w.value(v);
    }
    w.endObject();
}

void writeDistribution(JsonWriter &w, const Distribution &d)
{
    w.beginObject(JsonWriter::Inline);
    w.key("dist");
    w.value(distKindName(d.kind));
    switch (d.kind) {
    case DistKind::Deterministic:
        w.key("value");
        w.value(d.value);
        break;
    case DistKind::Exponential:
        if (d.rateGiven) {
            w.key("rate");
            w.value(rateFor(d.mean));
        } else {
            w.key("mean");
            w.value(d.mean);
        }
        break;
    case DistKind::Uniform:
        w.key("min");
        w.value(d.min);
        w.key("max");
        w.value(d.max);
        break;
    case DistKind::Normal:
    case DistKind::Lognormal:
        w.key("mean");
        w.value(d.mean);
        w.key("stddev");
        w.value(d.stddev);
        break;
    case DistKind::Erlang:
        w.key("k");
        w.value(d.k);
        w.key("mean");
        w.value(d.mean);
        break;
    case DistKind::Gamma:
    case DistKind::Weibull:
        w.key("shape");
        w.value(d.shape);
        w.key("scale");
        w.value(d.scale);
        break;
    case DistKind::Hyperexponential:
        w.key("probabilities");
        writeNumbers(w, d.probabilities);
        w.key("means");
        writeNumbers(w, d.means);
        break;
    case DistKind::Empirical:
        // A trace stays in its file; the samples were only loaded from it.
        if (!d.file.empty()) {
            w.key("file");
            w.value(d.file);
        } else {
            w.key("samples");
            writeNumbers(w, d.samples);
        }
        break;
    }
    w.endObject();
}

void writeRoutingKeys(JsonWriter &w, const std::vector<WeightedKey> &keys, JsonWriter::Style style)
{
    w.beginArray(style);
    for (const WeightedKey &k : keys) {
        w.beginObject(JsonWriter::Inline);
        w.key("key");
        w.value(k.key);
        w.key("weight");
        w.value(k.weight);
        w.endObject();
    }
    w.endArray();
}

void writeNode(JsonWriter &w, const Node &n)
{
    w.beginObject();
    w.key("id");
    w.value(n.id);
    w.key("kind");
    w.value(nodeKindName(n.kind));
    switch (n.kind) {
    case NodeKind::Producer:
        w.key("interarrival");
        writeDistribution(w, n.interarrival);
        if (!n.routingKeys.empty()) {
            w.key("routing_keys");
            writeRoutingKeys(w, n.routingKeys,
                             n.routingKeys.size() > 2 ? JsonWriter::Block : JsonWriter::Inline);
        } else if (!n.routingKey.empty()) {
            w.key("routing_key");
            w.value(n.routingKey);
        }
        if (n.limit) {
            w.key("limit");
            w.value(*n.limit);
        }
        if (n.priority != 0) {
            w.key("priority");
            w.value(n.priority);
        }
        if (!n.headers.empty()) {
            w.key("headers");
            writeStringMap(w, n.headers);
        }
        if (n.messageTtl) {
            w.key("message_ttl");
            writeDistribution(w, *n.messageTtl);
        }
        if (n.retryLimit != 0) {
            w.key("retry_limit");
            w.value(n.retryLimit);
            w.key("retry_backoff");
            writeDistribution(w, n.retryBackoff);
            if (n.retryBackoffFactor != 1) {
                w.key("retry_backoff_factor");
                w.value(n.retryBackoffFactor);
            }
            if (n.retryBackoffMax) {
                w.key("retry_backoff_max");
                w.value(*n.retryBackoffMax);
            }
        }
        break;
    case NodeKind::Exchange:
        w.key("type");
        w.value(exchangeTypeName(n.exchangeType));
        break;
    case NodeKind::Queue:
        w.key("capacity");
        w.value(n.capacity);
        if (n.capacity != 0 || n.overflow != Overflow::RejectPublish) {
            w.key("overflow");
            w.value(overflowName(n.overflow));
        }
        if (n.discipline != Discipline::Fifo) {
            w.key("discipline");
            w.value(disciplineName(n.discipline));
        }
        if (n.queueTtl) {
            w.key("message_ttl");
            w.value(*n.queueTtl);
        }
        if (n.queueType != QueueType::Classic) {
            w.key("queue_type");
            w.value(queueTypeName(n.queueType));
        }
        if (n.deliveryLimit) {
            w.key("delivery_limit");
            w.value(*n.deliveryLimit);
        }
        break;
    case NodeKind::Consumer:
        w.key("service");
        writeDistribution(w, n.service);
        w.key("servers");
        w.value(n.servers);
        w.key("prefetch");
        w.value(n.prefetch);
        if (n.rejectProbability != 0) {
            w.key("reject_probability");
            w.value(n.rejectProbability);
        }
        if (n.requeueProbability != 0) {
            w.key("requeue_probability");
            w.value(n.requeueProbability);
        }
        if (n.timeToFailure) {
            w.key("time_to_failure");
            writeDistribution(w, *n.timeToFailure);
        }
        if (n.timeToRestart) {
            w.key("time_to_restart");
            writeDistribution(w, *n.timeToRestart);
        }
        break;
    case NodeKind::Delay:
        w.key("delay");
        writeDistribution(w, n.delay);
        break;
    case NodeKind::Sink:
        break;
    }
    w.endObject();
}

void writeLink(JsonWriter &w, const Link &l)
{
    w.beginObject(JsonWriter::Inline);
    w.key("from");
    w.value(l.from);
    w.key("to");
    w.value(l.to);
    if (!l.bindingKey.empty()) {
        w.key("binding_key");
        w.value(l.bindingKey);
    }
    if (l.match != HeadersMatch::All || !l.arguments.empty()) {
        w.key("match");
        w.value(l.match == HeadersMatch::All ? "all" : "any");
    }
    if (!l.arguments.empty()) {
        w.key("arguments");
        writeStringMap(w, l.arguments);
    }
    if (l.probability) {
        w.key("probability");
        w.value(*l.probability);
    }
    if (l.role != LinkRole::Auto) {
        w.key("role");
        w.value(linkRoleName(l.role));
    }
    w.endObject();
}

// One field of a node or of the run settings, as the node (or run) writes it; arrays on one
// line. Returns false for a field the writer does not know.
bool writeField(JsonWriter &w, const Node *n, const RunSettings *r, const std::string &f)
{
    if (r) {
        if (f == "duration") w.value(r->duration);
        else if (f == "warmup") w.value(r->warmup);
        else if (f == "seed") w.value(r->seed);
        else if (f == "replications") w.value(r->replications);
        else if (f == "max_messages") {
            if (r->maxMessages)
                w.value(*r->maxMessages);
            else
                w.nullValue();
        } else if (f == "sample_interval") w.value(r->sampleInterval);
        else return false;
        return true;
    }
    if (f == "interarrival") writeDistribution(w, n->interarrival);
    else if (f == "routing_key") w.value(n->routingKey);
    else if (f == "routing_keys") writeRoutingKeys(w, n->routingKeys, JsonWriter::Inline);
    else if (f == "limit") {
        if (n->limit)
            w.value(*n->limit);
        else
            w.nullValue();
    } else if (f == "priority") w.value(n->priority);
    else if (f == "headers") writeStringMap(w, n->headers);
    else if (f == "type") w.value(exchangeTypeName(n->exchangeType));
    else if (f == "capacity") w.value(n->capacity);
    else if (f == "overflow") w.value(overflowName(n->overflow));
    else if (f == "discipline") w.value(disciplineName(n->discipline));
    else if (f == "service") writeDistribution(w, n->service);
    else if (f == "servers") w.value(n->servers);
    else if (f == "prefetch") w.value(n->prefetch);
    else if (f == "delay") writeDistribution(w, n->delay);
    else if (f == "message_ttl" && n->kind == NodeKind::Producer) {
        if (n->messageTtl)
            writeDistribution(w, *n->messageTtl);
        else
            w.nullValue();
    } else if (f == "message_ttl") {
        if (n->queueTtl)
            w.value(*n->queueTtl);
        else
            w.nullValue();
    } else if (f == "queue_type") w.value(queueTypeName(n->queueType));
    else if (f == "retry_limit") w.value(n->retryLimit);
    else if (f == "retry_backoff") writeDistribution(w, n->retryBackoff);
    else if (f == "retry_backoff_factor") w.value(n->retryBackoffFactor);
    else if (f == "retry_backoff_max") {
        if (n->retryBackoffMax)
            w.value(*n->retryBackoffMax);
        else
            w.nullValue();
    }
    else if (f == "delivery_limit") {
        if (n->deliveryLimit)
            w.value(*n->deliveryLimit);
        else
            w.nullValue();
    } else if (f == "reject_probability") w.value(n->rejectProbability);
    else if (f == "requeue_probability") w.value(n->requeueProbability);
    else if (f == "time_to_failure" || f == "time_to_restart") {
        const std::optional<Distribution> &d = f == "time_to_failure" ? n->timeToFailure : n->timeToRestart;
        if (d)
            writeDistribution(w, *d);
        else
            w.nullValue();
    }
    else return false;
    return true;
}

// Markdown as one string, or as an array of its lines when it has several (diffs well).
void writeText(JsonWriter &w, const std::string &text)
{
    if (text.find('\n') == std::string::npos) {
        w.value(text);
        return;
    }
    w.beginArray();
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find('\n', start);
        w.value(std::string_view(text).substr(start, end == std::string::npos ? std::string::npos
                                                                              : end - start));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    w.endArray();
}

void writeLesson(JsonWriter &w, const Scenario &s)
{
    const Lesson &lesson = *s.lesson;
    w.beginObject();
    w.key("title");
    w.value(lesson.title);
    if (!lesson.summary.empty()) {
        w.key("summary");
        w.value(lesson.summary);
    }
    if (lesson.order != 0) {
        w.key("order");
        w.value(lesson.order);
    }
    w.key("steps");
    w.beginArray();
    for (const LessonStep &step : lesson.steps) {
        w.beginObject();
        w.key("title");
        w.value(step.title);
        w.key("text");
        writeText(w, step.text);
        if (!step.highlight.empty()) {
            w.key("highlight");
            w.beginArray(JsonWriter::Inline);
            for (const std::string &id : step.highlight)
                w.value(id);
            w.endArray();
        }
        if (!step.changes.empty()) {
            w.key("changes");
            w.beginArray();
            for (const LessonChange &c : step.changes) {
                w.beginObject(JsonWriter::Inline);
                w.key("node");
                w.value(c.node.empty() ? std::string(detail::kRunTarget) : c.node);
                w.key("field");
                w.value(c.field);
                w.key("value");
                std::string value = detail::canonicalChangeValue(s, c);
                if (value.empty()) {
                    // Not a value of that field (possible only in memory): keep it if it is
                    // JSON, so the saved file says what is wrong when it is loaded.
                    QJsonParseError pe;
                    QJsonDocument::fromJson(QByteArray("[") + QByteArray::fromStdString(c.value)
                                                + "]",
                                            &pe);
                    value = pe.error == QJsonParseError::NoError && !c.value.empty()
                                && c.value.find('\n') == std::string::npos
                        ? c.value
                        : JsonWriter::quote(c.value);
                }
                w.rawValue(value);
                w.endObject();
            }
            w.endArray();
        }
        if (step.question) {
            const LessonQuestion &q = *step.question;
            w.key("question");
            w.beginObject();
            w.key("prompt");
            writeText(w, q.prompt);
            if (!q.node.empty()) {
                w.key("node");
                w.value(q.node);
            }
            w.key("metric");
            w.value(q.metric);
            if (!q.unit.empty()) {
                w.key("unit");
                w.value(q.unit);
            }
            w.key("tolerance");
            w.value(q.tolerance);
            if (!q.explanation.empty()) {
                w.key("explanation");
                writeText(w, q.explanation);
            }
            w.endObject();
        }
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

void writeScenario(JsonWriter &w, const Scenario &s)
{
    w.beginObject();
    w.key("format");
    w.value("queuelab-scenario");
    w.key("version");
    w.value(1);
    w.key("name");
    w.value(s.name);
    if (!s.description.empty()) {
        w.key("description");
        w.value(s.description);
    }
    w.key("time_unit");
    w.value(timeUnitName(s.timeUnit));

    w.key("run");
    // One line as in the spec's example, unless the extensions would make it a long one.
    const bool longRun = s.run.maxMessages || s.run.sampleInterval != 0;
    w.beginObject(longRun ? JsonWriter::Block : JsonWriter::Inline);
    w.key("duration");
    w.value(s.run.duration);
    w.key("warmup");
    w.value(s.run.warmup);
    w.key("seed");
    w.value(s.run.seed);
    w.key("replications");
    w.value(s.run.replications);
    if (s.run.maxMessages) {
        w.key("max_messages");
        w.value(*s.run.maxMessages);
    }
    if (s.run.sampleInterval != 0) {
        w.key("sample_interval");
        w.value(s.run.sampleInterval);
    }
    w.endObject();

    w.key("nodes");
    w.beginArray();
    for (const Node &n : s.nodes)
        writeNode(w, n);
    w.endArray();

    w.key("links");
    w.beginArray();
    for (const Link &l : s.links)
        writeLink(w, l);
    w.endArray();

    if (!s.layout.empty()) {
        // In node order, so the layout reads alongside the nodes; stale ids last.
        w.key("layout");
        w.beginObject();
        const auto writePos = [&w](const std::string &id, const std::pair<double, double> &p) {
            w.key(id);
            w.beginArray(JsonWriter::Inline);
            w.value(p.first);
            w.value(p.second);
            w.endArray();
        };
        std::set<std::string> written;
        for (const Node &n : s.nodes) {
            const auto it = s.layout.find(n.id);
            if (it != s.layout.end() && written.insert(n.id).second)
                writePos(n.id, it->second);
        }
        for (const auto &[id, pos] : s.layout) {
            if (!written.count(id))
                writePos(id, pos);
        }
        w.endObject();
    }
    if (s.lesson) {
        w.key("lesson");
        writeLesson(w, s);
    }
    w.endObject();
}

} // namespace

namespace detail {

std::string canonicalChangeValue(const Scenario &s, const LessonChange &change)
{
    Diagnostics ignored;
    Node node;
    RunSettings run;
    if (!readChangeValue(s, change, "change", {}, {}, &node, &run, ignored))
        return {};
    JsonWriter w;
    if (!writeField(w, change.node.empty() ? nullptr : &node,
                    change.node.empty() ? &run : nullptr, change.field))
        return {};
    std::string text = w.text();
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

} // namespace detail

std::string scenarioToJson(const Scenario &scenario)
{
    JsonWriter w;
    writeScenario(w, scenario);
    return w.text();
}

bool saveScenarioFile(const Scenario &scenario, const std::string &path, std::string *error)
{
    const auto fail = [&](const std::string &message) {
        if (error)
            *error = message;
        return false;
    };
    JsonWriter w;
    writeScenario(w, scenario);
    // JSON has no NaN or infinity; writing null would give a file that does not load.
    if (w.wroteNonFinite())
        return fail("cannot write " + path + ": " + w.firstNonFinitePath()
                    + " is not a finite number, which JSON cannot hold; correct it and save again");

    return writeTextFileAtomically(path, w.text(), error);
}

} // namespace ql
