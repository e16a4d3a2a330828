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
};

}  // namespace pd
