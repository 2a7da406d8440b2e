// What a run tells the animation: the observer's events, buffered by the run controller's
// worker, and the frames it sends them in (a queued signal, hence the metatype). Plain values
// with no drawing in them, so the worker, the narrator and the animation timeline share them.
#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace ql {

// One observer event, as the run controller's worker buffers it for the overlay.
struct AnimationEvent
{
    enum Kind : std::uint8_t {
        Published, Moved, Enqueued, Dropped, ServiceStarted, ServiceEnded, Delivered
    };
    Kind kind = Moved;
    std::uint8_t reason = 0;  // a DropReason, for Dropped
    std::int32_t from = -1;   // the node (Moved: the link's source)
    std::int32_t to = -1;     // Moved: the link's target; Enqueued: depth; Service*: busy
    double t = 0;             // simulated time
    std::uint64_t msg = 0;    // message serial
};

// What the overlay needs from one slice of a run; the worker sends at most ~30 a second.
struct AnimationFrame
{
    quint64 runId = 0;
    double simFrom = 0;       // the simulated time span this frame covers
    double simTo = 0;
    bool detailed = false;    // `events` holds every event of the span: tokens can be shown
    bool step = false;        // one Step: show it at once rather than a moment later
    std::vector<AnimationEvent> events;
    std::vector<int> queueDepth;   // per node, at simTo (ready messages; 0 for non-queues)
    std::vector<int> busyServers;  // per node, at simTo (0 for non-consumers)
    std::vector<std::uint32_t> linkMessages; // per Scenario::links entry: messages in the span
    std::vector<std::uint32_t> drops;        // per node: messages dropped in the span
    std::vector<std::uint8_t> dropReasons;   // per node: bit 1 << DropReason of each drop seen
};

} // namespace ql

Q_DECLARE_METATYPE(ql::AnimationFrame)
