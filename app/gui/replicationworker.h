// The run controller's second worker: computes every replication of a scenario at full
// speed (all cores, sim/replications.h) in a thread of its own, so the answer arrives in
// seconds while the SimWorker animates the same run on the canvas at a watchable speed, and
// Step, Pause and the animation never wait for the statistics.
//
// Its one slot blocks its thread until the replications end; it is cancelled through
// RunShared::generation (a reset or a new scenario moves it on), polled at every progress
// report of the runner.
#pragma once

#include "chartdata.h" // RunSnapshot; Q_DECLARE_METATYPE(ql::Results), for the queued signal
#include "scenario/scenario.h"
#include "sim/replications.h"
#include "stats/results.h"

#include <QObject>

#include <optional>

namespace ql {

struct RunShared;

class ReplicationWorker : public QObject
{
    Q_OBJECT
public:
    explicit ReplicationWorker(RunShared *shared, QObject *parent = nullptr);

    // Every replication of `scenario` (valid; run.seed is the seed), or as many as
    // `precision` needs; cancelled when RunShared::generation moves past `generation`.
    void replicate(const ql::Scenario &scenario, quint64 runId, quint64 generation,
                   const std::optional<ql::PrecisionRule> &precision);

signals:
    // `first`: replication 1's final statistics (its stats null when none ran).
    void replicationsDone(quint64 runId, const ql::Results &results, bool cancelled, const ql::RunSnapshot &first);
    void failed(quint64 runId, const QString &message);

private:
    RunShared *shared_;
};

} // namespace ql
