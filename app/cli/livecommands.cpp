// `queuelab-cli live` and `queuelab-cli compare`: the scenario as real traffic on a live
// backend, measured into the same results as a simulation, and the two side by side.
#include "clicommands.h"
#include "clisupport.h"
#include "resultstable.h"

#include "live/comparison.h"
#include "live/liverunner.h"
#include "live/livesetup.h"
#include "scenario/scenarioio.h"
#include "stats/resultsio.h"
#include "theory/theory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace ql::cli {

namespace {

// Everything live and compare share: the parsed live options and the scenario.
struct LiveSetup
{
    Options opts;
    Scenario scenario;
    std::string fileName;
    LiveOptions live;
    std::string secret; // the URI's password, to keep out of every message
};

std::string timeScaleLine(const Scenario &s, const LiveOptions &o)
{
    return ql::timeScaleLine(s, o, "change it with --time-scale");
}

// Parses the options common to live and compare. Returns an exit code on failure.
std::optional<int> prepare(const std::vector<std::string> &args, const std::vector<std::string> &extra,
                           const char *command, LiveSetup *out)
{
    std::vector<std::string> valued = {"--backend", "--uri", "--duration", "--time-scale", "--seed",
                                       "--json"};
    valued.insert(valued.end(), extra.begin(), extra.end());
    std::string error;
    auto opts = parseOptions(args, valued, &error);
    if (!opts)
        return badUsage(error);
    if (opts->positional.size() != 1)
        return badUsage(std::string(command) + " takes exactly one scenario file");
    out->opts = *opts;
    const std::string &file = opts->positional.front();
    out->fileName = std::filesystem::path(file).filename().string();

    LiveOptions &lo = out->live;
    if (const std::string *v = opts->value("--backend")) {
        if (*v != "embedded" && *v != "amqp")
            return badUsage("--backend: must be embedded or amqp, got '" + *v + "'");
        lo.backend = *v;
    }
    if (const std::string *v = opts->value("--uri")) {
        lo.uri = *v;
        if (lo.backend == "embedded" && !opts->quiet)
            std::fprintf(stderr, "warning: --uri is ignored by the embedded backend (use --backend amqp)\n");
    }
    const char *env = std::getenv("QUEUELAB_AMQP_URI");
    out->secret = uriPassword(!lo.uri.empty() ? lo.uri : (env ? env : ""));
    if (const std::string *v = opts->value("--duration")) {
        double t = 0;
        if (!parseNumber(*v, &t) || !(t > 0) || !std::isfinite(t))
            return badUsage("--duration: must be a number of wall-clock seconds > 0, got '" + *v + "'");
        lo.durationSeconds = t;
    }
    if (const std::string *v = opts->value("--time-scale")) {
        double f = 0;
        if (!parseNumber(*v, &f) || !(f > 0) || !std::isfinite(f))
            return badUsage("--time-scale: must be a number > 0 (wall seconds per scenario second), got '"
                            + *v + "'");
        lo.timeScale = f;
    }
    if (const std::string *v = opts->value("--seed")) {
        std::uint64_t seed = 0;
        if (!parseNumber(*v, &seed))
            return badUsage("--seed: must be a whole number >= 0, got '" + *v + "'");
        lo.seed = seed;
    }

    std::optional<Scenario> scenario = load(file, opts->quiet);
    if (!scenario)
        return ExitBadInput;
    out->scenario = *scenario;
    for (const char *flag : {"--json", "--csv", "--series"})
        if (const std::string *v = opts->value(flag))
            if (!checkOutputPath(flag, *v))
                return ExitBadInput;
    return std::nullopt;
}

std::string num(double v)
{
    return fmt::number(v);
}

std::string liveSummary(const LiveSetup &setup, const LiveReport &report)
{
    const Scenario effective = liveScenario(setup.scenario, setup.live);
    const std::string unit = timeUnitName(setup.scenario.timeUnit);
    char buf[640];
    std::snprintf(buf, sizeof buf, "live on %s (%s); %s; %s %s (warm-up %s %s) = %.1f s wall",
                  report.backend.c_str(), redactSecret(report.where, setup.secret).c_str(),
                  timeScaleLine(setup.scenario, setup.live).c_str(), num(effective.run.duration).c_str(),
                  unit.c_str(), num(effective.run.warmup).c_str(), unit.c_str(),
                  effective.run.duration * report.wallPerUnit);
    std::string s = buf;
    if (report.endedEarly)
        s += "; ended early: the message limits were reached and every message was served";
    return s;
}

// Runs the live part; prints progress and the failure message. Sets *exitCode when the run
// could not start (bad input, unreachable broker): nothing to write then.
LiveReport runLive(const LiveSetup &setup, bool quiet, std::optional<int> *exitCode)
{
    const Scenario effective = liveScenario(setup.scenario, setup.live);
    const double wall = effective.run.duration * wallSecondsPerUnit(setup.scenario, setup.live);
    if (!quiet)
        std::fprintf(stderr, "live: %s backend, %s; about %.1f s wall\n", setup.live.backend.c_str(),
                     timeScaleLine(setup.scenario, setup.live).c_str(), wall);
    Progress progress(!quiet, "live");
    LiveRunner runner(setup.scenario, setup.live);
    runner.setCancelFlag(&g_interrupted);
    runner.setProgress([&](double f) { progress.update(f); });
    LiveReport report = runner.run();
    progress.done();
    report.error = redactSecret(report.error, setup.secret);
    report.results.error = redactSecret(report.results.error, setup.secret);
    for (std::string &w : report.warnings)
        w = redactSecret(w, setup.secret);
    if (report.setupFailed) {
        std::fprintf(stderr, "error: %s\n", report.error.c_str());
        *exitCode = ExitBadInput;
        return report;
    }
    if (!quiet)
        for (const std::string &w : report.warnings)
            std::fprintf(stderr, "warning: %s\n", w.c_str());
    return report;
}

int finalCode(const LiveReport &report, bool interrupted)
{
    if (interrupted)
        return ExitInterrupted;
    if (report.results.partial)
        return ExitPartial;
    return ExitOk;
}

void explainPartial(const LiveReport &report, bool interrupted)
{
    if (interrupted)
        std::fprintf(stderr, "warning: the live run was interrupted; the results cover what was measured (partial)\n");
    else if (report.results.partial)
        std::fprintf(stderr, "error: the live run ended early: %s\nThe results cover what was measured (partial).\n",
                     report.results.error.c_str());
}

// One line of the side-by-side table.
std::string comparisonTable(const Scenario &scenario, const Comparison &c)
{
    const std::string unit = timeUnitName(scenario.timeUnit);
    struct Line
    {
        std::string node, metric, sim, live, diff, inside;
    };
    std::vector<Line> lines;
    lines.push_back({"node", "metric", "simulation ± ci95", "live", "difference", "live in CI"});
    for (const ComparisonRow &r : c.rows) {
        Line l;
        l.node = r.node.empty() ? "end-to-end" : r.node;
        l.metric = r.metric;
        if (r.metric == "throughput")
            l.metric += " /" + unit;
        else if (r.metric.rfind("latency", 0) == 0 || r.metric == "wait_mean")
            l.metric += " " + unit;
        l.sim = num(r.simulation) + (r.ci95 ? " ± " + num(*r.ci95) : std::string());
        l.live = r.live ? num(*r.live) : "n/a";
        if (r.relative) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%+.1f%%", *r.relative * 100);
            l.diff = buf;
        } else {
            l.diff = "n/a";
        }
        l.inside = r.inside ? (*r.inside ? "yes" : "no") : "n/a";
        lines.push_back(l);
    }
    auto cols = [](const std::string &s) {
        std::size_t n = 0;
        for (unsigned char ch : s)
            n += (ch & 0xC0) != 0x80;
        return n;
    };
    std::size_t w[6] = {};
    for (const Line &l : lines) {
        const std::string *cells[] = {&l.node, &l.metric, &l.sim, &l.live, &l.diff, &l.inside};
        for (int i = 0; i < 6; ++i)
            w[i] = std::max(w[i], cols(*cells[i]));
    }
    auto pad = [&](const std::string &s, std::size_t width, bool right) {
        const std::size_t n = cols(s);
        const std::string fill(width > n ? width - n : 0, ' ');
        return right ? fill + s : s + fill;
    };
    std::string out;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const Line &l = lines[k];
        std::string line = pad(l.node, w[0], false) + "  " + pad(l.metric, w[1], false) + "  "
            + pad(l.sim, w[2], k > 0) + "  " + pad(l.live, w[3], k > 0) + "  " + pad(l.diff, w[4], k > 0)
            + "  " + pad(l.inside, w[5], false);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
        if (k == 0)
            out += std::string(cols(line), '-') + "\n";
    }
    return out;
}

} // namespace

