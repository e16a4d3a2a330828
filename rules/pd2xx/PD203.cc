// PD203: USER is a name, not a numeric uid, so Kubernetes cannot verify runAsNonRoot.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD203 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (ctx.identity.overridden) return;
    const std::string& u = ctx.image.config.user;
    if (u.empty()) return;  // root by default: PD201
    size_t colon = u.find(':');
    std::string userPart = u.substr(0, colon);
    std::string groupPart = colon == std::string::npos ? "" : u.substr(colon + 1);
    if (userPart.empty() || parseId(userPart)) return;  // Kubernetes only reads the user part

    Finding f;
    f.evidence = {{"user", u}, {"userPart", userPart}};
    std::string resolved;
    std::string uid = "<uid>";
    std::optional<uint32_t> gidNum;
    if (const PasswdEntry* p = ctx.accounts.userByName(userPart)) {
      if (p->uid == 0) return;  // "root": PD201 is the cause, a number would not help
      uid = std::to_string(p->uid);
      gidNum = p->gid;
      f.evidence["uid"] = p->uid;
      resolved = " (/etc/passwd maps it to uid " + uid + ")";
    }
    if (!groupPart.empty()) {
      if (auto g = parseId(groupPart))
        gidNum = *g;
      else if (const GroupEntry* ge = ctx.accounts.groupByName(groupPart))
        gidNum = ge->gid;
      else
        gidNum.reset();
    }
    if (gidNum) f.evidence["gid"] = *gidNum;
    std::string gid = gidNum ? std::to_string(*gidNum) : "<gid>";
    f.message = "USER " + u + " names the user \"" + userPart + "\" instead of a numeric uid" +
                resolved +
                ": Kubernetes with runAsNonRoot refuses to start it (\"container has runAsNonRoot "
                "and image has non-numeric user (" +
                userPart + "), cannot verify user is non-root\")";
    f.fix = "USER " + uid + ":" + gid;
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD203{
    .id = "PD203",
    .severity = Severity::Warning,
    .title = "USER is a name, not a numeric uid",
    .doc = "pd2xx/PD203.md",
    .profiles = profiles({Profile::Generic, Profile::Kubernetes}),
    .make = makeRule<PD203>,
    .setBy = "USER",
};

}  // namespace pd
