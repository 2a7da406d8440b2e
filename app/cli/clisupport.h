// What every queuelab-cli command shares: option parsing, loading a scenario with its
// diagnostics, checking and writing output files, progress on stderr, and the Ctrl+C flag.
#pragma once

#include "scenario/scenario.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ql::cli {

// Set by SIGINT/SIGTERM while a command has installed the handler (see InterruptGuard).
extern std::atomic<bool> g_interrupted;

// Installs the SIGINT/SIGTERM handler for its lifetime, restores the default afterwards.
class InterruptGuard
{
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;
};

int badUsage(const std::string &message);

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
                                    const std::vector<std::string> &valued, std::string *error);

template <class T>
bool parseNumber(const std::string &text, T *out)
{
    const char *end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, *out);
    return ec == std::errc() && ptr == end;
}

// Loads and validates; prints every diagnostic. Returns nullopt on errors.
std::optional<Scenario> load(const std::string &path, bool quiet);

// An output file must be writable before hours of simulation are spent on it.
bool checkOutputPath(const std::string &flag, const std::string &path);

bool writeOutput(const std::string &path, const std::string &text);

// Progress on stderr, only for runs that last more than a second.
class Progress
{
public:
    explicit Progress(bool enabled, std::string label = "simulating");
    void update(double fraction);
    void done();
    double seconds() const;

private:
    bool enabled_, tty_;
    std::string label_;
    bool shown_ = false;
    int last_ = -1;
    std::chrono::steady_clock::time_point start_;
};

} // namespace ql::cli
