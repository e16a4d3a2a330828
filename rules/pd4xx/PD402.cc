// PD402: the programs Lambda itself executes (the entrypoint, the runtime bootstraps, the
// external extensions) must be executable by its user, which owns nothing: only "other" bits
// count, scripts also need o+r (their interpreter opens them), and every ancestor needs o+x.
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

enum class Role { Entrypoint, Bootstrap, Extension };

struct Candidate {
  std::string path;  // as Lambda names it (before symlinks)
  Role role;
};

// What the user sees when `path` cannot be started, by the role it plays.
std::string runtimeError(Role role, const std::string& path) {
  switch (role) {
    case Role::Entrypoint:
      return "Runtime.InvalidEntrypoint: \"IMAGE Launch error: fork/exec " + path +
             ": permission denied\"";
    case Role::Bootstrap:
      return "\"" + path +
             ": Permission denied\", then Runtime.ExitError: \"Runtime exited with error: exit "
             "status 126\"";
    case Role::Extension:
      return "Extension.LaunchError: \"fork/exec " + path + ": permission denied\"";
  }
  return "";
}

const char* roleName(Role role) {
  switch (role) {
    case Role::Entrypoint:
      return "entrypoint";
    case Role::Bootstrap:
      return "bootstrap";
    case Role::Extension:
      return "extension";
  }
  return "?";
}

// Which bits decide, and for whom.
std::string whose(const Context& ctx, const Meta* m) {
  if (ctx.identity.otherOnly)
    return "only the \"other\" bits apply to the Lambda user, which owns nothing";
  return std::string("the ") + (m ? ctx.access.bitsFor(*m) : "other") + " bits apply to " +
         ctx.identity.description;
}

class PD402 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;

    std::vector<Candidate> cands;
    const StartProgram& sp = ctx.startProgram();
    if (!sp.path.empty()) cands.push_back({sp.path, Role::Entrypoint});
    cands.push_back({"/lambda-entrypoint.sh", Role::Entrypoint});
    // The language bases' entrypoint execs LAMBDA_RUNTIME_DIR/bootstrap; the OS-only base
    // looks in the runtime dir, the task root and /opt.
    cands.push_back({cleanPath(ctx.lambdaRuntimeDir() + "/bootstrap"), Role::Bootstrap});
    cands.push_back({cleanPath(ctx.lambdaTaskRoot() + "/bootstrap"), Role::Bootstrap});
    cands.push_back({"/opt/bootstrap", Role::Bootstrap});
    // Lambda starts every file directly in /opt/extensions (sub-directories are not scanned).
    auto [a, b] = img.tree.below("/opt/extensions");
    for (auto it = a; it != b; ++it)
      if (parentOf(it->first) == "/opt/extensions" && it->second.type != FileType::Directory)
        cands.push_back({it->first, Role::Extension});

    std::set<std::string> done;  // one finding per real file, whatever the roles it plays
    for (const Candidate& c : cands) {
      Resolved r = ctx.access.resolve(c.path);
      // Missing or looping paths are PD101 / PD108 / PD403's business; directories are not run.
      if (!r.ok() || !r.node || r.node->type == FileType::Directory) continue;
      if (!done.insert(r.path).second) continue;
      report(ctx, c, r);
    }
  }

 private:
  static void report(Context& ctx, const Candidate& c, const Resolved& r) {
    const Node& n = *r.node;
    const Captured* cap = ctx.image.capture(n.capture);
    bool script = cap && cap->head == Captured::Head::Script;
    bool blocked = !r.blockedBy.empty();
    if (!blocked && ctx.access.canRun(n, script)) return;
    bool exec = ctx.access.allows(n, kExec);
    bool read = ctx.access.allows(n, kRead);

    Finding f;
    f.at(r.path);
    f.layer = n.layer;
    f.evidence = {
        {"role", roleName(c.role)}, {"mode", octalMode(n.mode)},    {"uid", n.uid}, {"gid", n.gid},
        {"script", script},         {"bits", ctx.access.bitsFor(n)}};
    if (!r.links.empty()) {
      f.evidence["via"] = c.path;
      f.evidence["links"] = r.links;
    }
    std::string named = r.path == c.path ? r.path : c.path + " (-> " + r.path + ")";
    std::string err = runtimeError(c.role, c.path);
    if (blocked) {
      const Node* d = ctx.image.tree.find(r.blockedBy);
      f.evidence["blockedBy"] = r.blockedBy;
      if (d) f.evidence["blockedByMode"] = octalMode(d->mode);
      f.message = "Lambda cannot reach the " + std::string(roleName(c.role)) + " " + named +
                  ": directory " + r.blockedBy + " (mode " + (d ? octalMode(d->mode) : "?") +
                  ") lacks " + (d ? ctx.access.chmodFor(*d, 'x') : "o+x") + ", and " +
                  whose(ctx, d) + " (" + err + ")";
      f.fix = "RUN chmod 0755 " + shellQuote(r.blockedBy);
    } else {
      const Access& a = ctx.access;
      std::string lacks = !exec
                              ? (script && !read ? a.chmodFor(n, 'x') + " and " + a.chmodFor(n, 'r')
                                                 : a.chmodFor(n, 'x'))
                              : a.chmodFor(n, 'r');
      f.message = "the " + std::string(roleName(c.role)) + " " + named + " has mode " +
                  modeAndOwner(n) + ": it lacks " + lacks +
                  (exec ? ", which the interpreter needs to read the script" : "") + ", and " +
                  whose(ctx, &n) + " (" + err + ")";
      f.message += "; copy it in with mode 0755, or chmod it in the RUN that creates it";
      f.fix = dockerCopy("--chmod=0755", baseName(r.path), r.path);
    }
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD402{
    .id = "PD402",
    .severity = Severity::Error,
    .title = "Lambda: a program Lambda starts is not executable",
    .doc = "pd4xx/PD402.md",
    .profiles = profiles({Profile::Lambda}),
    .supersedes = "PD102",
    .make = makeRule<PD402>,
    .aboutMode = true,
};

}  // namespace pd
