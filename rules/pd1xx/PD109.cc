// PD109: the script, module or jar an interpreter start program is told to run cannot be opened
// by the runtime identity: `python3: can't open file '/app/server.py': [Errno 13] Permission
// denied`. Only what can be followed for sure is judged: inline code (-c, -e), stdin, a module
// that is not under WORKDIR (an installed package) and unknown option forms end it silently.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <regex>

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

enum class Family { Python, Node, Ruby, Perl, Php, Shell, Java };

struct Target {
  Family family;
  std::string interpreter;  // as argv names it
  std::string arg;          // the script, module or jar as written
  bool module = false;      // python -m
};

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
std::optional<Target> python(Target t, const std::vector<std::string>& a, size_t i) {
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
std::optional<Target> firstOperand(Target t, const std::vector<std::string>& a, size_t i,
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

std::optional<Target> targetOf(std::vector<std::string> argv) {
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
  Target t{*family, argv[0], {}, false};
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
      std::optional<Target> j =
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

// What the interpreter prints, for the message.
std::string failure(const Target& t, const std::string& path, bool missing) {
  std::string why = missing ? "No such file or directory" : "Permission denied";
  switch (t.family) {
    case Family::Python:
      return t.module ? std::string(baseName(t.interpreter)) +
                            ": Error while finding module "
                            "specification for '" +
                            t.arg + "' (" + why + ")"
                      : std::string(baseName(t.interpreter)) + ": can't open file '" + path +
                            "': [Errno " + (missing ? "2" : "13") + "] " + why;
    case Family::Node:
      return missing ? "Error: Cannot find module '" + path + "'"
                     : "Error: EACCES: permission denied, open '" + path + "'";
    case Family::Java:
      return "Error: Unable to access jarfile " + t.arg;
    case Family::Php:
      return "Could not open input file: " + t.arg;
    case Family::Perl:
      return "Can't open perl script \"" + t.arg + "\": " + why;
    case Family::Ruby:
      return "ruby: " + why + " -- " + t.arg + " (LoadError)";
    case Family::Shell:
      return std::string(baseName(t.interpreter)) + ": can't open '" + t.arg + "': " + why;
  }
  return why;
}

class PD109 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    if (sp.shellForm || sp.path.empty()) return;
    Resolved program = ctx.access.resolve(sp.path);
    if (!program.ok()) return;  // PD101's business
    std::optional<Target> t = targetOf(sp.argv);
    if (!t || t->arg.empty()) return;

    std::string path;
    Resolved r;
    if (t->module) {
      // `python -m a.b` runs a/b.py or the package a/b (its __main__.py) from the working
      // directory first; a module found nowhere there is an installed package: not judged.
      std::string rel = t->arg;
      std::replace(rel.begin(), rel.end(), '.', '/');
      for (const std::string& cand : {rel + ".py", rel + "/__main__.py"}) {
        std::string abs = ctx.absolute(cand);
        r = ctx.access.resolve(abs);
        if (r.status != Resolved::Status::Missing) {
          path = std::move(abs);
          break;
        }
      }
      if (path.empty()) return;
    } else {
      path = ctx.absolute(t->arg);
      r = ctx.access.resolve(path);
      // Node also tries the usual extensions.
      if (t->family == Family::Node && r.status == Resolved::Status::Missing)
        for (const char* ext : {".js", ".mjs", ".cjs", ".json"}) {
          Resolved e = ctx.access.resolve(path + ext);
          if (e.status != Resolved::Status::Missing) {
            path += ext;
            r = e;
            break;
          }
        }
    }
    if (r.status != Resolved::Status::Ok && r.status != Resolved::Status::Missing) return;
    if (r.ok() && r.node->type == FileType::Directory) return;  // a package or app directory

    Finding f;
    f.evidence = {{"interpreter", t->interpreter},
                  {"argument", t->arg},
                  {"kind", t->module                   ? "module"
                           : t->family == Family::Java ? "jar"
                                                       : "script"},
                  {"identity", ctx.identity.description}};
    addHandOver(f, rp);
    if (!r.ok()) {
      f.at(path);
      f.evidence["missing"] = true;
      f.message = rp.name(std::string(baseName(sp.path))) + " is told to run " + path +
                  ", which the image does not have: " + failure(*t, path, true);
      f.fix = "copy " + path + " into the image, or fix the path in ENTRYPOINT/CMD" +
              (t->arg[0] == '/' ? "" : " (relative to WORKDIR " + ctx.workdir() + ")");
      ctx.diag(std::move(f));
      return;
    }
    const Node& n = *r.node;
    std::string blocker = ctx.blockerOf(r, t->arg);
    if (blocker.empty() && ctx.access.canOpen(n)) return;
    f.at(r.path);
    f.layer = n.layer;
    if (!blocker.empty()) {
      const Node* d = ctx.image.tree.find(blocker);
      f.evidence["blockedBy"] = blocker;
      if (d) f.evidence["blockedByMode"] = octalMode(d->mode);
      f.message = rp.name(std::string(baseName(sp.path))) + " is told to run " + r.path +
                  ", but directory " + blocker + " (" + (d ? modeAndOwner(*d) : "?") +
                  ") is not traversable for " + ctx.identity.description + ": " +
                  failure(*t, r.path, false);
      f.fix = "RUN chmod -R u=rwX,go=rX " + blocker +
              " (capital X keeps directories traversable), or COPY --chmod with a mode that "
              "keeps x on directories";
    } else {
      f.evidence["mode"] = octalMode(n.mode);
      f.evidence["uid"] = n.uid;
      f.evidence["gid"] = n.gid;
      f.message = rp.name(std::string(baseName(sp.path))) + " is told to run " + r.path + " (" +
                  modeAndOwner(n) + "), which " + ctx.identity.description +
                  " cannot read: " + failure(*t, r.path, false);
      f.fix = "COPY --chmod=0644 " + std::string(baseName(r.path)) + " " + r.path +
              " (or RUN chmod " + ctx.access.chmodFor(n, 'r') + " " + r.path + ")";
    }
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD109{
    .id = "PD109",
    .severity = Severity::Error,
    .title = "The runtime user cannot open the script the start program runs",
    .doc = "pd1xx/PD109.md",
    .make = makeRule<PD109>,
    .alsoAsSwitchedUser = true,
};

}  // namespace pd
