#include "stats/runstats.h"

#include "topology/nodekinds.h"

#include "scenario/scenario.h"

namespace ql {

SeriesLayout makeSeriesLayout(const Scenario &scenario)
{
    SeriesLayout layout;
    auto add = [&](const std::string &node, const char *metric) {
        layout.series.series.push_back(Series{node, metric, {}});
    };
    for (const Node &node : scenario.nodes) {
        layout.firstOfNode.push_back(int(layout.series.series.size()));
        for (const SeriesSpec &spec : nodeKindInfo(node.kind).series)
            add(node.id, spec.metric);
    }
    layout.firstEndToEnd = int(layout.series.series.size());
    for (const SeriesSpec &spec : endToEndSeries())
        add(std::string(), spec.metric);
    return layout;
}

} // namespace ql
