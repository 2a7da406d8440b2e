// The animation's timeline driven frame by frame with made-up wall times, with no window,
// painter or timer: when tokens leave and arrive, when shown depths and busy servers
// change, how Step frames and frames without events are shown, when Auto mode switches
// between tokens and flow (and why it does not switch back at once), what clear() forgets,
// and where the followed message is shown resting.
#include "animationtimeline.h"
#include "canvasmetrics.h"
#include "followtracker.h"

#include "sim/simobserver.h"

#include <QTest>

using namespace ql;

namespace {

// producer p -> exchange x -> queue q -> consumer c -> sink s, 200 units apart; links run
// between the node boxes' edges (80 units long), as the overlay would clip them.
enum : int { P, X, Q, C, S };
constexpr double Travel = 0.3;   // the default token travel time
constexpr double Delay = 0.9;    // the display delay

Scenario chain()
{
    Scenario s;
    const std::pair<const char *, NodeKind> nodes[] = {{"p", NodeKind::Producer}, {"x", NodeKind::Exchange},
                                                       {"q", NodeKind::Queue}, {"c", NodeKind::Consumer},
                                                       {"s", NodeKind::Sink}};
    for (const auto &[id, kind] : nodes) {
        Node n;
        n.id = id;
        n.kind = kind;
        n.servers = 1;
        s.layout[n.id] = {200.0 * double(s.nodes.size()), 0.0};
        s.nodes.push_back(n);
    }
    const std::pair<const char *, const char *> links[] = {{"p", "x"}, {"x", "q"}, {"q", "c"}, {"c", "s"}};
    for (const auto &[from, to] : links) {
        Link l;
        l.from = from;
        l.to = to;
        s.links.push_back(l);
    }
    return s;
}

void setUp(AnimationTimeline &timeline, double linkLength = 80)
{
    timeline.setScenario(chain());
    for (int i = 0; i < 4; ++i) {
        const double x = 200.0 * i + 100 - linkLength / 2;
        timeline.setLinkLine(i, QLineF(x, 0, x + linkLength, 0));
    }
}

AnimationEvent ev(AnimationEvent::Kind kind, double t, std::uint64_t msg, int from, int to = -1)
{
    return AnimationEvent{kind, 0, from, to, t, msg};
}

// A frame that also carries the simulation's depths at its end, as the worker's do.
AnimationFrame withDepths(AnimationFrame f, std::vector<int> depths)
{
    f.busyServers.assign(depths.size(), 0);
    f.queueDepth = std::move(depths);
    return f;
}

AnimationEvent dropped(double t, std::uint64_t msg, int node, DropReason reason)
{
    return AnimationEvent{AnimationEvent::Dropped, std::uint8_t(reason), node, -1, t, msg};
}

// The chain with a dead-letter queue `dlq` (node 5) under q: link 4, q -> dlq, dead-letter.
enum : int { DLQ = 5, DeadLetterLink = 4 };
void setUpWithDeadLetters(AnimationTimeline &timeline)
{
    Scenario s = chain();
    Node dlq;
    dlq.id = "dlq";
    dlq.kind = NodeKind::Queue;
    s.layout["dlq"] = {400.0, 200.0};
    s.nodes.push_back(dlq);
    Link l;
    l.from = "q";
    l.to = "dlq";
    l.role = LinkRole::DeadLetter;
    s.links.push_back(l);
    timeline.setScenario(s);
    for (int i = 0; i < 4; ++i) {
        const double x = 200.0 * i + 60;
        timeline.setLinkLine(i, QLineF(x, 0, x + 80, 0));
    }
    timeline.setLinkLine(DeadLetterLink, QLineF(400, 40, 400, 160));
}

AnimationFrame frame(double simFrom, double simTo, std::vector<AnimationEvent> events, bool step = false)
{
    AnimationFrame f;
    f.simFrom = simFrom;
    f.simTo = simTo;
    f.detailed = true;
    f.step = step;
    f.events = std::move(events);
    return f;
}

// Message `msg` published at simulated time `t` and carried along the first `hops` links,
// then whatever happens to it at that instant.
std::vector<AnimationEvent> journey(std::uint64_t msg, double t, int hops, std::vector<AnimationEvent> then = {})
{
    std::vector<AnimationEvent> events{ev(AnimationEvent::Published, t, msg, P)};
    for (int h = 0; h < hops; ++h)
        events.push_back(ev(AnimationEvent::Moved, t, msg, h, h + 1));
    events.insert(events.end(), then.begin(), then.end());
    return events;
}

// A frame with `moves` messages on the first link and the rest quiet.
AnimationFrame traffic(std::uint32_t moves, bool detailed)
{
    AnimationFrame f = frame(0, 1, {});
    f.detailed = detailed;
    f.linkMessages = {moves, 0, 0, 0};
    return f;
}

} // namespace

