// The event narrative of teaching mode: tells a run in plain words, one line per thing that
// happens to a message ("t=3.20 s: message #17 enters queue hello, depth 3"; "t=3.20 s:
// message #17 goes to consumer worker-2, which was idle"), with the time in the scenario's
// unit and the nodes by their ids. Each line also carries structured fields (time, message,
// nodes, kind) so a view can filter by message or node without parsing the text.
//
// It is a SimObserver, so it can listen to a Simulation directly (tests, tools); the GUI
// feeds it the observer events the run controller's worker already sends for the animation,
// and only while they come slowly enough to read. It keeps the last `capacity` lines in a
// ring buffer and a small record per message in flight (publish time, where it is), so it
// costs a bounded amount of memory however long the run.
//
// One observer event is not always one sentence: a message handed from a queue to a
// consumer is told together with what happens next (its service starts, or it waits in the
// consumer's prefetch buffer), so that line waits for the event after it. Call flush() after
// each batch of events; lines() never shows a half-told step after that.
#pragma once

#include "scenario/scenario.h"
#include "topology/compiledtopology.h"
#include "sim/simobserver.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ql {

struct NarrativeLine
{
    enum Kind : std::uint8_t {
        Published,     // node: the producer
        Routed,        // node: the queue (or next node), other: the exchange
        Unroutable,    // node: the exchange
        Enqueued,      // node: the queue
        ToConsumer,    // node: the consumer, other: the queue it came from
        ServiceStarted,// node: the consumer (a message that waited in the prefetch buffer)
        ServiceEnded,  // node: the consumer
        Forwarded,     // node: the next node, other: the node it leaves
        Delivered,     // node: where it left the system (consumer or sink), if known
        Dropped,       // node: the queue
        Note,          // about the narrative itself (paused, resumed); no message or node
    };

    std::uint64_t seq = 0;       // 0, 1, 2 ... since the last clear(): a stable row identity
    double time = 0;             // simulated time, in the scenario's unit
    std::uint64_t msg = 0;       // message serial; 0 for notes
    std::uint64_t original = 0;  // a fanout copy: the message it is a copy of
    int node = -1;               // indexes into Scenario::nodes, -1 when none
    int other = -1;
    Kind kind = Note;
    std::string text;            // the whole line, "t=3.20 s: message #17 ..."

    bool involvesNode(int n) const { return n >= 0 && (node == n || other == n); }
    bool involvesMessage(std::uint64_t m) const { return m != 0 && (msg == m || original == m); }
};

class Narrator : public SimObserver
{
public:
    static constexpr std::size_t DefaultCapacity = 10000;

    explicit Narrator(std::size_t capacity = DefaultCapacity);
    explicit Narrator(const Scenario &scenario, std::size_t capacity = DefaultCapacity);

    // A new scenario: forgets all lines and messages.
    void setScenario(const Scenario &scenario);
    const Scenario &scenario() const { return scenario_; }
    // Forgets all lines and messages (a new run); the sequence numbers start again at 0.
    void clear();
    // Removes the lines but keeps what it knows about messages in flight (the view's Clear);
    // sequence numbers go on.
    void clearLines();
    // Forgets the messages in flight but keeps the lines: after events were missed (the
    // narrative paused), what is known about a message would be stale.
    void forgetMessages();

    // SimObserver: each call may add lines (see flush()).
    void published(double t, std::uint64_t msg, int producer) override;
    void moved(double t, std::uint64_t msg, int from, int to) override;
    void enqueued(double t, std::uint64_t msg, int queue, int depth) override;
    void dropped(double t, std::uint64_t msg, int node, DropReason reason) override;
    void serviceStarted(double t, std::uint64_t msg, int consumer, int busy) override;
    void serviceEnded(double t, std::uint64_t msg, int consumer, int busy) override;
    // `latency` may be NaN when the caller does not know it; the narrator then uses the
    // publish time it saw, or leaves the figure out.
    void delivered(double t, std::uint64_t msg, double latency) override;

    // Tells the line that waits for its next event (see above) as it stands.
    void flush();
    // A line about the narrative itself, e.g. "narrative paused: ...", at time t.
    void addNote(double t, const std::string &text);

    // The lines held, oldest first: at most capacity(); line(i) has seq firstSeq() + i.
    std::size_t size() const { return count_; }
    std::size_t capacity() const { return lines_.size(); }
    const NarrativeLine &line(std::size_t i) const { return lines_[(head_ + i) % lines_.size()]; }
    std::uint64_t firstSeq() const { return nextSeq_ - count_; }
    std::uint64_t nextSeq() const { return nextSeq_; } // lines ever added since clear()
    // The line with this seq, or nullptr when it is not (or no longer) held.
    const NarrativeLine *lineBySeq(std::uint64_t seq) const;
    std::vector<std::string> texts() const; // every held line's text, oldest first (tests)

    // "3.20 s": a time or a duration in the scenario's unit, with as many decimals as the
    // scenario's fastest interarrival or service time needs (at least two).
    std::string formatTime(double t) const;
    // Messages known to be in flight (bounded; tests).
    std::size_t trackedMessages() const { return tracks_.size(); }

private:
    struct Track
    {
        double publishedAt = -1;  // < 0: unknown
        double arrivedAt = -1;    // at `at`
        double enqueuedAt = -1;   // < 0: not waiting as a ready message
        double serviceAt = -1;    // service start, < 0: not in service
        std::uint64_t original = 0;
        int producer = -1;
        int at = -1;              // the node it is at
    };
    struct Pending
    {
        double t = 0;
        std::uint64_t msg = 0;
        int queue = -1;
        int consumer = -1;
    };

    Track &track(std::uint64_t msg);
    Track *findTrack(std::uint64_t msg);
    void add(double t, std::uint64_t msg, NarrativeLine::Kind kind, int node, int other, std::string text);
    void tellToConsumer(const Pending &p, std::optional<int> busy);
    std::string name(int node) const;      // "hello"
    std::string kindName(int node) const;  // "queue hello"
    std::string messageName(std::uint64_t msg, const Track *track) const; // "message #18, a copy of #17,"
    std::string unroutableReason(int exchange, const Track *track) const;
    std::string servers(int consumer, int busy) const; // "2 of 3 servers"
    bool valid(int node) const { return node >= 0 && std::size_t(node) < scenario_.nodes.size(); }

    Scenario scenario_;
    std::string unit_ = "s";
    int decimals_ = 2;
    std::vector<std::uint64_t> lastInto_;  // per node: the last message that reached it
    CompiledTopology topology_;            // of scenario_
    std::unordered_map<std::uint64_t, Track> tracks_;
    std::optional<Pending> pending_;

    std::vector<NarrativeLine> lines_;     // the ring
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    std::uint64_t nextSeq_ = 0;
};

} // namespace ql
