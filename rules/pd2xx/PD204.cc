// PD204: the runtime user's home directory is missing or not writable by that user.
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD204 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Identity& id = ctx.identity;
    if (id.isRoot() || id.otherOnly) return;
    // An Env HOME wins over /etc/passwd (the runtime only fills HOME in when it is unset), so
    // `ENV HOME=/tmp` is an accepted fix.
    std::string home = id.home, source = "/etc/passwd";
    if (auto h = ctx.image.env("HOME"); h && !h->empty()) {
      home = *h;
      source = "Env HOME";
    }
    // No passwd entry (numeric uid), or a home that is "none" on purpose.
    if (home.empty() || home == "/nonexistent" || home == "/dev/null") return;
    home = cleanPath(home);
    if (home == "/") return;

    std::string who = id.userName.empty() ? "uid " + std::to_string(id.uid)
                                          : id.userName + " (uid " + std::to_string(id.uid) + ")";
    std::string owner = std::to_string(id.uid) + ":" + std::to_string(id.gid);
    Finding f;
    f.at(home);
    f.evidence = {{"home", home},
                  {"source", source},
                  {"uid", id.uid},
                  {"gid", id.gid},
                  {"identity", id.description}};
    Resolved r = ctx.access.resolve(home);
    const Node* n = r.ok() ? r.node : nullptr;
    if (!n || n->type != FileType::Directory) {
      f.evidence["exists"] = n != nullptr;
      f.message = "the home directory " + home + " of " + who + ", from " + source + ", " +
                  (n ? "is not a directory" : "does not exist") +
                  ": tools that write under HOME fail (\"EACCES: permission denied, mkdir '" +
                  home + "/.npm'\", \"[Errno 13] Permission denied\")";
      // Missing: the layer that named it in /etc/passwd is the one to fix.
      if (!n && source == "/etc/passwd") f.layer = ctx.layerOf("/etc/passwd");
      f.message += "; create it, or create the user with its home (useradd -m)";
      f.fix = "RUN install -d -o " + std::to_string(id.uid) + " -g " + std::to_string(id.gid) +
              " -m 0750 " + shellQuote(home);
      ctx.diag(std::move(f));
      return;
    }
    f.evidence["exists"] = true;
    f.evidence["mode"] = octalMode(n->mode);
    f.evidence["owner"] = {{"uid", n->uid}, {"gid", n->gid}};
    f.evidence["bits"] = ctx.access.bitsFor(*n);
    if (r.path != home) f.evidence["resolved"] = r.path;
    if (!r.blockedBy.empty()) {
      const Node* d = ctx.image.tree.find(r.blockedBy);
      f.evidence["blockedBy"] = r.blockedBy;
      f.message = "the home directory " + home + " of " + who + " cannot be reached: directory " +
                  r.blockedBy + " (mode " + (d ? octalMode(d->mode) : "?") +
                  ") is not traversable by " + id.description;
      f.fix = "RUN chmod o+x " + shellQuote(r.blockedBy);
      ctx.diag(std::move(f));
      return;
    }
    if (ctx.access.allows(*n, kWrite | kExec)) return;
    f.message = "the home directory " + home + " of " + who + " has mode " + modeAndOwner(*n) +
                ": the user cannot create files in it (\"EACCES: " + "permission denied, mkdir '" +
                home + "/.cache'\")";
    f.fix =
        "RUN chown " + owner + " " + shellQuote(r.path) + " && chmod u+rwx " + shellQuote(r.path);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD204{
    .id = "PD204",
    .severity = Severity::Warning,
    .title = "The runtime user's home is missing or not writable",
    .doc = "pd2xx/PD204.md",
    .profiles = profiles({Profile::Generic, Profile::Kubernetes}),
    .make = makeRule<PD204>,
    .setBy = "USER",
};

}  // namespace pd
