// The AMQP live backend: its URI handling and model-to-RabbitMQ mapping on their own, then
// against a REAL RabbitMQ (no mocks) named by QUEUELAB_AMQP_URI (setup.sh test starts a
// private node and sets it; without it those tests skip). An independent client
// (/usr/bin/python3 with Debian's pika) publishes into and reads from what the backend
// deployed, so the topology is proven to be real AMQP; rabbitmqctl shows the queue
// arguments when the node is one .ci/rabbitmq.sh runs. A second private node, with an AMQPS
// listener, checks TLS, then is hung (SIGSTOP) and killed (SIGKILL) mid-run: the run must end
// with an error and partial results, and nothing may hang.
#include "live/amqptopology.h"
#include "live/amqptransport.h"
#include "live/amqpuri.h"
#include "live/liverunner.h"
#include "scenariobuilder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <chrono>
#include <thread>

using namespace ql;
using namespace ql::test;

namespace {

// The independent client: runs a JSON list of commands, prints one JSON answer each.
const char *const kPikaClient = R"PY(
import json, os, sys
import pika
conn = pika.BlockingConnection(pika.URLParameters(os.environ["QL_TEST_URI"]))
ch = conn.channel()
for cmd in json.loads(sys.argv[1]):
    op, args = cmd[0], cmd[1:]
    try:
        if op == "publish":      # exchange, key, body, headers
            ch.confirm_delivery()
            props = pika.BasicProperties(headers=args[3] if len(args) > 3 else None)
            ch.basic_publish(args[0], args[1], args[2].encode(), props, mandatory=True)
            print(json.dumps({"ok": True}))
        elif op == "get":        # queue
            m, _, body = ch.basic_get(args[0], auto_ack=True)
            print(json.dumps({"ok": True, "body": None if m is None else body.hex()}))
        elif op == "declare":    # queue, arguments: succeeds only if they equal the deployed ones
            ch.queue_declare(args[0], arguments=args[1])
            print(json.dumps({"ok": True}))
        elif op == "queue?" or op == "exchange?":
            if op == "queue?":
                ch.queue_declare(args[0], passive=True)
            else:
                ch.exchange_declare(args[0], passive=True)
            print(json.dumps({"ok": True}))
    except pika.exceptions.ChannelClosedByBroker as e:
        print(json.dumps({"ok": False, "code": e.reply_code, "text": e.reply_text}))
        ch = conn.channel()
    except pika.exceptions.UnroutableError:
        print(json.dumps({"ok": False, "code": 312, "text": "unroutable"}))
        ch = conn.channel()
conn.close()
)PY";

QString sourcePath(const QString &relative)
{
    return QStringLiteral(QL_SOURCE_DIR "/") + relative;
}

Payload payloadWithSeq(std::uint64_t seq)
{
    Payload p;
    p.originNs = p.hopNs = 123456789;
    p.seq = seq;
    p.producer = 0;
    return p;
}

// Receives until `n` deliveries came or `seconds` passed (a bound, not an assertion).
std::vector<Delivery> receiveN(TransportChannel &ch, std::size_t n, double seconds = 5)
{
    std::vector<Delivery> got;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    Delivery buf[64];
    std::string err;
    while (got.size() < n && std::chrono::steady_clock::now() < end) {
        const int k = ch.receive(buf, 64, std::chrono::steady_clock::now() + std::chrono::milliseconds(100), &err);
        if (k < 0)
            break;
        got.insert(got.end(), buf, buf + k);
    }
    return got;
}

} // namespace

class TestLiveAmqp : public QObject
{
    Q_OBJECT

    AmqpUri broker_;
    QString brokerText_;
    bool haveBroker_ = false;
    QProcess secondNode_;          // started early; hung, then killed, by the last test
    int secondPort_ = 0;

    QString script() const { return sourcePath(QStringLiteral(".ci/rabbitmq.sh")); }
    QString secondDir() const
    {
        const QString mainDir = qEnvironmentVariable("QL_RABBITMQ_DIR");
        return !mainDir.isEmpty() ? mainDir + QStringLiteral("-second")
                                  : QDir::tempPath() + QStringLiteral("/queuelab-rabbitmq-%1").arg(secondPort_);
    }
    // Waits for the second node (started in initTestCase); false if it did not start.
    bool secondNodeUp()
    {
        if (secondPort_ <= 0)
            return false;
        if (secondNode_.state() != QProcess::NotRunning)
            secondNode_.waitForFinished(180000);
        return secondNode_.exitStatus() == QProcess::NormalExit && secondNode_.exitCode() == 0;
    }
    // .ci/rabbitmq.sh arguments for the second node: its own ports (AMQP P, AMQPS P + 10000)
    // and folder.
    QStringList second(const char *command) const
    {
        // Beside the main node's folder when setup.sh names it (its exit trap stops this node
        // too, should the test crash), else the script's default for the port.
        const QString dir = secondDir();
        return {script(), "--port", QString::number(secondPort_), "--tls-port", QString::number(secondPort_ + 10000),
                "--dir", dir, command};
    }

