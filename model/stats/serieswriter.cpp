#include "stats/serieswriter.h"

#include "scenario/scenario.h"

#include <cassert>

namespace ql {

SeriesWriter::SeriesWriter(const Scenario &scenario)
{
    SeriesLayout layout = makeSeriesLayout(scenario);
    series_ = std::move(layout.series);
    firstOfNode_ = std::move(layout.firstOfNode);
    firstEndToEnd_ = layout.firstEndToEnd;
    for (const Node &node : scenario.nodes)
        kinds_.push_back(node.kind);
}

bool SeriesWriter::begin(double t)
{
    const double dt = t - (series_.times.empty() ? 0.0 : series_.times.back());
    if (dt <= 0)
        return false;
    interval_ = dt;
    series_.times.push_back(t);
    return true;
}

int SeriesWriter::indexOf(int node, SeriesColumn column) const
{
    if (node < 0 || std::size_t(node) >= kinds_.size())
        return -1;
    const auto own = nodeKindInfo(kinds_[std::size_t(node)]).series;
    for (std::size_t i = 0; i < own.size(); ++i)
        if (own[i].column == column)
            return firstOfNode_[std::size_t(node)] + int(i);
    return -1;
}

void SeriesWriter::put(int node, SeriesColumn column, double value)
{
    const int index = firstOfNode_[std::size_t(node)] + seriesOffset(column);
    assert(indexOf(node, column) == index);
    series_.series[std::size_t(index)].values.push_back(value);
}

void SeriesWriter::putEndToEnd(SeriesColumn column, double value)
{
    series_.series[std::size_t(firstEndToEnd_ + seriesOffset(column))].values.push_back(value);
}

} // namespace ql