class TestAnimationTimeline : public QObject
{
    Q_OBJECT
private slots:
    void hopsOfOneInstantArriveWhenItIsShown_data();
    void hopsOfOneInstantArriveWhenItIsShown();
    void aTokenTravelsItsLinkBetweenLeavingAndArriving();
    void eventsSpreadOverTheTimeBetweenFrames();
    void aQueueDepthChangesWhenItsTokenArrives();
    void aBusyServerShowsWhenItsTokenArrives();
    void aDropBurstsWhenShownAndEndsAfterItsLife();
    void anExpiredMessageBurstsAtTheHeadOfItsQueue();
    void aRejectBurstsAtTheConsumerThatHadTheMessage();
    void aDeadLetteredMessageRidesTheDeadLetterLink();
    void aRequeuedMessageComesBackMarked();
    void flowModeBurstsTellTheReason();
    void aFrameWithoutEventsShowsRatesAndItsOwnFigures();
    void autoSwitchesToFlowAboveTheUpperThresholdAndBackBelowTheLower();
    void aStepShowsTokensEvenInFlow();
    void clearForgetsEverything();
    void theFollowedMessageRestsWhereItsTokensArrive();
    void followingAMessageOnItsWayStartsFromWhatIsScheduled();
};

void TestAnimationTimeline::hopsOfOneInstantArriveWhenItIsShown_data()
{
    QTest::addColumn<int>("hops");
    QTest::addColumn<bool>("step");
    QTest::addColumn<double>("hop");     // seconds each token takes
    QTest::addColumn<double>("arrival"); // of the last token, after the frame's wall time
    // A run is shown Delay late: the last hop arrives then, and longer chains go faster.
    QTest::newRow("one hop") << 1 << false << Travel << Delay;
    QTest::newRow("three hops") << 3 << false << Travel << Delay;
    QTest::newRow("four hops") << 4 << false << Delay / 4 << Delay;
    // A step starts at once and takes the full travel time for every hop.
    QTest::newRow("four hops, step") << 4 << true << Travel << 4 * Travel;
}

void TestAnimationTimeline::hopsOfOneInstantArriveWhenItIsShown()
{
    QFETCH(int, hops);
    QFETCH(bool, step);
    QFETCH(double, hop);
    QFETCH(double, arrival);
    AnimationTimeline timeline;
    setUp(timeline);
    const double wall = 10;
    timeline.applyFrame(frame(0, 1, journey(1, 0.5, hops), step), wall);
    const std::vector<AnimationTimeline::Token> &tokens = timeline.tokens();
    QCOMPARE(int(tokens.size()), hops);
    for (int h = 0; h < hops; ++h) {
        const AnimationTimeline::Token &k = tokens[std::size_t(h)];
        QCOMPARE(k.link, h);
        QCOMPARE(k.msg, quint64(1));
        // One after another, the last arriving at `arrival`.
        QVERIFY2(qAbs(k.end - (wall + arrival - (hops - 1 - h) * hop)) < 1e-9, qPrintable(QString::number(k.end)));
        QVERIFY2(qAbs(k.end - k.start - hop) < 1e-9, qPrintable(QString::number(k.end - k.start)));
    }
}

