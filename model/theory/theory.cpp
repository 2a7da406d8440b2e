#include "theory/theory.h"

#include "theory/stationdetail.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>
#include <limits>
#include <string>

namespace ql {

namespace {

constexpr double Inf = std::numeric_limits<double>::infinity();
constexpr double QuantileLevels[] = {0.50, 0.90, 0.95, 0.99};

std::string mmModel(int c, int K)
{
    std::string m = "M/M/" + std::to_string(c);
    if (K > 0)
        m += "/" + std::to_string(K);
    return m;
}

// Smallest t >= 0 with survival(t) <= target, for a non-increasing survival function, by
// bracketing then bisection to relative precision ~1e-12.
template <typename Survival>
double solveQuantile(Survival survival, double target, double scale)
{
    if (survival(0.0) <= target)
        return 0.0;
    double lo = 0, hi = scale > 0 ? scale : 1.0;
    for (int i = 0; i < 2000 && survival(hi) > target; ++i) {
        lo = hi;
        hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (survival(mid) > target ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

// P(T > t) for T = Erlang(J, rate) with a random number of phases J, given
// phaseTail[j] = P(J > j): T > t exactly when fewer than J Poisson(rate) events fall in
// [0, t], so P(T > t) = sum_j P(Poisson(rate t) = j) P(J > j). The Poisson terms are built
// in the log domain (e^-x underflows for x > 745 while the terms near j = x do not).
double erlangMixtureSurvival(const std::vector<double> &phaseTail, double rate, double t)
{
    const double x = rate * t;
    if (x <= 0)
        return phaseTail.empty() ? 0.0 : phaseTail.front();
    const double logX = std::log(x);
    double logPmf = -x; // j = 0
    double sum = 0;
    for (std::size_t j = 0; j < phaseTail.size(); ++j) {
        if (j > 0)
            logPmf += logX - std::log(double(j));
        const double term = std::exp(logPmf) * phaseTail[j];
        sum += term;
        // Past the mode the Poisson terms only shrink: stop once they no longer count.
        if (double(j) > x && std::exp(logPmf) < 1e-18 * sum)
            break;
    }
    return std::min(sum, 1.0);
}

// Sojourn survival of FIFO M/M/c: the wait is 0 with probability 1 - C and otherwise
// exponential with rate theta = c mu - lambda; the service, exponential(mu), is added.
double mmcSojournSurvival(double C, double theta, double mu, double t)
{
    // P(E_theta + E_mu > t) = e^-mu t + mu e^-theta t (1 - e^-(mu-theta) t) / (mu - theta),
    // written with expm1 so that theta close to mu loses no digits.
    const double d = mu - theta;
    const double ratio = std::abs(d * t) < 1e-300 ? t : -std::expm1(-d * t) / d;
    const double both = std::exp(-mu * t) + mu * std::exp(-theta * t) * ratio;
    return (1 - C) * std::exp(-mu * t) + C * both;
}

void setUnstable(StationTheory &s)
{
    s.stable = false;
    s.utilization = 1;
    s.meanQueueLength = s.meanInSystem = s.meanWait = s.meanSojourn = Inf;
}

} // namespace

namespace theorydetail {

std::vector<double> mmckDistribution(double lambda, double mu, int c, int K)
{
    assert(c >= 1 && K >= c && mu > 0 && lambda >= 0);
    std::vector<double> p(std::size_t(K) + 1);
    const double logA = std::log(lambda / mu); // -inf for lambda = 0: only state 0 remains
    double logTerm = 0, maxLog = 0;
    p[0] = 0;
    for (int n = 1; n <= K; ++n) {
        logTerm += logA - std::log(double(std::min(n, c)));
        p[std::size_t(n)] = logTerm;
        maxLog = std::max(maxLog, logTerm);
    }
    double total = 0;
    for (double &v : p) {
        v = std::exp(v - maxLog);
        total += v;
    }
    for (double &v : p)
        v /= total;
    return p;
}

double excessMean(const std::vector<double> &p, int slots)
{
    double sum = 0;
    for (std::size_t n = std::size_t(std::max(slots, 0)) + 1; n < p.size(); ++n)
        sum += double(n - std::size_t(slots)) * p[n];
    return sum;
}

double mmcExcessMean(double lambda, double mu, int c, int slots)
{
    const double rho = lambda / (c * mu);
    if (!(rho < 1))
        return Inf;
    // P(N = c + k) = P(N = c) rho^k and C = P(N >= c) = P(N = c) / (1 - rho).
    return erlangC(c, lambda / mu) * std::pow(rho, slots - c + 1) / (1 - rho);
}

} // namespace theorydetail

double erlangC(int c, double a)
{
    assert(c >= 1);
    if (!(a > 0))
        return 0;
    if (a >= c)
        return 1;
    // Erlang B by its recursion stays in [0, 1] at every step, unlike a^c / c!.
    double B = 1;
    for (int k = 1; k <= c; ++k)
        B = a * B / (k + a * B);
    const double rho = a / c;
    return B / (1 - rho * (1 - B));
}

StationTheory mmc(double lambda, double mu, int c)
{
    assert(c >= 1 && mu > 0 && lambda >= 0);
    StationTheory s;
    s.model = mmModel(c, 0);
    s.lambda = lambda;
    s.throughput = lambda;
    const double a = lambda / mu;
    const double rho = a / c;
    s.utilization = rho;
    if (!(rho < 1)) {
        setUnstable(s);
        return s;
    }
    const double C = erlangC(c, a);
    const double theta = c * mu - lambda;
    s.meanWait = C / theta;
    s.meanQueueLength = lambda * s.meanWait;
    s.meanSojourn = s.meanWait + 1 / mu;
    s.meanInSystem = lambda * s.meanSojourn;

    // P(Wq > t) = C e^(-theta t)  =>  q_p = max(0, ln(C / (1 - p)) / theta).
    auto waitQ = [&](double p) { return std::max(0.0, std::log(C / (1 - p)) / theta); };
    s.waitP50 = waitQ(0.50);
    s.waitP90 = waitQ(0.90);
    s.waitP95 = waitQ(0.95);
    s.waitP99 = waitQ(0.99);
    auto sojournQ = [&](double p) {
        if (c == 1)
            return -std::log1p(-p) / theta; // exponential with rate mu - lambda
        return solveQuantile([&](double t) { return mmcSojournSurvival(C, theta, mu, t); },
                             1 - p, 1 / mu);
    };
    s.sojournP50 = sojournQ(0.50);
    s.sojournP95 = sojournQ(0.95);
    s.sojournP99 = sojournQ(0.99);
    return s;
}

// M/M/c+D by the virtual waiting time V (the wait an arrival would have, which with a fixed
// patience decides at arrival whether it will be served: it is iff V < D). While fewer
// than c servers are busy V = 0, with probabilities pi_n = pi_0 a^n / n!. While all are
// busy V falls at rate 1 and jumps by an Exp(c mu) work share with every arrival that
// joins (those with V < D), so its density is
//   g(v) = lambda pi_{c-1} e^{-(c mu - lambda) v}                       for 0 < v < D,
//   g(v) = lambda pi_{c-1} e^{-(c mu - lambda) D} e^{-c mu (v - D)}    for v > D.
// By PASTA, P(expire) = P(V >= D); served messages wait E[V; V < D] / P(V < D); the queue
// holds lambda E[min(V, D)] messages on average (Little: every message waits min(V, D)).
StationTheory mmcPatient(double lambda, double mu, int c, double patience)
{
    assert(c >= 1 && mu > 0 && lambda >= 0 && patience >= 0);
    StationTheory s;
    s.model = mmModel(c, 0) + "+D";
    s.lambda = lambda;
    const double a = lambda / mu;
    const double D = patience;
    const double cmu = c * mu;
    const double beta = cmu - lambda;
    // pi_n / pi_0 = a^n / n!, in logs (a and c may be large), scaled by the largest term.
    std::vector<double> lt(static_cast<std::size_t>(c));
    double top = -HUGE_VAL;
    for (int n = 0; n < c; ++n) {
        lt[std::size_t(n)] = (a > 0 ? n * std::log(a) : (n == 0 ? 0.0 : -HUGE_VAL)) - std::lgamma(n + 1.0);
        top = std::max(top, lt[std::size_t(n)]);
    }
    double idle = 0; // sum of pi_n, n < c, times the scale
    for (double l : lt)
        idle += std::exp(l - top);
    const double w = lambda * std::exp(lt.back() - top); // lambda pi_{c-1}, same scale
    // The integrals of g / w over (0, D) and (D, inf) and of v g / w over (0, D); when the
    // queue is overloaded (beta < 0) they grow like e^{-beta D}, so all are taken times
    // f = e^{beta D} then, and so is the idle mass.
    const double x = beta * D;
    double below, above, vBelow, f = 1;
    if (std::fabs(x) < 1e-6) {
        below = D;
        above = 1 / cmu;
        vBelow = D * D / 2;
    } else if (beta > 0) {
        const double eD = std::exp(-x);
        below = (1 - eD) / beta;
        above = eD / cmu;
        vBelow = (1 - eD * (1 + x)) / (beta * beta);
    } else {
        f = std::exp(x); // < 1
        below = (f - 1) / beta;
        above = 1 / cmu;
        vBelow = (f - (1 + x)) / (beta * beta);
    }
    const double Z = idle * f + w * (below + above);
    const double pAbandon = w * above / Z;
    const double waitServed = w * vBelow / Z; // E[V; V < D]
    const double served = 1 - pAbandon;
    s.abandonment = pAbandon;
    s.throughput = lambda * served;
    s.utilization = s.throughput / cmu;
    s.meanWait = served > 0 ? waitServed / served : 0;
    s.meanQueueLength = lambda * (waitServed + D * pAbandon);
    s.meanSojourn = s.meanWait + 1 / mu;
    s.meanInSystem = s.meanQueueLength + s.throughput / mu;
    s.stable = true;
    return s;
}

StationTheory mmck(double lambda, double mu, int c, int K)
{
    assert(c >= 1 && K >= c && mu > 0 && lambda >= 0);
    StationTheory s;
    s.model = mmModel(c, K);
    s.lambda = lambda;
    const std::vector<double> p = theorydetail::mmckDistribution(lambda, mu, c, K);
    s.blocking = p.back();
    s.throughput = lambda * (1 - s.blocking);
    s.utilization = s.throughput / (c * mu);
    double L = 0;
    for (std::size_t n = 1; n < p.size(); ++n)
        L += double(n) * p[n];
    s.meanInSystem = L;
    s.meanQueueLength = theorydetail::excessMean(p, c);
    if (s.throughput > 0) {
        s.meanWait = s.meanQueueLength / s.throughput;
        s.meanSojourn = L / s.throughput;
    } else {
        s.meanSojourn = 1 / mu;
    }

    // Quantiles. An accepted arrival finds n < K with probability p_n / (1 - p_K) (PASTA);
    // it then waits for n - c + 1 departures at rate c mu when n >= c, so the wait is an
    // Erlang mixture. Past ~10^5 states the sums cost more than they are worth.
    if (K <= 100000 && s.blocking < 1) {
        const double accepted = 1 - s.blocking;
        // waitTail[j] = P(n - c + 1 > j) = P(n >= c + j), over accepted arrivals.
        std::vector<double> waitTail(std::size_t(K - c));
        double acc = 0;
        for (int j = K - c - 1; j >= 0; --j) {
            acc += p[std::size_t(c + j)] / accepted;
            waitTail[std::size_t(j)] = acc;
        }
        const double rate = c * mu;
        auto waitQ = [&](double level) {
            return solveQuantile([&](double t) { return erlangMixtureSurvival(waitTail, rate, t); },
                                 1 - level, 1 / rate);
        };
        s.waitP50 = waitQ(QuantileLevels[0]);
        s.waitP90 = waitQ(QuantileLevels[1]);
        s.waitP95 = waitQ(QuantileLevels[2]);
        s.waitP99 = waitQ(QuantileLevels[3]);
        if (c == 1) {
            // One server: the sojourn is n + 1 services at rate mu.
            std::vector<double> sojournTail(static_cast<std::size_t>(K));
            acc = 0;
            for (int j = K - 1; j >= 0; --j) {
                acc += p[std::size_t(j)] / accepted;
                sojournTail[std::size_t(j)] = acc;
            }
            auto sojournQ = [&](double level) {
                return solveQuantile(
                    [&](double t) { return erlangMixtureSurvival(sojournTail, mu, t); },
                    1 - level, 1 / mu);
            };
            s.sojournP50 = sojournQ(0.50);
            s.sojournP95 = sojournQ(0.95);
            s.sojournP99 = sojournQ(0.99);
        }
    }
    return s;
}

StationTheory mg1(double lambda, double meanService, double scvService)
{
    assert(meanService > 0 && lambda >= 0 && scvService >= 0);
    StationTheory s;
    s.model = scvService == 0 ? "M/D/1" : "M/G/1";
    s.lambda = lambda;
    s.throughput = lambda;
    const double rho = lambda * meanService;
    s.utilization = rho;
    if (!(rho < 1)) {
        setUnstable(s);
        return s;
    }
    // Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)).
    const double secondMoment = (1 + scvService) * meanService * meanService;
    s.meanWait = lambda * secondMoment / (2 * (1 - rho));
    s.meanQueueLength = lambda * s.meanWait;
    s.meanSojourn = s.meanWait + meanService;
    s.meanInSystem = lambda * s.meanSojourn;
    return s;
}

} // namespace ql
