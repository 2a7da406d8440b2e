// Private to model/scenario's reader: the Reader class, whose parts live in
//   scenarioreader.cpp       the file's shape: top level, run, nodes, links, layout
//   jsonreader.cpp           typed JSON getters (numbers, integers, strings, maps, text)
//   distributionreader.cpp   distributions and trace files
//   lessonreader.cpp         lessons, steps, questions, and the fields a step changes
//   lessonchanges.cpp        applying a lesson step's changes the way the reader reads them
// and the small helpers they share.
#pragma once

#include "scenario/scenarioio_p.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ql::detail::reading {

inline std::string join(const std::string &parent, std::string_view key)
{
    if (parent.empty())
        return std::string(key);
    std::string out = parent;
    out += '.';
    out += key;
    return out;
}

inline std::string indexed(const std::string &parent, qsizetype i)
{
    return parent + '[' + std::to_string(i) + ']';
}

inline std::string str(const QString &s)
{
    return s.toStdString();
}

// How a JSON value reads in "got ..." (short: a long string is cut).
inline std::string describe(const QJsonValue &v)
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
inline std::string numberHint(const QJsonValue &v)
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

inline const std::vector<std::string> kTopKeys = {"format", "version", "name", "description",
                                           "time_unit", "run", "nodes", "links", "layout",
                                           "lesson"};
inline const std::vector<std::string> kRunKeys = {"duration", "warmup", "seed", "replications",
                                           "max_messages", "sample_interval"};
inline const std::vector<std::string> kLinkKeys = {"from", "to", "binding_key", "match", "arguments",
                                            "probability", "role"};
inline const std::vector<std::string> kLessonKeys = {"title", "summary", "order", "steps"};
inline const std::vector<std::string> kStepKeys = {"title", "text", "highlight", "changes", "question"};
inline const std::vector<std::string> kChangeKeys = {"node", "field", "value"};
inline const std::vector<std::string> kQuestionKeys = {"prompt", "node", "metric", "unit", "tolerance",
                                                "explanation"};

// A kind's file keys, from the node-kind table.
inline const std::vector<std::string> &keysOf(NodeKind kind)
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
inline std::int64_t minOf(NodeKind kind, const char *key) { return nodeField(kind, key)->min; }
inline std::int64_t maxOf(NodeKind kind, const char *key) { return nodeField(kind, key)->max; }
// The spellings of a choice key of a kind, from the node-kind table.
inline std::vector<std::string> choicesOf(NodeKind kind, const char *key)
{
    const std::span<const char *const> c = nodeField(kind, key)->choices;
    return std::vector<std::string>(c.begin(), c.end());
}

inline std::vector<std::string> enumNames(std::initializer_list<const char *> names)
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

} // namespace ql::detail::reading
