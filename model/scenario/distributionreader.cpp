// Reading distributions and their trace files (scenarioreader_p.h).
#include "scenario/scenarioreader_p.h"
#include "scenario/tracefile.h"

#include <cmath>

namespace ql::detail::reading {

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

} // namespace ql::detail::reading
