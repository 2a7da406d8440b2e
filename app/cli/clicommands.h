// The sub-commands of queuelab-cli. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace ql::cli {

// ExitPartial: a live run failed midway (broker gone); what it measured was still written.
enum ExitCode { ExitOk = 0, ExitInternal = 1, ExitBadInput = 2, ExitPartial = 3, ExitInterrupted = 130 };

int dispatch(const std::vector<std::string> &args);

int runCommand(const std::vector<std::string> &args);
int validateCommand(const std::vector<std::string> &args);
int theoryCommand(const std::vector<std::string> &args);
int liveCommand(const std::vector<std::string> &args);    // livecommands.cpp
int compareCommand(const std::vector<std::string> &args); // livecommands.cpp
int lessonCommand(const std::vector<std::string> &args);  // lessoncommand.cpp

} // namespace ql::cli
