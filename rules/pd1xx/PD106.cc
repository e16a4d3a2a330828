// PD106: a world-writable file, or a world-writable directory without the sticky bit, outside
// the scratch trees where that is normal.
#include <set>

#include <nlohmann/json.hpp>
#include "engine/grouping.h"

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

// Shared scratch space (world-writable by design) and kernel filesystems the runtime mounts.
const char* const kExempt[] = {"/tmp", "/var/tmp", "/dev/shm", "/proc", "/sys"};

class PD106 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Tree& tree = ctx.image.tree;
    std::vector<std::pair<std::string, const Node*>> hits;
    std::set<std::string> hitPaths;
    for (const auto& [p, n] : tree.nodes()) {
      // Symlinks are always 0777 and devices (/dev/null) are meant to be shared.
      if (n.type != FileType::Regular && n.type != FileType::Directory) continue;
      if (!isWorldWritable(n)) continue;
      // The sticky bit protects a directory's entries; on a file it means nothing.
      if (n.type == FileType::Directory && isSticky(n)) continue;
      bool exempt = false;
      for (const char* e : kExempt) exempt = exempt || isUnder(p, e);
      if (exempt) continue;
      hits.emplace_back(p, &n);
      hitPaths.insert(p);
    }
    // A `chmod -R 777 /app` is one cause: the group's root is the parent of the top-most
    // world-writable path above each hit, so that unrelated paths do not merge into "/".
    std::vector<PathIssue> issues;
    for (const auto& [p, n] : hits) {
      std::string top = p;
      for (std::string a = parentOf(p); a != "/"; a = parentOf(a))
        if (hitPaths.count(a)) top = a;
      std::string cause = std::string(fileTypeName(n->type)) + " " + octalMode(n->mode);
      issues.push_back({.path = p,
                        .root = parentOf(top),
                        .cause = cause,
                        .layer = n->layer,
                        .meta = n,
                        .evidence = {{"type", fileTypeName(n->type)},
                                     {"mode", octalMode(n->mode)},
                                     {"uid", n->uid},
                                     {"gid", n->gid}}});
    }
    for (auto& g : groupByCause(std::move(issues))) {
      const Meta& n = *g.meta;
      std::string type = fileTypeName(n.type);
      bool dir = n.type == FileType::Directory;
      std::string mode = octalMode(n.mode);
      bool one = g.paths.size() == 1;
      Finding f;
      f.over(g.top, g.paths);
      f.layer = g.layer;
      f.evidence = g.evidence;
      f.evidence["count"] = g.paths.size();
      std::string what = one ? type + " " + g.top
                             : std::to_string(g.paths.size()) + " " +
                                   (dir ? std::string("directories") : type + "s") + " under " +
                                   g.top;
      f.message =
          what + " (mode " + mode + ", owner " + ownerString(n) + ") " + (one ? "is" : "are") +
          " writable by every uid" +
          (dir ? ", without the sticky bit: any process can delete, rename or plant "
                 "entries there"
               : ": any process in the container can rewrite " + std::string(one ? "it" : "them"));
      std::string flag = one ? "" : "-R ";
      f.message +=
          std::string("; grant write to the one uid or group that needs it (COPY --chown)") +
          (dir ? ", or chmod 1777 for a real shared directory" : "");
      f.fix = "RUN chmod " + flag + "o-w " + shellQuote(g.top);
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD106{
    .id = "PD106",
    .severity = Severity::Warning,
    .title = "World-writable path without the sticky bit",
    .doc = "pd1xx/PD106.md",
    .make = makeRule<PD106>,
    .aboutMode = true,
};

}  // namespace pd
