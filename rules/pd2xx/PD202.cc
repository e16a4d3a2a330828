// PD202: USER names a user (or group) that /etc/passwd (or /etc/group) does not define.
#include <nlohmann/json.hpp>

#include "engine/distro.h"
#include "engine/rule_table.h"

namespace pd {
namespace {

class PD202 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (!ctx.identity.unresolved) return;
    bool group = ctx.identity.unresolvedWhat.rfind("group ", 0) == 0;
    const char* file = group ? "/etc/group" : "/etc/passwd";
    std::string name = ctx.identity.unresolvedWhat.substr(group ? 6 : 5);
    Finding f;
    if (ctx.image.tree.find(file)) f.at(file);
    f.message = "USER " + ctx.image.config.user + " names " + ctx.identity.unresolvedWhat +
                ", but " + file + (f.path ? " has no such entry" : " does not exist") +
                ": the runtime fails with \"unable to find " + (group ? "group " : "user ") + name +
                ": no matching entries in " + (group ? "group" : "passwd") + " file\"";
    f.evidence = {{"user", ctx.image.config.user}, {"missing", ctx.identity.unresolvedWhat}};
    std::string create =
        group ? groupCreation(ctx.image, 10001, name) : userCreation(ctx.image, 10001, name);
    f.message += "; create it in the image, or set USER by number";
    f.fix = create.empty() ? "USER 10001:10001" : create;
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD202{
    .id = "PD202",
    .severity = Severity::Error,
    .title = "USER names a user or group the image does not define",
    .doc = "pd2xx/PD202.md",
    .profiles = kNotLambda,
    .make = makeRule<PD202>,
    .setBy = "USER",
};

}  // namespace pd
