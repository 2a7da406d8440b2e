// Layered left-to-right layout (see autolayout.h).
#include "autolayout.h"

#include "canvasmetrics.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

namespace ql {

std::map<std::string, QPointF> layeredLayout(const Scenario &s)
{
    const int n = static_cast<int>(s.nodes.size());
    std::vector<std::vector<int>> out(n);
    for (const Link &l : s.links) {
        const int a = s.nodeIndex(l.from);
        const int b = s.nodeIndex(l.to);
        if (a >= 0 && b >= 0 && a != b)
            out[a].push_back(b);
    }

    // Depth-first search from the producers first (then from whatever is left), marking the
    // links that close a cycle so the layering sees a DAG.
    std::vector<int> state(n, 0); // 0 new, 1 on stack, 2 done
    std::vector<std::vector<int>> dag(n);
    auto visit = [&](int root) {
        std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
        state[root] = 1;
        while (!stack.empty()) {
            auto &[v, next] = stack.back();
            const auto &succ = out[v];
            if (next < succ.size()) {
                const int w = succ[next++];
                const int st = state[w];
                if (st == 1)
                    continue; // back edge: a cycle
                dag[v].push_back(w);
                if (st == 0) {
                    state[w] = 1;
                    stack.push_back({w, 0});
                }
            } else {
                state[v] = 2;
                stack.pop_back();
            }
        }
    };
    for (int i = 0; i < n; ++i)
        if (s.nodes[i].kind == NodeKind::Producer && state[i] == 0)
            visit(i);
    for (int i = 0; i < n; ++i)
        if (state[i] == 0)
            visit(i);

    // Longest path from the sources, in topological order (Kahn).
    std::vector<int> indegree(n, 0);
    for (int v = 0; v < n; ++v)
        for (int w : dag[v])
            ++indegree[w];
    std::vector<int> layer(n, 0);
    std::vector<int> order;
    for (int v = 0; v < n; ++v)
        if (indegree[v] == 0)
            order.push_back(v);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const int v = order[k];
        for (int w : dag[v]) {
            layer[w] = std::max(layer[w], layer[v] + 1);
            if (--indegree[w] == 0)
                order.push_back(w);
        }
    }

    int layers = 0;
    for (int v = 0; v < n; ++v)
        layers = std::max(layers, layer[v] + 1);
    std::vector<std::vector<int>> columns(layers);
    for (int v = 0; v < n; ++v)
        columns[layer[v]].push_back(v);

    // Order each column by the barycentre of its predecessors' rows (two sweeps settle it).
    std::vector<std::vector<int>> preds(n);
    for (int v = 0; v < n; ++v)
        for (int w : dag[v])
            preds[w].push_back(v);
    std::vector<double> row(n, 0);
    auto assignRows = [&](const std::vector<int> &col) {
        for (std::size_t i = 0; i < col.size(); ++i)
            row[col[i]] = static_cast<double>(i) - (static_cast<double>(col.size()) - 1) / 2;
    };
    for (auto &col : columns)
        assignRows(col);
    for (int sweep = 0; sweep < 2; ++sweep) {
        for (std::size_t c = 1; c < columns.size(); ++c) {
            auto &col = columns[c];
            std::vector<std::pair<double, int>> keyed;
            for (std::size_t i = 0; i < col.size(); ++i) {
                const int v = col[i];
                const auto &p = preds[v];
                double key = row[v];
                if (!p.empty()) {
                    key = 0;
                    for (int u : p)
                        key += row[u];
                    key /= static_cast<double>(p.size());
                }
                keyed.push_back({key, static_cast<int>(i)});
            }
            std::stable_sort(keyed.begin(), keyed.end(),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
            std::vector<int> sorted;
            for (const auto &[key, i] : keyed)
                sorted.push_back(col[i]);
            col = sorted;
            assignRows(col);
        }
    }

    std::map<std::string, QPointF> positions;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        for (int v : columns[c]) {
            const QPointF p(static_cast<double>(c) * LayoutColumnPitch, row[v] * LayoutRowPitch);
            positions[s.nodes[v].id] = snapToGrid(p);
        }
    }
    return positions;
}

bool placeUnpositionedNodes(Scenario &s)
{
    std::vector<const Node *> missing;
    for (const Node &node : s.nodes)
        if (!s.layout.count(node.id))
            missing.push_back(&node);
    if (missing.empty())
        return false;
    const std::map<std::string, QPointF> layered = layeredLayout(s);
    if (missing.size() == s.nodes.size()) {
        for (const auto &[id, p] : layered)
            s.layout[id] = {p.x(), p.y()};
        return true;
    }
    double minX = std::numeric_limits<double>::max();
    double maxY = std::numeric_limits<double>::lowest();
    for (const auto &[id, p] : s.layout) {
        if (!s.node(id))
            continue;
        minX = std::min(minX, p.first);
        maxY = std::max(maxY, p.second);
    }
    std::map<double, int> usedInColumn;
    for (const Node *node : missing) {
        const QPointF p = layered.at(node->id);
        const double x = minX + p.x();
        const int k = usedInColumn[x]++;
        const QPointF placed = snapToGrid(QPointF(x, maxY + LayoutRowPitch * (k + 1)));
        s.layout[node->id] = {placed.x(), placed.y()};
    }
    return true;
}

} // namespace ql
