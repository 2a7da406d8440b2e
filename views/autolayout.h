// Automatic left-to-right layout of a topology, for scenarios written without positions and
// for View > Auto layout: each node's column is its longest path from a producer (links that
// close a cycle, like a feedback loop, are left out of that count), and within a column the
// nodes are ordered by the mean row of their predecessors, which keeps most links uncrossed.
#pragma once

#include "scenario/scenario.h"

#include <QPointF>

#include <map>
#include <string>

namespace ql {

// A position (the centre of the node, on the grid) for every node of `scenario`.
std::map<std::string, QPointF> layeredLayout(const Scenario &scenario);

// Gives the nodes that have no position one, leaving the others where they are: all nodes
// when none has a position, else the missing ones in their columns below the rest.
// Returns whether any position was added.
bool placeUnpositionedNodes(Scenario &scenario);

} // namespace ql
