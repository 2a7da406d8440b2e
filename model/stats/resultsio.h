// Results to files: the spec's results JSON (format "queuelab-results", version 1), the
// per-node metrics as CSV and the time series as CSV. The same functions serve the CLI, the
// GUI's exports and the live backends, so every export of one run says the same thing.
#pragma once

#include "scenario/savefile.h"
#include "stats/results.h"

#include <string>

namespace ql {

std::string resultsToJson(const Results &results);
// One row per node and metric: node,kind,metric,mean,ci95,p50,p90,p95,p99,p999,max
std::string resultsToCsv(const Results &results);
// Long format: time,node,metric,value (node empty for end-to-end series).
std::string seriesToCsv(const TimeSeries &series);

} // namespace ql
