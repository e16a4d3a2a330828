// PD407: AWS says not to use symlinks as the entry point. The first word of ENTRYPOINT (or of
// CMD without one), after PATH lookup, must not need a symlink to reach the real file.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD407 : public Rule {
 public:
  void check(Context& ctx) const override {
    const StartProgram& sp = ctx.startProgram();
    if (sp.path.empty()) return;
    Resolved r = ctx.access.resolve(sp.path);
    if (r.links.empty()) return;
    const std::string& link = r.links.front();
    const Node* ln = ctx.image.tree.find(link);
    std::string target = r.ok() ? r.path : "";
    Finding f;
    f.at(link);
    f.evidence = {{"entrypoint", sp.program},
                  {"links", r.links},
                  {"target", r.ok() ? nlohmann::json(target) : nlohmann::json(nullptr)}};
    if (ln) f.evidence["linkTarget"] = ln->link;
    std::string how = link == sp.path ? "is a symlink" : "is reached through the symlink " + link;
    f.message = "the entrypoint " + sp.path + " " + how +
                (ln ? " (-> " + ln->link + ")" : std::string()) +
                (r.ok() ? ", resolving to " + target : std::string(", which does not resolve")) +
                ": AWS does not support symlinks as the entry point (a failure shows as "
                "Runtime.InvalidEntrypoint)";
    if (r.ok()) {
      // The same instruction with its first word replaced by the real file.
      const ImageConfig& c = ctx.image.config;
      bool viaEntrypoint = !c.entrypoint.empty();
      std::vector<std::string> words = viaEntrypoint ? c.entrypoint : c.cmd;
      words.front() = target;
      f.fix = std::string(viaEntrypoint ? "ENTRYPOINT " : "CMD ") + nlohmann::json(words).dump();
    } else {
      f.fix = "point ENTRYPOINT at the real file";
    }
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD407{
    .id = "PD407",
    .severity = Severity::Warning,
    .title = "Lambda: the entrypoint is a symlink",
    .doc = "pd4xx/PD407.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD407>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
