#include "clicommands.h"

#include "clisupport.h"
#include "resultstable.h"

#include "scenario/scenarioio.h"
#include "sim/replications.h"
#include "stats/resultsio.h"
#include "theory/theory.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <unistd.h>

namespace ql::cli {

namespace {

const char *const Usage =
    "usage: queuelab-cli COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run FILE       simulate a scenario and print its statistics beside the theory\n"
    "      --seed N            seed of replication 1 (default: the file's run.seed)\n"
    "      --replications R    number of independent replications (default: the file's)\n"
    "      --duration T        simulated time per replication, in the file's time unit\n"
    "      --warmup T          time at the start left out of the statistics\n"
    "      --threads N         worker threads (default: all cores)\n"
    "      --precision F       run replications until every 95% interval's half-width is\n"
    "                          within F of its mean (0 < F < 1, e.g. 0.02 for 2%): end-to-end\n"
    "                          latency and throughput, each queue's wait, each consumer's\n"
    "                          utilization; at least 5 replications (or --replications / the\n"
    "                          file's, if more)\n"
    "      --max-replications N  with --precision: stop after N replications (default 1000)\n"
    "      --max-seconds S     with --precision: start no replication after S wall seconds\n"
    "      --json OUT          write the results file (format queuelab-results)\n"
    "      --csv OUT           write the per-node metrics as CSV\n"
    "      --series OUT        write the time series of replication 1 as CSV\n"
    "      --quiet             print nothing but errors\n"
    "  validate FILE  check a scenario file and list every problem\n"
    "  theory FILE    print the closed-form queueing results for a scenario\n"
    "  live FILE      run the scenario as real traffic on a queue backend and measure it\n"
    "      --backend B         embedded (default, in-process broker) or amqp (RabbitMQ)\n"
    "      --uri URI           amqp://user:pass@host:port/vhost (default: $QUEUELAB_AMQP_URI,\n"
    "                          then amqp://guest:guest@localhost:5672/)\n"
    "      --duration S        wall-clock seconds to run (default: the file's run.duration,\n"
    "                          scaled)\n"
    "      --time-scale F      wall seconds per scenario second (default 1 for \"ms\" files;\n"
    "                          for \"s\" files 0.001 on embedded, one scenario second = 1 ms,\n"
    "                          and 0.01 on amqp)\n"
    "      --seed N            seed of the interarrival/service draws (default: random)\n"
    "      --json OUT, --csv OUT, --series OUT, --quiet   as for run (source = backend)\n"
    "  compare FILE   simulate the scenario and run it live, and print both side by side\n"
    "      --backend, --uri, --duration, --time-scale, --seed   as for live\n"
    "      --replications R, --threads N                      as for run (simulation)\n"
    "      --json OUT          write both results and the comparison (\"simulation\",\n"
    "                          \"live\", \"comparison\")\n"
    "  lesson FILE    walk a lesson's steps and, per question, simulate and print the\n"
    "                 simulated answer beside the theory answer\n"
    "      --threads N         worker threads (default: all cores)\n"
    "\n"
    "exit status: 0 ok, 2 bad input or unreachable broker (nothing written), 1 internal\n"
    "error, 3 a live run failed midway (what was measured is written, marked partial),\n"
    "130 interrupted (what was measured is written, marked partial)\n";

// --precision F [--max-replications N] [--max-seconds S] into a rule (none when
// --precision is absent). Returns 0, or the exit code after saying which flag is wrong and
// how to fix it.
int parsePrecision(const Options &opts, const Scenario &scenario, std::optional<PrecisionRule> *rule)
{
    const std::string *target = opts.value("--precision");
    if (!target) {
        for (const std::string flag : {"--max-replications", "--max-seconds"})
            if (opts.value(flag))
                return badUsage(flag + ": only applies with --precision F; add it (e.g. --precision 0.02) or drop "
                                + flag);
        return 0;
    }
    PrecisionRule r;
    if (!parseNumber(*target, &r.target) || !std::isfinite(r.target) || !(r.target > 0) || !(r.target < 1))
        return badUsage("--precision: must be a number between 0 and 1 (exclusive), the relative half-width "
                        "of the 95% intervals to reach, e.g. 0.02 for 2%; got '" + *target + "'");
    const int minimum = precisionMinimum(scenario, r);
    if (const std::string *v = opts.value("--max-replications")) {
        if (!parseNumber(*v, &r.maxReplications) || r.maxReplications < 1)
            return badUsage("--max-replications: must be a whole number >= 1, got '" + *v + "'");
        if (r.maxReplications < minimum)
            return badUsage("--max-replications: must be at least " + std::to_string(minimum)
                            + ", the replications a precision run makes before it may stop (5, or "
                              "--replications / the file's run.replications if more); got '" + *v + "'");
    }
    if (const std::string *v = opts.value("--max-seconds")) {
        if (!parseNumber(*v, &r.maxSeconds) || !std::isfinite(r.maxSeconds) || !(r.maxSeconds > 0))
            return badUsage("--max-seconds: must be a number of wall-clock seconds > 0, got '" + *v + "'");
    }
    *rule = r;
    return 0;
}

} // namespace

int dispatch(const std::vector<std::string> &args)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(Usage, args.empty() ? stderr : stdout);
        return args.empty() ? ExitBadInput : ExitOk;
    }
    if (args[0] == "--version") {
        std::printf("queuelab-cli %s\n", QL_VERSION);
        return ExitOk;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "run")
        return runCommand(rest);
    if (args[0] == "validate")
        return validateCommand(rest);
    if (args[0] == "theory")
        return theoryCommand(rest);
    if (args[0] == "live")
        return liveCommand(rest);
    if (args[0] == "compare")
        return compareCommand(rest);
    if (args[0] == "lesson")
        return lessonCommand(rest);
    return badUsage("unknown command '" + args[0] + "'; commands are run, validate, theory, live, compare, lesson");
}

