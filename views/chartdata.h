// The data the charts draw, as the run controller hands it over from its worker thread: a
// statistics snapshot of the running replication (shared, because RunStats is move-only and
// several charts read the same one). Plain values plus a shared pointer, so a queued signal
// copies them cheaply.
#pragma once

#include "stats/results.h"
#include "stats/runstats.h"

#include <QMetaType>

#include <memory>

namespace ql {

struct RunSnapshot
{
    quint64 runId = 0;       // changes on every reset, so charts can tell runs apart
    double simTime = 0;      // simulated time of the snapshot
    double endTime = 0;      // the run's duration
    bool final = false;      // the run is over: these are its final statistics
    std::shared_ptr<const RunStats> stats;
};

} // namespace ql

Q_DECLARE_METATYPE(ql::RunSnapshot)
Q_DECLARE_METATYPE(ql::Results)
