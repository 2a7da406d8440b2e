// Internals of theory/: the M/M/c/K stationary distribution and the tail sums that turn it
// into wait quantiles and ready-queue lengths. Shared by theory.cpp (the formulas) and
// analyze.cpp (which needs the ready length when consumers prefetch more than one message).
#pragma once

#include <vector>

namespace ql::theorydetail {

// P(N = n), n = 0..K, for M/M/c/K. Computed in the log domain, so offered loads of
// thousands and K in the millions neither overflow nor lose the small states.
std::vector<double> mmckDistribution(double lambda, double mu, int c, int K);

// E[(N - slots)+] under distribution p: messages beyond the first `slots`, i.e. those still
// ready in the queue when consumers hold `slots` messages between them.
double excessMean(const std::vector<double> &p, int slots);

// The same for the unbounded M/M/c (stable, slots >= c): C * rho^(slots-c+1) / (1 - rho).
double mmcExcessMean(double lambda, double mu, int c, int slots);

} // namespace ql::theorydetail
