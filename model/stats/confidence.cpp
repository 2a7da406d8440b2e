#include "stats/confidence.h"

#include <cmath>

namespace ql {

double studentT975(int df)
{
    // Exact table for small df; beyond it the Cornish-Fisher expansion around the normal
    // quantile is accurate to better than 1e-6.
    static const double table[] = {
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
        2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
        2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
        2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
    if (df < 1)
        return std::nan("");
    if (df <= 30)
        return table[df - 1];
    const double z = 1.959963984540054;
    const double n = df;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n)
        + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
}

MeanCi meanCi(const std::vector<double> &values)
{
    MeanCi r;
    if (values.empty())
        return r;
    double sum = 0;
    for (double v : values)
        sum += v;
    const double n = double(values.size());
    r.mean = sum / n;
    if (values.size() < 2)
        return r;
    double ss = 0;
    for (double v : values)
        ss += (v - r.mean) * (v - r.mean);
    const double sd = std::sqrt(ss / (n - 1));
    r.ci95 = studentT975(int(values.size()) - 1) * sd / std::sqrt(n);
    return r;
}

} // namespace ql
