#include "followtracker.h"

#include "animationtimeline.h"

#include <algorithm>

namespace ql {

void FollowTracker::follow(quint64 msg, const AnimationTimeline &timeline, double wall)
{
    msg_ = msg;
    stops_.clear();
    shownNode_ = -1;
    if (!msg)
        return;
    // Where it is heading now: the ends of its tokens on their way, else the queue it waits
    // in, as far as the animation knows.
    for (const AnimationTimeline::Token &k : timeline.tokens())
        if (k.msg == msg)
            stops_.push_back({k.end, timeline.links()[std::size_t(k.link)].to});
    std::sort(stops_.begin(), stops_.end());
    const int queue = timeline.queueOf(msg);
    if (stops_.empty() && queue >= 0)
        stops_.push_back({wall, queue});
}

void FollowTracker::clear()
{
    msg_ = 0;
    stops_.clear();
    shownNode_ = -1;
}

int FollowTracker::nodeAt(double wall) const
{
    if (!msg_)
        return -1;
    for (auto it = stops_.rbegin(); it != stops_.rend(); ++it)
        if (it->first <= wall)
            return it->second;
    return -1;
}

bool FollowTracker::movesAfter(double wall) const
{
    return msg_ && !stops_.empty() && stops_.back().first > wall;
}

bool FollowTracker::advance(double wall)
{
    if (!msg_)
        return false;
    const int node = nodeAt(wall);
    if (node == shownNode_)
        return false;
    shownNode_ = node;
    return true;
}

void FollowTracker::push(double at, int node)
{
    if (!stops_.empty() && stops_.back().first > at)
        at = stops_.back().first; // never back in time
    stops_.push_back({at, node});
}

void FollowTracker::note(const AnimationEvent &e, double start, double arrive, double shown, double wall)
{
    // Only the last stop already shown is needed to know the past: keep the list short.
    while (stops_.size() > 1 && stops_[1].first <= wall)
        stops_.erase(stops_.begin());
    switch (e.kind) {
    case AnimationEvent::Published:
        push(start, e.from);
        break;
    case AnimationEvent::Moved:
        push(start, -1); // on the link: its token carries the ring
        push(arrive, e.to);
        break;
    case AnimationEvent::Dropped:
    case AnimationEvent::Delivered:
        push(shown, -1);
        break;
    default:
        break;
    }
}

} // namespace ql
