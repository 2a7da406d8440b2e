#include "resultstable.h"

#include "stats/numberformat.h"
#include "stats/resultrows.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace ql::cli {

namespace {

std::string num(double v)
{
    return fmt::number(v);
}

struct Row
{
    std::string node, kind, metric, value, p50, p95, p99, max, theory;
};

// Width in characters of UTF-8 text (± is two bytes, one column).
std::size_t columns(const std::string &s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string &s, std::size_t width, bool right = false)
{
    const std::size_t w = columns(s);
    if (w >= width)
        return s;
    const std::string fill(width - w, ' ');
    return right ? fill + s : s + fill;
}

std::string renderRows(const std::vector<Row> &rows, bool withTheory)
{
    std::vector<Row> all;
    all.push_back({"node", "kind", "metric", "mean ± ci95", "p50", "p95", "p99", "max",
                   withTheory ? "theory" : ""});
    all.insert(all.end(), rows.begin(), rows.end());
    std::size_t w[9] = {};
    for (const Row &r : all) {
        const std::string *cells[] = {&r.node, &r.kind, &r.metric, &r.value, &r.p50,
                                      &r.p95, &r.p99, &r.max, &r.theory};
        for (int i = 0; i < 9; ++i)
            w[i] = std::max(w[i], columns(*cells[i]));
    }
    std::string out;
    for (std::size_t k = 0; k < all.size(); ++k) {
        const Row &r = all[k];
        std::string line = pad(r.node, w[0]) + "  " + pad(r.kind, w[1]) + "  " + pad(r.metric, w[2])
            + "  " + pad(r.value, w[3], k > 0) + "  " + pad(r.p50, w[4], true) + "  "
            + pad(r.p95, w[5], true) + "  " + pad(r.p99, w[6], true) + "  " + pad(r.max, w[7], true);
        if (withTheory)
            line += "  " + pad(r.theory, w[8], true);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
        if (k == 0)
            out += std::string(columns(line), '-') + "\n";
    }
    return out;
}

Row valueRow(const std::string &node, const std::string &kind, const std::string &metric,
             const std::string &value, std::optional<double> theory)
{
    return {node, kind, metric, value, "", "", "", "", theory ? num(*theory) : ""};
}

std::string unitName(TimeUnit u)
{
    return timeUnitName(u);
}

std::string theorySummary(const TheoryResult &theory)
{
    std::string out;
    if (theory.applicable) {
        out += "Theory: " + theory.model + ".\n";
    } else {
        out += "Theory: not applicable because " + theory.reason + "\n";
    }
    for (const std::string &note : theory.notes)
        out += "  note: " + note + "\n";
    return out;
}

} // namespace

std::string formatResultsTable(const Scenario &scenario, const Results &results,
                               const TheoryResult &theory, const RunInfo &info)
{
    const std::string unit = unitName(scenario.timeUnit);
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%s — %s\n", info.file.c_str(), scenario.name.c_str());
    out += line;
    if (!info.summary.empty()) {
        out += info.summary + (results.partial ? " (PARTIAL: " + results.error + ")" : std::string()) + "\n\n";
    } else {
        std::snprintf(line, sizeof line,
                      "%s × %s %s (warm-up %s %s), seed %llu; %.2f s on %d thread%s, %s events/s%s\n\n",
                      fmt::counted(std::uint64_t(std::max(0, results.replications)), "replication", "replications").c_str(),
                      num(results.duration).c_str(), unit.c_str(), num(results.warmup).c_str(), unit.c_str(),
                      static_cast<unsigned long long>(results.seed.value_or(0)), info.seconds, info.threads,
                      info.threads == 1 ? "" : "s",
                      fmt::rate(info.seconds > 0 ? results.events * results.replications / info.seconds : 0).c_str(),
                      results.partial ? " (PARTIAL: interrupted)" : "");
        out += line;
        if (results.precision)
            out.insert(out.size() - 1, precisionSummary(*results.precision, results.replications) + "\n");
    }

    // A mark after the theory where it lies outside the 95% interval, explained under the table.
    std::vector<Row> rows;
    bool outside = false;
    for (const ResultRow &r : resultRows(scenario, results, theory)) {
        Row row{r.node, r.kind, r.metric, r.valueText(), "", "", "", "", ""};
        for (auto [cell, v] : {std::pair{&row.p50, r.p50}, std::pair{&row.p95, r.p95}, std::pair{&row.p99, r.p99},
                               std::pair{&row.max, r.max}})
            if (v)
                *cell = num(*v);
        if (r.theory)
            row.theory = num(*r.theory) + (r.theoryOutsideInterval() ? " *" : "");
        outside = outside || r.theoryOutsideInterval();
        rows.push_back(std::move(row));
    }
    out += renderRows(rows, true);
    if (outside)
        out += "* theory outside the 95% interval\n";
    out += "\n" + theorySummary(theory);
    return out;
}

