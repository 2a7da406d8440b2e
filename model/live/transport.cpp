// The backend-neutral parts of the live transport contract: payload wire form, URI masking,
// run prefixes, the time scale and the backend factory.
#include "live/transport.h"

#include <cstdio>
#include <random>
#include <unistd.h>

namespace ql {

namespace {

const unsigned char kMagic[4] = {'Q', 'L', 'M', '1'};

void putLe(unsigned char *out, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = static_cast<unsigned char>(v >> (8 * i));
}

std::uint64_t getLe(const unsigned char *in, int bytes)
{
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t(in[i]) << (8 * i);
    return v;
}

} // namespace

double wallSecondsPerUnit(const Scenario &scenario, const LiveOptions &options)
{
    const double unitSeconds = scenario.timeUnit == TimeUnit::Milliseconds ? 0.001 : 1.0;
    double scale = options.timeScale;
    if (!(scale > 0))
        scale = scenario.timeUnit == TimeUnit::Milliseconds ? 1.0 : (options.backend == "amqp" ? 0.01 : 0.001);
    return unitSeconds * scale;
}

void encodePayload(const Payload &p, unsigned char out[kPayloadBytes])
{
    std::memcpy(out, kMagic, 4);
    putLe(out + 4, std::uint64_t(p.originNs), 8);
    putLe(out + 12, std::uint64_t(p.hopNs), 8);
    putLe(out + 20, p.seq, 8);
    putLe(out + 28, std::uint32_t(p.producer), 4);
    putLe(out + 32, std::uint32_t(p.keyIndex), 4);
}

bool decodePayload(const void *body, std::size_t size, Payload *out)
{
    const auto *in = static_cast<const unsigned char *>(body);
    if (size != kPayloadBytes || std::memcmp(in, kMagic, 4) != 0)
        return false;
    out->originNs = std::int64_t(getLe(in + 4, 8));
    out->hopNs = std::int64_t(getLe(in + 12, 8));
    out->seq = getLe(in + 20, 8);
    out->producer = std::int32_t(std::uint32_t(getLe(in + 28, 4)));
    out->keyIndex = std::int32_t(std::uint32_t(getLe(in + 32, 4)));
    return true;
}

std::string maskUri(const std::string &uri)
{
    // scheme://user:password@host... -> scheme://user:***@host...
    const auto schemeEnd = uri.find("://");
    const std::size_t authStart = schemeEnd == std::string::npos ? 0 : schemeEnd + 3;
    const auto at = uri.find('@', authStart);
    if (at == std::string::npos)
        return uri;
    const auto slash = uri.find('/', authStart);
    if (slash != std::string::npos && slash < at)
        return uri;   // the '@' is in the path, not in the authority
    const auto colon = uri.find(':', authStart);
    if (colon == std::string::npos || colon > at)
        return uri;   // a user without a password
    return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

std::string makeRunPrefix()
{
    std::random_device rd;
    std::mt19937_64 gen((std::uint64_t(rd()) << 32) ^ rd());
    char buf[64];
    std::snprintf(buf, sizeof buf, "ql-%ld-%06llx.", long(::getpid()),
                  static_cast<unsigned long long>(gen() & 0xffffff));
    return buf;
}

std::unique_ptr<Transport> makeTransport(const std::string &backend, const LiveOptions &options,
                                         std::string *error)
{
    if (backend.empty() || backend == "embedded")
        return makeEmbeddedTransport(options, error);
    if (backend == "amqp")
        return makeAmqpTransport(options, error); // model/live/amqptransport.cpp
    if (error)
        *error = "unknown live backend '" + backend + "'; use embedded or amqp";
    return nullptr;
}

} // namespace ql
