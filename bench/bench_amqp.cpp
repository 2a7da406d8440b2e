// AMQP benchmark: the AMQP live backend's message rate beside a plain rabbitmq-c
// publish/consume loop, measured in the same run against the same broker
// (QUEUELAB_AMQP_URI; run-bench.sh starts a private one). 1 producer thread -> 1 queue ->
// 1 consumer thread, no service time, transient messages. Cases, interleaved over rounds so
// a drift of the machine's load hits all of them alike; each line gives the median round:
//
//   plain-autoack   rabbitmq-c by hand: basic.publish of 100-byte bodies, no confirms;
//                   basic.consume with auto-ack (the toolchain notes' reference loop)
//   plain-ack       the same with manual acks (one multiple-ack per 100) and prefetch P
//   transport       AmqpTransport's channels: publish in batches with publisher confirms,
//                   receive and ack per batch, prefetch P (what LiveRunner calls)
//   runner          LiveRunner on AmqpTransport: the whole live path with its pacing,
//                   timestamps and statistics (interarrival 1 us, service 0, limit N)
//
//   bench_amqp [MESSAGES [ROUNDS [PREFETCH]]]     defaults 200000, 3, 1000
//
// Prints one line per case: case=... messages=... seconds=... publish_per_s=...
// consume_per_s=..., then ratio lines. consume_per_s (messages through, end to end) is the
// figure compared.
#include "live/amqptransport.h"
#include "live/amqpuri.h"
#include "live/liverunner.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace ql;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures
{
    double seconds = 0;
    double publishPerS = 0;
    double consumePerS = 0;
    bool ok = false;
};

double since(Clock::time_point t0, Clock::time_point t)
{
    return std::chrono::duration<double>(t - t0).count();
}

[[noreturn]] void die(const std::string &why)
{
    std::fprintf(stderr, "bench_amqp: %s\n", why.c_str());
    std::exit(1);
}

// --- The plain rabbitmq-c loop ------------------------------------------------------------

amqp_connection_state_t plainConnect(const AmqpUri &uri)
{
    amqp_connection_state_t c = amqp_new_connection();
    amqp_socket_t *s = amqp_tcp_socket_new(c);
    if (!s || amqp_socket_open(s, uri.host.c_str(), uri.port) != AMQP_STATUS_OK)
        die("cannot connect to " + uri.hostPort());
    if (amqp_login(c, uri.vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, uri.user.c_str(),
                   uri.password.c_str()).reply_type != AMQP_RESPONSE_NORMAL)
        die("cannot log in to " + uri.display());
    amqp_channel_open(c, 1);
    if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL)
        die("cannot open a channel on " + uri.hostPort());
    return c;
}

