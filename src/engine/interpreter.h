// The file an interpreter start program is told to run: `python3 /app/server.py`,
// `node dist/index.js`, `java -jar app.jar`. PD109 judges it; its directory is one of the
// application roots (a script imports what lies beside it).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pd {

enum class Family { Python, Node, Ruby, Perl, Php, Shell, Java };

struct InterpreterTarget {
  Family family;
  std::string interpreter;  // as argv names it
  std::string arg;          // the script, module or jar as written
  bool module = false;      // python -m
};

// Nothing when argv[0] (after `env` and its options) is no known interpreter, or when what it
// runs is no file for sure: inline code (-c, -e), stdin, an unknown option form, a Java main
// class.
std::optional<InterpreterTarget> interpreterTarget(std::vector<std::string> argv);

}  // namespace pd