void TestAnimationTimeline::aTokenTravelsItsLinkBetweenLeavingAndArriving()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(frame(0, 1, journey(7, 0.5, 1)), 10);
    // Leaves at 10 + Delay - Travel = 10.6 and arrives at 10.9 on p -> x (x from 60 to 140).
    QCOMPARE(timeline.tokensScheduled(), 1);
    timeline.advance(10.59);
    QCOMPARE(timeline.tokensInFlight(), 0);
    QVERIFY(timeline.tokenPositions(10.59).isEmpty());
    QCOMPARE(timeline.tokenAt(QPointF(60, 0), 10, 10.59), quint64(0));
    timeline.advance(10.61);
    QCOMPARE(timeline.tokensInFlight(), 1);
    // Halfway in time is halfway along (the easing is symmetric), and it eases in: at a
    // quarter of the time it has done less than a quarter of the way.
    QCOMPARE(timeline.tokenPositions(10.75).value(7), QPointF(100, 0));
    QVERIFY(timeline.tokenPositions(10.675).value(7).x() < 80);
    QCOMPARE(timeline.tokenAt(QPointF(102, 3), 10, 10.75), quint64(7));
    QCOMPARE(timeline.tokenAt(QPointF(130, 0), 10, 10.75), quint64(0));
    QVERIFY(timeline.hasMotion());
    timeline.advance(10.89);
    QCOMPARE(timeline.tokensScheduled(), 1);
    timeline.advance(10.91);
    QCOMPARE(timeline.tokensScheduled(), 0);
    QCOMPARE(timeline.tokensInFlight(), 0);
    QVERIFY(!timeline.hasMotion());
}

void TestAnimationTimeline::eventsSpreadOverTheTimeBetweenFrames()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(frame(0, 1, {}), 10);
    // The next frame comes 1/20 s later: its span is spread over those 0.05 s, so an event
    // three quarters into it is shown 0.0375 s after the frame, plus the delay.
    timeline.applyFrame(frame(1, 2, journey(1, 1.75, 1)), 10.05);
    QCOMPARE(timeline.tokensScheduled(), 1);
    QVERIFY(qAbs(timeline.tokens().front().end - (10.05 + 0.0375 + Delay)) < 1e-9);
}

void TestAnimationTimeline::aQueueDepthChangesWhenItsTokenArrives()
{
    AnimationTimeline timeline;
    setUp(timeline);
    std::vector<AnimationEvent> events = journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)});
    AnimationFrame f = frame(0, 1, events);
    f.queueDepth = {0, 0, 1, 0, 0}; // the simulation has it queued already
    f.busyServers = {0, 0, 0, 0, 0};
    timeline.applyFrame(f, 10);
    QCOMPARE(timeline.queueDepth(Q), 0);
    timeline.advance(10.89);
    QCOMPARE(timeline.queueDepth(Q), 0);
    QVERIFY(timeline.takeChangedNodes().empty());
    timeline.advance(10.91); // the token into q has arrived
    QCOMPARE(timeline.queueDepth(Q), 1);
    QCOMPARE(timeline.takeChangedNodes(), std::vector<int>{Q});
    QVERIFY(timeline.takeChangedNodes().empty());

    // A frame later it moves on to the consumer: it leaves the queue's count when that
    // token arrives (at 11.45), not when it sets off (11.15).
    AnimationFrame next = frame(1, 2, {ev(AnimationEvent::Moved, 1.5, 1, Q, C)});
    next.queueDepth = {0, 0, 0, 0, 0};
    next.busyServers = {0, 0, 0, 0, 0};
    timeline.applyFrame(next, 10.5);
    timeline.advance(11.3);
    QCOMPARE(timeline.tokensInFlight(), 1);
    QCOMPARE(timeline.queueDepth(Q), 1);
    timeline.advance(11.5);
    QCOMPARE(timeline.queueDepth(Q), 0);
    QCOMPARE(timeline.peakDepth(Q), 1);
}

void TestAnimationTimeline::aBusyServerShowsWhenItsTokenArrives()
{
    AnimationTimeline timeline;
    setUp(timeline);
    std::vector<AnimationEvent> events = journey(1, 0.5, 3, {ev(AnimationEvent::ServiceStarted, 0.5, 1, C, 1)});
    AnimationFrame f = frame(0, 1, events);
    f.busyServers = {0, 0, 0, 1, 0};
    timeline.applyFrame(f, 10);
    timeline.advance(10.89);
    QCOMPARE(timeline.busyServers(C), 0);
    timeline.advance(10.91);
    QCOMPARE(timeline.busyServers(C), 1);
    // A second start on a one-server consumer is shown as one busy server, not two.
    AnimationFrame next = frame(1, 2, {ev(AnimationEvent::ServiceStarted, 1.5, 2, C, 1)});
    next.busyServers = f.busyServers;
    timeline.applyFrame(next, 10.5);
    timeline.advance(12);
    QCOMPARE(timeline.busyServers(C), 1);
}