int runCommand(const std::vector<std::string> &args)
{
    std::string error;
    const auto opts = parseOptions(args, {"--seed", "--replications", "--duration", "--warmup",
                                          "--threads", "--json", "--csv", "--series", "--precision",
                                          "--max-replications", "--max-seconds"}, &error);
    if (!opts)
        return badUsage(error);
    if (opts->positional.size() != 1)
        return badUsage("run takes exactly one scenario file");
    const std::string &file = opts->positional.front();

    std::optional<Scenario> scenario = load(file, opts->quiet);
    if (!scenario)
        return ExitBadInput;

    // Command-line overrides, validated like the file's own values.
    const std::string fileName = std::filesystem::path(file).filename().string();
    if (const std::string *v = opts->value("--seed")) {
        std::uint64_t seed = 0;
        if (!parseNumber(*v, &seed))
            return badUsage("--seed: must be a whole number >= 0, got '" + *v + "'");
        scenario->run.seed = seed;
    }
    if (const std::string *v = opts->value("--replications")) {
        int r = 0;
        if (!parseNumber(*v, &r) || r < 1)
            return badUsage("--replications: must be a whole number >= 1, got '" + *v + "'");
        scenario->run.replications = r;
    }
    if (const std::string *v = opts->value("--duration")) {
        double t = 0;
        if (!parseNumber(*v, &t) || !(t > 0) || !std::isfinite(t))
            return badUsage("--duration: must be a number > 0, got '" + *v + "'");
        scenario->run.duration = t;
    }
    if (const std::string *v = opts->value("--warmup")) {
        double t = 0;
        if (!parseNumber(*v, &t) || !(t >= 0) || !std::isfinite(t))
            return badUsage("--warmup: must be a number >= 0, got '" + *v + "'");
        scenario->run.warmup = t;
    }
    int threads = 0;
    if (const std::string *v = opts->value("--threads")) {
        if (!parseNumber(*v, &threads) || threads < 1)
            return badUsage("--threads: must be a whole number >= 1, got '" + *v + "'");
    }
    std::optional<PrecisionRule> precision;
    if (const int bad = parsePrecision(*opts, *scenario, &precision))
        return bad;
    const Diagnostics check = validateScenario(*scenario, fileName);
    if (check.hasErrors()) {
        for (const Diagnostic &d : check.errors())
            std::fprintf(stderr, "error: %s (after the command-line overrides)\n", d.toString().c_str());
        return ExitBadInput;
    }
    for (const char *flag : {"--json", "--csv", "--series"})
        if (const std::string *v = opts->value(flag))
            if (!checkOutputPath(flag, *v))
                return ExitBadInput;

    std::optional<InterruptGuard> interruptGuard;
    interruptGuard.emplace();
    Progress progress(!opts->quiet);
    RunOptions ro;
    ro.threads = threads;
    ro.cancel = &g_interrupted;
    ro.progress = [&](double f) { progress.update(f); };
    ro.precision = precision;
    const Results results = runReplications(*scenario, ro);
    progress.done();
    const double seconds = progress.seconds();
    interruptGuard.reset();

    const TheoryResult theory = analyze(*scenario);
    if (!opts->quiet) {
        RunInfo info;
        info.file = fileName;
        info.seconds = seconds;
        info.threads = threads > 0 ? threads : int(std::thread::hardware_concurrency());
        std::fputs(formatResultsTable(*scenario, results, theory, info).c_str(), stdout);
    }
    if (results.partial && !g_interrupted.load()) {
        // Not interrupted, yet ended early: the model itself is at fault (e.g. a loop of
        // zero-time services). Say why and write nothing.
        std::fprintf(stderr, "error: %s: %s\n", fileName.c_str(), results.error.c_str());
        return ExitBadInput;
    }
    if (results.partial)
        std::fprintf(stderr, "warning: interrupted (%s); the results cover what was simulated and are marked partial\n",
                     results.error.c_str());

    bool ok = true;
    if (const std::string *v = opts->value("--json"))
        ok = writeOutput(*v, resultsToJson(results)) && ok;
    if (const std::string *v = opts->value("--csv"))
        ok = writeOutput(*v, resultsToCsv(results)) && ok;
    if (const std::string *v = opts->value("--series"))
        ok = writeOutput(*v, seriesToCsv(results.series)) && ok;
    if (!ok)
        return ExitBadInput;
    return results.partial ? 130 : ExitOk;
}

