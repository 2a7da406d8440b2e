#include "sim/replications.h"

#include "sim/simulation.h"

#include <algorithm>
#include <mutex>
#include <thread>

namespace ql {

std::vector<RunStats> simulateRuns(const Scenario &scenario, const RunOptions &options)
{
    const int count = std::max(1, scenario.run.replications);
    std::vector<RunStats> runs(static_cast<std::size_t>(count));
    // Progress in steps of 1/100 of a replication, summed over all replications.
    constexpr int Slices = 100;
    std::atomic<int> nextReplication{0};
    std::atomic<long> slicesDone{0};
    std::mutex progressMutex;
    const double total = double(count) * Slices;

    auto worker = [&] {
        for (;;) {
            const int r = nextReplication.fetch_add(1);
            if (r >= count)
                return;
            Simulation sim(scenario, r + 1);
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
                if (options.progress) {
                    std::lock_guard lock(progressMutex);
                    options.progress(double(done) / total);
                }
            }
            runs[std::size_t(r)] = sim.takeStats();
        }
    };

    int threads = options.threads > 0 ? options.threads : int(std::thread::hardware_concurrency());
    threads = std::clamp(threads, 1, count);
    if (threads == 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i)
            pool.emplace_back(worker);
    }
    return runs;
}

Results runReplications(const Scenario &scenario, const RunOptions &options)
{
    return aggregate(scenario, simulateRuns(scenario, options), "simulation", scenario.run.seed);
}

} // namespace ql
