// Densities and the painted mini chart (see distributionpreview.h).
#include "distributionpreview.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ql {

namespace {

constexpr double kSqrt2Pi = 2.5066282746310002;

double normalCdf(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double gammaDensity(double shape, double scale, double x)
{
    if (x < 0 || shape <= 0 || scale <= 0)
        return 0;
    if (x == 0)
        return shape < 1 ? INFINITY : (shape == 1 ? 1 / scale : 0);
    return std::exp((shape - 1) * std::log(x) - x / scale - std::lgamma(shape) - shape * std::log(scale));
}

bool isSpike(const Distribution &d)
{
    switch (d.kind) {
    case DistKind::Deterministic: return true;
    case DistKind::Uniform: return d.max <= d.min;
    case DistKind::Normal:
    case DistKind::Lognormal: return d.stddev <= 0;
    default: return false;
    }
}

double spikeAt(const Distribution &d)
{
    switch (d.kind) {
    case DistKind::Deterministic: return d.value;
    case DistKind::Uniform: return d.min;
    default: return d.mean;
    }
}

QString num(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("\u221e");
    return QString::number(v, 'g', 3);
}

} // namespace

DistributionPreview::DistributionPreview(QWidget *parent)
    : QWidget(parent)
    , accent_(0x25, 0x68, 0xd8)
{
    setObjectName(QStringLiteral("distributionPreview"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(80);
}

void DistributionPreview::setDistribution(const Distribution &distribution)
{
    dist_ = distribution;
    update();
}

void DistributionPreview::setAccent(const QColor &color)
{
    accent_ = color;
    update();
}

double DistributionPreview::density(const Distribution &d, double x)
{
    if (x < 0)
        return 0;
    switch (d.kind) {
    case DistKind::Deterministic:
        return 0;
    case DistKind::Exponential:
        return d.mean > 0 ? std::exp(-x / d.mean) / d.mean : 0;
    case DistKind::Uniform:
        return d.max > d.min && x >= d.min && x <= d.max ? 1 / (d.max - d.min) : 0;
    case DistKind::Normal: {
        if (d.stddev <= 0)
            return 0;
        // Redrawn while negative: the density is the normal one scaled up over x >= 0.
        const double kept = 1 - normalCdf(-d.mean / d.stddev);
        const double z = (x - d.mean) / d.stddev;
        return kept > 0 ? std::exp(-0.5 * z * z) / (d.stddev * kSqrt2Pi) / kept : 0;
    }
    case DistKind::Lognormal: {
        if (d.stddev <= 0 || d.mean <= 0 || x <= 0)
            return 0;
        const double s2 = std::log(1 + d.stddev * d.stddev / (d.mean * d.mean));
        const double mu = std::log(d.mean) - s2 / 2;
        const double z = std::log(x) - mu;
        return std::exp(-z * z / (2 * s2)) / (x * std::sqrt(s2) * kSqrt2Pi);
    }
    case DistKind::Erlang:
        return d.k > 0 ? gammaDensity(d.k, d.mean / d.k, x) : 0;
    case DistKind::Gamma:
        return gammaDensity(d.shape, d.scale, x);
    case DistKind::Weibull: {
        if (d.shape <= 0 || d.scale <= 0)
            return 0;
        if (x == 0)
            return d.shape < 1 ? INFINITY : (d.shape == 1 ? 1 / d.scale : 0);
        const double r = x / d.scale;
        return d.shape / d.scale * std::pow(r, d.shape - 1) * std::exp(-std::pow(r, d.shape));
    }
    case DistKind::Hyperexponential: {
        double f = 0;
        for (std::size_t i = 0; i < d.probabilities.size() && i < d.means.size(); ++i)
            if (d.means[i] > 0)
                f += d.probabilities[i] * std::exp(-x / d.means[i]) / d.means[i];
        return f;
    }
    case DistKind::Empirical:
        return 0; // drawn as a histogram
    }
    return 0;
}

double DistributionPreview::upperBound(const Distribution &d)
{
    double hi = 0;
    switch (d.kind) {
    case DistKind::Deterministic: hi = d.value * 2; break;
    case DistKind::Uniform: hi = d.max + (d.max - d.min) * 0.15; break;
    case DistKind::Empirical:
        for (double v : d.samples)
            hi = std::max(hi, v);
        hi *= 1.05;
        break;
    case DistKind::Hyperexponential:
        for (double m : d.means)
            hi = std::max(hi, m * 4);
        break;
    default: {
        const double m = d.expectation();
        const double v = d.variance();
        hi = m + 4 * std::sqrt(std::max(0.0, v));
        // Heavy tails: cap at a multiple of the mean so the body stays visible.
        if (std::isfinite(m) && m > 0)
            hi = std::min(hi, m * 8);
        break;
    }
    }
    if (!std::isfinite(hi) || hi <= 0)
        hi = 1;
    return hi;
}

QString DistributionPreview::momentsText(const Distribution &d)
{
    const double m = d.expectation();
    const double scv = d.scv();
    return tr("mean %1 \u00b7 SCV %2").arg(num(m), num(scv));
}

void DistributionPreview::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor faint = pal.color(QPalette::PlaceholderText);
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawRoundedRect(frame, 6, 6);

    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    const QFontMetricsF fm(small);
    const QRectF plot = frame.adjusted(10, fm.height() + 6, -10, -(fm.height() + 4));
    const double hi = upperBound(dist_);
    auto xToPx = [&](double x) { return plot.left() + x / hi * plot.width(); };

    QColor fill = accent_;
    fill.setAlpha(70);
    const QPen curvePen(accent_, 1.6);

    if (isSpike(dist_)) {
        const double at = spikeAt(dist_);
        const qreal x = xToPx(at);
        p.setPen(QPen(accent_, 2.4, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.top() + 4));
        p.setBrush(accent_);
        p.drawEllipse(QPointF(x, plot.top() + 4), 3, 3);
    } else if (dist_.kind == DistKind::Empirical) {
        const auto &s = dist_.samples;
        if (!s.empty()) {
            const int bins = std::clamp(int(std::sqrt(double(s.size()))), 5, 30);
            std::vector<int> count(std::size_t(bins), 0);
            for (double v : s) {
                const int b = std::clamp(int(v / hi * bins), 0, bins - 1);
                ++count[std::size_t(b)];
            }
            const int top = *std::max_element(count.begin(), count.end());
            const qreal bw = plot.width() / bins;
            p.setPen(QPen(accent_, 1));
            p.setBrush(fill);
            for (int b = 0; b < bins; ++b) {
                if (!count[std::size_t(b)])
                    continue;
                const qreal h = plot.height() * count[std::size_t(b)] / top;
                p.drawRect(QRectF(plot.left() + b * bw + 0.5, plot.bottom() - h, bw - 1, h));
            }
        }
    } else {
        const int n = std::max(60, int(plot.width() / 2));
        std::vector<double> ys(std::size_t(n + 1));
        double top = 0;
        for (int i = 0; i <= n; ++i) {
            const double y = density(dist_, hi * i / n);
            ys[std::size_t(i)] = y;
            if (std::isfinite(y) && i > 0)
                top = std::max(top, y);
        }
        if (top > 0) {
            QPainterPath curve;
            for (int i = 0; i <= n; ++i) {
                const double y = std::isfinite(ys[std::size_t(i)]) ? std::min(ys[std::size_t(i)], top) : top;
                const QPointF pt(plot.left() + plot.width() * i / n, plot.bottom() - plot.height() * y / top);
                if (i == 0)
                    curve.moveTo(pt);
                else
                    curve.lineTo(pt);
            }
            QPainterPath area = curve;
            area.lineTo(plot.bottomRight());
            area.lineTo(plot.bottomLeft());
            area.closeSubpath();
            p.setPen(Qt::NoPen);
            p.setBrush(fill);
            p.drawPath(area);
            p.setPen(curvePen);
            p.setBrush(Qt::NoBrush);
            p.drawPath(curve);
        }
    }

    // Axis, the mean as a dashed marker, and the read-outs.
    p.setPen(QPen(faint, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    const double mean = dist_.expectation();
    if (std::isfinite(mean) && mean >= 0 && mean <= hi) {
        QPen dash(text, 1, Qt::DashLine);
        dash.setColor(QColor(text.red(), text.green(), text.blue(), 150));
        p.setPen(dash);
        p.drawLine(QPointF(xToPx(mean), plot.top()), QPointF(xToPx(mean), plot.bottom()));
    }
    p.setPen(faint);
    const QRectF axisText(plot.left(), plot.bottom() + 2, plot.width(), fm.height());
    p.drawText(axisText, Qt::AlignLeft | Qt::AlignTop, QStringLiteral("0"));
    p.drawText(axisText, Qt::AlignRight | Qt::AlignTop, num(hi));
    p.setPen(text);
    p.drawText(QRectF(plot.left(), frame.top() + 3, plot.width(), fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, momentsText(dist_));
    p.setPen(faint);
    p.drawText(QRectF(plot.left(), frame.top() + 3, plot.width(), fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter,
               dist_.kind == DistKind::Empirical ? tr("histogram") : tr("density"));
}

} // namespace ql