void TestAnimationTimeline::aDropBurstsWhenShownAndEndsAfterItsLife()
{
    AnimationTimeline timeline;
    setUp(timeline);
    std::vector<AnimationEvent> events = journey(1, 0.5, 2);
    AnimationEvent drop = ev(AnimationEvent::Dropped, 0.5, 1, Q);
    drop.reason = std::uint8_t(DropReason::Overflow);
    events.push_back(drop);
    timeline.applyFrame(frame(0, 1, events), 10);
    QCOMPARE(int(timeline.flashes().size()), 1);
    const AnimationTimeline::Flash burst = timeline.flashes().front();
    QVERIFY(qAbs(burst.start - (10 + Delay)) < 1e-9); // when the message reaches q
    QCOMPARE(burst.pos, QPointF(400 - 60, 0));         // where it came in: q's left edge
    QCOMPARE(burst.reason, DropReason::Overflow);
    QVERIFY(!burst.deadLettered); // the queue has no dead-letter link
    timeline.advance(10 + Delay + AnimationTimeline::FlashLife - 0.01);
    QCOMPARE(int(timeline.flashes().size()), 1);
    QVERIFY(timeline.endedFlashes().empty());
    timeline.advance(10 + Delay + AnimationTimeline::FlashLife + 0.01);
    QVERIFY(timeline.flashes().empty());
    QCOMPARE(timeline.endedFlashes(), std::vector<QPointF>{burst.pos});
    timeline.advance(12);
    QVERIFY(timeline.endedFlashes().empty()); // reported once
}

void TestAnimationTimeline::anExpiredMessageBurstsAtTheHeadOfItsQueue()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(withDepths(frame(0, 1, journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)})),
                                   {0, 0, 1, 0, 0}), 10);
    timeline.advance(11);
    QCOMPARE(timeline.queueDepth(Q), 1);
    // Its TTL runs out at the head: an expiry burst at q's right edge, not a red overflow
    // at its left, and the depth falls when it shows.
    timeline.applyFrame(withDepths(frame(1, 2, {dropped(1.5, 1, Q, DropReason::Expired)}), {0, 0, 0, 0, 0}), 11.05);
    QCOMPARE(int(timeline.flashes().size()), 1);
    const AnimationTimeline::Flash burst = timeline.flashes().front();
    QCOMPARE(burst.reason, DropReason::Expired);
    QCOMPARE(burst.pos, QPointF(400 + 60, 0));
    QVERIFY(!burst.deadLettered);
    QCOMPARE(timeline.queueDepth(Q), 1);
    timeline.advance(11.1 + Delay + 0.01); // shown a display delay after its place in the frame
    QCOMPARE(timeline.queueDepth(Q), 0);
    QCOMPARE(timeline.queueOf(1), -1); // gone
}

void TestAnimationTimeline::aRejectBurstsAtTheConsumerThatHadTheMessage()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(frame(0, 1, journey(1, 0.5, 3, {ev(AnimationEvent::ServiceStarted, 0.5, 1, C, 1)})), 10);
    // The engine reports a reject at the queue (which dead-letters or drops it); the cross
    // is drawn where it was decided, on top of c.
    timeline.applyFrame(frame(1, 2, {ev(AnimationEvent::ServiceEnded, 1.5, 1, C, 0),
                                     dropped(1.5, 1, Q, DropReason::Rejected)}), 10.5);
    QCOMPARE(int(timeline.flashes().size()), 1);
    QCOMPARE(timeline.flashes().front().reason, DropReason::Rejected);
    QCOMPARE(timeline.flashes().front().pos, QPointF(600, -NodeSize.height() / 2));
    QCOMPARE(timeline.colourOf(1), 0);
}

