// Where and as whom the AMQP backend reaches a broker: the parsed form of an AMQP URI
// (amqp://user:pass@host:port/vhost?options, or amqps:// for TLS), following RabbitMQ's URI
// specification, plus the rules that keep the password out of every message. Errors are
// values whose text never holds the password. Plain C++, no rabbitmq-c, no Qt.
//
// Where the URI comes from (resolveAmqpUri): the one the user gave (--uri), else the
// environment variable QUEUELAB_AMQP_URI, else amqp://guest:guest@localhost:5672/. A URI
// with a user but no password takes the password from QUEUELAB_AMQP_PASSWORD, so it need not
// appear on a command line. Nothing here writes a URI to a file.
#pragma once

#include <string>
#include <string_view>

namespace ql {

struct AmqpUri
{
    bool tls = false;                 // amqps://
    std::string user = "guest";       // percent-decoded
    std::string password = "guest";   // percent-decoded; never printed
    std::string host = "localhost";   // without the brackets of an IPv6 literal
    int port = 5672;                  // 5671 for amqps
    std::string vhost = "/";          // "" and "/" in the path both mean the default "/"

    // Query options, named as in RabbitMQ's URI query parameters.
    std::string caCertFile;           // cacertfile: CA bundle to verify the broker (amqps)
    std::string certFile;             // certfile: client certificate (amqps)
    std::string keyFile;              // keyfile: its private key (amqps)
    bool verifyPeer = true;           // verify=verify_peer (default) | verify_none
    int connectTimeoutMs = 0;         // connection_timeout in ms; 0 = the caller's default
    int heartbeatSeconds = 0;         // heartbeat; 0 = off

    // "amqp://guest:***@127.0.0.1:5673/" (vhost "/" shown as a bare slash, others
    // percent-encoded; the password always "***"). Safe for any message or log.
    std::string display() const;
    // "127.0.0.1:5673", "[::1]:5672": what an error about reaching the broker names.
    std::string hostPort() const;
};

// Parses `text`; false with *error (naming the problem and the fix, showing the URI masked)
// when it is not a usable AMQP URI.
bool parseAmqpUri(std::string_view text, AmqpUri *out, std::string *error);

// `text` with anything that may be a password replaced by "***", even when `text` is not a
// valid URI (over-masks rather than leaks): "amqp://u:***@h/v".
std::string maskAmqpUri(std::string_view text);

// The URI a live run uses (see the header comment), parsed. *origin, if given, says where
// it came from: "--uri", "QUEUELAB_AMQP_URI" or "default".
bool resolveAmqpUri(const std::string &given, AmqpUri *out, std::string *error,
                    std::string *origin = nullptr);

// Percent-encoding for one URI component (user, password, vhost), as display() uses it.
std::string percentEncode(std::string_view raw);

} // namespace ql