int validateCommand(const std::vector<std::string> &args)
{
    std::string error;
    const auto opts = parseOptions(args, {}, &error);
    if (!opts)
        return badUsage(error);
    if (opts->positional.size() != 1)
        return badUsage("validate takes exactly one scenario file");
    const std::string &file = opts->positional.front();
    LoadResult r = loadScenarioFile(file);
    for (const Diagnostic &d : r.diagnostics.items)
        std::fprintf(stderr, "%s: %s\n", d.severity == Diagnostic::Severity::Error ? "error" : "warning",
                     d.toString().c_str());
    if (!r.scenario)
        return ExitBadInput;
    if (!opts->quiet)
        std::printf("%s: valid (%zu nodes, %zu links, %zu warnings)\n", file.c_str(),
                    r.scenario->nodes.size(), r.scenario->links.size(),
                    r.diagnostics.warnings().size());
    return ExitOk;
}

int theoryCommand(const std::vector<std::string> &args)
{
    std::string error;
    const auto opts = parseOptions(args, {}, &error);
    if (!opts)
        return badUsage(error);
    if (opts->positional.size() != 1)
        return badUsage("theory takes exactly one scenario file");
    std::optional<Scenario> scenario = load(opts->positional.front(), opts->quiet);
    if (!scenario)
        return ExitBadInput;
    std::fputs(formatTheory(*scenario, analyze(*scenario)).c_str(), stdout);
    return ExitOk;
}

} // namespace ql::cli
