// rabbitmq-c connection handling for the AMQP backend (see amqpconnection.h).
#include "live/amqpconnection.h"

#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ql {

namespace {

timeval toTimeval(int ms)
{
    timeval tv{};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

std::string bytesText(amqp_bytes_t b)
{
    return std::string(static_cast<const char *>(b.bytes), b.len);
}

// A CA bundle when the URI names none: rabbitmq-c does not load the system's by itself.
std::string systemCaBundle()
{
    for (const char *path : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
        if (::access(path, R_OK) == 0)
            return path;
    }
    return {};
}

// Why a TCP connection to host:port fails ("Connection refused", "No route to host"...):
// rabbitmq-c only says "a socket error occurred", and the user needs to know which.
std::string tcpFailure(const std::string &host, int port, int timeoutMs)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *list = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list) != 0 || !list)
        return "host name not found";
    std::string why = "a socket error occurred";
    for (addrinfo *a = list; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int err = 0;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            err = errno;
            if (err == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                if (::poll(&p, 1, timeoutMs) == 1) {
                    socklen_t len = sizeof err;
                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                } else {
                    err = ETIMEDOUT;
                }
            }
        }
        ::close(fd);
        if (err == 0) {
            why = "the port answers now; it did not a moment ago";
            break;
        }
        why = std::strerror(err);
    }
    ::freeaddrinfo(list);
    return why;
}

bool isConnectionLoss(int status)
{
    switch (status) {
    case AMQP_STATUS_CONNECTION_CLOSED:
    case AMQP_STATUS_SOCKET_ERROR:
    case AMQP_STATUS_SOCKET_CLOSED:
    case AMQP_STATUS_TCP_ERROR:
    case AMQP_STATUS_SSL_ERROR:
    case AMQP_STATUS_HEARTBEAT_TIMEOUT:
        return true;
    default:
        return false;
    }
}

} // namespace

AmqpConnection::~AmqpConnection()
{
    close();
}

std::string AmqpConnection::brokerName() const
{
    return uri_.hostPort() + " (vhost '" + uri_.vhost + "', user '" + uri_.user + "')";
}

int AmqpConnection::socketFd() const
{
    return conn_ ? amqp_get_sockfd(conn_) : -1;
}