    // rabbitmqctl against the test broker, when .ci/rabbitmq.sh runs it; null otherwise.
    QString ctl(const QStringList &args) const
    {
        const QString dir = qEnvironmentVariable("QL_RABBITMQ_DIR",
                                                 QDir::tempPath() + QStringLiteral("/queuelab-rabbitmq-%1").arg(broker_.port));
        if (broker_.host != "127.0.0.1" || !QDir(dir).exists())
            return {};
        QProcess p;
        p.start(QStringLiteral("bash"), QStringList{script(), "--port", QString::number(broker_.port),
                                                    "--dir", dir, "ctl", "-q"} + args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    // Runs the pika client; one JSON object per command.
    QList<QJsonObject> pika(const QJsonArray &commands, const QString &uri = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QL_TEST_URI"), uri.isEmpty() ? brokerText_ : uri);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("/usr/bin/python3"),
                {QStringLiteral("-c"), QString::fromUtf8(kPikaClient),
                 QString::fromUtf8(QJsonDocument(commands).toJson(QJsonDocument::Compact))});
        QList<QJsonObject> out;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return out;
        }
        for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
            if (!line.trimmed().isEmpty())
                out.push_back(QJsonDocument::fromJson(line).object());
        }
        if (out.size() != commands.size())
            qWarning("pika client: %s", p.readAllStandardError().constData());
        return out;
    }

    std::unique_ptr<AmqpTransport> makeTransport(const std::string &uri = {})
    {
        LiveOptions o;
        o.backend = "amqp";
        o.uri = uri;
        o.runPrefix = makeRunPrefix();
        std::string err;
        auto t = AmqpTransport::create(o, &err);
        if (!t)
            qWarning("%s", err.c_str());
        return t;
    }

