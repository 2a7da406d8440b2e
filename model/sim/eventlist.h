// The future event list: a 4-ary min-heap of small fixed-size events ordered by
// (time, insertion sequence), so events at the same instant run in the order they were
// scheduled and every run is deterministic. Events are plain 24-byte values: pushing and
// popping never allocates once the heap has grown to the number of pending events.
// Cancellation is lazy (as in ns-3): a cancelled event stays in the heap, flagged, and is
// skipped when it comes up.
#pragma once

#include <cstdint>
#include <limits>
#include <unordered_set>
#include <vector>

namespace ql {

struct Event
{
    double time;
    std::uint64_t key;   // (sequence << 8) | kind: orders ties by insertion
    std::uint32_t target;
    std::uint32_t data;

    std::uint8_t kind() const { return std::uint8_t(key & 0xff); }
    std::uint64_t sequence() const { return key >> 8; }
};

class EventList
{
public:
    using EventId = std::uint64_t;

    // Schedules an event; `time` must not lie before the last popped event's time.
    [[gnu::always_inline]] EventId push(double time, std::uint8_t kind, std::uint32_t target, std::uint32_t data)
    {
        if (time < now_) [[unlikely]]
            pastEvent(time);
        const EventId id = nextSequence_++;
        heap_.push_back(Event{time, (id << 8) | kind, target, data});
        siftUp(heap_.size() - 1);
        return id;
    }

    // Removes and returns the earliest live event into `out`, advancing now(). Returns false
    // when no event is left.
    [[gnu::always_inline]] bool pop(Event &out)
    {
        while (!heap_.empty()) {
            out = heap_.front();
            removeTop();
            if (!cancelled_.empty() && cancelled_.erase(out.sequence()))
                continue;
            now_ = out.time;
            return true;
        }
        return false;
    }

    // Time of the earliest pending event (cancelled ones included); +inf when empty.
    double peekTime() const
    {
        return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.front().time;
    }

    void cancel(EventId id) { cancelled_.insert(id); }
    double now() const { return now_; }
    void setNow(double t) { now_ = t; }
    std::size_t size() const { return heap_.size() - cancelled_.size(); }
    bool empty() const { return size() == 0; }
    void reserve(std::size_t n) { heap_.reserve(n); }
    void clear();

private:
    static bool before(const Event &a, const Event &b)
    {
        return a.time < b.time || (a.time == b.time && a.key < b.key);
    }
    void siftUp(std::size_t i)
    {
        const Event e = heap_[i];
        while (i > 0) {
            const std::size_t parent = (i - 1) / 4;
            if (!before(e, heap_[parent]))
                break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
    }
    void removeTop()
    {
        const Event last = heap_.back();
        heap_.pop_back();
        const std::size_t n = heap_.size();
        if (n == 0)
            return;
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= n)
                break;
            std::size_t best = first;
            const std::size_t end = first + 4 < n ? first + 4 : n;
            for (std::size_t c = first + 1; c < end; ++c)
                if (before(heap_[c], heap_[best]))
                    best = c;
            if (!before(heap_[best], last))
                break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = last;
    }
    [[noreturn]] void pastEvent(double time) const;

    std::vector<Event> heap_;
    std::unordered_set<EventId> cancelled_;
    EventId nextSequence_ = 1;
    double now_ = 0;
};

} // namespace ql