void TestAnimationTimeline::aDeadLetteredMessageRidesTheDeadLetterLink()
{
    AnimationTimeline timeline;
    setUpWithDeadLetters(timeline);
    timeline.applyFrame(withDepths(frame(0, 1, journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)})),
                                   {0, 0, 1, 0, 0, 0}), 10);
    timeline.advance(11);
    QCOMPARE(timeline.tokensScheduled(), 0);
    // Expired, then re-routed by q's dead-letter link into dlq: one burst that says so, and
    // the same message's token on the dashed link, marked as one that failed.
    timeline.applyFrame(withDepths(frame(1, 2, {dropped(1.5, 1, Q, DropReason::Expired),
                                                ev(AnimationEvent::Moved, 1.5, 1, Q, DLQ),
                                                ev(AnimationEvent::Enqueued, 1.5, 1, DLQ, 1)}),
                                   {0, 0, 0, 0, 0, 1}), 11.05);
    QCOMPARE(int(timeline.flashes().size()), 1);
    QVERIFY(timeline.flashes().front().deadLettered);
    QCOMPARE(timeline.tokensScheduled(), 1);
    const AnimationTimeline::Token token = timeline.tokens().front();
    QCOMPARE(token.link, int(DeadLetterLink));
    QCOMPARE(token.msg, std::uint64_t(1));
    QVERIFY(token.returned);
    timeline.advance(11.1 + Delay + 0.01); // shown a display delay after its place in the frame
    QCOMPARE(timeline.queueDepth(Q), 0);
    QCOMPARE(timeline.queueDepth(DLQ), 1);
    QCOMPARE(timeline.queueOf(1), int(DLQ));

    // A reject-publish overflow is not dead-lettered (only reject-publish-dlx is): gone.
    timeline.applyFrame(frame(2, 3, journey(2, 2.5, 2, {dropped(2.5, 2, Q, DropReason::Overflow)})), 11.1);
    QVERIFY(!timeline.flashes().back().deadLettered);
    QCOMPARE(timeline.queueOf(2), -1);
}

void TestAnimationTimeline::aRequeuedMessageComesBackMarked()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(frame(0, 1, journey(1, 0.5, 3)), 10);
    QCOMPARE(timeline.tokensScheduled(), 3);
    for (const AnimationTimeline::Token &k : timeline.tokens())
        QVERIFY(!k.returned);
    timeline.advance(11);
    // Returned by c (nack with requeue): back in q with no hop to it, then delivered again.
    timeline.applyFrame(frame(1, 2, {ev(AnimationEvent::Enqueued, 1.5, 1, Q, 1)}), 11.05);
    QCOMPARE(timeline.queueOf(1), int(Q));
    QVERIFY(timeline.flashes().empty()); // a requeue is not a drop
    timeline.applyFrame(frame(2, 3, {ev(AnimationEvent::Moved, 2.5, 1, Q, C)}), 11.1);
    QCOMPARE(timeline.tokensScheduled(), 1);
    QCOMPARE(timeline.tokens().front().link, 2);
    QVERIFY(timeline.tokens().front().returned);
}

void TestAnimationTimeline::flowModeBurstsTellTheReason()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.setMode(AnimationTimeline::Mode::Flow);
    AnimationFrame f = frame(0, 1, {});
    f.detailed = false;
    f.linkMessages = {0, 0, 0, 0};
    f.drops = {0, 0, 3, 0, 0};
    f.dropReasons = {0, 0, std::uint8_t(1u << unsigned(DropReason::Expired)), 0, 0};
    timeline.applyFrame(f, 10);
    QCOMPARE(int(timeline.flashes().size()), 1);
    QCOMPARE(timeline.flashes().front().reason, DropReason::Expired);
    QCOMPARE(timeline.flashes().front().count, 3);
    // Rejects in flow mode: at the queue's consumer, as nobody knows which one.
    f.dropReasons = {0, 0, std::uint8_t(1u << unsigned(DropReason::Rejected)), 0, 0};
    timeline.applyFrame(f, 11);
    QCOMPARE(timeline.flashes().back().reason, DropReason::Rejected);
    QCOMPARE(timeline.flashes().back().pos, QPointF(600, -NodeSize.height() / 2));
}

void TestAnimationTimeline::aFrameWithoutEventsShowsRatesAndItsOwnFigures()
{
    AnimationTimeline timeline;
    setUp(timeline);
    AnimationFrame f;
    f.simFrom = 0;
    f.simTo = 10;
    f.detailed = false;
    f.events = journey(1, 5, 2); // not the span's every event: never tokens
    f.linkMessages = {9000, 4500, 0, 0};
    f.queueDepth = {0, 0, 5, 0, 0};
    f.busyServers = {0, 0, 0, 1, 0};
    f.drops = {0, 0, 0, 0, 0};
    QCOMPARE(timeline.applyFrame(f, 10), 13500.0);
    QVERIFY(timeline.showingFlow());
    QVERIFY(timeline.takeModeChange());
    QCOMPARE(timeline.tokensScheduled(), 0);
    QCOMPARE(timeline.linkRate(0), 900.0); // per simulated time unit
    QCOMPARE(timeline.linkRate(1), 450.0);
    QCOMPARE(timeline.linkRate(2), 0.0);
    // The frame's own figures, at once.
    QCOMPARE(timeline.queueDepth(Q), 5);
    QCOMPARE(timeline.busyServers(C), 1);
}

