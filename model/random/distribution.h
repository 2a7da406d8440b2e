// A probability distribution as the scenario file describes it ({"dist": NAME, ...}),
// plus the closed-form moments that theory/ needs. Sampling lives in random/sampler.h so
// that this header stays a plain value type.
#pragma once

#include <string>
#include <vector>

namespace ql {

enum class DistKind {
    Deterministic,
    Exponential,
    Uniform,
    Normal,
    Lognormal,
    Erlang,
    Gamma,
    Weibull,
    Hyperexponential,
    Empirical,
};

// Spec name <-> enum ("deterministic", "exponential", ...). Returns false for an unknown name.
bool distKindFromName(const std::string &name, DistKind *out);
const char *distKindName(DistKind kind);

struct Distribution
{
    DistKind kind = DistKind::Exponential;
    // Parameters; which ones matter depends on kind (see scenario-format.md).
    double value = 0;    // deterministic
    double mean = 1;     // exponential, normal, lognormal, erlang
    double stddev = 0;   // normal, lognormal
    double min = 0;      // uniform
    double max = 0;      // uniform
    int k = 1;           // erlang
    double shape = 1;    // gamma, weibull
    double scale = 1;    // gamma, weibull
    std::vector<double> probabilities; // hyperexponential
    std::vector<double> means;         // hyperexponential
    std::vector<double> samples;       // empirical (resolved from `file` when loaded)
    std::string file;                  // empirical: CSV trace, as written in the file
    bool rateGiven = false;            // exponential written with "rate" instead of "mean"

    static Distribution exponential(double mean);
    static Distribution deterministic(double value);

    // Exact moments of the distribution (for empirical: of the sample set).
    // For normal, the truncation at 0 (redraw while negative) is taken into account.
    double expectation() const;
    double variance() const;
    // Squared coefficient of variation, variance / mean^2.
    double scv() const;

    bool operator==(const Distribution &) const = default;
};

} // namespace ql
