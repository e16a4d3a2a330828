// PD303: secret material (private keys, credential files, .env) in the final filesystem.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "rules/pd3xx/format.h"
#include "rules/pd3xx/secrets.h"

namespace pd {
namespace {

class PD303 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    for (const auto& [path, n] : img.tree.nodes()) {
      if (n.type != FileType::Regular) continue;
      auto s = classifySecret(path, n, img.capture(n.capture));
      if (!s) continue;
      Finding f;
      f.at(path);
      f.layer = n.layer;
      f.evidence = {{"kind", s->kind},
                    {"size", n.size},
                    {"mode", octalMode(n.mode)},
                    {"uid", n.uid},
                    {"gid", n.gid}};
      if (!s->detail.empty()) f.evidence["detail"] = s->detail;
      if (s->line > 0) f.evidence["line"] = s->line;
      f.message = path + ": " + s->kind + (s->detail.empty() ? "" : " (" + s->detail + ")") +
                  (s->line > 0 ? " at line " + std::to_string(s->line) : "") + ", " +
                  humanBytes(n.size) + ", added by layer " + std::to_string(n.layer) +
                  ": anyone who can pull the image can read it; treat it as leaked and rotate it";
      f.fix = secretFix(path, *s);
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD303{
    .id = "PD303",
    .severity = Severity::Error,
    .title = "Secret material in the final filesystem",
    .doc = "pd3xx/PD303.md",
    .make = makeRule<PD303>,
};

}  // namespace pd
