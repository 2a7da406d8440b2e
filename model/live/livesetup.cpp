#include "live/livesetup.h"

#include "live/amqpuri.h"
#include "live/liverunner.h"

#include <cstdio>
#include <cstdlib>

namespace ql {

namespace {

// Where the user-info part of a URI lies: [start, at) before the host, at == npos if none.
struct UserInfo
{
    std::size_t start = 0;
    std::size_t at = std::string::npos;
};

UserInfo userInfoOf(const std::string &uri)
{
    UserInfo u;
    const auto scheme = uri.find("://");
    u.start = scheme == std::string::npos ? 0 : scheme + 3;
    // The authority ends at the path, query or fragment; a password may hold none of them
    // unencoded, but it may hold '@' encoded only, so the last '@' before the path counts.
    const auto end = uri.find_first_of("/?#", u.start);
    const auto at = uri.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= u.start)
        u.at = at;
    return u;
}

} // namespace

std::string uriPassword(const std::string &uri)
{
    const UserInfo u = userInfoOf(uri);
    if (u.at == std::string::npos)
        return {};
    const auto colon = uri.find(':', u.start);
    if (colon == std::string::npos || colon > u.at)
        return {};
    return uri.substr(colon + 1, u.at - colon - 1);
}

std::string uriWithoutPassword(const std::string &uri)
{
    const UserInfo u = userInfoOf(uri);
    if (u.at == std::string::npos)
        return uri;
    const auto colon = uri.find(':', u.start);
    if (colon == std::string::npos || colon > u.at)
        return uri;
    return uri.substr(0, colon) + uri.substr(u.at);
}

std::string uriWithPassword(const std::string &uri, const std::string &password)
{
    if (password.empty())
        return uri;
    const std::string bare = uriWithoutPassword(uri);
    const UserInfo u = userInfoOf(bare);
    const std::string secret = ":" + percentEncode(password);
    if (u.at == std::string::npos)
        return bare.substr(0, u.start) + "guest" + secret + "@" + bare.substr(u.start);
    return bare.substr(0, u.at) + secret + bare.substr(u.at);
}

std::string configuredAmqpUri(const LiveOptions &options)
{
    if (!options.uri.empty())
        return options.uri;
    const char *env = std::getenv("QUEUELAB_AMQP_URI");
    if (env && *env)
        return env;
    return "amqp://guest:guest@localhost:5672/";
}

std::string redactSecret(std::string text, const std::string &secret)
{
    if (secret.size() < 2)
        return text;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
    return text;
}

std::string wallSpan(double seconds)
{
    char buf[64];
    if (seconds >= 1)
        std::snprintf(buf, sizeof buf, "%.4g s", seconds);
    else if (seconds >= 1e-3)
        std::snprintf(buf, sizeof buf, "%.4g ms", seconds * 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.4g µs", seconds * 1e6);
    return buf;
}

double timeScaleOf(const Scenario &scenario, double wallPerUnit)
{
    return scenario.timeUnit == TimeUnit::Milliseconds ? wallPerUnit / 1e-3 : wallPerUnit;
}

std::string timeScaleLine(const Scenario &scenario, const LiveOptions &options, const std::string &changeHint)
{
    const double perUnit = wallSecondsPerUnit(scenario, options);
    const std::string unit = timeUnitName(scenario.timeUnit);
    std::string note;
    if (options.timeScale <= 0) {
        if (scenario.timeUnit == TimeUnit::Milliseconds)
            note = ", the default for \"ms\" files";
        else
            note = std::string(options.backend == "amqp" ? ", the amqp default" : ", the default")
                + " for \"s\" files" + (changeHint.empty() ? std::string() : "; " + changeHint);
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "1 %s of scenario time = %s wall (time scale %g%s)", unit.c_str(),
                  wallSpan(perUnit).c_str(), timeScaleOf(scenario, perUnit), note.c_str());
    return buf;
}

Scenario comparisonScenario(const Scenario &scenario, const LiveOptions &options)
{
    Scenario s = liveScenario(scenario, options);
    s.run.replications = scenario.run.replications;
    return s;
}

} // namespace ql
