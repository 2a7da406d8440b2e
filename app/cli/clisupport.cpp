#include "clisupport.h"

#include "clicommands.h"

#include "scenario/savefile.h"
#include "scenario/scenarioio.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace ql::cli {

std::atomic<bool> g_interrupted{false};

namespace {

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

} // namespace

InterruptGuard::InterruptGuard()
{
    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

int badUsage(const std::string &message)
{
    std::fprintf(stderr, "queuelab-cli: %s\n(see queuelab-cli --help)\n", message.c_str());
    return ExitBadInput;
}

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

Progress::Progress(bool enabled, std::string label)
    : enabled_(enabled)
    , tty_(::isatty(2))
    , label_(std::move(label))
    , start_(std::chrono::steady_clock::now())
{
}

void Progress::update(double fraction)
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
        std::fprintf(stderr, "\r%s: %3d%%  %.1f s", label_.c_str(), percent, elapsed);
    } else if (percent / 10 != last_ / 10) {
        std::fprintf(stderr, "%s: %d%% after %.1f s\n", label_.c_str(), percent, elapsed);
    }
    last_ = percent;
    shown_ = true;
}

void Progress::done()
{
    if (shown_ && tty_)
        std::fprintf(stderr, "\r%40s\r", "");
    shown_ = false;
    last_ = -1;
}

double Progress::seconds() const
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

} // namespace ql::cli
