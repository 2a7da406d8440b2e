#include "numberformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ql::fmt {

namespace {

// Inserts "," every three digits into the integer part of a plain decimal ("-12345.6").
std::string group(std::string s)
{
    const std::size_t start = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    std::size_t end = s.find('.');
    if (end == std::string::npos)
        end = s.size();
    for (std::size_t i = end; i > start + 3; i -= 3)
        s.insert(i - 3, 1, ',');
    return s;
}

std::string fixed(double v, int decimals)
{
    // Half a unit in the last place rounds away from zero as on paper: 0.8995 (stored as
    // 0.89949999...) to three decimals is 0.900, not 0.899.
    const double nudged = v + std::copysign(std::fabs(v) * 1e-12, v);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), nudged);
    std::string s = buf;
    if (s == "-0" || (s.rfind("-0.", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos))
        s.erase(0, 1); // no "-0.000" for a mean that rounds to zero
    return group(s);
}

std::string nonFinite(double v)
{
    return v > 0 ? "inf" : (v < 0 ? "-inf" : "n/a");
}

} // namespace

std::string number(double v)
{
    if (!std::isfinite(v))
        return nonFinite(v);
    const double a = std::fabs(v);
    char buf[64];
    if (a >= 1e12 || (a != 0 && a < 1e-4)) {
        std::snprintf(buf, sizeof buf, "%.3e", v);
        return buf;
    }
    if (a >= 999.95) // four significant digits would round away the units: show them all
        return fixed(std::round(v), 0);
    if (a == 0)
        return "0";
    // Four significant digits in plain decimals, trailing zeros dropped (0.5, not 0.5000).
    const int magnitude = int(std::floor(std::log10(a)));
    std::string s = fixed(v, std::clamp(3 - magnitude, 0, 8));
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    return s;
}

std::string count(std::uint64_t n)
{
    return group(std::to_string(n));
}

std::string count(double n)
{
    if (!std::isfinite(n))
        return nonFinite(n);
    if (std::fabs(n) >= 1e15)
        return number(n);
    return fixed(std::round(n), 0);
}

std::string withCi(double mean, const std::optional<double> &ci95)
{
    if (!ci95 || !(*ci95 > 0) || !std::isfinite(*ci95) || !std::isfinite(mean))
        return number(mean);
    const double ci = *ci95;
    const int lead = int(std::floor(std::log10(ci))); // the interval's first significant digit
    if (lead < -9 || lead > 11 || std::fabs(mean) >= 1e12)
        return number(mean) + " ± " + number(ci);
    // The mean to the interval's first digit, the interval to its second.
    std::string m, c;
    if (lead >= 1) {
        const double unit = std::pow(10.0, lead);
        m = fixed(std::round(mean / unit) * unit, 0);
        c = fixed(std::round(ci / (unit / 10)) * (unit / 10), 0);
    } else {
        m = fixed(mean, -lead);
        c = fixed(ci, 1 - lead);
    }
    return m + " ± " + c;
}

std::string counted(std::uint64_t n, const std::string &singular, const std::string &plural)
{
    return count(n) + " " + (n == 1 ? singular : plural);
}

std::string percent(double fraction)
{
    if (!std::isfinite(fraction))
        return nonFinite(fraction);
    char buf[32];
    const double p = fraction * 100;
    std::snprintf(buf, sizeof buf, std::fabs(p) >= 10 ? "%.0f" : "%.2g", p);
    return buf;
}

std::string rate(double v)
{
    if (!std::isfinite(v))
        return nonFinite(v);
    char buf[64];
    if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
    else if (v >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string seconds(double secs)
{
    if (!std::isfinite(secs) || secs < 0)
        return "n/a";
    char buf[64];
    if (secs < 10)
        std::snprintf(buf, sizeof buf, "%.2g s", secs);
    else if (secs < 60)
        std::snprintf(buf, sizeof buf, "%.0f s", secs);
    else if (secs < 3600) {
        const long s = std::lround(secs);
        std::snprintf(buf, sizeof buf, "%ld min %ld s", s / 60, s % 60);
    } else {
        const long m = std::lround(secs / 60);
        std::snprintf(buf, sizeof buf, "%ld h %ld min", m / 60, m % 60);
    }
    return buf;
}

} // namespace ql::fmt