private slots:
    void initTestCase()
    {
        brokerText_ = qEnvironmentVariable("QUEUELAB_AMQP_URI");
        if (!brokerText_.isEmpty()) {
            std::string err;
            QVERIFY2(parseAmqpUri(brokerText_.toStdString(), &broker_, &err), err.c_str());
            haveBroker_ = true;
        }
        // The node for the broker-death test boots while the other tests run.
        if (haveBroker_ && QFile::exists(script()) && QFile::exists("/usr/lib/rabbitmq/bin/rabbitmq-server")) {
            QProcess free;
            free.start(QStringLiteral("bash"), {script(), QStringLiteral("free-port")});
            free.waitForFinished(10000);
            secondPort_ = QString::fromUtf8(free.readAllStandardOutput()).trimmed().toInt();
            if (secondPort_ > 0)
                secondNode_.start(QStringLiteral("bash"), second("start"));
        }
    }

    void cleanupTestCase()
    {
        if (secondPort_ > 0) {
            secondNode_.waitForFinished(180000);
            QProcess::execute(QStringLiteral("bash"), second("stop"));
        }
    }

    // --- URIs --------------------------------------------------------------------------

    void parsesUris_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("vhost");
        QTest::addColumn<QString>("shown");
        QTest::newRow("full") << "amqp://bob:s3cret@10.0.0.5:5673/prod" << false << "bob" << "s3cret"
                              << "10.0.0.5" << 5673 << "prod" << "amqp://bob:***@10.0.0.5:5673/prod";
        QTest::newRow("bare slash is the default vhost")
            << "amqp://guest:guest@127.0.0.1:5673/" << false << "guest" << "guest" << "127.0.0.1" << 5673
            << "/" << "amqp://guest:***@127.0.0.1:5673/";
        QTest::newRow("%2f is the default vhost too")
            << "amqp://u:p@h/%2f" << false << "u" << "p" << "h" << 5672 << "/" << "amqp://u:***@h:5672/";
        QTest::newRow("no path, no user: defaults")
            << "amqp://broker" << false << "guest" << "guest" << "broker" << 5672 << "/"
            << "amqp://guest:***@broker:5672/";
        QTest::newRow("amqps defaults to 5671") << "AMQPS://u:p@mq.example.com/v%2Fx" << true << "u" << "p"
                                                << "mq.example.com" << 5671 << "v/x"
                                                << "amqps://u:***@mq.example.com:5671/v%2Fx";
        QTest::newRow("percent-encoded password") << "amqp://u:p%40ss%2Fw%3Ard@h:1/" << false << "u"
                                                  << "p@ss/w:rd" << "h" << 1 << "/" << "amqp://u:***@h:1/";
        QTest::newRow("ipv6") << "amqp://u:p@[::1]:5680/" << false << "u" << "p" << "::1" << 5680 << "/"
                              << "amqp://u:***@[::1]:5680/";
    }

    void parsesUris()
    {
        QFETCH(QString, uri);
        QFETCH(bool, tls);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, vhost);
        QFETCH(QString, shown);
        AmqpUri u;
        std::string err;
        QVERIFY2(parseAmqpUri(uri.toStdString(), &u, &err), err.c_str());
        QCOMPARE(u.tls, tls);
        QCOMPARE(QString::fromStdString(u.user), user);
        QCOMPARE(QString::fromStdString(u.password), password);
        QCOMPARE(QString::fromStdString(u.host), host);
        QCOMPARE(u.port, port);
        QCOMPARE(QString::fromStdString(u.vhost), vhost);
        QCOMPARE(QString::fromStdString(u.display()), shown);
    }

    void parsesQueryOptions()
    {
        AmqpUri u;
        std::string err;
        QVERIFY2(parseAmqpUri("amqps://u:p@h/?cacertfile=/etc/ca.pem&verify=verify_none"
                              "&connection_timeout=1500&heartbeat=10",
                              &u, &err),
                 err.c_str());
        QCOMPARE(QString::fromStdString(u.caCertFile), QStringLiteral("/etc/ca.pem"));
        QVERIFY(!u.verifyPeer);
        QCOMPARE(u.connectTimeoutMs, 1500);
        QCOMPARE(u.heartbeatSeconds, 10);
    }

    void refusesBadUrisWithoutShowingThePassword_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("expected");
        QTest::newRow("scheme") << "http://u:hunter2@h/" << "unsupported scheme 'http'";
        QTest::newRow("no scheme") << "u:hunter2@h:5672" << "expected amqp://";
        QTest::newRow("port") << "amqp://u:hunter2@h:56x/" << "port '56x' is not a number";
        QTest::newRow("port range") << "amqp://u:hunter2@h:70000/" << "1..65535";
        QTest::newRow("empty port") << "amqp://u:hunter2@h:/" << "empty port";
        QTest::newRow("slash in vhost") << "amqp://u:hunter2@h/a/b" << "one path segment";
        QTest::newRow("unencoded slash in password") << "amqp://u:hun/ter2@h/" << "percent-encode";
        QTest::newRow("bad escape") << "amqp://u:hunter2@h/%zz" << "percent-encoding in the vhost";
        QTest::newRow("unknown option") << "amqp://u:hunter2@h/?frame_max=1" << "unknown query option";
        QTest::newRow("tls option without tls") << "amqp://u:hunter2@h/?cacertfile=x" << "need TLS";
    }

    void refusesBadUrisWithoutShowingThePassword()
    {
        QFETCH(QString, uri);
        QFETCH(QString, expected);
        AmqpUri u;
        std::string err;
        QVERIFY(!parseAmqpUri(uri.toStdString(), &u, &err));
        QVERIFY2(QString::fromStdString(err).contains(expected), err.c_str());
        QVERIFY2(err.find("hunter2") == std::string::npos && err.find("hun/ter2") == std::string::npos
                     && err.find("ter2") == std::string::npos,
                 err.c_str());
    }

    void masksPasswords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("masked");
        QTest::newRow("plain") << "amqp://u:pw@h:1/v" << "amqp://u:***@h:1/v";
        QTest::newRow("no password") << "amqp://u@h/" << "amqp://u@h/";
        QTest::newRow("no user") << "amqp://h:5672/" << "amqp://h:5672/";
        QTest::newRow("@ and / inside the password") << "amqp://u:p@ss/w@h/" << "amqp://u:***@h/";
        QTest::newRow("no scheme") << "u:pw@h" << "u:***@h";
    }

    void masksPasswords()
    {
        QFETCH(QString, text);
        QFETCH(QString, masked);
        QCOMPARE(QString::fromStdString(maskAmqpUri(text.toStdString())), masked);
    }

    void takesUriAndPasswordFromTheEnvironment()
    {
        const QByteArray savedUri = qgetenv("QUEUELAB_AMQP_URI");
        qputenv("QUEUELAB_AMQP_URI", "amqp://alice@mq:5999/v");
        qputenv("QUEUELAB_AMQP_PASSWORD", "from-env");
        AmqpUri u;
        std::string err, origin;
        QVERIFY2(resolveAmqpUri("", &u, &err, &origin), err.c_str());
        QCOMPARE(QString::fromStdString(origin), QStringLiteral("QUEUELAB_AMQP_URI"));
        QCOMPARE(QString::fromStdString(u.user), QStringLiteral("alice"));
        QCOMPARE(QString::fromStdString(u.password), QStringLiteral("from-env"));
        QCOMPARE(u.port, 5999);
        // A URI that names a password keeps it; one given explicitly wins over the variable.
        QVERIFY(resolveAmqpUri("amqp://bob:own@h/", &u, &err, &origin));
        QCOMPARE(QString::fromStdString(origin), QStringLiteral("--uri"));
        QCOMPARE(QString::fromStdString(u.password), QStringLiteral("own"));
        qunsetenv("QUEUELAB_AMQP_PASSWORD");
        if (savedUri.isEmpty())
            qunsetenv("QUEUELAB_AMQP_URI");
        else
            qputenv("QUEUELAB_AMQP_URI", savedUri);
    }

    // --- The model as RabbitMQ sees it ------------------------------------------------

    void mapsTheModelToRabbitMqArguments()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).exchange("x", ExchangeType::Topic)
            .queue("bounded", 5, Overflow::RejectPublish)
            .queue("heads", 3, Overflow::DropHead)
            .queue("prio", 0, Overflow::RejectPublish, Discipline::Priority)
            .link("p", "x").link("x", "bounded", "a.*").link("x", "heads", "#").link("x", "prio", "a.b");
        b.s.nodes[0].priority = 7;
        AmqpTopology t;
        std::string err;
        QVERIFY2(t.build(b, "run.", &err), err.c_str());
        QCOMPARE(t.queues().size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(t.queues()[0].name), QStringLiteral("run.bounded"));
        QCOMPARE(t.queues()[0].capacity, std::int64_t(5));
        QVERIFY(t.queues()[0].rejects());
        QVERIFY(t.queues()[0].droppedQueue.empty());
        QCOMPARE(QString::fromStdString(t.queues()[1].droppedQueue), QStringLiteral("run.heads~dropped"));
        QVERIFY(!t.queues()[1].rejects());
        QCOMPARE(t.queues()[2].maxPriority, 7);
        QCOMPARE(t.queues()[0].maxPriority, 0);
        QCOMPARE(QString::fromStdString(t.name(1)), QStringLiteral("run.x"));
        QVERIFY(t.name(0).empty()); // producers have no broker object
    }

    void routesByAmqpRulesAndBlamesTheOneRejectingQueue_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QList<int>>("queues");
        QTest::addColumn<int>("blamed");
        QTest::newRow("a.b: all three") << "a.b" << QList<int>{0, 1, 2} << 0;
        QTest::newRow("a.c: bounded and heads") << "a.c" << QList<int>{0, 1} << 0;
        QTest::newRow("z: heads only, nobody rejects") << "z" << QList<int>{1} << AmqpTopology::kUnattributed;
    }

    void routesByAmqpRulesAndBlamesTheOneRejectingQueue()
    {
        QFETCH(QString, key);
        QFETCH(QList<int>, queues);
        QFETCH(int, blamed);
        ScenarioBuilder b;
        b.producer("p", expo(1)).exchange("x", ExchangeType::Topic)
            .queue("bounded", 5).queue("heads", 3, Overflow::DropHead).queue("free")
            .link("p", "x").link("x", "bounded", "a.*").link("x", "heads", "#").link("x", "free", "a.b")
            .link("x", "heads", "a.#"); // a second binding to one queue: still one copy
        AmqpTopology t;
        std::string err;
        QVERIFY2(t.build(b, "r.", &err), err.c_str());
        std::vector<int> route;
        t.route(1, key.toStdString(), nullptr, &route);
        QCOMPARE(QList<int>(route.begin(), route.end()), queues);
        QCOMPARE(t.blame(route), blamed);
    }

    void refusesLifoQueues()
    {
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("stack", 0, Overflow::RejectPublish, Discipline::Lifo).link("p", "stack");
        AmqpTopology t;
        std::string err;
        QVERIFY(!t.build(b, "r.", &err));
        QVERIFY2(QString::fromStdString(err).contains("lifo") && QString::fromStdString(err).contains("embedded"),
                 err.c_str());
    }

    // --- Against a real RabbitMQ ------------------------------------------------------

    void anIndependentClientSeesARealTopology()
    {
        if (!haveBroker_)
            QSKIP("QUEUELAB_AMQP_URI is not set: no RabbitMQ to test against (setup.sh test starts one)");
        ScenarioBuilder b;
        b.producer("orders", expo(1), "order.created").exchange("ex", ExchangeType::Direct)
            .queue("tasks", 100, Overflow::RejectPublish).consumer("w", expo(1))
            .exchange("hx", ExchangeType::Headers).queue("eu", 0, Overflow::RejectPublish, Discipline::Priority)
            .queue("heads", 4, Overflow::DropHead)
            .link("orders", "ex").link("ex", "tasks", "order.created").link("tasks", "w")
            .link("hx", "eu").link("ex", "heads", "order.created");
        Link &hl = b.s.links[3];
        hl.match = HeadersMatch::Any;
        hl.arguments = {{"region", "eu"}, {"tier", "gold"}};
        const Scenario sc = b;
        auto t = makeTransport();
        QVERIFY(t);
        std::string err;
        QVERIFY2(t->deploy(sc, &err), err.c_str());
        const auto name = [&](const char *id) { return QString::fromStdString(t->physicalName(sc.nodeIndex(id))); };
        QVERIFY(name("tasks").startsWith(QString::fromStdString(t->runPrefix())));

        // Our producer publishes; the independent client reads it from the deployed queue.
        auto producer = t->openChannel(&err);
        QVERIFY2(producer, err.c_str());
        OutMessage m;
        m.target = sc.nodeIndex("ex");
        m.routingKey = "order.created";
        m.payload = payloadWithSeq(4242);
        QVERIFY2(producer->publish(&m, 1, &err), err.c_str());
        producer.reset(); // waits for the confirm

        QJsonArray cmds;
        cmds.append(QJsonArray{"get", name("tasks")});
        // The client publishes into the deployed exchanges: by key, and by headers (any).
        cmds.append(QJsonArray{"publish", name("ex"), "order.created", "hello from pika"});
        cmds.append(QJsonArray{"publish", name("hx"), "", "headers", QJsonObject{{"region", "eu"}}});
        cmds.append(QJsonArray{"publish", name("hx"), "", "nobody", QJsonObject{{"region", "us"}}});
        // The queues carry the model's arguments: an equal declare passes, a different fails.
        cmds.append(QJsonArray{"declare", name("tasks"),
                               QJsonObject{{"x-max-length", 100}, {"x-overflow", "reject-publish"}}});
        cmds.append(QJsonArray{"declare", name("tasks"),
                               QJsonObject{{"x-max-length", 99}, {"x-overflow", "reject-publish"}}});
        cmds.append(QJsonArray{"declare", name("eu"), QJsonObject{{"x-max-priority", 1}}});
        cmds.append(QJsonArray{"get", name("eu")});
        const QList<QJsonObject> r = pika(cmds);
        QCOMPARE(r.size(), cmds.size());
        const QByteArray body = QByteArray::fromHex(r[0]["body"].toString().toLatin1());
        Payload p;
        QVERIFY2(decodePayload(body.constData(), std::size_t(body.size()), &p), r[0]["body"].toString().toLatin1());
        QCOMPARE(p.seq, std::uint64_t(4242));
        QVERIFY(r[1]["ok"].toBool());
        QVERIFY(r[2]["ok"].toBool());
        QCOMPARE(r[3]["code"].toInt(), 312); // no binding matches region=us: returned
        QVERIFY2(r[4]["ok"].toBool(), qPrintable(r[4]["text"].toString()));
        QCOMPARE(r[5]["code"].toInt(), 406);  // PRECONDITION_FAILED: inequivalent x-max-length
        QVERIFY(r[6]["ok"].toBool());
        QCOMPARE(QByteArray::fromHex(r[7]["body"].toString().toLatin1()), QByteArray("headers"));

        // Our consumer receives the client's message, flagged as not ours.
        auto consumer = t->openChannel(&err);
        QVERIFY2(consumer, err.c_str());
        QVERIFY2(consumer->subscribe(sc.nodeIndex("tasks"), sc.nodeIndex("w"), 10, &err), err.c_str());
        const auto got = receiveN(*consumer, 1);
        QCOMPARE(got.size(), std::size_t(1));
        QVERIFY(got[0].foreign);
        QVERIFY2(consumer->ack(&got[0].tag, 1, &err), err.c_str());
        consumer.reset();

        // rabbitmqctl agrees (when the broker is the private node .ci/rabbitmq.sh runs).
        const QString queues = ctl({"list_queues", "name", "arguments"});
        if (queues.isEmpty()) {
            qInfo("not a .ci/rabbitmq.sh node: rabbitmqctl checks skipped");
        } else {
            const auto line = [&](const QString &queue) {
                for (const QString &l : queues.split('\n')) {
                    if (l.startsWith(queue + '\t'))
                        return l;
                }
                return QString();
            };
            QVERIFY2(line(name("tasks")).contains(R"({"x-max-length",100})")
                         && line(name("tasks")).contains(R"({"x-overflow","reject-publish"})"),
                     qPrintable(queues));
            QVERIFY2(line(name("eu")).contains(R"({"x-max-priority",1})"), qPrintable(queues));
            QVERIFY2(line(name("heads")).contains(R"({"x-overflow","drop-head"})")
                         && line(name("heads")).contains(R"({"x-max-length",4})"),
                     qPrintable(queues));
        }

        // Teardown leaves nothing behind.
        QVERIFY2(t->teardown(&err), err.c_str());
        QJsonArray gone;
        for (const char *q : {"tasks", "eu", "heads"})
            gone.append(QJsonArray{"queue?", name(q)});
        gone.append(QJsonArray{"queue?", QString::fromStdString(t->physicalName(sc.nodeIndex("heads"))) + "~dropped"});
        for (const char *x : {"ex", "hx"})
            gone.append(QJsonArray{"exchange?", name(x)});
        const QList<QJsonObject> after = pika(gone);
        QCOMPARE(after.size(), gone.size());
        for (const QJsonObject &o : after)
            QCOMPARE(o["code"].toInt(), 404);
        const QString left = ctl({"list_queues", "name"}) + ctl({"list_exchanges", "name"});
        QVERIFY2(!left.contains(QString::fromStdString(t->runPrefix())), qPrintable(left));
    }

    void countsRejectedDroppedAndUnroutableMessages()
    {
        if (!haveBroker_)
            QSKIP("QUEUELAB_AMQP_URI is not set: no RabbitMQ to test against (setup.sh test starts one)");
        ScenarioBuilder b;
        b.producer("p", expo(1)).exchange("ex", ExchangeType::Direct)
            .queue("full", 3, Overflow::RejectPublish).queue("heads", 3, Overflow::DropHead)
            .link("p", "ex").link("ex", "full", "f").link("ex", "heads", "h");
        const Scenario sc = b;
        auto t = makeTransport();
        QVERIFY(t);
        std::string err;
        QVERIFY2(t->deploy(sc, &err), err.c_str());
        auto ch = t->openChannel(&err);
        QVERIFY2(ch, err.c_str());
        std::vector<OutMessage> batch;
        for (int i = 0; i < 10; ++i) {
            for (const char *key : {"f", "h"}) {
                OutMessage m;
                m.target = sc.nodeIndex("ex");
                m.routingKey = key;
                m.payload = payloadWithSeq(std::uint64_t(i));
                batch.push_back(m);
            }
        }
        OutMessage lost;
        lost.target = sc.nodeIndex("ex");
        lost.routingKey = "nobody";
        batch.push_back(lost);
        QVERIFY2(ch->publish(batch.data(), batch.size(), &err), err.c_str());
        ch.reset(); // waits for every confirm

        TransportSnapshot s;
        QVERIFY2(t->snapshot(&s, &err), err.c_str());
        QCOMPARE(s.queues.size(), std::size_t(2));
        const QueueSnapshot &full = s.queues[0], &heads = s.queues[1];
        QCOMPARE(full.node, sc.nodeIndex("full"));
        QCOMPARE(*full.arrivals, std::int64_t(10));
        QCOMPARE(*full.ready, std::int64_t(3));
        QCOMPARE(*full.drops, std::int64_t(7));   // basic.nack from reject-publish
        QCOMPARE(*heads.arrivals, std::int64_t(10));
        QCOMPARE(*heads.ready, std::int64_t(3));
        QCOMPARE(*heads.drops, std::int64_t(7));  // dead-lettered heads, counted
        QCOMPARE(*s.unroutable, std::int64_t(1)); // basic.return (mandatory)
        QCOMPARE(*s.rejectedUnattributed, std::int64_t(0));
        QVERIFY2(t->teardown(&err), err.c_str());
    }

    void honoursPrefetchAcksAndPriorities()
    {
        if (!haveBroker_)
            QSKIP("QUEUELAB_AMQP_URI is not set: no RabbitMQ to test against (setup.sh test starts one)");
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("q", 0, Overflow::RejectPublish, Discipline::Priority)
            .consumer("c", expo(1)).link("p", "q").link("q", "c");
        b.s.nodes[0].priority = 5;
        const Scenario sc = b;
        auto t = makeTransport();
        QVERIFY(t);
        std::string err;
        QVERIFY2(t->deploy(sc, &err), err.c_str());
        auto producer = t->openChannel(&err);
        QVERIFY2(producer, err.c_str());
        std::vector<OutMessage> batch(6);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            batch[i].target = sc.nodeIndex("q");
            batch[i].priority = i == 5 ? 5 : 0; // the last one published jumps the queue
            batch[i].payload = payloadWithSeq(i);
        }
        QVERIFY2(producer->publish(batch.data(), batch.size(), &err), err.c_str());
        producer.reset();

        auto consumer = t->openChannel(&err);
        QVERIFY2(consumer, err.c_str());
        QVERIFY2(consumer->subscribe(sc.nodeIndex("q"), sc.nodeIndex("c"), 2, &err), err.c_str());
        // Prefetch 2: two deliveries, and no third until one is acknowledged.
        auto first = receiveN(*consumer, 3, 1.0);
        QCOMPARE(first.size(), std::size_t(2));
        QCOMPARE(first[0].payload.seq, std::uint64_t(5));
        QCOMPARE(first[0].priority, 5);
        TransportSnapshot s;
        QVERIFY2(t->snapshot(&s, &err), err.c_str());
        QCOMPARE(*s.queues[0].ready, std::int64_t(4));
        QCOMPARE(*s.queues[0].unacked, std::int64_t(2));
        // Acknowledge the second first (out of order), then the rest in one go.
        QVERIFY2(consumer->ack(&first[1].tag, 1, &err), err.c_str());
        auto more = receiveN(*consumer, 1);
        QCOMPARE(more.size(), std::size_t(1));
        std::vector<std::uint64_t> tags{first[0].tag, more[0].tag};
        QVERIFY2(consumer->ack(tags.data(), tags.size(), &err), err.c_str());
        auto rest = receiveN(*consumer, 2);
        QCOMPARE(rest.size(), std::size_t(2)); // window 2 again
        for (const Delivery &dl : rest)
            QVERIFY2(consumer->ack(&dl.tag, 1, &err), err.c_str());
        rest = receiveN(*consumer, 1);
        QCOMPARE(rest.size(), std::size_t(1));
        QVERIFY2(consumer->ack(&rest[0].tag, 1, &err), err.c_str());
        QVERIFY2(t->snapshot(&s, &err), err.c_str());
        QCOMPARE(*s.queues[0].ready, std::int64_t(0));
        QCOMPARE(*s.queues[0].unacked, std::int64_t(0));
        consumer.reset();
        QVERIFY2(t->teardown(&err), err.c_str());
    }

    void aLiveRunOnRabbitMqMeasuresTraffic()
    {
        if (!haveBroker_)
            QSKIP("QUEUELAB_AMQP_URI is not set: no RabbitMQ to test against (setup.sh test starts one)");
        ScenarioBuilder b;
        b.run(1500, 0, 1).producer("p", expo(2)).queue("q").consumer("c", expo(1), 1, 1)
            .link("p", "q").link("q", "c");
        b.s.timeUnit = TimeUnit::Milliseconds;
        LiveOptions o;
        o.backend = "amqp";
        o.runPrefix = makeRunPrefix();
        std::string err;
        auto t = AmqpTransport::create(o, &err);
        QVERIFY2(t, err.c_str());
        LiveRunner runner(b, o);
        const LiveReport r = runner.run(*t);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(QString::fromStdString(r.results.source), QStringLiteral("amqp"));
        QVERIFY(!r.results.partial);
        QVERIFY2(r.deliveredTotal > 100, qPrintable(QString::number(r.deliveredTotal)));
        QCOMPARE(r.droppedTotal, std::uint64_t(0));
        QVERIFY(r.where.find(":***@") != std::string::npos);
        for (const std::string &w : r.warnings)
            qInfo("warning: %s", w.c_str());
    }

    void aWrongPasswordFailsClearly()
    {
        if (!haveBroker_)
            QSKIP("QUEUELAB_AMQP_URI is not set: no RabbitMQ to test against (setup.sh test starts one)");
        const std::string uri = std::string("amqp://") + broker_.user + ":not-the-pw-77@" + broker_.hostPort() + "/";
        auto t = makeTransport(uri);
        QVERIFY(t);
        QElapsedTimer timer;
        timer.start();
        std::string err;
        QVERIFY(!t->deploy(ScenarioBuilder().producer("p", expo(1)).queue("q").link("p", "q"), &err));
        qInfo("refused after %lld ms: %s", timer.elapsed(), err.c_str());
        const QString e = QString::fromStdString(err);
        QVERIFY2(e.contains("refused the login") && e.contains(QString::fromStdString(broker_.hostPort()))
                     && e.contains("password"),
                 err.c_str());
        QVERIFY2(err.find("not-the-pw-77") == std::string::npos, err.c_str());
        QVERIFY2(t->teardown(&err), err.c_str()); // nothing was created
    }

    void anUnreachableBrokerFailsClearly()
    {
        auto t = makeTransport("amqp://guest:guest@127.0.0.1:1/");
        QVERIFY(t);
        QElapsedTimer timer;
        timer.start();
        std::string err;
        QVERIFY(!t->deploy(ScenarioBuilder().producer("p", expo(1)).queue("q").link("p", "q"), &err));
        qInfo("failed after %lld ms: %s", timer.elapsed(), err.c_str());
        const QString e = QString::fromStdString(err);
        QVERIFY2(e.contains("127.0.0.1:1") && e.contains("Is RabbitMQ running"), err.c_str());
        QVERIFY2(!e.contains("guest:guest"), err.c_str());
    }

    // On the second node (its AMQPS listener has a certificate for "localhost" from a CA
    // that only D/tls/ca.pem vouches for).
    void amqpsTalksTlsToAVerifiedBrokerOnly_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("expected"); // empty: works
        const QString ca = secondDir() + QStringLiteral("/tls/ca.pem");
        const QString tls = QString::number(secondPort_ + 10000), plain = QString::number(secondPort_);
        QTest::newRow("verified by its CA") << "amqps://guest:guest@localhost:" + tls + "/?cacertfile=" + ca << "";
        QTest::newRow("verify_none") << "amqps://guest:guest@localhost:" + tls + "/?verify=verify_none" << "";
        QTest::newRow("unknown CA") << "amqps://guest:guest@localhost:" + tls + "/" << "could not be verified";
        QTest::newRow("amqps to the plain port") << "amqps://guest:guest@localhost:" + plain + "/?cacertfile=" + ca
                                                 << "TLS";
        QTest::newRow("amqp to the TLS port") << "amqp://guest:guest@localhost:" + tls + "/" << "handshake";
    }

    void amqpsTalksTlsToAVerifiedBrokerOnly()
    {
        QFETCH(QString, uri);
        QFETCH(QString, expected);
        if (!haveBroker_ || !secondNodeUp())
            QSKIP("needs QUEUELAB_AMQP_URI and .ci/rabbitmq.sh with rabbitmq-server installed");
        auto t = makeTransport(uri.toStdString());
        QVERIFY(t);
        ScenarioBuilder b;
        b.producer("p", expo(1)).queue("q").consumer("c", expo(1)).link("p", "q").link("q", "c");
        const Scenario sc = b;
        std::string err;
        QElapsedTimer timer;
        timer.start();
        const bool deployed = t->deploy(sc, &err);
        if (!expected.isEmpty()) {
            qInfo("failed after %lld ms: %s", timer.elapsed(), err.c_str());
            QVERIFY(!deployed);
            QVERIFY2(QString::fromStdString(err).contains(expected), err.c_str());
            QVERIFY2(err.find("guest:guest") == std::string::npos, err.c_str());
            return;
        }
        QVERIFY2(deployed, err.c_str());
        auto ch = t->openChannel(&err);
        QVERIFY2(ch, err.c_str());
        QVERIFY2(ch->subscribe(sc.nodeIndex("q"), sc.nodeIndex("c"), 1, &err), err.c_str());
        OutMessage m;
        m.target = sc.nodeIndex("q");
        m.payload = payloadWithSeq(7);
        QVERIFY2(ch->publish(&m, 1, &err), err.c_str());
        const auto got = receiveN(*ch, 1);
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].payload.seq, std::uint64_t(7));
        QVERIFY2(ch->ack(&got[0].tag, 1, &err), err.c_str());
        ch.reset();
        QVERIFY2(t->teardown(&err), err.c_str());
    }

    // Last: hangs the second node for a while, then kills it.
    void aBrokerThatHangsOrDiesEndsTheRunWithPartialResults_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("hung (SIGSTOP)") << "pause";
        QTest::newRow("killed (SIGKILL)") << "kill";
    }

    void aBrokerThatHangsOrDiesEndsTheRunWithPartialResults()
    {
        QFETCH(QString, fault);
        if (!haveBroker_ || !secondNodeUp())
            QSKIP("needs QUEUELAB_AMQP_URI and .ci/rabbitmq.sh with rabbitmq-server installed");
        const std::string uri = "amqp://guest:guest@127.0.0.1:" + std::to_string(secondPort_) + "/";

        ScenarioBuilder b;
        b.run(60000, 0, 1).producer("p", expo(1)).queue("q").consumer("c", expo(0.5), 1, 5)
            .link("p", "q").link("q", "c");
        b.s.timeUnit = TimeUnit::Milliseconds; // 60 s of wall time planned
        LiveOptions o;
        o.backend = "amqp";
        o.uri = uri;
        o.runPrefix = makeRunPrefix();
        std::string err;
        auto t = AmqpTransport::create(o, &err);
        QVERIFY2(t, err.c_str());
        LiveRunner runner(b, o);
        const QByteArray command = fault.toLatin1();
        std::thread killer([this, command] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            QProcess::execute(QStringLiteral("bash"), second(command.constData()));
        });
        QElapsedTimer timer;
        timer.start();
        const LiveReport r = runner.run(*t);
        killer.join();
        if (fault == "pause")
            QProcess::execute(QStringLiteral("bash"), second("resume"));
        qInfo("run ended after %.1f s of traffic (%lld ms in all): %s", r.wallSeconds, timer.elapsed(),
              r.error.c_str());
        for (const std::string &w : r.warnings)
            qInfo("warning: %s", w.c_str());
        QVERIFY2(!r.error.empty(), "the run should fail when its broker hangs or dies");
        QVERIFY2(QString::fromStdString(r.error).contains(QStringLiteral("127.0.0.1:%1").arg(secondPort_)),
                 r.error.c_str());
        QVERIFY(r.results.partial);
        QVERIFY(!r.setupFailed);
        QVERIFY2(r.wallSeconds < 30, "the run should end when the broker fails, not at its planned end");
        QVERIFY2(r.deliveredTotal > 0, "what was measured before the failure is kept");
        QVERIFY(r.error.find("guest:guest") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestLiveAmqp)
#include "tst_live_amqp.moc"
