#include "random/distribution.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ql {

namespace {

struct KindName
{
    DistKind kind;
    const char *name;
};

// The spec's names (scenario-format.md, "Distributions"); the order follows the enum.
constexpr KindName kKindNames[] = {
    {DistKind::Deterministic, "deterministic"},
    {DistKind::Exponential, "exponential"},
    {DistKind::Uniform, "uniform"},
    {DistKind::Normal, "normal"},
    {DistKind::Lognormal, "lognormal"},
    {DistKind::Erlang, "erlang"},
    {DistKind::Gamma, "gamma"},
    {DistKind::Weibull, "weibull"},
    {DistKind::Hyperexponential, "hyperexponential"},
    {DistKind::Empirical, "empirical"},
};

struct Moments
{
    double mean = 0;
    double variance = 0;
};

// Normal(mu, sigma) conditioned on X >= 0, which is what "redrawn while negative" samples.
// With alpha = -mu/sigma, Z = P(X >= 0) = Phi(-alpha) and the inverse Mills ratio
// lambda = phi(alpha) / Z:  E = mu + sigma lambda,  Var = sigma^2 (1 + alpha lambda - lambda^2).
Moments truncatedNormalMoments(double mu, double sigma)
{
    if (!(sigma > 0))
        return {std::max(mu, 0.0), 0}; // degenerate: the sampler returns this constant
    const double alpha = -mu / sigma;
    // erfc keeps Z accurate deep in the upper tail, where 1 - Phi(alpha) would cancel.
    const double z = 0.5 * std::erfc(alpha / std::numbers::sqrt2);
    const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * std::numbers::pi);
    if (!(z > 0)) {
        // alpha beyond ~38: Z underflows. The truncated normal then is alpha + Exp(alpha)
        // to first order, so use the leading terms of the Mills-ratio expansion.
        const double lambda = alpha + 1 / alpha;
        return {mu + sigma * lambda, sigma * sigma / (alpha * alpha)};
    }
    const double lambda = phi / z;
    const double factor = 1 + alpha * lambda - lambda * lambda;
    return {mu + sigma * lambda, sigma * sigma * std::max(factor, 0.0)};
}

// Hyperexponential: the branch probabilities are normalised by their sum, as the sampler's
// branch CDF is, so a file whose probabilities are off by rounding still gets exact moments.
Moments hyperexponentialMoments(const std::vector<double> &p, const std::vector<double> &m)
{
    const std::size_t n = std::min(p.size(), m.size());
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        total += p[i];
    if (!(total > 0))
        return {};
    double first = 0, second = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = p[i] / total;
        first += w * m[i];
        second += w * 2 * m[i] * m[i]; // E[X^2] of an exponential is 2 mean^2
    }
    return {first, std::max(second - first * first, 0.0)};
}

// Moments of the sample set itself (population variance): the sampler bootstraps from it,
// so these are the exact moments of what it draws. Two passes for accuracy.
Moments empiricalMoments(const std::vector<double> &samples)
{
    if (samples.empty())
        return {};
    const double n = double(samples.size());
    double sum = 0;
    for (double x : samples)
        sum += x;
    const double mean = sum / n;
    double squares = 0, residual = 0;
    for (double x : samples) {
        squares += (x - mean) * (x - mean);
        residual += x - mean;
    }
    // The residual term corrects the rounding of the mean (corrected two-pass algorithm).
    return {mean, std::max((squares - residual * residual / n) / n, 0.0)};
}

Moments moments(const Distribution &d)
{
    switch (d.kind) {
    case DistKind::Deterministic:
        return {d.value, 0};
    case DistKind::Exponential:
        return {d.mean, d.mean * d.mean};
    case DistKind::Uniform: {
        const double width = d.max - d.min;
        return {0.5 * (d.min + d.max), width * width / 12};
    }
    case DistKind::Normal:
        return truncatedNormalMoments(d.mean, d.stddev);
    case DistKind::Lognormal:
        // Parameterised by the variable's own mean and standard deviation.
        return {d.mean, d.stddev * d.stddev};
    case DistKind::Erlang: {
        const int k = std::max(d.k, 1);
        return {d.mean, d.mean * d.mean / k};
    }
    case DistKind::Gamma:
        return {d.shape * d.scale, d.shape * d.scale * d.scale};
    case DistKind::Weibull: {
        const double g1 = std::tgamma(1 + 1 / d.shape);
        const double g2 = std::tgamma(1 + 2 / d.shape);
        return {d.scale * g1, d.scale * d.scale * std::max(g2 - g1 * g1, 0.0)};
    }
    case DistKind::Hyperexponential:
        return hyperexponentialMoments(d.probabilities, d.means);
    case DistKind::Empirical:
        return empiricalMoments(d.samples);
    }
    return {};
}

} // namespace

bool distKindFromName(const std::string &name, DistKind *out)
{
    for (const KindName &entry : kKindNames) {
        if (name == entry.name) {
            if (out)
                *out = entry.kind;
            return true;
        }
    }
    return false;
}

const char *distKindName(DistKind kind)
{
    for (const KindName &entry : kKindNames) {
        if (entry.kind == kind)
            return entry.name;
    }
    return "?";
}

Distribution Distribution::exponential(double mean)
{
    Distribution d;
    d.kind = DistKind::Exponential;
    d.mean = mean;
    return d;
}

Distribution Distribution::deterministic(double value)
{
    Distribution d;
    d.kind = DistKind::Deterministic;
    d.value = value;
    return d;
}

double Distribution::expectation() const
{
    return moments(*this).mean;
}

double Distribution::variance() const
{
    return moments(*this).variance;
}

double Distribution::scv() const
{
    const Moments m = moments(*this);
    // A distribution concentrated at 0 has no variability: call its SCV 0 rather than NaN.
    if (m.mean == 0)
        return 0;
    return m.variance / (m.mean * m.mean);
}

} // namespace ql
