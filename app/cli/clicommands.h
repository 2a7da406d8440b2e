// The sub-commands of queuelab-cli. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace ql::cli {

enum ExitCode { ExitOk = 0, ExitInternal = 1, ExitBadInput = 2 };

int dispatch(const std::vector<std::string> &args);

int runCommand(const std::vector<std::string> &args);
int validateCommand(const std::vector<std::string> &args);
int theoryCommand(const std::vector<std::string> &args);

} // namespace ql::cli
