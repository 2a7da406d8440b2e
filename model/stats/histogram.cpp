#include "stats/histogram.h"

#include <algorithm>
#include <cmath>

namespace ql {

Histogram::Histogram()
    : counts_(BucketCount, 0)
{
}

void Histogram::merge(const Histogram &other)
{
    for (int i = 0; i < BucketCount; ++i)
        counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

void Histogram::reset()
{
    std::fill(counts_.begin(), counts_.end(), 0);
    count_ = 0;
    sum_ = 0;
    min_ = std::numeric_limits<double>::infinity();
    max_ = -std::numeric_limits<double>::infinity();
}

double Histogram::midpointOf(int index)
{
    if (index == 0)
        return 0.0;
    const int i = index - 1;
    const int exponent = i / SubBuckets + MinExponent;
    const int sub = i % SubBuckets;
    const double lower = std::ldexp(1.0 + double(sub) / SubBuckets, exponent);
    const double width = std::ldexp(1.0 / SubBuckets, exponent);
    return lower + width / 2;
}

double Histogram::quantile(double q) const
{
    if (count_ == 0)
        return 0.0;
    q = std::clamp(q, 0.0, 1.0);
    // Nearest rank: the smallest value with at least ceil(q * n) observations at or below.
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(q * double(count_))));
    std::uint64_t seen = 0;
    for (int i = 0; i < BucketCount; ++i) {
        seen += counts_[i];
        if (seen >= rank)
            return std::clamp(midpointOf(i), min_, max_);
    }
    return max_;
}

} // namespace ql