std::string formatTheory(const Scenario &scenario, const TheoryResult &theory)
{
    std::string out = scenario.name + "\n" + theorySummary(theory);
    if (!theory.applicable)
        return out;
    const std::string unit = unitName(scenario.timeUnit);
    out += "\n";
    std::vector<Row> rows;
    for (const NodeTheory &q : theory.queues) {
        const StationTheory &s = q.station;
        const std::string model = s.model;
        rows.push_back(valueRow(q.id, model, "arrival rate /" + unit, num(s.lambda), std::nullopt));
        rows.push_back(valueRow(q.id, model, "throughput /" + unit, num(s.throughput), std::nullopt));
        rows.push_back(valueRow(q.id, model, "utilization", num(s.utilization), std::nullopt));
        if (s.blocking > 0)
            rows.push_back(valueRow(q.id, model, "blocking", num(s.blocking), std::nullopt));
        Row wait = valueRow(q.id, model, "wait " + unit, num(s.meanWait), std::nullopt);
        if (s.waitP50)
            wait.p50 = num(*s.waitP50);
        if (s.waitP95)
            wait.p95 = num(*s.waitP95);
        if (s.waitP99)
            wait.p99 = num(*s.waitP99);
        rows.push_back(wait);
        rows.push_back(valueRow(q.id, model, "length", num(s.meanQueueLength), std::nullopt));
        rows.push_back(valueRow(q.id, model, "in system", num(s.meanInSystem), std::nullopt));
        Row sojourn = valueRow(q.id, model, "sojourn " + unit, num(s.meanSojourn), std::nullopt);
        if (s.sojournP50)
            sojourn.p50 = num(*s.sojournP50);
        if (s.sojournP95)
            sojourn.p95 = num(*s.sojournP95);
        if (s.sojournP99)
            sojourn.p99 = num(*s.sojournP99);
        rows.push_back(sojourn);
        if (!s.stable)
            rows.push_back(valueRow(q.id, model, "UNSTABLE", "rho >= 1", std::nullopt));
    }
    for (const DelayTheory &d : theory.delays) {
        rows.push_back(valueRow(d.id, "M/G/inf", "arrival rate /" + unit, num(d.lambda), std::nullopt));
        rows.push_back(valueRow(d.id, "M/G/inf", "delay " + unit, num(d.meanDelay), std::nullopt));
        rows.push_back(valueRow(d.id, "M/G/inf", "in transit", num(d.meanInTransit), std::nullopt));
    }
    if (theory.endToEndThroughput)
        rows.push_back(valueRow("end-to-end", "", "throughput /" + unit, num(*theory.endToEndThroughput), std::nullopt));
    if (theory.endToEndLatency)
        rows.push_back(valueRow("end-to-end", "", "latency " + unit, num(*theory.endToEndLatency), std::nullopt));
    out += renderRows(rows, false);
    return out;
}

} // namespace ql::cli
