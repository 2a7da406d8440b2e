// The message the user follows through a run: where it is shown, as the animation timeline
// schedules its hops. It keeps the message's stops, each a display (wall) time and the node
// it rests at from then on (-1 while it travels a link or after it left the system), so the
// overlay can ring its token and badge the node it waits or is served at.
#pragma once

#include "animationframe.h"

#include <QtGlobal>

#include <utility>
#include <vector>

namespace ql {

class AnimationTimeline;

class FollowTracker
{
public:
    // Follows `msg` (0: none) from wall time `wall`, starting from what the timeline already
    // has of it: the ends of its tokens on their way, else the queue it waits in.
    void follow(quint64 msg, const AnimationTimeline &timeline, double wall);
    void clear();
    quint64 message() const { return msg_; }

    // The node where the message is shown resting at `wall`, -1 when it travels, left the
    // system, is not known yet or none is followed.
    int nodeAt(double wall) const;
    // A stop is still to come after `wall`: the display must keep moving.
    bool movesAfter(double wall) const;
    // To wall time `wall`; true when the node it is shown at changed since the last call.
    bool advance(double wall);

    // One event of the followed message as the timeline schedules it: its hop (if it is
    // one) leaves at `start` and arrives at `arrive`; the instant it belongs to shows at
    // `shown`; `wall` is now.
    void note(const AnimationEvent &e, double start, double arrive, double shown, double wall);

private:
    void push(double at, int node);

    quint64 msg_ = 0;
    std::vector<std::pair<double, int>> stops_; // (display time, node or -1), in time order
    int shownNode_ = -1;
};

} // namespace ql