void plainClose(amqp_connection_state_t c)
{
    amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(c, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(c);
}

Figures plainLoop(const AmqpUri &uri, long n, bool manualAck, int prefetch)
{
    const std::string queue = "ql-bench-plain-" + std::to_string(::getpid());
    amqp_connection_state_t admin = plainConnect(uri);
    amqp_queue_declare(admin, 1, amqp_cstring_bytes(queue.c_str()), 0, 0, 0, 0, amqp_empty_table);
    if (amqp_get_rpc_reply(admin).reply_type != AMQP_RESPONSE_NORMAL)
        die("cannot declare " + queue);

    std::atomic<bool> subscribed{false};
    Clock::time_point t0, published, consumed;
    long received = 0;
    std::thread consumer([&] {
        amqp_connection_state_t c = plainConnect(uri);
        if (manualAck)
            amqp_basic_qos(c, 1, 0, std::uint16_t(prefetch), 0);
        amqp_basic_consume(c, 1, amqp_cstring_bytes(queue.c_str()), amqp_empty_bytes, 0,
                           manualAck ? 0 : 1, 0, amqp_empty_table);
        if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL)
            die("cannot consume " + queue);
        subscribed = true;
        timeval tv{10, 0};
        while (received < n) {
            amqp_envelope_t env;
            amqp_maybe_release_buffers(c);
            const amqp_rpc_reply_t r = amqp_consume_message(c, &env, &tv, 0);
            if (r.reply_type != AMQP_RESPONSE_NORMAL)
                break;
            ++received;
            if (manualAck && (received % 100 == 0 || received == n))
                amqp_basic_ack(c, 1, env.delivery_tag, 1);
            amqp_destroy_envelope(&env);
        }
        consumed = Clock::now();
        plainClose(c);
    });
    while (!subscribed)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::thread producer([&] {
        amqp_connection_state_t c = plainConnect(uri);
        char body[100];
        std::memset(body, 'x', sizeof body);
        amqp_bytes_t content{sizeof body, body};
        amqp_basic_properties_t props{};
        props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
        props.delivery_mode = 1; // transient
        t0 = Clock::now();
        for (long i = 0; i < n; ++i) {
            if (amqp_basic_publish(c, 1, amqp_empty_bytes, amqp_cstring_bytes(queue.c_str()), 0, 0,
                                   &props, content) != AMQP_STATUS_OK)
                die("publish failed");
        }
        published = Clock::now();
        plainClose(c);
    });
    producer.join();
    consumer.join();
    amqp_queue_delete(admin, 1, amqp_cstring_bytes(queue.c_str()), 0, 0);
    plainClose(admin);
    Figures f;
    f.ok = received == n;
    f.seconds = since(t0, consumed);
    f.publishPerS = double(n) / since(t0, published);
    f.consumePerS = double(received) / f.seconds;
    return f;
}

// --- The transport ------------------------------------------------------------------------

Scenario oneQueue(long n, int prefetch)
{
    Scenario s;
    s.name = "bench";
    s.timeUnit = TimeUnit::Milliseconds;
    s.run.duration = 600000;
    Node p;
    p.id = "p";
    p.kind = NodeKind::Producer;
    p.interarrival = Distribution::deterministic(0.001);
    p.limit = n;
    Node q;
    q.id = "q";
    q.kind = NodeKind::Queue;
    Node c;
    c.id = "c";
    c.kind = NodeKind::Consumer;
    c.service = Distribution::deterministic(0);
    c.prefetch = prefetch;
    s.nodes = {p, q, c};
    s.links = {Link{"p", "q", {}, HeadersMatch::All, {}, {}}, Link{"q", "c", {}, HeadersMatch::All, {}, {}}};
    return s;
}

Figures transportLoop(const LiveOptions &options, long n, int prefetch)
{
    std::string err;
    auto t = AmqpTransport::create(options, &err);
    if (!t)
        die(err);
    const Scenario sc = oneQueue(n, prefetch);
    if (!t->deploy(sc, &err))
        die(err);
    auto pch = t->openChannel(&err);
    auto cch = pch ? t->openChannel(&err) : nullptr;
    if (!cch || !cch->subscribe(1, 2, prefetch, &err))
        die(err);
    Clock::time_point t0, published, consumed;
    std::atomic<bool> allPublished{false};
    long received = 0;
    std::thread consumer([&] {
        std::vector<Delivery> buf(1024);
        int idle = 0;
        std::vector<std::uint64_t> tags;
        std::string e;
        while (received < n) {
            const int k = cch->receive(buf.data(), buf.size(), Clock::now() + std::chrono::milliseconds(100), &e);
            if (k < 0)
                die(e);
            tags.clear();
            for (int i = 0; i < k; ++i)
                tags.push_back(buf[std::size_t(i)].tag);
            if (k > 0 && !cch->ack(tags.data(), tags.size(), &e))
                die(e);
            received += k;
            idle = k == 0 && allPublished ? idle + 1 : 0;
            if (idle > 100)
                break; // 10 s without a message after the last publish: report, do not hang
        }
        consumed = Clock::now();
    });
    std::thread producer([&] {
        std::vector<OutMessage> batch(100);
        for (auto &m : batch)
            m.target = 1;
        std::string e;
        t0 = Clock::now();
        for (long i = 0; i < n; i += long(batch.size())) {
            const std::size_t k = std::size_t(std::min<long>(long(batch.size()), n - i));
            const std::int64_t now = Clock::now().time_since_epoch().count();
            for (std::size_t j = 0; j < k; ++j) {
                batch[j].payload.originNs = batch[j].payload.hopNs = now;
                batch[j].payload.seq = std::uint64_t(i) + j;
            }
            if (!pch->publish(batch.data(), k, &e))
                die(e);
        }
        published = Clock::now();
        allPublished = true;
    });
    producer.join();
    consumer.join();
    pch.reset();
    cch.reset();
    if (!t->teardown(&err))
        std::fprintf(stderr, "bench_amqp: %s\n", err.c_str());
    Figures f;
    f.ok = received == n;
    f.seconds = since(t0, consumed);
    f.publishPerS = double(n) / since(t0, published);
    f.consumePerS = double(received) / f.seconds;
    return f;
}

