// PD205: OpenShift runs an arbitrary uid with gid 0, so the directories the app writes (WORKDIR
// and the USER's home) must be writable through group 0.
#include <set>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD205 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::vector<std::pair<std::string, std::string>> dirs;  // path, what it is
    if (!img.config.workingDir.empty()) dirs.push_back({ctx.workdir(), "WORKDIR"});
    // The config User's home: the image expects its user to write there, whatever the uid.
    const std::string& u = img.config.user;
    std::string userPart = u.substr(0, u.find(':'));
    const PasswdEntry* p = nullptr;
    if (!userPart.empty()) {
      auto n = parseId(userPart);
      p = n ? ctx.accounts.userById(*n) : ctx.accounts.userByName(userPart);
    }
    if (p && !p->home.empty() && p->home != "/nonexistent" && p->home != "/dev/null")
      dirs.push_back({cleanPath(p->home), "home of " + p->name});

    std::set<std::string> done;
    for (const auto& [dir, what] : dirs) {
      if (dir == "/" || !done.insert(dir).second) continue;
      checkDir(ctx, dir, what);
    }
  }

 private:
  static void checkDir(Context& ctx, const std::string& dir, const std::string& what) {
    const Identity& id = ctx.identity;
    std::string recipe = "chgrp -R 0 " + dir + " && chmod -R g=u " + dir;
    Finding f;
    f.at(dir);
    f.evidence = {{"directory", dir}, {"role", what}, {"identity", id.description}};
    Resolved r = ctx.access.resolve(dir);
    const Node* n = r.ok() ? r.node : nullptr;
    if (!n || n->type != FileType::Directory) {
      f.evidence["exists"] = n != nullptr;
      f.message = what + " " + dir + (n ? " is not a directory" : " does not exist") +
                  ": the runtime creates it owned by root, so the OpenShift uid (gid 0) cannot "
                  "write to it";
      f.fix = "RUN mkdir -p " + dir + " && " + recipe;
      ctx.diag(std::move(f));
      return;
    }
    f.evidence["exists"] = true;
    f.evidence["mode"] = octalMode(n->mode);
    f.evidence["uid"] = n->uid;
    f.evidence["gid"] = n->gid;
    f.evidence["bits"] = ctx.access.bitsFor(*n);
    if (r.path != dir) f.evidence["resolved"] = r.path;
    if (!r.blockedBy.empty()) {
      const Node* d = ctx.image.tree.find(r.blockedBy);
      f.evidence["blockedBy"] = r.blockedBy;
      f.message = what + " " + dir + " cannot be reached by the OpenShift uid: directory " +
                  r.blockedBy + " (mode " + (d ? octalMode(d->mode) : "?") + ", owner " +
                  (d ? ownerString(*d) : "?") + ") is not traversable through group 0 or other";
      f.fix = "RUN chgrp 0 " + r.blockedBy + " && chmod g+rx " + r.blockedBy;
      ctx.diag(std::move(f));
      return;
    }
    if (ctx.access.allows(*n, kWrite | kExec)) return;
    f.message = what + " " + dir + " has mode " + modeAndOwner(*n) + ": " +
                (n->gid == 0 ? "group 0 lacks w/x"
                             : "its group is not 0, so only the \"other\" bits apply") +
                "; the OpenShift uid (gid 0, owning nothing) fails with \"mkdir: cannot create "
                "directory '" +
                dir + "/...': Permission denied\"";
    f.fix = "RUN " + recipe;
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD205{
    .id = "PD205",
    .severity = Severity::Warning,
    .title = "OpenShift: app directories are not group-0-writable",
    .doc = "pd2xx/PD205.md",
    .profiles = profiles({Profile::OpenShift}),
    .make = makeRule<PD205>,
};

}  // namespace pd
