// PD202: USER names a user (or group) that /etc/passwd (or /etc/group) does not define.
#include "rules/rules.h"

namespace pd {
namespace {

class PD202 : public Rule {
 public:
  void check(Context& ctx) const override {
    if (ctx.profile == Profile::Lambda || !ctx.identity.unresolved) return;
    bool group = ctx.identity.unresolvedWhat.rfind("group ", 0) == 0;
    const char* file = group ? "/etc/group" : "/etc/passwd";
    std::string name = ctx.identity.unresolvedWhat.substr(group ? 6 : 5);
    Finding f;
    if (ctx.image.tree.find(file)) f.path = file;
    f.message = "USER " + ctx.image.config.user + " names " + ctx.identity.unresolvedWhat +
                ", but " + file + (f.path ? " has no such entry" : " does not exist") +
                ": the runtime fails with \"unable to find " + (group ? "group " : "user ") + name +
                ": no matching entries in " + (group ? "group" : "passwd") + " file\"";
    f.evidence = {{"user", ctx.image.config.user}, {"missing", ctx.identity.unresolvedWhat}};
    f.fix = group ? "RUN addgroup -g 10001 " + name + "   (or USER <uid>:<gid> with numeric ids)"
                  : "RUN adduser -D -u 10001 " + name + "   (or USER 10001:10001)";
    ctx.diag(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> makePD202() {
  return std::make_unique<PD202>();
}

}  // namespace pd