int liveCommand(const std::vector<std::string> &args)
{
    LiveSetup setup;
    if (auto code = prepare(args, {"--csv", "--series"}, "live", &setup))
        return *code;
    const bool quiet = setup.opts.quiet;

    InterruptGuard guard;
    std::optional<int> failed;
    const LiveReport report = runLive(setup, quiet, &failed);
    if (failed)
        return *failed;
    const bool interrupted = g_interrupted.load();

    if (!quiet) {
        RunInfo info;
        info.file = setup.fileName;
        info.seconds = report.wallSeconds;
        info.summary = liveSummary(setup, report);
        const Scenario effective = liveScenario(setup.scenario, setup.live);
        std::fputs(formatResultsTable(effective, report.results, analyze(effective), info).c_str(), stdout);
        std::fflush(stdout);
    }
    explainPartial(report, interrupted);

    bool ok = true;
    if (const std::string *v = setup.opts.value("--json"))
        ok = writeOutput(*v, resultsToJson(report.results)) && ok;
    if (const std::string *v = setup.opts.value("--csv"))
        ok = writeOutput(*v, resultsToCsv(report.results)) && ok;
    if (const std::string *v = setup.opts.value("--series"))
        ok = writeOutput(*v, seriesToCsv(report.results.series)) && ok;
    if (!ok)
        return ExitBadInput;
    return finalCode(report, interrupted);
}

