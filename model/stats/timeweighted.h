// The time average of a piecewise-constant quantity (queue length, busy servers): the
// integral of the value over time, divided by the time observed.
#pragma once

#include <algorithm>

namespace ql {

class TimeWeighted
{
public:
    // Start (or restart, at the end of warm-up) observing at time t with the current value.
    void restart(double t, double value)
    {
        start_ = last_ = t;
        value_ = value;
        area_ = 0;
        max_ = value;
    }

    // The value changes to `value` at time t (t never decreases).
    void set(double t, double value)
    {
        area_ += value_ * (t - last_);
        last_ = t;
        value_ = value;
        if (value > max_)
            max_ = value;
    }

    double current() const { return value_; }
    double max() const { return max_; }
    // The integral up to time t.
    double area(double t) const { return area_ + value_ * (t - last_); }
    double mean(double t) const { return t > start_ ? area(t) / (t - start_) : value_; }

private:
    double start_ = 0, last_ = 0, value_ = 0, area_ = 0, max_ = 0;
};

} // namespace ql
