// PD109: the script, module or jar an interpreter start program is told to run cannot be opened
// by the runtime identity: `python3: can't open file '/app/server.py': [Errno 13] Permission
// denied`. Only what can be followed for sure is judged: inline code (-c, -e), stdin, a module
// that is not under WORKDIR (an installed package) and unknown option forms end it silently.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "common/text.h"
#include "engine/interpreter.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

// What the interpreter prints, for the message.
std::string failure(const InterpreterTarget& t, const std::string& path, bool missing) {
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
    std::optional<InterpreterTarget> t = interpreterTarget(sp.argv);
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
      f.message +=
          "; copy it in, or fix the path in ENTRYPOINT/CMD" +
          (t->arg[0] == '/' ? std::string() : " (it is relative to WORKDIR " + ctx.workdir() + ")");
      f.fix = dockerCopy("", baseName(path), path);
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
      f.message += "; chmod with a capital X keeps directories traversable";
      f.fix = "RUN chmod -R u=rwX,go=rX " + shellQuote(blocker);
    } else {
      f.evidence["mode"] = octalMode(n.mode);
      f.evidence["uid"] = n.uid;
      f.evidence["gid"] = n.gid;
      f.message = rp.name(std::string(baseName(sp.path))) + " is told to run " + r.path + " (" +
                  modeAndOwner(n) + "), which " + ctx.identity.description +
                  " cannot read: " + failure(*t, r.path, false);
      f.message += "; copy it in with a readable mode, or RUN chmod " +
                   ctx.access.chmodFor(n, 'r') + " " + shellQuote(r.path);
      f.fix = dockerCopy("--chmod=0644", baseName(r.path), r.path);
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
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