int compareCommand(const std::vector<std::string> &args)
{
    LiveSetup setup;
    if (auto code = prepare(args, {"--replications", "--threads"}, "compare", &setup))
        return *code;
    const bool quiet = setup.opts.quiet;
    int threads = 0;
    if (const std::string *v = setup.opts.value("--threads")) {
        if (!parseNumber(*v, &threads) || threads < 1)
            return badUsage("--threads: must be a whole number >= 1, got '" + *v + "'");
    }
    // The simulation runs the very scenario the live run executes (same duration/warm-up).
    Scenario simScenario = comparisonScenario(setup.scenario, setup.live);
    if (const std::string *v = setup.opts.value("--replications")) {
        int r = 0;
        if (!parseNumber(*v, &r) || r < 1)
            return badUsage("--replications: must be a whole number >= 1, got '" + *v + "'");
        simScenario.run.replications = r;
    }
    const Diagnostics check = validateScenario(simScenario, setup.fileName);
    if (check.hasErrors()) {
        for (const Diagnostic &d : check.errors())
            std::fprintf(stderr, "error: %s (after the command-line overrides)\n", d.toString().c_str());
        return ExitBadInput;
    }

    InterruptGuard guard;
    SimulatedRuns sim;
    {
        Progress progress(!quiet);
        RunOptions ro;
        ro.threads = threads;
        ro.cancel = &g_interrupted;
        ro.progress = [&](double f) { progress.update(f); };
        sim = simulateReplications(simScenario, ro);
        progress.done();
    }
    LiveReport report;
    std::optional<int> failed;
    if (!g_interrupted.load()) {
        report = runLive(setup, quiet, &failed);
        if (failed)
            return *failed;
    } else {
        report.results = aggregate(simScenario, {}, setup.live.backend, std::nullopt);
        report.results.partial = true;
        report.results.error = "interrupted before the live run started";
        report.backend = setup.live.backend;
        report.wallPerUnit = wallSecondsPerUnit(setup.scenario, setup.live);
    }
    const bool interrupted = g_interrupted.load();

    const Comparison comparison = compareResults(simScenario, sim.results, sim.runs, report.results);
    if (!quiet) {
        const std::string unit = timeUnitName(simScenario.timeUnit);
        std::printf("%s — %s\n", setup.fileName.c_str(), simScenario.name.c_str());
        std::printf("simulation: %d replication%s × %s %s (warm-up %s %s), seed %llu%s\n",
                    sim.results.replications, sim.results.replications == 1 ? "" : "s",
                    num(simScenario.run.duration).c_str(), unit.c_str(), num(simScenario.run.warmup).c_str(),
                    unit.c_str(), static_cast<unsigned long long>(simScenario.run.seed),
                    sim.results.partial ? " (PARTIAL)" : "");
        const std::string partial = report.results.partial ? " (PARTIAL: " + report.results.error + ")" : "";
        std::printf("%s%s\n\n", liveSummary(setup, report).c_str(), partial.c_str());
        std::fputs(comparisonTable(simScenario, comparison).c_str(), stdout);
        std::printf("\ndifference = (live - simulation) / simulation; \"live in CI\": inside the simulation's 95%% interval\n"
                    "(percentiles: the interval of the per-replication percentiles)\n");
        std::fflush(stdout);
    }
    explainPartial(report, interrupted);

    if (const std::string *v = setup.opts.value("--json")) {
        ComparisonInfo info;
        info.backend = report.backend;
        info.wallPerUnit = report.wallPerUnit;
        info.timeScale = timeScaleOf(setup.scenario, report.wallPerUnit);
        info.wallSeconds = report.wallSeconds;
        if (!writeOutput(*v, comparisonToJson(sim.results, report.results, comparison, info)))
            return ExitBadInput;
    }
    return finalCode(report, interrupted);
}

} // namespace ql::cli
