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

std::string sharedImage(const std::string& name);   // ../shared/images/NAME
std::string fixtureImage(const std::string& name);  // build/fixture-images/NAME
bool fileExists(const std::string& path);

}  // namespace pd::testing
