#include "stats/runstats.h"

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
        switch (node.kind) {
        case NodeKind::Producer:
            add(node.id, "throughput");
            break;
        case NodeKind::Exchange:
            for (const char *m : {"throughput", "unroutable"})
                add(node.id, m);
            break;
        case NodeKind::Queue:
            for (const char *m : {"length", "length_mean", "arrival_rate", "drops", "wait_mean"})
                add(node.id, m);
            break;
        case NodeKind::Consumer:
            for (const char *m : {"utilization", "throughput", "busy"})
                add(node.id, m);
            break;
        case NodeKind::Sink:
            break;
        }
    }
    layout.firstEndToEnd = int(layout.series.series.size());
    for (const char *m : {"throughput", "latency_mean", "latency_p50", "latency_p95", "latency_p99"})
        add(std::string(), m);
    return layout;
}

} // namespace ql