bool AmqpConnection::open(const AmqpUri &uri, int timeoutMs, int rpcTimeoutMs, std::string *error)
{
    close();
    uri_ = uri;
    broken_ = false;
    channelOpen_ = false;
    const int ms = uri.connectTimeoutMs > 0 ? uri.connectTimeoutMs : timeoutMs;
    const std::string where = uri.hostPort();
    auto fail = [&](const std::string &why) {
        if (error)
            *error = why;
        broken_ = true;
        close();
        return false;
    };

    conn_ = amqp_new_connection();
    if (!conn_)
        return fail("cannot create an AMQP connection (out of memory)");
    amqp_socket_t *sock = uri.tls ? amqp_ssl_socket_new(conn_) : amqp_tcp_socket_new(conn_);
    if (!sock)
        return fail(std::string("cannot create a ") + (uri.tls ? "TLS" : "TCP") + " socket for " + where);
    if (uri.tls) {
        amqp_ssl_socket_set_verify_peer(sock, uri.verifyPeer ? 1 : 0);
        amqp_ssl_socket_set_verify_hostname(sock, uri.verifyPeer ? 1 : 0);
        const std::string ca = !uri.caCertFile.empty() ? uri.caCertFile
                               : uri.verifyPeer        ? systemCaBundle()
                                                       : std::string();
        if (!ca.empty() && amqp_ssl_socket_set_cacert(sock, ca.c_str()) != AMQP_STATUS_OK)
            return fail("cannot read the CA certificates '" + ca + "' (cacertfile in the URI)");
        if (!uri.certFile.empty()
            && amqp_ssl_socket_set_key(sock, uri.certFile.c_str(), uri.keyFile.c_str()) != AMQP_STATUS_OK)
            return fail("cannot load the client certificate '" + uri.certFile + "' with key '"
                        + uri.keyFile + "' (certfile/keyfile in the URI)");
    }

    timeval tv = toTimeval(ms);
    const int st = amqp_socket_open_noblock(sock, uri.host.c_str(), uri.port, &tv);
    if (st != AMQP_STATUS_OK) {
        const std::string hint = " Is RabbitMQ running there? Check the host and port of the URI "
                                 "(--uri or QUEUELAB_AMQP_URI).";
        switch (st) {
        case AMQP_STATUS_HOSTNAME_RESOLUTION_FAILED:
            return fail("cannot resolve the AMQP broker's host name '" + uri.host
                        + "': check the host in the URI (--uri or QUEUELAB_AMQP_URI)");
        case AMQP_STATUS_TIMEOUT:
            return fail("no answer from the AMQP broker at " + where + " within "
                        + std::to_string(ms) + " ms." + hint);
        case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED:
        case AMQP_STATUS_SSL_PEER_VERIFY_FAILED:
            return fail("the TLS certificate of " + where + " could not be verified ("
                        + amqp_error_string2(st) + "): name the broker's CA with ?cacertfile=PATH, "
                        "or use ?verify=verify_none for a test broker");
        case AMQP_STATUS_SSL_CONNECTION_FAILED:
        case AMQP_STATUS_SSL_ERROR:
            return fail("the TLS handshake with " + where + " failed (" + amqp_error_string2(st)
                        + "): is that port a TLS listener (RabbitMQ's is usually 5671)?");
        default:
            return fail("cannot connect to the AMQP broker at " + where + " ("
                        + tcpFailure(uri.host, uri.port, ms) + ")." + hint);
        }
    }
    amqp_set_handshake_timeout(conn_, &tv);
    timeval rpc = toTimeval(rpcTimeoutMs);
    amqp_set_rpc_timeout(conn_, &rpc);

    const amqp_rpc_reply_t r = amqp_login(conn_, uri.vhost.c_str(), 0, 131072, uri.heartbeatSeconds,
                                          AMQP_SASL_METHOD_PLAIN, uri.user.c_str(),
                                          uri.password.c_str());
    if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto *m = static_cast<const amqp_connection_close_t *>(r.reply.decoded);
        const std::string text = m ? bytesText(m->reply_text) : std::string();
        const int code = m ? m->reply_code : 0;
        if (code == AMQP_ACCESS_REFUSED && m && m->class_id == 10 && m->method_id == 40)
            return fail("the AMQP broker at " + where + " refused access to vhost '" + uri.vhost
                        + "' for user '" + uri.user + "' (" + text
                        + "): check the vhost in the URI and the user's permissions");
        if (code == AMQP_ACCESS_REFUSED)
            return fail("the AMQP broker at " + where + " refused the login of user '" + uri.user
                        + "' (" + text + "): check the user name and password in the URI "
                        "(--uri or QUEUELAB_AMQP_URI); RabbitMQ's guest user may log in from "
                        "localhost only");
        if (code == AMQP_NOT_ALLOWED || code == AMQP_INVALID_PATH)
            return fail("the AMQP broker at " + where + " has no vhost '" + uri.vhost
                        + "' that user '" + uri.user + "' may use (" + text
                        + "): check the vhost in the URI (the default vhost is a bare '/')");
        return fail("the AMQP broker at " + where + " closed the connection while logging in: "
                    + std::to_string(code) + " " + text);
    }
    if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
        if (r.library_error == AMQP_STATUS_TIMEOUT)
            return fail("the AMQP broker at " + where + " accepted the TCP connection but did not "
                        "complete the AMQP handshake within " + std::to_string(ms)
                        + " ms: is the broker hung or overloaded, or is that port not AMQP 0-9-1 "
                          "(HTTP, or TLS where amqp:// needs amqps://)?");
        if (isConnectionLoss(r.library_error))
            return fail("the AMQP broker at " + where + " closed the connection during the "
                        "handshake (" + amqp_error_string2(r.library_error) + "): check that the "
                        "port speaks AMQP " + (uri.tls ? "over TLS" : "without TLS (a TLS port needs amqps://)")
                        + ", and the user name and password");
        return fail("logging in to the AMQP broker at " + where + " failed: "
                    + amqp_error_string2(r.library_error));
    }
    if (r.reply_type != AMQP_RESPONSE_NORMAL)
        return fail("logging in to the AMQP broker at " + where + " failed (no reply)");

    if (!reopenChannel()) {
        std::string why;
        rpcOk("opening a channel on " + where, &why);
        return fail(why);
    }
    return true;
}

