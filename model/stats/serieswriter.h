// The one writer of time series, shared by the simulator and the live runner: the columns
// come from the node-kind table (topology/nodekinds.h), one per (node, SeriesColumn), and a
// sample is written by naming its columns, never by offset. Not in the hot loop: a sample
// is taken once per sample interval.
#pragma once

#include "stats/runstats.h"
#include "topology/nodekinds.h"

#include <vector>

namespace ql {

struct Scenario;

class SeriesWriter
{
public:
    SeriesWriter() = default;
    explicit SeriesWriter(const Scenario &scenario);

    // Starts the sample at `t`, the end of its interval. False (and nothing written) when
    // `t` does not move past the previous sample.
    bool begin(double t);
    // The value of `column` for `node` (scenario index) in the sample begun last. A column
    // the node's kind does not have is a programming error, caught by an assert.
    void put(int node, SeriesColumn column, double value);
    // The value of an end-to-end column (SeriesColumn::EndToEnd...).
    void putEndToEnd(SeriesColumn column, double value);

    // The interval since the previous sample (from 0 for the first).
    double interval() const { return interval_; }
    const TimeSeries &series() const { return series_; }
    TimeSeries &series() { return series_; }
    // The index of a node's column in series().series, or -1.
    int indexOf(int node, SeriesColumn column) const;

private:
    TimeSeries series_;
    std::vector<int> firstOfNode_;
    std::vector<NodeKind> kinds_;
    int firstEndToEnd_ = 0;
    double interval_ = 0;
};

} // namespace ql
