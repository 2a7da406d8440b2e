// Animation benchmark: how smooth the run view stays when it is busiest.
//
//  1. Frames per second of the canvas with the run overlay while 5,000 messages are in
//     flight, in token mode and in flow mode: the editor's real scene (TopologyScene of a
//     22-node fanout topology) with the overlay on top, rendered into a 1600 x 1000 QImage
//     again and again, the overlay fed ~30 frames a second as the run controller feeds it;
//     and the overlay alone, to tell its cost from the editor's.
//  2. The longest gap of the GUI event loop while the engine runs flat out with animation
//     on: a main window with canvas, overlay and the five charts, fed by the RunController,
//     a 10 ms timer recording the gaps between its ticks.
//
// Prints figures, no pass/fail (targets: >= 30 fps with 5,000 in flight; gaps <= 50 ms).
// Usage: bench_animation [SECONDS per measurement, default 3]. Runs on the offscreen
// platform unless QT_QPA_PLATFORM says otherwise.
#include "animationoverlay.h"
#include "chartspanel.h"
#include "runcontroller.h"
#include "scenariodocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsScene>
#include <QImage>
#include <QMainWindow>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace ql;

namespace {

constexpr int Producers = 4;
constexpr int Queues = 8;

// 4 producers -> fanout exchange -> 8 queues -> 8 consumers -> sink: 22 nodes, 28 links.
Scenario topology()
{
    Scenario s;
    s.name = "bench";
    s.run.duration = 1e9; // the full-speed run is stopped by the clock, not by its end
    s.run.warmup = 0;
    s.run.replications = 1;
    Node x;
    x.id = "broadcast";
    x.kind = NodeKind::Exchange;
    x.exchangeType = ExchangeType::Fanout;
    s.nodes.push_back(x);
    s.layout[x.id] = {200, 350};
    for (int p = 0; p < Producers; ++p) {
        Node n;
        n.id = "producer-" + std::to_string(p + 1);
        n.kind = NodeKind::Producer;
        n.interarrival = Distribution::exponential(4.0 * Producers); // each queue at load 0.5
        s.nodes.push_back(n);
        s.layout[n.id] = {0, 200.0 * p + 50};
        s.links.push_back(Link{n.id, x.id, {}, HeadersMatch::All, {}, std::nullopt});
    }
    Node sink;
    sink.id = "done";
    sink.kind = NodeKind::Sink;
    s.nodes.push_back(sink);
    s.layout[sink.id] = {800, 350};
    for (int q = 0; q < Queues; ++q) {
        Node queue;
        queue.id = "queue-" + std::to_string(q + 1);
        queue.kind = NodeKind::Queue;
        Node consumer;
        consumer.id = "worker-" + std::to_string(q + 1);
        consumer.kind = NodeKind::Consumer;
        consumer.service = Distribution::exponential(2.0);
        consumer.servers = 1 + q % 3;
        s.nodes.push_back(queue);
        s.nodes.push_back(consumer);
        s.layout[queue.id] = {400, 100.0 * q};
        s.layout[consumer.id] = {600, 100.0 * q};
        s.links.push_back(Link{x.id, queue.id, {}, HeadersMatch::All, {}, std::nullopt});
        s.links.push_back(Link{queue.id, consumer.id, {}, HeadersMatch::All, {}, std::nullopt});
        s.links.push_back(Link{consumer.id, sink.id, {}, HeadersMatch::All, {}, std::nullopt});
    }
    return s;
}

std::string loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return "?";
    return f.readAll().split(' ').mid(0, 3).join(' ').toStdString();
}

struct FpsResult
{
    double fps = 0;
    double meanInFlight = 0;
    int minInFlight = 0;
    double meanFrameMs = 0;
    double medianFrameMs = 0; // robust against other processes on a shared machine
    double worstFrameMs = 0;
};

