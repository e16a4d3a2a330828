// PD102: the start program exists but the runtime identity cannot execute it.
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

class PD102 : public ProgramRule {
 private:
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    const StartProgram& sp = *rp.program;
    if (sp.path.empty()) return;
    Resolved r = ctx.access.resolve(sp.path);
    if (!r.ok() || r.node->type == FileType::Directory) return;  // PD101's business
    const Node& n = *r.node;
    // execve("./server") from WORKDIR: only what lies below WORKDIR can block a relative name.
    const std::string blocker =
        sp.program.find('/') != std::string::npos ? ctx.blockerOf(r, sp.program) : r.blockedBy;
    Finding f;
    f.at(r.path);
    f.layer = n.layer;
    f.evidence = {{"mode", octalMode(n.mode)},
                  {"uid", n.uid},
                  {"gid", n.gid},
                  {"identity", ctx.identity.description},
                  {"bits", ctx.access.bitsFor(n)}};
    addHandOver(f, rp);
    if (!blocker.empty()) {
      const Node* d = ctx.image.tree.find(blocker);
      f.message = "the runtime user cannot reach " + r.path + ": directory " + blocker + " (mode " +
                  (d ? octalMode(d->mode) : "?") + ") is not traversable";
      f.evidence["blockedBy"] = blocker;
      f.fix = "RUN chmod 0755 " + shellQuote(blocker);
      ctx.diag(std::move(f));
      return;
    }
    const Captured* c = ctx.image.capture(n.capture);
    bool script = c && c->head == Captured::Head::Script;
    if (ctx.access.canRun(n, script)) return;
    bool exec = ctx.access.allows(n, kExec);
    f.message = rp.name(r.path) + " has mode " + modeAndOwner(n) + ": " + ctx.identity.description +
                " cannot " + (exec ? "read the script" : "execute it");
    f.message += "; copy it in with mode 0755, or chmod it in the RUN that creates it";
    f.fix = dockerCopy("--chmod=0755", baseName(r.path), r.path);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD102{
    .id = "PD102",
    .severity = Severity::Error,
    .title = "The runtime user cannot execute the start program",
    .doc = "pd1xx/PD102.md",
    .make = makeRule<PD102>,
    .alsoAsSwitchedUser = true,
    .setBy = "ENTRYPOINT CMD",
    .aboutMode = true,
};

}  // namespace pd
