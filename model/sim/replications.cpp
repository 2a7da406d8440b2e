#include "sim/replications.h"

#include "sim/simulation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

namespace ql {

namespace {

int threadCount(const RunOptions &options, int replications)
{
    const int threads = options.threads > 0 ? options.threads : int(std::thread::hardware_concurrency());
    return std::clamp(threads, 1, std::max(1, replications));
}

// Replications first+1 .. first+count (the numbers Simulation seeds from), in order.
// `mayStart`, when set, is asked before each replication is taken; once it says no, none
// is started, and those running finish, so what comes back is always a prefix (shorter
// than `count` only then). `progress` gets the fraction of this range done.
std::vector<RunStats> simulateRange(const Scenario &scenario, int first, int count, const RunOptions &options,
                                    const std::function<bool()> &mayStart,
                                    const std::function<void(double)> &progress)
{
    std::vector<RunStats> runs(static_cast<std::size_t>(count));
    // Progress in steps of 1/100 of a replication, summed over all replications.
    constexpr int Slices = 100;
    std::atomic<int> nextReplication{0};
    std::atomic<long> slicesDone{0};
    std::mutex progressMutex, startMutex;
    const double total = double(count) * Slices;

    auto take = [&]() -> int {
        if (!mayStart)
            return nextReplication.fetch_add(1);
        // Asking and taking under one lock: a replication is taken only while starting is
        // allowed, and every one taken runs, so the finished ones are 1..n with no gap.
        std::lock_guard lock(startMutex);
        if (nextReplication.load() >= count || !mayStart())
            return count;
        return nextReplication.fetch_add(1);
    };
    auto worker = [&] {
        for (;;) {
            const int r = take();
            if (r >= count)
                return;
            Simulation sim(scenario, first + r + 1);
            sim.setCancelFlag(options.cancel);
            const double end = sim.endTime();
            for (int slice = 1; slice <= Slices && !sim.finished(); ++slice) {
                if (options.cancel && options.cancel->load()) {
                    sim.stop();
                    sim.step(); // lets the simulation close the run at the current time
                    break;
                }
                sim.runUntil(slice == Slices ? end : end * slice / Slices);
                const long done = ++slicesDone;
                if (progress) {
                    std::lock_guard lock(progressMutex);
                    progress(double(done) / total);
                }
            }
            runs[std::size_t(r)] = sim.takeStats();
        }
    };

    const int threads = threadCount(options, count);
    if (threads == 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i)
            pool.emplace_back(worker);
    }
    runs.resize(std::size_t(std::min(nextReplication.load(), count)));
    return runs;
}

// How many replications the rule will take, as the intervals so far say (half-widths
// shrink as 1/sqrt(n)), within the budget.
int neededReplications(int done, double worst, double target, int maximum)
{
    const double needed = double(done) * (worst / target) * (worst / target);
    return needed < double(maximum) ? std::max(done, int(std::ceil(needed))) : maximum;
}

// The next batch: as many replications as are still needed, at most half as many again as
// already ran, so one noisy estimate cannot overshoot far, rounded up to whole rounds of
// the threads. Its size changes only how far the runs go ahead, never where the rule stops.
int nextBatch(int done, int needed, int threads, int maximum)
{
    int want = needed - done;
    want = std::clamp(want, 1, std::max(1, done / 2));
    want = (want + threads - 1) / threads * threads;
    return std::min(want, maximum - done);
}

std::vector<RunStats> simulateToPrecision(const Scenario &scenario, const RunOptions &options,
                                          PrecisionOutcome *outcome)
{
    const PrecisionRule &rule = *options.precision;
    const int minimum = precisionMinimum(scenario, rule);
    const int maximum = std::max(minimum, rule.maxReplications > 0 ? rule.maxReplications : kPrecisionMaxReplications);
    const auto start = std::chrono::steady_clock::now();
    const std::function<bool()> timeLeft = [&] {
        return !(rule.maxSeconds > 0)
            || std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < rule.maxSeconds;
    };
    PrecisionTracker tracker(scenario, rule.metrics.empty() ? defaultPrecisionMetrics(scenario) : rule.metrics);
    const int threads = threadCount(options, maximum);

    std::vector<RunStats> runs;
    std::string stoppedBy;
    int batch = minimum;
    int needed = maximum; // what the intervals so far say the rule will take (first: all)
    double shown = 0;     // progress never goes back when that estimate grows
    for (;;) {
        const int first = int(runs.size());
        std::function<void(double)> progress;
        if (options.progress)
            progress = [&, first, batch, planned = double(std::max(needed, first + batch))](double f) {
                double p = (first + f * batch) / planned;
                if (rule.maxSeconds > 0) // or the share of the time spent, if that is more
                    p = std::max(p, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
                                        / rule.maxSeconds);
                shown = std::max(shown, std::min(p, 1.0));
                options.progress(shown);
            };
        // The minimum always runs; the wall-clock budget applies to what comes after it.
        std::vector<RunStats> more = simulateRange(scenario, first, batch, options,
                                                   first == 0 ? std::function<bool()>() : timeLeft, progress);
        bool partial = false;
        for (RunStats &r : more) {
            partial = partial || r.partial;
            tracker.add(r);
            runs.push_back(std::move(r));
        }
        if (partial) {
            stoppedBy = options.cancel && options.cancel->load() ? "interrupted" : "error";
            break;
        }
        // Judged after each replication in order, over complete runs only.
        if (const int k = tracker.firstWithin(rule.target, std::max(first + 1, minimum))) {
            runs.resize(std::size_t(k));
            stoppedBy = "precision";
            break;
        }
        if (int(runs.size()) >= maximum) {
            stoppedBy = "max_replications";
            break;
        }
        if (!timeLeft()) {
            stoppedBy = "max_seconds";
            break;
        }
        const int done = int(runs.size());
        needed = neededReplications(done, tracker.check(done).worst, rule.target, maximum);
        batch = nextBatch(done, needed, threads, maximum);
    }

    if (outcome) {
        const PrecisionCheck c = tracker.check(int(runs.size()));
        PrecisionOutcome o;
        o.target = rule.target;
        o.met = stoppedBy == "precision";
        o.worst = c.worst;
        if (c.worstIndex >= 0) {
            const PrecisionMetric m = tracker.metrics()[std::size_t(c.worstIndex)];
            o.worstNode = m.node;
            o.worstMetric = m.metric;
        }
        o.stoppedBy = stoppedBy;
        o.minReplications = minimum;
        o.maxReplications = maximum;
        o.maxSeconds = rule.maxSeconds > 0 ? rule.maxSeconds : 0;
        *outcome = o;
    }
    return runs;
}

} // namespace

int precisionMinimum(const Scenario &scenario, const PrecisionRule &rule)
{
    if (rule.minReplications > 0)
        return std::max(2, rule.minReplications);
    return std::max(kPrecisionMinReplications, scenario.run.replications);
}

std::vector<RunStats> simulateRuns(const Scenario &scenario, const RunOptions &options, PrecisionOutcome *outcome)
{
    if (options.precision)
        return simulateToPrecision(scenario, options, outcome);
    return simulateRange(scenario, 0, std::max(1, scenario.run.replications), options, {}, options.progress);
}

Results runReplications(const Scenario &scenario, const RunOptions &options)
{
    PrecisionOutcome outcome;
    Results results = aggregate(scenario, simulateRuns(scenario, options, &outcome), "simulation", scenario.run.seed);
    if (options.precision)
        results.precision = outcome;
    return results;
}

} // namespace ql
