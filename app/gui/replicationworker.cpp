#include "replicationworker.h"

#include "simworker.h"

#include <exception>

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
        emit replicationsDone(runId, Results{}, true); // reset or cancelled while it waited
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
    try {
        results = runReplications(scenario, options);
    } catch (const std::exception &e) {
        emit failed(runId, tr("The replications could not run: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    const bool cancelled = cancel.load() || shared_->generation.load() != generation;
    emit replicationsDone(runId, results, cancelled);
}

} // namespace ql
