// PD306: bytes a layer carries that a later layer overwrites or deletes (no container sees them).
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "rules/pd3xx/format.h"

namespace pd {
namespace {

constexpr size_t kTopOffenders = 10;

class PD306 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    int64_t wasted = 0;
    std::vector<const Removed*> offenders;
    for (const Removed& r : img.removed) {
      if (r.storedSize <= 0) continue;  // hardlinks carry no bytes of their own
      wasted += r.storedSize;
      offenders.push_back(&r);
    }
    double size = static_cast<double>(img.uncompressedSize);
    if (wasted <= ctx.options.bytes("PD306.min-wasted-bytes") ||
        static_cast<double>(wasted) <= ctx.options.fraction("PD306.min-wasted-fraction") * size)
      return;
    std::stable_sort(offenders.begin(), offenders.end(), [](const Removed* a, const Removed* b) {
      return a->storedSize > b->storedSize;
    });
    double fraction = size > 0 ? static_cast<double>(wasted) / size : 1.0;
    nlohmann::json top = nlohmann::json::array();
    for (size_t i = 0; i < offenders.size() && i < kTopOffenders; ++i) {
      const Removed& r = *offenders[i];
      top.push_back({{"path", r.path},
                     {"size", r.storedSize},
                     {"layer", r.layer},
                     {"removedByLayer", r.byLayer},
                     {"how", r.deleted ? "deleted" : "overwritten"}});
    }
    const Removed& big = *offenders.front();
    Finding f;
    f.at(big.path);
    f.layer = big.layer;
    f.evidence = {{"wastedBytes", wasted},
                  {"fraction", fraction},
                  {"imageBytes", img.uncompressedSize},
                  {"files", offenders.size()},
                  {"largest", top}};
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f", fraction * 100);
    const std::string& addedBy = img.createdBy(big.layer);
    const std::string& removedBy = img.createdBy(big.byLayer);
    f.message =
        humanBytes(wasted) + " (" + pct + " % of the image's " + humanBytes(img.uncompressedSize) +
        ", " + std::to_string(offenders.size()) + (offenders.size() == 1 ? " file" : " files") +
        ") are stored in layers but hidden by later ones; the largest: " + big.path + " (" +
        humanBytes(big.storedSize) + ") written by " + layerRef(big.layer, addedBy) + ", " +
        (big.deleted ? "deleted" : "overwritten") + " by " + layerRef(big.byLayer, removedBy);
    f.message += big.deleted ? "; remove it in the same RUN that creates it"
                             : "; write its final version once, in one layer, or build it in a "
                               "stage of its own and COPY --from it";
    f.fix = big.deleted
                ? "RUN <create> && <use> && rm -f " + shellQuote(big.path)
                : "COPY --from=<stage> " + shellQuote(big.path) + " " + shellQuote(big.path);
    ctx.diag(std::move(f));
  }
};

// Both must be exceeded: a few MiB hidden in a small image matter, in a big one they do not.
constexpr RuleOption kOptions[] = {
    {"min-wasted-bytes", RuleOption::Kind::Bytes, "10MiB", "fire only past this many hidden bytes"},
    {"min-wasted-fraction", RuleOption::Kind::Fraction, "0.05",
     "fire only past this fraction of the image's size"},
};

}  // namespace

extern const RuleEntry kPD306{
    .id = "PD306",
    .severity = Severity::Warning,
    .title = "Wasted bytes: content overwritten or deleted by later layers",
    .doc = "pd3xx/PD306.md",
    .options = kOptions,
    .make = makeRule<PD306>,
};

}  // namespace pd
