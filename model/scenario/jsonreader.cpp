// The reader's typed JSON getters: each reports a wrong value with its path and leaves
// the output alone (scenarioreader_p.h).
#include "scenario/scenarioreader_p.h"

#include <cmath>

namespace ql::detail::reading {

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

} // namespace ql::detail::reading
