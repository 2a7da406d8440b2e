// The future event list: a 4-ary min-heap of small fixed-size events ordered by
// (time, insertion sequence), so events at the same instant run in the order they were
// scheduled and every run is deterministic. Events are plain 24-byte values: pushing and
// popping never allocates once the heap has grown to the number of pending events.
//
// Timers are events that can be cancelled (a message's TTL, a retry delay, a rebalance).
// Each armed timer holds a slot from a free list; its event carries the slot, and the
// slot remembers the sequence of the one event that may fire it. Cancelling disarms the
// slot and frees it at once, so the stale event (still in the heap, as in ns-3's lazy
// cancellation) no longer matches and is skipped when it comes up. No allocation per
// timer once the slots have grown, and size() counts exactly the events that will run.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace ql {

struct Event
{
    double time;
    std::uint64_t key;   // (sequence << 8) | kind: orders ties by insertion
    std::uint32_t target;
    std::uint32_t data;

    std::uint8_t kind() const { return std::uint8_t(key & 0x7f); }
    std::uint64_t sequence() const { return key >> 8; }
    bool isTimer() const { return (key & 0x80) != 0; }
};

// A timer that can still be cancelled: its slot and the sequence of its event.
struct TimerId
{
    std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
    std::uint64_t sequence = 0;
    bool valid() const { return sequence != 0; }
};

class EventList
{
public:
    using EventId = std::uint64_t;

    // Schedules an event; `time` must not lie before the last popped event's time. `kind`
    // is 7 bits (0..127).
    [[gnu::always_inline]] EventId push(double time, std::uint8_t kind, std::uint32_t target, std::uint32_t data)
    {
        if (time < now_) [[unlikely]]
            pastEvent(time);
        const EventId id = nextSequence_++;
        heap_.push_back(Event{time, (id << 8) | kind, target, data});
        siftUp(heap_.size() - 1);
        return id;
    }

    // Schedules a cancellable event; it pops with `data` as given, like any other.
    TimerId pushTimer(double time, std::uint8_t kind, std::uint32_t target, std::uint32_t data)
    {
        std::uint32_t slot = freeSlot_;
        if (slot == kNoSlot) {
            slot = std::uint32_t(slots_.size());
            slots_.push_back({});
        } else {
            freeSlot_ = slots_[slot].nextFree;
        }
        const EventId id = push(time, std::uint8_t(kind | 0x80), target, slot);
        slots_[slot] = {id, data, kNoSlot};
        ++armed_;
        return {slot, id};
    }

    // Cancels a timer that has not fired: true if it was armed (it will not run), false if
    // it already fired or was cancelled.
    bool cancel(TimerId t)
    {
        if (!t.valid() || t.slot >= slots_.size() || slots_[t.slot].sequence != t.sequence)
            return false;
        releaseSlot(t.slot);
        ++stale_;
        return true;
    }

    // Removes and returns the earliest live event into `out`, advancing now(). Returns false
    // when no event is left.
    [[gnu::always_inline]] bool pop(Event &out)
    {
        while (!heap_.empty()) {
            out = heap_.front();
            removeTop();
            if (out.isTimer()) [[unlikely]] {
                TimerSlot &slot = slots_[out.data];
                if (slot.sequence != out.sequence()) { // cancelled
                    --stale_;
                    continue;
                }
                const std::uint32_t s = out.data;
                out.data = slot.data;
                releaseSlot(s);
            }
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

    double now() const { return now_; }
    void setNow(double t) { now_ = t; }
    // Events that will still run (cancelled timers are not counted).
    std::size_t size() const { return heap_.size() - stale_; }
    // Timers armed and not yet fired or cancelled.
    std::size_t armedTimers() const { return armed_; }
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

    static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();
    struct TimerSlot
    {
        EventId sequence = 0; // of the event that fires it; 0 when free
        std::uint32_t data = 0;
        std::uint32_t nextFree = kNoSlot;
    };
    void releaseSlot(std::uint32_t s)
    {
        slots_[s].sequence = 0;
        slots_[s].nextFree = freeSlot_;
        freeSlot_ = s;
        --armed_;
    }

    std::vector<Event> heap_;
    std::vector<TimerSlot> slots_;
    std::uint32_t freeSlot_ = kNoSlot;
    std::size_t stale_ = 0; // cancelled timers whose events are still in the heap
    std::size_t armed_ = 0;
    EventId nextSequence_ = 1;
    double now_ = 0;
};

} // namespace ql
