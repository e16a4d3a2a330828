// The commands. Each is one function plus one row in the table in main.cc; CLI11 wiring only,
// the work happens in the reader, the engine and the reporters.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <span>
#include <string>
#include <vector>
#include "engine/suppression.h"

namespace pd {

// A command registers its options on `sub` and returns what to run after parsing.
using CommandRun = std::function<int()>;
using CommandSetup = CommandRun (*)(CLI::App& sub);

struct Command {
  const char* name;
  const char* help;
  CommandSetup setup;
};

CommandRun setupLint(CLI::App& sub);
CommandRun setupInspect(CLI::App& sub);
CommandRun setupFix(CLI::App& sub);
CommandRun setupRules(CLI::App& sub);
CommandRun setupExplain(CLI::App& sub);
// Hidden: the man pages and shell completions, written from the parent app's definition.
CommandRun setupGenerate(CLI::App& sub);

// The help of the IMAGE argument of the commands that read one image.
constexpr const char* kImageArgumentHelp =
    "Image archive, OCI layout directory, - for stdin, docker://REF, docker-daemon:NAME, "
    "podman:NAME, or a bare NAME[:TAG]";

// --config FILE (else ./.permdoctor.json when there is one) and --ignore ID[,ID]...: lint's and
// fix's suppressions.
Suppressions loadSuppressions(const std::string& config, const std::vector<std::string>& ignore);

// The usage examples of --help and the man page: the command line and what it does.
struct Example {
  const char* command;
  const char* what;
};
std::span<const Example> examples();

}  // namespace pd
