// Confidence intervals across independent replications (Student t).
#pragma once

#include <optional>
#include <vector>

namespace ql {

// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).
double studentT975(int df);

struct MeanCi
{
    double mean = 0;
    std::optional<double> ci95; // half-width; empty for fewer than two values
    bool operator==(const MeanCi &) const = default;
};

// Mean of the values and the half-width of its 95% confidence interval.
MeanCi meanCi(const std::vector<double> &values);

} // namespace ql
