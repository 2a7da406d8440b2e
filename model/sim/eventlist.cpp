#include "sim/eventlist.h"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace ql {

double EventList::peekTime() const
{
    return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.front().time;
}

void EventList::clear()
{
    heap_.clear();
    cancelled_.clear();
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
