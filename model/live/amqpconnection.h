// One AMQP connection through rabbitmq-c with one open channel (number 1), as the AMQP
// backend uses them: bounded connect, login and RPCs, and errors turned into one-line
// messages that name the broker (host:port, vhost, user, never the password) and say what to
// check. rabbitmq-c connections are not thread-safe: one thread uses an AmqpConnection at a
// time (the owner guarantees it).
#pragma once

#include "live/amqpuri.h"

#include <amqp.h>

#include <string>

namespace ql {

class AmqpConnection
{
public:
    AmqpConnection() = default;
    ~AmqpConnection();
    AmqpConnection(const AmqpConnection &) = delete;
    AmqpConnection &operator=(const AmqpConnection &) = delete;

    // Connects (TCP or TLS), logs in and opens channel 1, each step bounded by timeoutMs
    // (the URI's connection_timeout wins when set). RPCs after that are bounded by
    // rpcTimeoutMs. False with *error on failure (the connection is then closed).
    bool open(const AmqpUri &uri, int timeoutMs, int rpcTimeoutMs, std::string *error);

    // Closes the connection, politely (connection.close, at most a second) when `polite`
    // and the connection is healthy, then frees it. Safe to call twice.
    void close(bool polite = true);

    bool isOpen() const { return conn_ != nullptr; }
    // A transport-level failure happened: the connection cannot be used any more.
    bool isBroken() const { return broken_; }
    amqp_connection_state_t state() const { return conn_; }
    int socketFd() const;
    const AmqpUri &uri() const { return uri_; }
    static constexpr amqp_channel_t kChannel = 1;

    // Checks the reply of the RPC just made (amqp_get_rpc_reply). On failure fills *error
    // with "<what>: <why>" and recovers what can be recovered: a channel the broker closed
    // (e.g. 404 NOT_FOUND on a passive declare) is acknowledged and reopened; a closed or
    // failed connection marks the connection broken.
    bool rpcOk(const std::string &what, std::string *error);

    // The message for a library status (e.g. from amqp_basic_publish or a frame read), marks
    // the connection broken when the status means it is gone.
    std::string statusError(int status, const std::string &what);

    // Handles a channel.close or connection.close method the broker sent unasked (read from
    // a frame): answers it, marks the channel or connection closed, returns the message.
    std::string brokerClosed(const amqp_frame_t &frame, const std::string &what);

    // The broker named in messages: "127.0.0.1:5673 (vhost '/', user 'guest')".
    std::string brokerName() const;

private:
    bool reopenChannel();
    std::string lostMessage(const std::string &what, const std::string &why) const;

    amqp_connection_state_t conn_ = nullptr;
    AmqpUri uri_;
    bool broken_ = false;
    bool channelOpen_ = false;
};

} // namespace ql
