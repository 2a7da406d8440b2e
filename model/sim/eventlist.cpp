#include "sim/eventlist.h"

#include <cstdio>
#include <cstdlib>

namespace ql {

void EventList::clear()
{
    heap_.clear();
    slots_.clear();
    freeSlot_ = kNoSlot;
    stale_ = 0;
    armed_ = 0;
    nextSequence_ = 1;
    now_ = 0;
}

void EventList::pastEvent(double time) const
{
    // Our mistake, not the user's: an event in the past would break causality.
    std::fprintf(stderr, "QueueLab internal error: event scheduled at t=%.17g before now=%.17g\n",
                 time, now_);
    std::abort();
}

} // namespace ql
