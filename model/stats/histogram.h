// A streaming histogram for latencies and waits: log-linear buckets in the manner of
// HdrHistogram. Each power of two is split into 64 equal sub-buckets, so a bucket spans at
// most 1/64 of its lower edge and its midpoint is within 0.8% of any value inside it:
// percentiles carry a relative error <= 1% while memory stays fixed (about 40 KiB) whatever
// the number of observations. Zero and sub-nanoscale values share bucket 0; the exact mean,
// minimum and maximum are tracked beside the buckets.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace ql {

class Histogram
{
public:
    static constexpr int SubBucketBits = 6;
    static constexpr int SubBuckets = 1 << SubBucketBits;
    static constexpr int MinExponent = -40; // 2^-40 ~ 1e-12: anything below counts as 0
    static constexpr int MaxExponent = 60;  // 2^60 ~ 1e18: anything above is clamped
    static constexpr int BucketCount = (MaxExponent - MinExponent) * SubBuckets + 1;

    Histogram();

    void add(double value)
    {
        counts_[indexOf(value)]++;
        ++count_;
        sum_ += value;
        if (value > max_)
            max_ = value;
        if (value < min_)
            min_ = value;
    }

    void merge(const Histogram &other);
    void reset();

    std::uint64_t count() const { return count_; }
    double sum() const { return sum_; }
    double mean() const { return count_ ? sum_ / double(count_) : 0.0; }
    double max() const { return count_ ? max_ : 0.0; }
    double min() const { return count_ ? min_ : 0.0; }
    // The q-quantile, q in [0, 1] (0.5 = median), by the nearest-rank rule on buckets.
    double quantile(double q) const;

    // Calls f(lower, upper, count) for every non-empty bucket, in increasing order, so a
    // chart can draw the distribution without knowing the bucket layout. Bucket 0 (zero and
    // values below 2^-40) reports [0, 2^-40).
    template<class F>
    void forEachBucket(F &&f) const
    {
        for (int i = 0; i < BucketCount; ++i) {
            if (counts_[std::size_t(i)] == 0)
                continue;
            if (i == 0) {
                f(0.0, 0x1.0p-40, counts_[0]);
                continue;
            }
            const int exponent = (i - 1) / SubBuckets + MinExponent;
            const int sub = (i - 1) % SubBuckets;
            const double lower = std::ldexp(1.0 + double(sub) / SubBuckets, exponent);
            f(lower, lower + std::ldexp(1.0 / SubBuckets, exponent), counts_[std::size_t(i)]);
        }
    }

    bool operator==(const Histogram &) const = default;

private:
    static int indexOf(double value)
    {
        if (!(value >= 0x1.0p-40)) // also catches NaN and negatives
            return 0;
        std::uint64_t bits;
        std::memcpy(&bits, &value, sizeof bits);
        const int exponent = int((bits >> 52) & 0x7ff) - 1023;
        if (exponent >= MaxExponent)
            return BucketCount - 1;
        const int sub = int((bits >> (52 - SubBucketBits)) & (SubBuckets - 1));
        return 1 + (exponent - MinExponent) * SubBuckets + sub;
    }
    static double midpointOf(int index);

    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    double sum_ = 0;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

} // namespace ql
