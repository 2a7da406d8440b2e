// A small painted chart of a distribution's density, so the user sees what "lognormal,
// mean 1, stddev 2" looks like before running anything: the density curve (a histogram of
// the samples for an empirical distribution, a spike for a constant), with the mean marked
// and the mean and squared coefficient of variation written beside it.
#pragma once

#include "random/distribution.h"

#include <QColor>
#include <QWidget>

#include <vector>

namespace ql {

class DistributionPreview : public QWidget
{
    Q_OBJECT
public:
    explicit DistributionPreview(QWidget *parent = nullptr);

    void setDistribution(const Distribution &distribution);
    const Distribution &distribution() const { return dist_; }
    void setAccent(const QColor &color);

    QSize sizeHint() const override { return {240, 92}; }
    QSize minimumSizeHint() const override { return {160, 80}; }

    // Density at x (0 where undefined; the spike of a constant is not a density).
    static double density(const Distribution &d, double x);
    // The x range worth drawing: from 0 to about the 99.5th percentile.
    static double upperBound(const Distribution &d);
    // "mean 1 · SCV 1" with the distribution's exact moments.
    static QString momentsText(const Distribution &d);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Distribution dist_;
    QColor accent_;
};

} // namespace ql
