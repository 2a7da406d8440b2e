// Draws from a Distribution. A Sampler is built once per node (deriving what a draw needs,
// e.g. the log-space parameters of a lognormal) and then called in the simulation hot loop:
// no allocation, one switch per draw. All algorithms are written out here rather than taken
// from <random>, whose distributions differ between standard libraries: the same seed must
// give the same results bit for bit everywhere.
#pragma once

#include "random/distribution.h"
#include "random/rng.h"

#include <cmath>
#include <vector>

namespace ql {

class Sampler
{
public:
    Sampler() = default;
    explicit Sampler(const Distribution &d);

    // One draw, always >= 0 for the distributions the spec allows (times).
    double operator()(Rng &rng) const
    {
        if (kind_ == DistKind::Exponential) // the common case, kept inline
            return -a_ * std::log(rng.uniformPositive());
        return drawOther(rng);
    }

    DistKind kind() const { return kind_; }

private:
    double drawOther(Rng &rng) const;
    double standardNormal(Rng &rng) const;
    double standardGamma(double shape, Rng &rng) const;

    DistKind kind_ = DistKind::Deterministic;
    double a_ = 0, b_ = 0, c_ = 0; // derived parameters, meaning depends on kind_
    int k_ = 1;
    std::vector<double> cumulative_; // hyperexponential branch CDF
    std::vector<double> values_;     // hyperexponential means, empirical samples
};

} // namespace ql
