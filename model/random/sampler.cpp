#include "random/sampler.h"

#include <algorithm>
#include <limits>

namespace ql {

namespace {

// Erlang-k as -mean/k * log(U1 ... Uk) costs k uniforms and one log. Beyond this k the
// Marsaglia-Tsang gamma draw (about one normal and one uniform) is cheaper. The product of
// 16 uniforms in (0, 1] is at least 2^-848, far from underflow.
constexpr int kErlangProductMaxK = 16;

} // namespace

// Derived parameters per kind (a_, b_, c_, k_, cumulative_, values_):
//   deterministic     a_ = value
//   exponential       a_ = mean (the inline fast path in the header relies on it)
//   uniform           a_ = min, b_ = max - min
//   normal            a_ = mean, b_ = stddev, c_ = Robert's rate when mean < 0 (else 0)
//   lognormal         a_, b_ = mean and stddev of log X
//   erlang            a_ = mean / k, k_ = k
//   gamma             a_ = scale, b_ = shape
//   weibull           a_ = scale, b_ = 1 / shape
//   hyperexponential  cumulative_ = branch CDF (normalised, last entry exactly 1),
//                     values_ = branch means
//   empirical         values_ = samples
Sampler::Sampler(const Distribution &d)
    : kind_(d.kind)
{
    switch (d.kind) {
    case DistKind::Deterministic:
        a_ = d.value;
        break;
    case DistKind::Exponential:
        a_ = d.mean;
        break;
    case DistKind::Uniform:
        a_ = d.min;
        b_ = d.max - d.min;
        break;
    case DistKind::Normal:
        a_ = d.mean;
        b_ = d.stddev;
        if (b_ > 0 && a_ < 0) {
            // Most of the mass is below 0, so plain redrawing would take 1 / P(X >= 0)
            // normals per draw (3.5 million at mean = -5 stddev). Robert's (1995)
            // exponential-proposal sampler draws the same truncated normal with an
            // acceptance rate above 0.76 for any truncation point >= 0; this is its
            // optimal exponential rate for the truncation point alpha = -mean/stddev.
            const double alpha = -a_ / b_;
            c_ = 0.5 * (alpha + std::sqrt(alpha * alpha + 4));
        }
        break;
    case DistKind::Lognormal:
        if (d.mean > 0) {
            const double cv = d.stddev / d.mean;
            const double logVariance = std::log1p(cv * cv);
            a_ = std::log(d.mean) - 0.5 * logVariance;
            b_ = std::sqrt(logVariance);
        } else {
            // Degenerate (the loader rejects it): exp(-inf + 0 z) = 0 on every draw.
            a_ = -std::numeric_limits<double>::infinity();
            b_ = 0;
        }
        break;
    case DistKind::Erlang:
        k_ = std::max(d.k, 1);
        a_ = d.mean / k_;
        break;
    case DistKind::Gamma:
        a_ = d.scale;
        b_ = d.shape;
        break;
    case DistKind::Weibull:
        a_ = d.scale;
        b_ = 1 / d.shape;
        break;
    case DistKind::Hyperexponential: {
        const std::size_t n = std::min(d.probabilities.size(), d.means.size());
        double total = 0;
        for (std::size_t i = 0; i < n; ++i)
            total += d.probabilities[i];
        if (n == 0 || !(total > 0))
            break; // no branch: every draw is 0 (the loader rejects this)
        cumulative_.reserve(n);
        values_.assign(d.means.begin(), d.means.begin() + std::ptrdiff_t(n));
        double running = 0;
        for (std::size_t i = 0; i < n; ++i) {
            running += d.probabilities[i];
            cumulative_.push_back(running / total);
        }
        // Rounding must not leave a gap above the last branch for u close to 1.
        cumulative_.back() = 1.0;
        break;
    }
    case DistKind::Empirical:
        values_ = d.samples;
        break;
    }
}

double Sampler::drawOther(Rng &rng) const
{
    switch (kind_) {
    case DistKind::Deterministic:
        return a_;
    case DistKind::Exponential:
        return -a_ * std::log(rng.uniformPositive());
    case DistKind::Uniform:
        return a_ + b_ * rng.uniform();
    case DistKind::Normal: {
        if (!(b_ > 0))
            return std::max(a_, 0.0);
        if (c_ > 0) {
            // Robert's sampler for Z >= alpha: propose alpha + Exp(c_), accept with
            // probability exp(-(z - c_)^2 / 2).
            const double alpha = -a_ / b_;
            for (;;) {
                const double z = alpha - std::log(rng.uniformPositive()) / c_;
                const double t = z - c_;
                if (rng.uniform() <= std::exp(-0.5 * t * t))
                    return std::max(a_ + b_ * z, 0.0); // max: rounding of a_ + b_ z
            }
        }
        // Mean >= 0: at least half the draws are accepted, so redraw as the spec says.
        for (;;) {
            const double x = a_ + b_ * standardNormal(rng);
            if (x >= 0)
                return x;
        }
    }
    case DistKind::Lognormal:
        return std::exp(a_ + b_ * standardNormal(rng));
    case DistKind::Erlang: {
        if (k_ > kErlangProductMaxK)
            return a_ * standardGamma(double(k_), rng);
        double product = rng.uniformPositive();
        for (int i = 1; i < k_; ++i)
            product *= rng.uniformPositive();
        return -a_ * std::log(product);
    }
    case DistKind::Gamma:
        return a_ * standardGamma(b_, rng);
    case DistKind::Weibull:
        // Inversion: F(x) = 1 - exp(-(x/scale)^shape), and -log U is Exp(1) for U in (0, 1].
        return a_ * std::pow(-std::log(rng.uniformPositive()), b_);
    case DistKind::Hyperexponential: {
        if (cumulative_.empty())
            return 0;
        // Branch by its CDF; a linear scan beats a binary search for the few branches
        // a hyperexponential has.
        const double u = rng.uniform();
        std::size_t branch = 0;
        while (branch + 1 < cumulative_.size() && u >= cumulative_[branch])
            ++branch;
        return -values_[branch] * std::log(rng.uniformPositive());
    }
    case DistKind::Empirical:
        // Bootstrap: each draw is one of the samples, chosen uniformly with replacement,
        // so the draws have exactly the sample set's distribution (no interpolation
        // between samples, no values outside them). Rng::below's bias is < n 2^-32.
        if (values_.empty())
            return 0;
        return values_[rng.below(std::uint32_t(values_.size()))];
    }
    return 0;
}

// Standard normal by Marsaglia's polar method. It produces two independent normals per
// accepted pair; the second is thrown away rather than cached, so a draw depends only on
// the Rng's state, never on what this Sampler drew before (a Sampler reused across
// replications or shared between streams still gives the same sequence for the same seed).
double Sampler::standardNormal(Rng &rng) const
{
    for (;;) {
        const double u = 2 * rng.uniform() - 1;
        const double v = 2 * rng.uniform() - 1;
        const double s = u * u + v * v;
        if (s > 0 && s < 1)
            return u * std::sqrt(-2 * std::log(s) / s);
    }
}

// Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma
// variables". For shape < 1 it draws Gamma(shape + 1) and multiplies by U^(1/shape)
// (their boost), which is again exact.
double Sampler::standardGamma(double shape, Rng &rng) const
{
    if (!(shape > 0))
        return 0;
    double boost = 1;
    if (shape < 1) {
        boost = std::exp(std::log(rng.uniformPositive()) / shape);
        shape += 1;
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1 / std::sqrt(9 * d);
    for (;;) {
        double x, v;
        do {
            x = standardNormal(rng);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const double u = rng.uniformPositive();
        const double x2 = x * x;
        // The squeeze accepts about 98% of candidates without a logarithm.
        if (u < 1 - 0.0331 * x2 * x2)
            return boost * d * v;
        if (std::log(u) < 0.5 * x2 + d * (1 - v + std::log(v)))
            return boost * d * v;
    }
}

} // namespace ql
