#include "framebuilder.h"

#include <algorithm>

namespace ql {

namespace {

// Observer calls per wall second above which events are no longer buffered (flow
// rendering takes over), and below which buffering resumes.
constexpr double StopBufferingRate = 40000;
constexpr double ResumeBufferingRate = 15000;
constexpr double MinRateWall = 0.02; // seconds of wall time a rate is judged over

} // namespace

void FrameBuilder::setScenario(const Scenario &scenario)
{
    outgoing_.assign(scenario.nodes.size(), {});
    for (std::size_t i = 0; i < scenario.links.size(); ++i) {
        const int from = scenario.nodeIndex(scenario.links[i].from);
        const int to = scenario.nodeIndex(scenario.links[i].to);
        if (from >= 0 && to >= 0)
            outgoing_[std::size_t(from)].push_back({to, int(i)});
    }
    linkCounts_.assign(scenario.links.size(), 0);
    drops_.assign(scenario.nodes.size(), 0);
    dropReasons_.assign(scenario.nodes.size(), 0);
    reset();
}

void FrameBuilder::reset()
{
    events_.clear();
    std::fill(linkCounts_.begin(), linkCounts_.end(), 0);
    std::fill(drops_.begin(), drops_.end(), 0);
    std::fill(dropReasons_.begin(), dropReasons_.end(), 0);
    callbacks_ = 0;
    rateWall_ = 0;
    overflowed_ = false;
    buffering_ = frameBuffering_ = true;
}

void FrameBuilder::bufferNext()
{
    buffering_ = frameBuffering_ = true;
    overflowed_ = false;
}

void FrameBuilder::take(AnimationFrame &frame, double wallSeconds, bool animate)
{
    frame.detailed = animate && frameBuffering_ && !overflowed_;
    frame.events.swap(events_);
    frame.linkMessages = linkCounts_;
    frame.drops = drops_;
    frame.dropReasons = dropReasons_;

    // Decide for the next frame whether events are worth buffering, from the rate over at
    // least 20 ms of wall time: two frames a moment apart (timers that fire late, then
    // twice) would otherwise make a slow stream look fast.
    rateWall_ += std::max(0.0, wallSeconds);
    if (overflowed_ || rateWall_ >= MinRateWall) {
        const double rate = double(callbacks_) / std::max(MinRateWall, rateWall_);
        if (buffering_ && (overflowed_ || rate > StopBufferingRate))
            buffering_ = false;
        else if (!buffering_ && rate < ResumeBufferingRate)
            buffering_ = true;
        callbacks_ = 0;
        rateWall_ = 0;
    }
    frameBuffering_ = buffering_;
    overflowed_ = false;
    std::fill(linkCounts_.begin(), linkCounts_.end(), 0);
    std::fill(drops_.begin(), drops_.end(), 0);
    std::fill(dropReasons_.begin(), dropReasons_.end(), 0);
    events_.clear();
    events_.reserve(std::min<std::size_t>(MaxEventsPerFrame, frame.events.size() + 64));
}

void FrameBuilder::published(double t, std::uint64_t msg, int producer)
{
    record(AnimationEvent{AnimationEvent::Published, 0, producer, -1, t, msg});
}

void FrameBuilder::moved(double t, std::uint64_t msg, int from, int to)
{
    for (const auto &[target, link] : outgoing_[std::size_t(from)]) {
        if (target == to) {
            ++linkCounts_[std::size_t(link)];
            break;
        }
    }
    record(AnimationEvent{AnimationEvent::Moved, 0, from, to, t, msg});
}

void FrameBuilder::enqueued(double t, std::uint64_t msg, int queue, int depth)
{
    record(AnimationEvent{AnimationEvent::Enqueued, 0, queue, depth, t, msg});
}

void FrameBuilder::serviceStarted(double t, std::uint64_t msg, int consumer, int busy)
{
    record(AnimationEvent{AnimationEvent::ServiceStarted, 0, consumer, busy, t, msg});
}

void FrameBuilder::serviceEnded(double t, std::uint64_t msg, int consumer, int busy)
{
    record(AnimationEvent{AnimationEvent::ServiceEnded, 0, consumer, busy, t, msg});
}

void FrameBuilder::dropped(double t, std::uint64_t msg, int node, DropReason reason)
{
    ++drops_[std::size_t(node)];
    dropReasons_[std::size_t(node)] |= std::uint8_t(1u << unsigned(reason));
    record(AnimationEvent{AnimationEvent::Dropped, std::uint8_t(reason), node, -1, t, msg});
}

void FrameBuilder::delivered(double t, std::uint64_t msg, double)
{
    record(AnimationEvent{AnimationEvent::Delivered, 0, -1, -1, t, msg});
}

// --- SharedFrameBuilder ----------------------------------------------------------------

void SharedFrameBuilder::setScenario(const Scenario &scenario)
{
    std::lock_guard lock(m_);
    builder_.setScenario(scenario);
}

void SharedFrameBuilder::take(AnimationFrame &frame, double wallSeconds, bool animate)
{
    std::lock_guard lock(m_);
    builder_.take(frame, wallSeconds, animate);
}

void SharedFrameBuilder::published(double t, std::uint64_t msg, int producer)
{
    std::lock_guard lock(m_);
    builder_.published(t, msg, producer);
}

void SharedFrameBuilder::moved(double t, std::uint64_t msg, int from, int to)
{
    std::lock_guard lock(m_);
    builder_.moved(t, msg, from, to);
}

void SharedFrameBuilder::enqueued(double t, std::uint64_t msg, int queue, int depth)
{
    std::lock_guard lock(m_);
    builder_.enqueued(t, msg, queue, depth);
}

void SharedFrameBuilder::dropped(double t, std::uint64_t msg, int node, DropReason reason)
{
    std::lock_guard lock(m_);
    builder_.dropped(t, msg, node, reason);
}

void SharedFrameBuilder::serviceStarted(double t, std::uint64_t msg, int consumer, int busy)
{
    std::lock_guard lock(m_);
    builder_.serviceStarted(t, msg, consumer, busy);
}

void SharedFrameBuilder::serviceEnded(double t, std::uint64_t msg, int consumer, int busy)
{
    std::lock_guard lock(m_);
    builder_.serviceEnded(t, msg, consumer, busy);
}

void SharedFrameBuilder::delivered(double t, std::uint64_t msg, double latency)
{
    std::lock_guard lock(m_);
    builder_.delivered(t, msg, latency);
}

} // namespace ql
