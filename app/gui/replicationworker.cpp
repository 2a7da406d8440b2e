#include "replicationworker.h"

#include "simworker.h"

#include <exception>
#include <memory>
#include <vector>

namespace ql {

ReplicationWorker::ReplicationWorker(RunShared *shared, QObject *parent)
    : QObject(parent)
    , shared_(shared)
{
}

void ReplicationWorker::replicate(const Scenario &scenario, quint64 runId, quint64 generation,
                                  const std::optional<PrecisionRule> &precision)
{
    if (shared_->generation.load() != generation) {
        emit replicationsDone(runId, Results{}, true, RunSnapshot{}); // reset or cancelled while it waited
        return;
    }
    std::atomic<bool> cancel{false};
    RunOptions options;
    options.cancel = &cancel;
    options.precision = precision;
    options.progress = [&](double fraction) {
        shared_->replicationProgress.store(fraction, std::memory_order_relaxed);
        if (shared_->generation.load(std::memory_order_relaxed) != generation)
            cancel.store(true);
    };
    shared_->replicationProgress.store(0);
    Results results;
    RunSnapshot first; // replication 1 whole, for the charts the results have no series for
    try {
        // runReplications() is exactly this; the runs are kept for replication 1's figures.
        PrecisionOutcome outcome;
        std::vector<RunStats> runs = simulateRuns(scenario, options, &outcome);
        results = aggregate(scenario, runs, "simulation", scenario.run.seed);
        if (options.precision)
            results.precision = outcome;
        if (!runs.empty()) {
            first.runId = runId;
            first.simTime = first.endTime = scenario.run.duration;
            first.final = true;
            first.stats = std::make_shared<const RunStats>(std::move(runs.front())); // after aggregate()
        }
    } catch (const std::exception &e) {
        emit failed(runId, tr("The replications could not run: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    const bool cancelled = cancel.load() || shared_->generation.load() != generation;
    emit replicationsDone(runId, results, cancelled, first);
}

} // namespace ql
