// PD401: under the Lambda task root, /opt and the runtime dir, every file must be o+r and every
// directory o+x, because Lambda runs the function as a uid that owns nothing.
#include <nlohmann/json.hpp>
#include "engine/grouping.h"

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD401 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::vector<std::string> roots = {ctx.lambdaTaskRoot(), "/opt", ctx.lambdaRuntimeDir()};
    std::vector<PathIssue> issues;
    for (size_t k = 0; k < roots.size(); ++k) {
      const std::string& root = roots[k];
      bool dup = false;
      for (size_t j = 0; j < k; ++j) dup = dup || isUnder(root, roots[j]);
      const Node* rn = img.tree.find(root);
      if (dup || root == "/" || !rn) continue;
      // The root itself must be reachable: every ancestor traversable.
      Resolved r = ctx.access.resolve(root);
      if (r.ok() && !r.blockedBy.empty()) {
        const Node* d = img.tree.find(r.blockedBy);
        issues.push_back(
            {.path = r.blockedBy,
             .root = r.blockedBy,
             .cause = "dir",
             .layer = d ? d->layer : -1,
             .meta = d,
             .evidence = {{"mode", d ? octalMode(d->mode) : "?"}, {"type", "directory"}}});
      }
      auto consider = [&](const std::string& p, const Node& n) {
        if (ctx.access.canOpen(n)) return;
        std::string cause = typeModeOwner(n);
        issues.push_back({.path = p,
                          .root = root,
                          .cause = cause,
                          .layer = n.layer,
                          .meta = &n,
                          .evidence = {{"type", fileTypeName(n.type)},
                                       {"mode", octalMode(n.mode)},
                                       {"uid", n.uid},
                                       {"gid", n.gid}}});
      };
      consider(root, *rn);
      auto [a, b] = img.tree.below(root);
      for (auto it = a; it != b; ++it) consider(it->first, it->second);
    }
    for (auto& g : groupByCause(std::move(issues))) {
      Finding f;
      f.over(g.top, g.paths);
      f.layer = g.layer;
      const Meta* n = g.meta;  // null only for an ancestor the tree does not hold
      std::string type = n ? fileTypeName(n->type) : "directory";
      bool dir = type == "directory";
      std::string what = g.paths.size() == 1 ? type + " " + g.top
                                             : std::to_string(g.paths.size()) + " " +
                                                   (dir ? std::string("directories") : type + "s") +
                                                   " under " + g.top;
      f.message = what + " (mode " + (n ? octalMode(n->mode) : "?") + ", owner " +
                  (n ? ownerString(*n) : "?") + ") " + (g.paths.size() == 1 ? "is" : "are") +
                  " not " + (dir ? "traversable (o+x)" : "readable (o+r)") +
                  " by the Lambda runtime user, which owns nothing: only the \"other\" bits count";
      f.evidence = g.evidence;
      f.evidence["count"] = g.paths.size();
      if (g.paths.size() == 1) {
        f.fix = dir ? "RUN chmod 0755 " + shellQuote(g.top)
                    : dockerCopy("--chmod=0644", baseName(g.top), g.top);
      } else {
        f.message +=
            "; better than a chmod layer, which stores the files again: the COPY that "
            "writes them with --chmod (0644 for files, 0755 for directories)";
        f.fix = "RUN chmod -R o+rX " + shellQuote(g.top);
      }
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD401{
    .id = "PD401",
    .severity = Severity::Error,
    .title = "Lambda cannot read a file or traverse a directory of the function",
    .doc = "pd4xx/PD401.md",
    .profiles = profiles({Profile::Lambda}),
    .supersedes = "PD105",
    .make = makeRule<PD401>,
    .aboutMode = true,
};

}  // namespace pd
