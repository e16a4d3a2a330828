#include "engine/interpreter.h"

#include <regex>

#include "fs/path.h"

namespace pd {
namespace {

std::optional<Family> familyOf(std::string_view name) {
  static const std::regex kPython("python[0-9.]*"), kRuby("ruby[0-9.]*"), kPerl("perl[0-9.]*"),
      kPhp("php[0-9.]*");
  std::string n(name);
  if (std::regex_match(n, kPython)) return Family::Python;
  if (n == "node" || n == "nodejs") return Family::Node;
  if (std::regex_match(n, kRuby)) return Family::Ruby;
  if (std::regex_match(n, kPerl)) return Family::Perl;
  if (std::regex_match(n, kPhp)) return Family::Php;
  if (n == "sh" || n == "bash" || n == "dash" || n == "ash" || n == "zsh" || n == "ksh")
    return Family::Shell;
  if (n == "java") return Family::Java;
  return std::nullopt;
}

// Python's command line: single-letter flags may be combined ("-uB"); -c, -m, -W, -X take the
// rest of the token or the next argument.
std::optional<InterpreterTarget> python(InterpreterTarget t, const std::vector<std::string>& a,
                                        size_t i) {
  for (; i < a.size(); ++i) {
    const std::string& s = a[i];
    if (s == "-" || s.rfind("--", 0) == 0) return std::nullopt;
    if (s.empty() || s[0] != '-') {
      t.arg = s;
      return t;
    }
    for (size_t k = 1; k < s.size(); ++k) {
      char c = s[k];
      if (c == 'c') return std::nullopt;
      if (c == 'm' || c == 'W' || c == 'X') {
        std::string rest = s.substr(k + 1);
        if (rest.empty()) {
          if (++i >= a.size()) return std::nullopt;
          rest = a[i];
        }
        if (c != 'm') break;
        t.arg = rest;
        t.module = true;
        return t;
      }
    }
  }
  return std::nullopt;
}

// The other interpreters: the first argument that is no option is the script. `inline_` options
// mean there is none; `withArg` options take the next argument when given alone.
std::optional<InterpreterTarget> firstOperand(InterpreterTarget t,
                                              const std::vector<std::string>& a, size_t i,
                                              std::initializer_list<std::string_view> inline_,
                                              std::initializer_list<std::string_view> withArg,
                                              std::string_view scriptOption = {}) {
  for (; i < a.size(); ++i) {
    const std::string& s = a[i];
    for (std::string_view o : inline_)
      if (s == o) return std::nullopt;
    if (!scriptOption.empty() && s == scriptOption) {
      if (i + 1 >= a.size()) return std::nullopt;
      t.arg = a[i + 1];
      return t;
    }
    if (s == "--") {
      if (i + 1 >= a.size()) return std::nullopt;
      t.arg = a[i + 1];
      return t;
    }
    bool takes = false;
    for (std::string_view o : withArg) takes = takes || s == o;
    if (takes) {
      ++i;
      continue;
    }
    if (s == "-") return std::nullopt;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      // A shell's combined flags may hide -c ("-ec").
      if (t.family == Family::Shell && s[0] == '-' && s.find('c') != std::string::npos)
        return std::nullopt;
      continue;
    }
    t.arg = s;
    return t;
  }
  return std::nullopt;
}

}  // namespace

std::optional<InterpreterTarget> interpreterTarget(std::vector<std::string> argv) {
  // `env python3 app.py`: env's own options and VAR=value assignments come first.
  if (!argv.empty() && baseName(argv[0]) == "env") {
    size_t i = 1;
    while (i < argv.size() &&
           (argv[i].rfind('-', 0) == 0 || argv[i].find('=') != std::string::npos))
      ++i;
    argv.erase(argv.begin(), argv.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (argv.empty()) return std::nullopt;
  auto family = familyOf(baseName(argv[0]));
  if (!family) return std::nullopt;
  InterpreterTarget t{*family, argv[0], {}, false};
  switch (*family) {
    case Family::Python:
      return python(t, argv, 1);
    case Family::Node:
      return firstOperand(t, argv, 1, {"-e", "--eval", "-p", "--print", "-i", "--interactive"},
                          {"-r", "--require", "--import", "--loader", "--experimental-loader", "-C",
                           "--conditions", "--title"});
    case Family::Ruby:
      return firstOperand(t, argv, 1, {"-e", "-C"}, {"-r", "-I", "-E", "-x"});
    case Family::Perl:
      return firstOperand(t, argv, 1, {"-e", "-E"}, {"-I", "-M", "-m", "-x"});
    case Family::Php:
      return firstOperand(t, argv, 1, {"-r", "-R", "-B", "-E", "-S", "-a", "-F"},
                          {"-d", "-c", "-z", "-t"}, "-f");
    case Family::Shell:
      return firstOperand(t, argv, 1, {"-c", "-s", "-i"}, {"-o", "+o", "-O", "+O"});
    case Family::Java: {
      std::optional<InterpreterTarget> j =
          firstOperand(t, argv, 1, {},
                       {"-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-modules",
                        "--add-opens", "--add-exports", "--add-reads", "-m", "--module"},
                       "-jar");
      // Without -jar the operand is a main class, no file.
      bool jar = j && j->arg.size() > 4 && j->arg.compare(j->arg.size() - 4, 4, ".jar") == 0;
      return jar ? j : std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace pd
