// Runs the built permdoctor binary as a user would, for end-to-end tests.
#pragma once

#include <string>

namespace pd::testing {

struct RunResult {
  int status = -1;  // exit status
  std::string out, err;
};

// Runs `permdoctor ARGS` through /bin/sh (ARGS is shell text: quote paths yourself).
// `stdinFile` is redirected to standard input when not empty.
RunResult runPermdoctor(const std::string& args, const std::string& stdinFile = "");

// Runs `command` (shell text, such as "cd DIR && ..."), the same way.
RunResult runShell(const std::string& command, const std::string& stdinFile = "");

// Runs `permdoctor ARGS` with standard output and standard error on one pseudo-terminal, as in
// an interactive shell; `out` is everything the terminal received (err stays empty). NO_COLOR is
// removed from the environment, then `env` (shell assignments such as "NO_COLOR=1") applies.
RunResult runPermdoctorOnTerminal(const std::string& args, const std::string& env = "");

std::string thirdPartyImage(const std::string& name);  // fixtures/third-party/NAME
std::string fixtureImage(const std::string& name);     // build/fixture-images/NAME
bool fileExists(const std::string& path);

}  // namespace pd::testing
