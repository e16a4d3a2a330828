// PD103: the start program is a script whose #! interpreter is missing or not executable, or
// whose #! line ends in CR.
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/distro.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

std::string describeFailure(const Resolved& r) {
  switch (r.status) {
    case Resolved::Status::Missing:
      return r.links.empty() ? "does not exist in the image"
                             : "is a dangling symlink (" + r.failedAt + " does not exist)";
    case Resolved::Status::NotDirectory:
      return "cannot be reached: " + r.failedAt + " is not a directory";
    case Resolved::Status::Loop:
      return "is a symlink loop (at " + r.failedAt + "; PD108)";
    case Resolved::Status::TooManyLinks:
      return "follows more than 40 symlinks (PD108)";
    case Resolved::Status::Ok:
      break;
  }
  return "";
}

class PD103 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    if (sp.path.empty()) return;
    Resolved script = ctx.access.resolve(sp.path);
    if (!script.ok() || script.node->type != FileType::Regular) return;  // PD101's business
    const Captured* c = ctx.image.capture(script.node->capture);
    if (!c || c->head != Captured::Head::Script) return;

    auto [interp, arg] = splitShebang(c->interp);
    const std::string& path = script.path;
    Finding f;
    f.at(path);
    f.layer = script.node->layer;
    f.evidence = {{"shebang", "#!" + c->interp + (c->interpCr ? "\r" : "")},
                  {"interpreter", interp}};
    addHandOver(f, rp);
    if (!arg.empty()) f.evidence["argument"] = arg;
    if (interp.empty()) {
      f.message = rp.name(path, "script") +
                  " has a \"#!\" line that names no interpreter: exec fails with \"exec format "
                  "error\"";
      f.fix = "start " + path + " with an interpreter line such as #!/bin/sh";
      ctx.diag(std::move(f));
      return;
    }
    bool viaEnv = baseName(interp) == "env";
    if (c->interpCr) {
      // Linux keeps the CR: it ends up in the last word of the line.
      f.evidence["crlf"] = true;
      f.message =
          "the \"#!\" line of " + rp.name(path, "script") + " ends in CR (Windows line endings): ";
      if (arg.empty())
        f.message += "the kernel looks for an interpreter named \"" + interp +
                     "\\r\", finds none, and exec fails with \"no such file or directory\" (`" +
                     interp + "^M: bad interpreter` from a shell)";
      else if (viaEnv)
        f.message += "env looks for a program named \"" + arg + "\\r\" and fails with `" + interp +
                     ": '" + arg + "\\r': No such file or directory`";
      else
        f.message += interp + " receives the argument \"" + arg + "\\r\" and fails on it";
      f.message +=
          "; convert it to LF line endings before it is copied (`*.sh text eol=lf` in "
          ".gitattributes), or in the build";
      f.fix = "RUN sed -i 's/\\r$//' " + shellQuote(path);
      ctx.diag(std::move(f));
      return;
    }

    // The interpreter itself: execve needs it to exist and be executable by the identity.
    std::string ipath = ctx.absolute(interp);
    if (checkExecutable(ctx, f, ipath, "the \"#!\" interpreter " + interp, path, rp)) return;
    if (!viaEnv) return;

    // #!/usr/bin/env NAME: env then looks NAME up in PATH, as execvp does.
    std::string name = arg;
    if (name.rfind("-S", 0) == 0 || name.rfind("--split-string", 0) == 0) {
      // env -S splits the rest itself: the program is its first word.
      std::string rest = name.substr(name[1] == 'S' ? 2 : 14);
      if (!rest.empty() && rest[0] == '=') rest.erase(0, 1);
      name = splitShebang(rest).interp;
    }
    if (name.empty() || name[0] == '-') return;  // other env options: not judged
    f.evidence["program"] = name;
    if (name.find_first_of(" \t") != std::string::npos) {
      f.message = "the \"#!\" line of " + rp.name(path, "script") + " is \"#!" + c->interp +
                  "\": Linux passes \"" + name + "\" to env as ONE argument, so env fails with `" +
                  interp + ": '" + name + "': No such file or directory`";
      f.fix = "use \"#!" + interp + " -S " + name +
              "\" (GNU coreutils 8.30+), or the interpreter's absolute path with its options on "
              "the #! line";
      ctx.diag(std::move(f));
      return;
    }
    if (name.find('/') != std::string::npos) {
      std::string p = ctx.absolute(name);
      checkExecutable(ctx, f, p, "the program " + name + " that " + interp + " starts", path, rp);
      return;
    }
    const std::string& pathVar = ctx.searchPath();
    std::string denied;
    for (const std::string& cand : ctx.pathCandidates(name)) {
      Resolved r = ctx.access.resolve(cand);
      if (!r.ok() || r.node->type == FileType::Directory) continue;
      if (r.blockedBy.empty() && ctx.access.allows(*r.node, kExec)) return;  // found
      if (denied.empty()) denied = cand;  // execvp goes on after EACCES
    }
    if (!denied.empty()) {
      checkExecutable(ctx, f, denied, "the program " + denied + " that " + interp + " starts", path,
                      rp);
      return;
    }
    f.message = rp.name(path, "script") + " runs \"#!" + c->interp +
                "\", but no directory of PATH (" + pathVar + ") holds " + name +
                ": env fails with `" + interp + ": '" + name +
                "': No such file or directory` (exit status 127)";
    f.evidence["PATH"] = pathVar;
    f.message += "; install " + name + " in a directory of PATH, or change the #! line of " + path +
                 " to an interpreter the image has";
    std::string install = packageInstall(ctx.image, name);
    f.fix = install.empty() ? "install " + name + " in a directory of PATH" : install;
    ctx.diag(std::move(f));
  }

  // Reports (and returns true) when `p` cannot be executed by the identity.
  static bool checkExecutable(Context& ctx, Finding& f, const std::string& p,
                              const std::string& what, const std::string& script,
                              const RunningProgram& rp) {
    Resolved r = ctx.access.resolve(p);
    f.evidence["resolved"] = r.ok() ? r.path : "";
    if (!r.links.empty()) f.evidence["links"] = r.links;
    std::string problem;
    std::string fix;
    if (!r.ok()) {
      problem = describeFailure(r);
      if (!r.failedAt.empty()) f.evidence["failedAt"] = r.failedAt;
      f.message = rp.name(script, "script") + ": " + what + " " + problem +
                  ", so exec fails with \"no such file or directory\" although " + script +
                  " exists";
      if (r.status == Resolved::Status::Loop || r.status == Resolved::Status::TooManyLinks)
        f.message = rp.name(script, "script") + ": " + what + " " + problem +
                    ", so exec fails with \"too many levels of symbolic links\"";
      std::string prog(baseName(p));
      bool loop = r.status == Resolved::Status::Loop || r.status == Resolved::Status::TooManyLinks;
      std::string install = packageInstall(ctx.image, prog);
      f.message += loop ? "; point " + r.links.front() + " at the real program"
                        : "; install " + prog + " so that " + p +
                              " exists, or change the #! line of " + script +
                              " to an interpreter the image has";
      f.fix = loop              ? "RUN ln -sfn <program> " + shellQuote(r.links.front())
              : install.empty() ? "install " + prog + " so that " + p + " exists"
                                : install;
      ctx.diag(std::move(f));
      return true;
    }
    const Node& n = *r.node;
    f.evidence["mode"] = octalMode(n.mode);
    f.evidence["uid"] = n.uid;
    f.evidence["gid"] = n.gid;
    if (n.type == FileType::Directory) {
      f.message = rp.name(script, "script") + ": " + what + " is a directory (" + r.path +
                  "), so exec fails with \"permission denied\"";
      f.fix = "change the #! line of " + script + " to the interpreter program itself";
      ctx.diag(std::move(f));
      return true;
    }
    if (!r.blockedBy.empty()) {
      const Node* d = ctx.image.tree.find(r.blockedBy);
      f.evidence["blockedBy"] = r.blockedBy;
      f.message = rp.name(script, "script") + ": " + what + " (" + r.path +
                  ") cannot be reached by " + ctx.identity.description + ": directory " +
                  r.blockedBy + " (mode " + (d ? octalMode(d->mode) : "?") +
                  ") is not traversable, so exec fails with \"permission denied\"";
      f.fix = "RUN chmod 0755 " + shellQuote(r.blockedBy);
      ctx.diag(std::move(f));
      return true;
    }
    if (ctx.access.allows(n, kExec)) return false;
    f.evidence["bits"] = ctx.access.bitsFor(n);
    f.message = rp.name(script, "script") + ": " + what + " (" + r.path + ", mode " +
                modeString(n) + " " + octalMode(n.mode) + ", owner " + ownerString(n) +
                ") is not executable by " + ctx.identity.description +
                ", so exec fails with \"permission denied\"";
    f.message += "; chmod it, or copy it in with --chmod=0755";
    f.fix = "RUN chmod 0755 " + shellQuote(r.path);
    ctx.diag(std::move(f));
    return true;
  }
};

}  // namespace

extern const RuleEntry kPD103{
    .id = "PD103",
    .severity = Severity::Error,
    .title = "The start script's interpreter is missing or broken",
    .doc = "pd1xx/PD103.md",
    .make = makeRule<PD103>,
    .alsoAsSwitchedUser = true,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