Figures runnerLoop(const LiveOptions &options, long n, int prefetch)
{
    std::string err;
    auto t = AmqpTransport::create(options, &err);
    if (!t)
        die(err);
    LiveRunner runner(oneQueue(n, prefetch), options);
    const LiveReport r = runner.run(*t);
    if (!r.error.empty())
        die(r.error);
    Figures f;
    f.ok = r.deliveredTotal == std::uint64_t(n);
    f.seconds = r.wallSeconds;
    f.publishPerS = double(r.publishedTotal) / r.wallSeconds;
    f.consumePerS = double(r.deliveredTotal) / r.wallSeconds;
    return f;
}

Figures median(std::vector<Figures> v)
{
    std::sort(v.begin(), v.end(), [](const Figures &a, const Figures &b) { return a.consumePerS < b.consumePerS; });
    Figures m = v[v.size() / 2];
    m.ok = std::all_of(v.begin(), v.end(), [](const Figures &f) { return f.ok; });
    return m;
}

} // namespace

int main(int argc, char **argv)
{
    const long n = argc > 1 ? std::atol(argv[1]) : 200000;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    const int prefetch = argc > 3 ? std::clamp(std::atoi(argv[3]), 1, 65535) : 1000;
    LiveOptions options;
    options.backend = "amqp";
    AmqpUri uri;
    std::string err;
    if (!resolveAmqpUri("", &uri, &err))
        die(err);
    if (!std::getenv("QUEUELAB_AMQP_URI"))
        die("set QUEUELAB_AMQP_URI to a RabbitMQ to measure against (run-bench.sh starts one)");

    const char *names[] = {"plain-autoack", "plain-ack", "transport", "runner"};
    std::vector<std::vector<Figures>> all(4);
    for (int r = 0; r < rounds; ++r) {
        all[0].push_back(plainLoop(uri, n, false, prefetch));
        all[1].push_back(plainLoop(uri, n, true, prefetch));
        options.runPrefix = makeRunPrefix();
        all[2].push_back(transportLoop(options, n, prefetch));
        options.runPrefix = makeRunPrefix();
        all[3].push_back(runnerLoop(options, n, prefetch));
    }
    std::vector<Figures> med;
    for (int c = 0; c < 4; ++c) {
        med.push_back(median(all[std::size_t(c)]));
        const Figures &f = med.back();
        std::printf("case=%s messages=%ld prefetch=%d rounds=%d seconds=%.3f publish_per_s=%.0f "
                    "consume_per_s=%.0f complete=%s\n",
                    names[c], n, c == 0 ? 0 : prefetch, rounds, f.seconds, f.publishPerS, f.consumePerS,
                    f.ok ? "yes" : "NO");
    }
    std::printf("ratio transport/plain-autoack=%.2f transport/plain-ack=%.2f runner/plain-autoack=%.2f "
                "runner/plain-ack=%.2f\n",
                med[2].consumePerS / med[0].consumePerS, med[2].consumePerS / med[1].consumePerS,
                med[3].consumePerS / med[0].consumePerS, med[3].consumePerS / med[1].consumePerS);
    return 0;
}
