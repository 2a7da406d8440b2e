// What the canvas is told about a run between two frames, collected from a SimObserver's
// calls: the events themselves while they are few enough to draw as tokens, and always the
// messages per link and the drops per node (what flow rendering draws). Above ~40000
// observer calls a wall second it stops buffering events, and starts again below ~15000,
// so a fast run costs a counter per call rather than a growing list.
//
// The simulation's worker (SimWorker) and a live run (LiveJob) both feed one, so both reach
// the AnimationOverlay by the same path. A FrameBuilder is not thread-safe; a live run's
// observer calls come from several threads at once and go through SharedFrameBuilder.
#pragma once

#include "animationoverlay.h"
#include "scenario/scenario.h"
#include "sim/simobserver.h"

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace ql {

class FrameBuilder : public SimObserver
{
public:
    // Sizes the per-link and per-node counts for `scenario` and forgets the frame so far.
    void setScenario(const Scenario &scenario);
    // Forgets the frame being collected; events are buffered again.
    void reset();
    // The next frame buffers its events whatever the rate (a Step: one event is never too
    // many).
    void bufferNext();
    // Moves what was collected into `frame`: events (only when `animate` and the whole
    // frame was buffered: frame.detailed), messages per link, drops per node. `wallSeconds`
    // since the previous take sets whether the next frame buffers events.
    void take(AnimationFrame &frame, double wallSeconds, bool animate);

    void published(double t, std::uint64_t msg, int producer) override;
    void moved(double t, std::uint64_t msg, int from, int to) override;
    void enqueued(double t, std::uint64_t msg, int queue, int depth) override;
    void dropped(double t, std::uint64_t msg, int node, DropReason reason) override;
    void serviceStarted(double t, std::uint64_t msg, int consumer, int busy) override;
    void serviceEnded(double t, std::uint64_t msg, int consumer, int busy) override;
    void delivered(double t, std::uint64_t msg, double latency) override;

    static constexpr std::size_t MaxEventsPerFrame = 8192;

private:
    void record(const AnimationEvent &event)
    {
        ++callbacks_;
        if (!buffering_)
            return;
        if (events_.size() < MaxEventsPerFrame)
            events_.push_back(event);
        else
            overflowed_ = true;
    }

    bool buffering_ = true;      // observer events go into events_ (rate low enough)
    bool frameBuffering_ = true; // buffering was on for the whole frame
    bool overflowed_ = false;
    std::uint64_t callbacks_ = 0;
    double rateWall_ = 0;        // wall seconds the callbacks were counted over
    std::vector<AnimationEvent> events_;
    std::vector<std::uint32_t> linkCounts_;
    std::vector<std::uint32_t> drops_;
    std::vector<std::uint8_t> dropReasons_;
    std::vector<std::vector<std::pair<int, int>>> outgoing_; // node -> (target, link index)
};

// A FrameBuilder behind a lock, for observers called from several threads at once.
class SharedFrameBuilder : public SimObserver
{
public:
    void setScenario(const Scenario &scenario);
    void take(AnimationFrame &frame, double wallSeconds, bool animate);

    void published(double t, std::uint64_t msg, int producer) override;
    void moved(double t, std::uint64_t msg, int from, int to) override;
    void enqueued(double t, std::uint64_t msg, int queue, int depth) override;
    void dropped(double t, std::uint64_t msg, int node, DropReason reason) override;
    void serviceStarted(double t, std::uint64_t msg, int consumer, int busy) override;
    void serviceEnded(double t, std::uint64_t msg, int consumer, int busy) override;
    void delivered(double t, std::uint64_t msg, double latency) override;

private:
    std::mutex m_;
    FrameBuilder builder_;
};

} // namespace ql
