// queuelab-cli: the headless runner. Simulates a scenario file and prints a readable table
// with the closed-form theory beside it, writes the results as JSON / CSV, validates files
// and prints theory alone. Exit codes: 0 ok, 2 bad input (nothing written), 1 internal error.
#include "clicommands.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return ql::cli::dispatch(args);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "queuelab-cli: internal error: %s\n", e.what());
        return ql::cli::ExitInternal;
    } catch (...) {
        std::fprintf(stderr, "queuelab-cli: internal error\n");
        return ql::cli::ExitInternal;
    }
}