// Renders the scene over and over while feeding the overlay synthetic frames that keep
// about `target` tokens in flight (moves spread over all links, as a busy run produces them).
FpsResult measureFps(QGraphicsScene &scene, const QRectF &area, AnimationOverlay &overlay, const Scenario &s,
                     int target, double seconds)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> anyLink(0, s.links.size() - 1);
    std::vector<std::pair<int, int>> links;
    for (const Link &l : s.links)
        links.push_back({s.nodeIndex(l.from), s.nodeIndex(l.to)});

    QImage image(1600, 1000, QImage::Format_ARGB32_Premultiplied);
    const std::size_t nodes = s.nodes.size();
    // Each move is one token for one travel time: this rate keeps `target` in flight.
    const double movesPerSecond = target / overlay.tokenTravelTime();
    std::uint64_t serial = 1;
    double simTime = 0;

    QElapsedTimer clock;
    clock.start();
    qint64 lastFeed = 0;
    FpsResult r;
    int frames = 0;
    double inFlightSum = 0;
    r.minInFlight = 1 << 30;
    double renderSum = 0;
    std::vector<double> renderMs;
    // Warm up until the pipeline is full (tokens show after the overlay's display delay).
    const double warmup = overlay.displayDelay() + overlay.tokenTravelTime() + 1.0;
    while (true) {
        const double t = clock.nsecsElapsed() * 1e-9;
        if (t > warmup + seconds)
            break;
        // Feed a frame every ~33 ms, as the worker does.
        if (clock.elapsed() - lastFeed >= 33) {
            const double dt = (clock.elapsed() - lastFeed) / 1000.0;
            lastFeed = clock.elapsed();
            AnimationFrame f;
            f.simFrom = simTime;
            simTime += dt;
            f.simTo = simTime;
            f.detailed = true;
            f.queueDepth.assign(nodes, 3);
            f.busyServers.assign(nodes, 1);
            f.linkMessages.assign(s.links.size(), 0);
            f.drops.assign(nodes, 0);
            const int moves = int(movesPerSecond * dt);
            f.events.reserve(std::size_t(moves) * 2);
            for (int i = 0; i < moves; ++i) {
                const std::size_t l = anyLink(rng);
                const double at = f.simFrom + (f.simTo - f.simFrom) * i / std::max(1, moves);
                AnimationEvent e;
                e.kind = AnimationEvent::Moved;
                e.t = at;
                e.msg = serial;
                e.from = links[l].first;
                e.to = links[l].second;
                f.events.push_back(e);
                e.kind = AnimationEvent::Delivered;
                f.events.push_back(e);
                ++serial;
                ++f.linkMessages[l];
            }
            overlay.applyFrame(f);
        }
        overlay.tick();
        QElapsedTimer frameClock;
        frameClock.start();
        {
            QPainter painter(&image);
            painter.fillRect(image.rect(), Qt::white);
            painter.setRenderHint(QPainter::Antialiasing);
            scene.render(&painter, QRectF(image.rect()), area);
        }
        const double ms = frameClock.nsecsElapsed() * 1e-6;
        QCoreApplication::processEvents();
        if (t < warmup)
            continue;
        ++frames;
        renderSum += ms;
        renderMs.push_back(ms);
        r.worstFrameMs = std::max(r.worstFrameMs, ms);
        const int inFlight = overlay.showingFlow() ? int(movesPerSecond * overlay.tokenTravelTime())
                                                   : overlay.tokensInFlight();
        inFlightSum += inFlight;
        r.minInFlight = std::min(r.minInFlight, inFlight);
    }
    r.fps = frames / seconds;
    r.meanInFlight = frames ? inFlightSum / frames : 0;
    r.meanFrameMs = frames ? renderSum / frames : 0;
    if (!renderMs.empty()) {
        std::nth_element(renderMs.begin(), renderMs.begin() + renderMs.size() / 2, renderMs.end());
        r.medianFrameMs = renderMs[renderMs.size() / 2];
    }
    return r;
}

struct GapResult
{
    qint64 longestMs = 0;
    double p99Ms = 0;
    int ticks = 0;
    int frames = 0;
    double simulated = 0;
    bool flow = false;
};

