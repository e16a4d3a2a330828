// PD107: setuid or setgid files (informational). One finding per layer: a base image's set of
// setuid programs is one cause.
#include <nlohmann/json.hpp>
#include "engine/grouping.h"

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD107 : public Rule {
 public:
  void check(Context& ctx) const override {
    std::vector<PathIssue> issues;
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [p, n] : ctx.image.tree.nodes()) {
      // A setgid directory only makes new entries inherit its group: normal for shared dirs.
      if (n.type != FileType::Regular || !(isSetuid(n) || isSetgid(n))) continue;
      nlohmann::json ev = {{"mode", octalMode(n.mode)},
                           {"uid", n.uid},
                           {"gid", n.gid},
                           {"setuid", isSetuid(n)},
                           {"setgid", isSetgid(n)}};
      files[p] = ev;
      issues.push_back({.path = p, .cause = "setid", .layer = n.layer, .meta = &n, .evidence = ev});
    }
    for (auto& g : groupByCause(std::move(issues))) {
      Finding f;
      f.over(g.top, g.paths);
      f.layer = g.layer;
      if (g.paths.size() == 1) {
        const nlohmann::json& ev = g.evidence;
        const Meta& n = *g.meta;
        bool su = isSetuid(n), sg = isSetgid(n);
        uint32_t uid = n.uid, gid = n.gid;
        f.evidence = ev;
        std::string runsAs;
        if (su) runsAs = "uid " + std::to_string(uid) + (uid == 0 ? " (root)" : "");
        if (sg) runsAs += (su ? " and " : "") + std::string("gid ") + std::to_string(gid);
        f.message = g.top + " is " +
                    (su && sg ? "setuid and setgid"
                     : su     ? "setuid"
                              : "setgid") +
                    " (mode " + octalMode(n.mode) + ", owner " + ownerString(n) + "): it runs as " +
                    runsAs + " whoever starts it, unless the container runs with no-new-privileges";
        f.fix = std::string("RUN chmod ") +
                (su && sg ? "ug-s "
                 : su     ? "u-s "
                          : "g-s ") +
                shellQuote(g.top);
        f.message += "; drop the bit, or remove the package if it is not needed";
      } else {
        int root = 0;
        f.evidence = {{"count", g.paths.size()}, {"files", nlohmann::json::object()}};
        for (const auto& p : g.paths) {
          f.evidence["files"][p] = files[p];
          if (files[p].value("setuid", false) && files[p].value("uid", 1u) == 0) ++root;
        }
        f.message = std::to_string(g.paths.size()) + " setuid/setgid files under " + g.top +
                    " come from this layer (" + std::to_string(root) +
                    " setuid root): each runs with its owner's or group's privileges whoever "
                    "starts it, unless the container runs with no-new-privileges";
        f.message +=
            "; drop the bits in the last RUN of the image, or remove the packages that "
            "ship them";
        f.fix = "RUN find / -xdev -type f -perm /6000 -exec chmod a-s {} +";
      }
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD107{
    .id = "PD107",
    .severity = Severity::Info,
    .title = "Setuid or setgid file",
    .doc = "pd1xx/PD107.md",
    .make = makeRule<PD107>,
    .aboutMode = true,
};

}  // namespace pd
