// PD201: the container runs as root.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD201 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (!ctx.identity.isRoot()) return;
    Finding f;
    const std::string& u = ctx.image.config.user;
    f.message = u.empty() ? "no USER is set, so the container runs as root"
                          : "USER " + u + " runs the container as root";
    f.evidence = {{"user", u}};
    f.fix = "RUN adduser -D -u 10001 app   then   USER 10001:10001";
    // An entrypoint that drops privileges (gosu app "$@") runs the app as that user, but the
    // container still starts as root: runAsNonRoot refuses it, and the script runs as root.
    if (const auto& h = ctx.handOver(); h && !h->switchTool.empty()) {
      f.message += "; " + h->script + " drops to " + h->switchUser + " with " + h->switchTool +
                   " (line " + std::to_string(h->switchLine) +
                   ") before it hands over, so the app itself does not run as root, but the "
                   "entrypoint does, and Kubernetes' runAsNonRoot refuses the image";
      f.evidence["dropsTo"] = {{"tool", h->switchTool},
                               {"user", h->switchUser},
                               {"script", h->script},
                               {"line", h->switchLine}};
      f.fix = "USER " + h->switchUser + " in the image, and drop the " + h->switchTool +
              " step from " + h->script +
              " (or keep it, where the entrypoint must prepare "
              "files as root)";
    }
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD201{
    .id = "PD201",
    .severity = Severity::Warning,
    .title = "The container runs as root",
    .doc = "pd2xx/PD201.md",
    .profiles = kNotLambda,
    .make = makeRule<PD201>,
    .setBy = "USER",
};

}  // namespace pd
