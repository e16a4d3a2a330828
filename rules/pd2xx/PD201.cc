// PD201: the container runs as root.
#include <nlohmann/json.hpp>

#include "engine/distro.h"
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
    // Dockerfile lines to paste: the image's own user if it has one, else one made with the
    // image's own tool (engine/distro.h).
    const PasswdEntry* own = nullptr;
    for (const auto& u : ctx.accounts.users)
      if (!own && u.uid >= 1000 && u.uid < 60000) own = &u;
    std::string create = own ? "" : userCreation(ctx.image, 10001, "app");
    if (own) {
      f.message += "; switch to the image's user " + own->name + " by number";
      f.fix = "USER " + std::to_string(own->uid) + ":" + std::to_string(own->gid);
    } else if (create.empty()) {
      f.message += "; the image has no shell or /etc/passwd to add a user to: run as nobody";
      f.fix = "USER 65534:65534";
    } else {
      f.message += "; create a user, then switch to it by number";
      f.fix = create + "\nUSER 10001:10001";
    }
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
      f.message += "; set USER to that user and drop the " + h->switchTool + " step from " +
                   h->script + ", unless the entrypoint must prepare files as root";
      f.fix = "USER " + h->switchUser;
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
