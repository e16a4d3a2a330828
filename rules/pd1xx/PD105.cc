// PD105: a file under the application roots that the runtime identity cannot read, or a
// directory there (or above a root) that it cannot traverse.
#include <set>

#include <nlohmann/json.hpp>
#include "engine/grouping.h"

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD105 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (ctx.identity.isRoot()) return;  // root reads everything and traverses any directory
    const Image& img = ctx.image;
    const std::vector<AppRoot>& roots = ctx.applicationRoots();
    std::vector<std::string> dirs;
    for (const auto& r : roots)
      if (!r.dir.empty()) dirs.push_back(r.dir);
    auto inRoots = [&](const std::string& p) {
      for (const auto& d : dirs)
        if (isUnder(p, d)) return true;
      return false;
    };

    std::vector<PathIssue> issues;
    auto evidenceOf = [&](const Node& n) {
      return nlohmann::json{{"type", fileTypeName(n.type)},
                            {"mode", octalMode(n.mode)},
                            {"uid", n.uid},
                            {"gid", n.gid},
                            {"bits", ctx.access.bitsFor(n)}};
    };
    auto causeOf = [](const Node& n, const std::string& prefix) {
      return prefix + typeModeOwner(n);
    };
    auto denied = [&](const Node& n) { return !ctx.access.canOpen(n); };
    std::set<std::string> ancestors;
    for (const auto& root : roots) {
      if (root.dir.empty()) continue;
      // The root must be reachable: every ancestor traversable.
      Resolved rr = ctx.access.resolve(root.dir);
      // Below a system tree (WORKDIR /root/app), only what lies inside the root is the app's:
      // runc enters WORKDIR as root, and a start by absolute path is PD101-PD109's.
      if (!rr.blockedBy.empty() && !root.belowSystemTree && ancestors.insert(rr.blockedBy).second) {
        if (const Node* d = img.tree.find(rr.blockedBy)) {
          nlohmann::json ev = evidenceOf(*d);
          ev["ancestorOf"] = root.dir;
          ev["root"] = root.why;
          issues.push_back({.path = rr.blockedBy,
                            .root = rr.blockedBy,
                            .cause = causeOf(*d, "ancestor "),
                            .layer = d->layer,
                            .meta = d,
                            .related = root.dir,
                            .evidence = ev});
        }
      }
      auto consider = [&](const std::string& p, const Node& n) {
        if (n.type == FileType::Symlink) {
          // A link leading out of the roots: the app opens its target (the roots' own paths
          // are judged where they are).
          Resolved t = ctx.access.resolve(p);
          if (!t.ok() || inRoots(t.path) || !denied(*t.node)) return;
          nlohmann::json ev = evidenceOf(*t.node);
          ev["target"] = t.path;
          issues.push_back({.path = p,
                            .root = root.dir,
                            .cause = causeOf(*t.node, "link to ") + " " + t.path,
                            .layer = n.layer,
                            .meta = t.node,
                            .related = t.path,
                            .evidence = ev});
          return;
        }
        if (denied(n))
          issues.push_back({.path = p,
                            .root = root.dir,
                            .cause = causeOf(n, ""),
                            .layer = n.layer,
                            .meta = &n,
                            .evidence = evidenceOf(n)});
      };
      consider(root.dir, *rr.node);
      auto [a, b] = img.tree.below(root.dir);
      for (auto it = a; it != b; ++it) consider(it->first, it->second);
    }

    for (auto& g : groupByCause(std::move(issues))) ctx.diag(finding(ctx, g, roots));
  }

 private:
  static Finding finding(const Context& ctx, const PathGroup& g,
                         const std::vector<AppRoot>& roots) {
    const nlohmann::json& ev = g.evidence;
    const Meta& n = *g.meta;
    std::string type = fileTypeName(n.type);
    bool dir = n.type == FileType::Directory;
    std::string mode = octalMode(n.mode);
    std::string bits = ctx.access.bitsFor(n);
    uint32_t m = n.mode;
    std::string owner = ownerString(n);
    const std::string& who = ctx.identity.description;
    Finding f;
    f.over(g.top, g.paths);
    f.layer = g.layer;
    f.evidence = ev;
    f.evidence["count"] = g.paths.size();
    f.evidence["identity"] = who;
    std::string newMode = octalMode(m | (dir ? 0555u : 0444u));
    char cls = chmodClass(bits);

    if (g.cause.starts_with("ancestor ")) {
      const std::string& rootDir = g.related;
      std::string why;
      for (const auto& r : roots)
        if (r.dir == rootDir) why = r.why;
      f.message = "directory " + g.top + " (mode " + mode + ", owner " + owner +
                  "), above the application root " + rootDir + " (" + why +
                  "), is not traversable by " + who + " (it gets the \"" + bits +
                  "\" bits): nothing under " + rootDir + " can be opened (\"Permission denied\")";
      f.fix = "RUN chmod " + newMode + " " + shellQuote(g.top);
      return f;
    }

    const std::string& target = g.related;  // a link's target, "" for the path itself
    std::string what;
    if (g.paths.size() == 1)
      what =
          target.empty() ? type + " " + g.top : "symlink " + g.top + " -> " + type + " " + target;
    else
      what = std::to_string(g.paths.size()) + " " +
             (target.empty() ? (dir ? std::string("directories") : type + "s")
                             : "symlinks to " + type + "s") +
             " under " + g.top;
    bool one = g.paths.size() == 1;
    f.message = what + " (mode " + mode + ", owner " + owner + ") " + (one ? "is" : "are") +
                " not " + (dir ? "traversable" : "readable") + " by " + who +
                ", which gets the \"" + bits + "\" bits";
    if (dir)
      f.message +=
          ": opening anything below fails with \"Permission denied\" (imports may "
          "report \"not found\")";
    else
      f.message += ": opening " + (one ? (target.empty() ? g.top : target) : std::string("them")) +
                   " fails with \"Permission denied\" (Python `[Errno 13] Permission denied`, "
                   "Node `EACCES`)";

    // The fix is Dockerfile lines to paste; the alternatives are said in the message.
    const std::string& fixPath = one && !target.empty() ? target : g.top;
    std::string q = shellQuote(fixPath);
    std::string id = std::to_string(ctx.identity.uid) + ":" + std::to_string(ctx.identity.gid);
    // Ownership helps an identity with a fixed uid when the owner bits allow the access.
    bool ownerBitsOk = dir ? (m & 0100) != 0 : (m & 0400) != 0;
    if (ctx.profile == Profile::OpenShift) {
      // OpenShift's arbitrary uid is in group 0: the group bits must give what the owner has.
      f.message += "; OpenShift runs an arbitrary uid in group 0, so give group 0 the owner's bits";
      f.fix = "RUN chgrp -R 0 " + q + " && chmod -R g=u " + q;
    } else if (one && !dir && target.empty()) {
      f.message += "; copy it in with a readable mode, or chmod it in the RUN that creates it";
      f.fix = dockerCopy("--chmod=" + newMode, baseName(g.top), g.top);
    } else if (one) {
      f.fix = "RUN chmod " + newMode + " " + q;
    } else {
      f.message +=
          "; better than a chmod layer, which stores the files again: the COPY that "
          "writes them with --chmod (0644 for files, 0755 for directories)";
      f.fix = "RUN chmod -R " + std::string(1, cls) + "+rX " + q;
    }
    if (ctx.profile != Profile::OpenShift && !ctx.identity.otherOnly && ownerBitsOk &&
        bits != "owner")
      f.message += "; or give " + std::string(one && !dir ? "it" : "them") +
                   " to the runtime user: COPY --chown=" + id + ", or RUN chown " +
                   (one && !dir ? "" : "-R ") + id + " " + q;
    return f;
  }
};

}  // namespace

extern const RuleEntry kPD105{
    .id = "PD105",
    .severity = Severity::Error,
    .title = "Application files the runtime identity cannot read",
    .doc = "pd1xx/PD105.md",
    .make = makeRule<PD105>,
    .alsoAsSwitchedUser = true,
    .aboutMode = true,
};

}  // namespace pd