void TestAnimationTimeline::autoSwitchesToFlowAboveTheUpperThresholdAndBackBelowTheLower()
{
    // Links too long to crowd: the switch is by the tokens expected in flight, which with a
    // frame every 1/30 s is 30 x moves per frame x Travel = 9 x moves per frame. Flow above
    // 2500 (278 a frame), tokens again only below 1000 (111 a frame).
    AnimationTimeline timeline;
    setUp(timeline, 1e6);
    QCOMPARE(timeline.mode(), AnimationTimeline::Mode::Auto);
    double wall = 10;
    auto feed = [&](std::uint32_t moves, int frames) {
        for (int i = 0; i < frames; ++i, wall += 1.0 / 30)
            timeline.applyFrame(traffic(moves, true), wall);
    };
    feed(250, 90); // 2250 expected: still tokens
    QVERIFY(!timeline.showingFlow());
    QVERIFY(!timeline.takeModeChange());
    feed(300, 90); // 2700
    QVERIFY(timeline.showingFlow());
    QVERIFY(timeline.takeModeChange());
    feed(150, 90); // 1350: below the upper threshold, above the lower one
    QVERIFY(timeline.showingFlow());
    QVERIFY(!timeline.takeModeChange());
    // Frames without events keep it in flow however quiet they are.
    for (int i = 0; i < 90; ++i, wall += 1.0 / 30)
        timeline.applyFrame(traffic(100, false), wall);
    QVERIFY(timeline.showingFlow());
    feed(100, 90); // 900
    QVERIFY(!timeline.showingFlow());
    QVERIFY(timeline.takeModeChange());

    // Forced modes stay whatever comes.
    timeline.setMode(AnimationTimeline::Mode::Tokens);
    feed(1000, 30);
    QVERIFY(!timeline.showingFlow());
    timeline.setMode(AnimationTimeline::Mode::Flow);
    QVERIFY(timeline.showingFlow());
    feed(0, 30);
    QVERIFY(timeline.showingFlow());
}

void TestAnimationTimeline::aStepShowsTokensEvenInFlow()
{
    AnimationTimeline timeline;
    setUp(timeline);
    timeline.applyFrame(traffic(9000, false), 10);
    QVERIFY(timeline.showingFlow());
    timeline.applyFrame(frame(1, 2, journey(1, 1.5, 1), true), 11);
    QVERIFY(!timeline.showingFlow());
    QCOMPARE(timeline.tokensScheduled(), 1);
    timeline.advance(11.01); // at once, not Delay later
    QCOMPARE(timeline.tokensInFlight(), 1);
    QVERIFY(qAbs(timeline.tokens().front().end - (11 + Travel)) < 1e-9);
}

void TestAnimationTimeline::clearForgetsEverything()
{
    AnimationTimeline timeline;
    setUp(timeline);
    std::vector<AnimationEvent> events = journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)});
    events.push_back(ev(AnimationEvent::Dropped, 0.5, 2, X));
    AnimationFrame f = frame(0, 1, events);
    f.linkMessages = {1, 1, 0, 0};
    timeline.applyFrame(f, 10);
    timeline.advance(11);
    QCOMPARE(timeline.queueDepth(Q), 1);
    QVERIFY(timeline.linkRate(0) > 0);
    timeline.applyFrame(traffic(9000, false), 11.1);
    QVERIFY(timeline.showingFlow());
    timeline.takeModeChange();

    timeline.clear();
    QVERIFY(!timeline.showingFlow());
    QVERIFY(timeline.takeModeChange());
    QCOMPARE(timeline.tokensScheduled(), 0);
    QCOMPARE(timeline.tokensInFlight(), 0);
    QCOMPARE(timeline.queueDepth(Q), 0);
    QCOMPARE(timeline.peakDepth(Q), 0);
    QCOMPARE(timeline.linkRate(0), 0.0);
    QVERIFY(timeline.flashes().empty());
    QVERIFY(!timeline.hasMotion());
    QCOMPARE(timeline.queueOf(1), -1);
    // The next frame is a first frame again: nothing to spread its events over.
    timeline.applyFrame(frame(0, 1, journey(1, 0.5, 1)), 100);
    QCOMPARE(timeline.tokensScheduled(), 1);
    QVERIFY(qAbs(timeline.tokens().front().end - (100 + Delay)) < 1e-9);
}

