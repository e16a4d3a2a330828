// The one error model: anything wrong with the input or the command line is an exception inside,
// caught at the command boundary, printed as one line, and turned into exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace pd {

// Exit status of a bug in permdoctor (an exception that is neither of the two below): not 2, so
// that a CI can tell a permdoctor bug from a bad image. 0, 1 and 2 are in the man page.
constexpr int kExitInternalError = 3;

// The input (archive, blob, JSON document) is unreadable or not what the spec says.
// `what()` is the whole one-line message: "<file>: <problem>".
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& where, const std::string& problem)
      : std::runtime_error(where.empty() ? problem : where + ": " + problem) {}
};

// The command line or a config file asks for something impossible.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pd
