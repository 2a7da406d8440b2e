#include "clicommands.h"

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
    "      --json OUT          write the results file (format queuelab-results)\n"
    "      --csv OUT           write the per-node metrics as CSV\n"
    "      --series OUT        write the time series of replication 1 as CSV\n"
    "      --quiet             print nothing but errors\n"
    "  validate FILE  check a scenario file and list every problem\n"
    "  theory FILE    print the closed-form queueing results for a scenario\n"
    "\n"
    "exit status: 0 ok, 2 bad input (nothing written), 1 internal error\n";

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

int badUsage(const std::string &message)
{
    std::fprintf(stderr, "queuelab-cli: %s\n(see queuelab-cli --help)\n", message.c_str());
    return ExitBadInput;
}

// Parsed options: flags with a value, and positional arguments.
struct Options
{
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> values;
    bool quiet = false;

    const std::string *value(const std::string &name) const
    {
        for (const auto &[k, v] : values)
            if (k == name)
                return &v;
        return nullptr;
    }
};

std::optional<Options> parseOptions(const std::vector<std::string> &args,
                                    const std::vector<std::string> &valued, std::string *error)
{
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (a.rfind("--", 0) == 0) {
            std::string name = a, val;
            const auto eq = a.find('=');
            bool hasValue = false;
            if (eq != std::string::npos) {
                name = a.substr(0, eq);
                val = a.substr(eq + 1);
                hasValue = true;
            }
            if (std::find(valued.begin(), valued.end(), name) == valued.end()) {
                *error = "unknown option '" + name + "'";
                return std::nullopt;
            }
            if (!hasValue) {
                if (i + 1 >= args.size()) {
                    *error = "option " + name + " needs a value";
                    return std::nullopt;
                }
                val = args[++i];
            }
            o.values.emplace_back(name, val);
        } else {
            o.positional.push_back(a);
        }
    }
    return o;
}

template <class T>
bool parseNumber(const std::string &text, T *out)
{
    const char *end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    return ec == std::errc() && ptr == end;
}

// Loads and validates; prints every diagnostic. Returns nullopt on errors.
std::optional<Scenario> load(const std::string &path, bool quiet)
{
    LoadResult r = loadScenarioFile(path);
    for (const Diagnostic &d : r.diagnostics.items) {
        if (d.severity == Diagnostic::Severity::Error)
            std::fprintf(stderr, "error: %s\n", d.toString().c_str());
        else if (!quiet)
            std::fprintf(stderr, "warning: %s\n", d.toString().c_str());
    }
    return r.scenario;
}

// An output file must be writable before hours of simulation are spent on it.
bool checkOutputPath(const std::string &flag, const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path p(path);
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (path.empty() || p.filename().empty()) {
        std::fprintf(stderr, "error: %s: '%s' is not a file name\n", flag.c_str(), path.c_str());
        return false;
    }
    if (!fs::is_directory(dir, ec)) {
        std::fprintf(stderr, "error: %s %s: folder '%s' does not exist; create it or choose another path\n",
                     flag.c_str(), path.c_str(), dir.string().c_str());
        return false;
    }
    if (fs::is_directory(p, ec)) {
        std::fprintf(stderr, "error: %s %s: is a folder; give a file name\n", flag.c_str(), path.c_str());
        return false;
    }
    if (::access(dir.c_str(), W_OK) != 0) {
        std::fprintf(stderr, "error: %s %s: folder '%s' is not writable; choose another path\n",
                     flag.c_str(), path.c_str(), dir.string().c_str());
        return false;
    }
    return true;
}

bool writeOutput(const std::string &path, const std::string &text)
{
    std::string error;
    if (!writeTextFileAtomically(path, text, &error)) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        return false;
    }
    return true;
}

// Progress on stderr, only for runs that last more than a second.
class Progress
{
public:
    explicit Progress(bool enabled)
        : enabled_(enabled)
        , tty_(::isatty(2))
        , start_(std::chrono::steady_clock::now())
    {
    }
    void update(double fraction)
    {
        if (!enabled_)
            return;
        const double elapsed = seconds();
        if (elapsed < 1.0)
            return;
        const int percent = int(fraction * 100);
        if (percent == last_)
            return;
        if (tty_) {
            std::fprintf(stderr, "\rsimulating: %3d%%  %.1f s", percent, elapsed);
        } else if (percent / 10 != last_ / 10) {
            std::fprintf(stderr, "simulating: %d%% after %.1f s\n", percent, elapsed);
        }
        last_ = percent;
        shown_ = true;
    }
    void done()
    {
        if (shown_ && tty_)
            std::fprintf(stderr, "\r%40s\r", "");
    }
    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    bool enabled_, tty_;
    bool shown_ = false;
    int last_ = -1;
    std::chrono::steady_clock::time_point start_;
};

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
    return badUsage("unknown command '" + args[0] + "'; commands are run, validate, theory");
}

int runCommand(const std::vector<std::string> &args)
{
    std::string error;
    const auto opts = parseOptions(args, {"--seed", "--replications", "--duration", "--warmup",
                                          "--threads", "--json", "--csv", "--series"}, &error);
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

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    Progress progress(!opts->quiet);
    RunOptions ro;
    ro.threads = threads;
    ro.cancel = &g_interrupted;
    ro.progress = [&](double f) { progress.update(f); };
    const Results results = runReplications(*scenario, ro);
    progress.done();
    const double seconds = progress.seconds();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const TheoryResult theory = analyze(*scenario);
    if (!opts->quiet) {
        RunInfo info;
        info.file = fileName;
        info.seconds = seconds;
        info.threads = threads > 0 ? threads : int(std::thread::hardware_concurrency());
        std::fputs(formatResultsTable(*scenario, results, theory, info).c_str(), stdout);
    }
    if (results.partial)
        std::fprintf(stderr, "warning: the run was interrupted; the results cover what was simulated (partial)\n");

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