void TestAnimationTimeline::theFollowedMessageRestsWhereItsTokensArrive()
{
    AnimationTimeline timeline;
    setUp(timeline);
    FollowTracker follow;
    timeline.setFollowTracker(&follow);
    follow.follow(1, timeline, 9); // not seen yet
    QCOMPARE(follow.message(), quint64(1));
    QCOMPARE(follow.nodeAt(9.5), -1);

    // p -> x -> q at simulated 0.5, shown from 10.3 to 10.9; then q -> c at 1.5, a frame
    // later: on that link from 11.15 to 11.45; delivered at 3.5, shown at 11.95.
    std::vector<AnimationEvent> first = journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)});
    first.push_back(ev(AnimationEvent::Published, 0.5, 2, P)); // someone else
    first.push_back(ev(AnimationEvent::Moved, 0.5, 2, P, X));
    timeline.applyFrame(frame(0, 1, first), 10);
    QCOMPARE(follow.nodeAt(10.2), -1);  // not shown yet
    QCOMPARE(follow.nodeAt(10.35), -1); // on the first link
    QCOMPARE(follow.nodeAt(10.95), Q);
    QVERIFY(follow.movesAfter(10.8));
    timeline.applyFrame(frame(1, 2, {ev(AnimationEvent::Moved, 1.5, 1, Q, C),
                                     ev(AnimationEvent::ServiceStarted, 1.5, 1, C, 1)}), 10.5);
    timeline.applyFrame(frame(3, 4, {ev(AnimationEvent::ServiceEnded, 3.5, 1, C, 0),
                                     ev(AnimationEvent::Delivered, 3.5, 1, -1)}), 11.0);
    QVERIFY(follow.movesAfter(11.9));
    QVERIFY(!follow.movesAfter(11.96));
    QCOMPARE(follow.nodeAt(10.95), Q); // waiting in the queue
    QCOMPARE(follow.nodeAt(11.1), Q);
    QCOMPARE(follow.nodeAt(11.3), -1);  // on its way to the consumer
    QCOMPARE(follow.nodeAt(11.5), C);  // in service
    QCOMPARE(follow.nodeAt(11.94), C);
    QCOMPARE(follow.nodeAt(11.96), -1); // delivered: gone
    // advance() says when the node it is shown at changes, once.
    QVERIFY(follow.advance(11.0));
    QVERIFY(!follow.advance(11.1));
    QVERIFY(follow.advance(11.3));

    follow.clear();
    QCOMPARE(follow.message(), quint64(0));
    QCOMPARE(follow.nodeAt(11.5), -1);
    QVERIFY(!follow.movesAfter(0));
}

void TestAnimationTimeline::followingAMessageOnItsWayStartsFromWhatIsScheduled()
{
    AnimationTimeline timeline;
    setUp(timeline);
    FollowTracker follow;
    timeline.setFollowTracker(&follow);
    std::vector<AnimationEvent> events = journey(1, 0.5, 2, {ev(AnimationEvent::Enqueued, 0.5, 1, Q, 1)});
    timeline.applyFrame(frame(0, 1, events), 10);
    // Picked while its tokens are scheduled: it rests where the last one arrives.
    follow.follow(1, timeline, 10.4);
    QCOMPARE(follow.nodeAt(10.5), -1); // before its first token arrives
    QCOMPARE(follow.nodeAt(10.95), Q); // where its last one arrives
    // Picked once it waits in the queue, with no token left: there, from now on.
    timeline.advance(11);
    QCOMPARE(timeline.queueOf(1), Q);
    follow.follow(0, timeline, 11);
    follow.follow(1, timeline, 11);
    QCOMPARE(follow.nodeAt(10.99), -1);
    QCOMPARE(follow.nodeAt(11), Q);
    // A message the timeline does not know: nowhere.
    follow.follow(99, timeline, 11);
    QCOMPARE(follow.nodeAt(12), -1);
    QVERIFY(!follow.movesAfter(11));
}

QTEST_GUILESS_MAIN(TestAnimationTimeline)
#include "tst_animationtimeline.moc"
