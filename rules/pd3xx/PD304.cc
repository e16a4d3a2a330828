// PD304: secret material a later layer deleted (whiteout) but an earlier layer still carries.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "rules/pd3xx/format.h"
#include "rules/pd3xx/secrets.h"

namespace pd {
namespace {

class PD304 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    for (const Removed& r : img.removed) {
      if (!r.deleted) continue;
      auto s = classifySecret(r.path, r.old, img.capture(r.capture));
      if (!s) continue;
      Finding f;
      f.at(r.path);
      f.layer = r.layer;  // the layer whose tar still holds the bytes
      const std::string& addedBy = img.createdBy(r.layer);
      const std::string& deletedBy = img.createdBy(r.byLayer);
      f.evidence = {{"kind", s->kind},
                    {"size", r.old.size},
                    {"mode", octalMode(r.old.mode)},
                    {"uid", r.old.uid},
                    {"gid", r.old.gid},
                    {"deletedBy", r.byLayer},
                    {"deletedByCreatedBy", deletedBy},
                    {"addedByCreatedBy", addedBy}};
      if (!s->detail.empty()) f.evidence["detail"] = s->detail;
      if (s->line > 0) f.evidence["line"] = s->line;
      if (r.layer >= 0 && static_cast<size_t>(r.layer) < img.layers.size())
        f.evidence["layerDigest"] = img.layers[r.layer].digest;
      f.message = r.path + " (" + s->kind + (s->detail.empty() ? "" : ", " + s->detail) + ", " +
                  humanBytes(r.old.size) + ") was added by " + layerRef(r.layer, addedBy) +
                  " and deleted by " + layerRef(r.byLayer, deletedBy) + ", but layer " +
                  std::to_string(r.layer) +
                  " still contains it: anyone who pulls the image can extract it (docker save, "
                  "tar -x); treat it as leaked and rotate it";
      f.fix = secretFix(r.path, *s) + "; deleting it in a later layer does not remove it";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD304{
    .id = "PD304",
    .severity = Severity::Error,
    .title = "Secret deleted by a later layer is still in the image",
    .doc = "pd3xx/PD304.md",
    .make = makeRule<PD304>,
};

}  // namespace pd