GapResult measureGaps(const Scenario &s, bool animate, double seconds)
{
    QMainWindow window;
    ScenarioDocument document;
    document.reset(s);
    auto *view = new TopologyView(&document);
    window.setCentralWidget(view);
    auto *overlay = new AnimationOverlay;
    view->topologyScene()->addItem(overlay);
    overlay->setScenario(s);
    ChartsPanel charts;
    charts.createDocks(&window);
    charts.setScenario(s);
    window.resize(1600, 1000);
    window.show();

    RunController controller;
    controller.setScenario(s);
    controller.setSpeed(0);
    controller.setAnimationEnabled(animate);
    QObject::connect(&controller, &RunController::frameReady, overlay, &AnimationOverlay::applyFrame);
    QObject::connect(&controller, &RunController::snapshotReady, &charts, &ChartsPanel::addSnapshot);
    GapResult r;
    QObject::connect(&controller, &RunController::frameReady, [&r] { ++r.frames; });

    std::vector<qint64> gaps;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer probe;
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        gaps.push_back(now - last);
        last = now;
    });
    controller.run();
    clock.start();
    probe.start();
    while (clock.elapsed() < qint64(seconds * 1000))
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    probe.stop();
    r.simulated = controller.simTime();
    r.flow = overlay->showingFlow();
    controller.reset();
    std::sort(gaps.begin(), gaps.end());
    r.ticks = int(gaps.size());
    if (!gaps.empty()) {
        r.longestMs = gaps.back();
        r.p99Ms = double(gaps[std::size_t(0.99 * double(gaps.size() - 1))]);
    }
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Q_INIT_RESOURCE(resources); // icons of the editor's items live in queuelab_app
    const double seconds = argc > 1 ? std::max(0.5, std::atof(argv[1])) : 3.0;
    const Scenario s = topology();

    ScenarioDocument document;
    document.reset(s);
    TopologyScene editorScene(&document);
    auto *overlay = new AnimationOverlay;
    editorScene.addItem(overlay);
    overlay->setScenario(s);
    const QRectF area = editorScene.itemsBoundingRect().adjusted(-20, -20, 20, 20);
    // The overlay by itself, to tell its cost from the editor's items and grid.
    QGraphicsScene bareScene;
    auto *bareOverlay = new AnimationOverlay;
    bareScene.addItem(bareOverlay);
    bareOverlay->setScenario(s);

    std::printf("scene: %d nodes, %d links, %d graphics items; image 1600 x 1000; load average %s\n",
                int(s.nodes.size()), int(s.links.size()), int(editorScene.items().size()), loadAverage().c_str());
    struct Case
    {
        const char *name;
        QGraphicsScene *scene;
        AnimationOverlay *overlay;
    };
    for (const Case &c : {Case{"editor+overlay", &editorScene, overlay}, Case{"overlay-only", &bareScene, bareOverlay}}) {
        for (const auto mode : {AnimationOverlay::Mode::Tokens, AnimationOverlay::Mode::Flow}) {
            c.overlay->clear();
            c.overlay->setMode(mode);
            const FpsResult r = measureFps(*c.scene, area, *c.overlay, s, 5000, seconds);
            std::printf("case=%s mode=%s in_flight=%.0f (min %d) fps=%.1f render_ms_mean=%.2f "
                        "render_ms_median=%.2f (%.0f fps) render_ms_worst=%.2f\n",
                        c.name, mode == AnimationOverlay::Mode::Tokens ? "tokens" : "flow", r.meanInFlight,
                        r.minInFlight, r.fps, r.meanFrameMs, r.medianFrameMs,
                        r.medianFrameMs > 0 ? 1000.0 / r.medianFrameMs : 0.0, r.worstFrameMs);
        }
        c.overlay->clear();
        c.overlay->setMode(AnimationOverlay::Mode::Auto);
    }
    const FpsResult idle = measureFps(editorScene, area, *overlay, s, 0, std::min(seconds, 1.0));
    std::printf("case=editor-only fps=%.1f render_ms_mean=%.2f render_ms_median=%.2f (the editor's scene, overlay idle)\n",
                idle.fps, idle.meanFrameMs, idle.medianFrameMs);

    for (const bool animate : {true, false}) {
        const GapResult g = measureGaps(s, animate, seconds);
        std::printf("case=full-speed-run animation=%s longest_gap_ms=%lld p99_gap_ms=%.0f ticks=%d frames=%d "
                    "simulated=%.0f overlay=%s\n",
                    animate ? "on" : "off", g.longestMs, g.p99Ms, g.ticks, g.frames, g.simulated,
                    g.flow ? "flow" : "tokens");
    }
    std::printf("(targets: >= 30 fps with 5,000 in flight; event-loop gaps <= 50 ms. %d cores, load average %s)\n",
                QThread::idealThreadCount(), loadAverage().c_str());
    return 0;
}
