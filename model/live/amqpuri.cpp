// Parsing and masking of AMQP URIs (see amqpuri.h). Own parser rather than
// amqp_parse_url(): that one writes into its input, accepts a port such as "56x", has no
// query options and gives no reason when it fails.
#include "live/amqpuri.h"

#include <cctype>
#include <cstdlib>

namespace ql {

namespace {

const char *const kDefaultUri = "amqp://guest:guest@localhost:5672/";

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool percentDecode(std::string_view in, std::string *out)
{
    out->clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out->push_back(in[i]);
            continue;
        }
        const int hi = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
        const int lo = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return false;
        out->push_back(char(hi * 16 + lo));
        i += 2;
    }
    return true;
}

std::string lower(std::string_view s)
{
    std::string r(s);
    for (char &c : r)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

bool parseInt(std::string_view s, long lo, long hi, long *out)
{
    if (s.empty() || s.size() > 9)
        return false;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

} // namespace

std::string percentEncode(std::string_view raw)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : raw) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::string AmqpUri::hostPort() const
{
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string AmqpUri::display() const
{
    std::string s = tls ? "amqps://" : "amqp://";
    s += percentEncode(user) + ":***@" + hostPort() + "/";
    if (vhost != "/")
        s += percentEncode(vhost);
    return s;
}

std::string maskAmqpUri(std::string_view text)
{
    // The userinfo ends at the LAST '@': a password holding an unencoded '/', '?', '#' or '@'
    // must still be hidden, so this masks too much rather than too little.
    const auto scheme = text.find("://");
    const std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
    const auto at = text.rfind('@');
    if (at == std::string_view::npos || at < start)
        return std::string(text);
    const auto colon = text.find(':', start);
    if (colon == std::string_view::npos || colon > at)
        return std::string(text); // a user name without a password
    return std::string(text.substr(0, colon + 1)) + "***" + std::string(text.substr(at));
}

bool parseAmqpUri(std::string_view text, AmqpUri *out, std::string *error)
{
    const std::string shown = maskAmqpUri(text);
    auto fail = [&](const std::string &why) {
        if (error)
            *error = "AMQP URI " + shown + ": " + why;
        return false;
    };
    AmqpUri uri;
    const auto sep = text.find("://");
    if (sep == std::string_view::npos)
        return fail("expected amqp://user:password@host:port/vhost (or amqps:// for TLS)");
    const std::string scheme = lower(text.substr(0, sep));
    if (scheme == "amqps") {
        uri.tls = true;
        uri.port = 5671;
    } else if (scheme != "amqp") {
        return fail("unsupported scheme '" + scheme + "'; use amqp:// or amqps://");
    }
    std::string_view rest = text.substr(sep + 3);
    const auto hash = rest.find('#');
    if (hash != std::string_view::npos)
        return fail("a fragment ('#...') is not allowed; percent-encode '#' as %23");

    // authority [/ path] [? query]
    const auto authEnd = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, authEnd);
    std::string_view path, query;
    if (authEnd != std::string_view::npos) {
        std::string_view tail = rest.substr(authEnd);
        const auto q = tail.find('?');
        path = tail.substr(0, q);
        if (q != std::string_view::npos)
            query = tail.substr(q + 1);
    }
    // An '@' after the host means a user name or password with an unencoded '/', '?' or '@'.
    // Refuse it, with no piece of the text quoted: that piece could be part of the password.
    if (authEnd != std::string_view::npos && rest.find('@', authEnd) != std::string_view::npos)
        return fail("'@' after the host part: percent-encode '/', '?', '#' and '@' in the user "
                    "name, password and vhost (%2F, %3F, %23, %40)");

    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        if (!percentDecode(userinfo.substr(0, colon), &uri.user))
            return fail("bad percent-encoding in the user name");
        if (uri.user.empty())
            return fail("empty user name before '@'");
        if (colon == std::string_view::npos) {
            uri.password.clear(); // resolveAmqpUri() may fill it from the environment
        } else if (!percentDecode(userinfo.substr(colon + 1), &uri.password)) {
            return fail("bad percent-encoding in the password");
        }
    }

    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail("IPv6 address without its closing ']'");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return fail("expected ':port' after the IPv6 address");
            port = after.substr(1);
            if (port.empty())
                return fail("empty port after ':'");
        }
    } else {
        const auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            if (port.empty())
                return fail("empty port after ':'");
        }
    }
    std::string hostDecoded;
    if (!percentDecode(host, &hostDecoded))
        return fail("bad percent-encoding in the host");
    for (unsigned char c : hostDecoded) {
        if (std::isspace(c) || c == '@' || c == '/')
            return fail("the host '" + hostDecoded + "' holds a character a host name cannot");
    }
    if (!hostDecoded.empty())
        uri.host = hostDecoded;
    if (!port.empty()) {
        long p = 0;
        if (!parseInt(port, 1, 65535, &p))
            return fail("port '" + std::string(port) + "' is not a number in 1..65535");
        uri.port = int(p);
    }

    if (path.size() > 1) {
        const std::string_view v = path.substr(1);
        if (v.find('/') != std::string_view::npos)
            return fail("the vhost must be one path segment; write '/' inside it as %2F "
                        "(the default vhost '/' is a bare '/' or %2F)");
        if (!percentDecode(v, &uri.vhost))
            return fail("bad percent-encoding in the vhost");
        if (uri.vhost.empty())
            uri.vhost = "/";
    }

    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (item.empty())
            continue;
        const auto eq = item.find('=');
        const std::string key = lower(item.substr(0, eq));
        std::string value;
        if (eq == std::string_view::npos || !percentDecode(item.substr(eq + 1), &value))
            return fail("query option '" + key + "' needs a value (key=value)");
        long n = 0;
        if (key == "cacertfile") {
            uri.caCertFile = value;
        } else if (key == "certfile") {
            uri.certFile = value;
        } else if (key == "keyfile") {
            uri.keyFile = value;
        } else if (key == "verify") {
            if (value == "verify_peer")
                uri.verifyPeer = true;
            else if (value == "verify_none")
                uri.verifyPeer = false;
            else
                return fail("verify must be verify_peer or verify_none, not '" + value + "'");
        } else if (key == "connection_timeout") {
            if (!parseInt(value, 1, 600000, &n))
                return fail("connection_timeout must be milliseconds in 1..600000");
            uri.connectTimeoutMs = int(n);
        } else if (key == "heartbeat") {
            if (!parseInt(value, 0, 3600, &n))
                return fail("heartbeat must be seconds in 0..3600");
            uri.heartbeatSeconds = int(n);
        } else {
            return fail("unknown query option '" + key + "'; known: cacertfile, certfile, "
                        "keyfile, verify, connection_timeout, heartbeat");
        }
    }
    if (!uri.tls && (!uri.caCertFile.empty() || !uri.certFile.empty() || !uri.keyFile.empty()))
        return fail("cacertfile, certfile and keyfile need TLS: use amqps://");
    if (uri.certFile.empty() != uri.keyFile.empty())
        return fail("certfile and keyfile go together (a client certificate needs its key)");
    *out = std::move(uri);
    return true;
}

bool resolveAmqpUri(const std::string &given, AmqpUri *out, std::string *error,
                    std::string *origin)
{
    std::string text = given, from = "--uri";
    if (text.empty()) {
        const char *env = std::getenv("QUEUELAB_AMQP_URI");
        if (env && *env) {
            text = env;
            from = "QUEUELAB_AMQP_URI";
        } else {
            text = kDefaultUri;
            from = "default";
        }
    }
    if (origin)
        *origin = from;
    if (!parseAmqpUri(text, out, error)) {
        if (error)
            *error += " (from " + from + ")";
        return false;
    }
    const bool hasPassword = [&] {
        // A URI with "user@" and no ':' before the '@' names no password.
        const auto at = text.rfind('@');
        return at == std::string::npos || text.find(':', text.find("://") + 3) < at;
    }();
    if (!hasPassword) {
        const char *pw = std::getenv("QUEUELAB_AMQP_PASSWORD");
        if (pw)
            out->password = pw;
    }
    return true;
}

} // namespace ql