bool AmqpConnection::reopenChannel()
{
    amqp_channel_open(conn_, kChannel);
    if (amqp_get_rpc_reply(conn_).reply_type != AMQP_RESPONSE_NORMAL)
        return false;
    channelOpen_ = true;
    return true;
}

void AmqpConnection::close(bool polite)
{
    if (!conn_)
        return;
    if (polite && !broken_) {
        // connection.close closes the channel too; one RPC, bounded by a second at most.
        const timeval oneSecond{1, 0};
        const timeval *rpc = amqp_get_rpc_timeout(conn_);
        if (!rpc || rpc->tv_sec >= 1)
            amqp_set_rpc_timeout(conn_, &oneSecond);
        amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(conn_);
    conn_ = nullptr;
    channelOpen_ = false;
}

std::string AmqpConnection::lostMessage(const std::string &what, const std::string &why) const
{
    return what + ": lost the connection to the AMQP broker at " + uri_.hostPort() + " (" + why
           + "): the broker stopped or the network failed";
}

std::string AmqpConnection::statusError(int status, const std::string &what)
{
    broken_ = true; // whatever failed, rabbitmq-c's state is no longer trustworthy
    if (isConnectionLoss(status))
        return lostMessage(what, amqp_error_string2(status));
    if (status == AMQP_STATUS_TIMEOUT)
        return what + ": the AMQP broker at " + uri_.hostPort() + " did not answer in time; "
               "is it overloaded or stopped?";
    return what + ": " + amqp_error_string2(status) + " (broker " + uri_.hostPort() + ")";
}

std::string AmqpConnection::brokerClosed(const amqp_frame_t &frame, const std::string &what)
{
    const amqp_method_number_t id = frame.payload.method.id;
    if (id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto *m = static_cast<const amqp_channel_close_t *>(frame.payload.method.decoded);
        amqp_channel_close_ok_t ok{};
        amqp_send_method(conn_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
        channelOpen_ = false;
        return what + ": the AMQP broker at " + uri_.hostPort() + " closed the channel: "
               + (m ? std::to_string(m->reply_code) + " " + bytesText(m->reply_text) : std::string("?"));
    }
    const auto *m = static_cast<const amqp_connection_close_t *>(frame.payload.method.decoded);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(conn_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    broken_ = true;
    return what + ": the AMQP broker at " + uri_.hostPort() + " closed the connection: "
           + (m ? std::to_string(m->reply_code) + " " + bytesText(m->reply_text) : std::string("?"));
}

bool AmqpConnection::rpcOk(const std::string &what, std::string *error)
{
    if (!conn_) {
        if (error)
            *error = what + ": not connected to the AMQP broker";
        return false;
    }
    const amqp_rpc_reply_t r = amqp_get_rpc_reply(conn_);
    switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return true;
    case AMQP_RESPONSE_NONE:
        broken_ = true;
        if (error)
            *error = what + ": no reply from the AMQP broker at " + uri_.hostPort();
        return false;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        if (error)
            *error = statusError(r.library_error, what);
        else
            broken_ = true;
        return false;
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        break;
    }
    amqp_frame_t frame{};
    frame.frame_type = AMQP_FRAME_METHOD;
    frame.channel = r.reply.id == AMQP_CHANNEL_CLOSE_METHOD ? kChannel : 0;
    frame.payload.method = r.reply;
    const std::string why = brokerClosed(frame, what);
    if (error)
        *error = why;
    if (!broken_ && !channelOpen_ && !reopenChannel()) {
        broken_ = true;
    }
    return false;
}

} // namespace ql
