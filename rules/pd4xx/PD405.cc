// PD405: Lambda refuses images whose layers, unpacked, add up to more than 10 GiB. The sum
// counts every layer as stored, hidden and duplicated bytes included.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

std::string gib(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1LL << 30));
  return buf;
}

class PD405 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    int64_t limit = ctx.options.bytes("PD405.max-bytes");
    if (img.uncompressedSize <= limit) return;

    // The largest layers say where to start shrinking.
    std::vector<const LayerInfo*> layers;
    for (const auto& l : img.layers) layers.push_back(&l);
    std::stable_sort(layers.begin(), layers.end(), [](const LayerInfo* a, const LayerInfo* b) {
      return a->uncompressedSize > b->uncompressedSize;
    });
    if (layers.size() > 5) layers.resize(5);
    nlohmann::json largest = nlohmann::json::array();
    std::string top;
    for (const LayerInfo* l : layers) {
      largest.push_back({{"index", l->index},
                         {"uncompressedSize", l->uncompressedSize},
                         {"createdBy", l->createdBy}});
      if (top.empty())
        top = "layer " + std::to_string(l->index) + " (" + gib(l->uncompressedSize) +
              (l->createdBy.empty() ? "" : ", " + l->createdBy) + ")";
    }

    Finding f;
    f.message = "uncompressed image size " + gib(img.uncompressedSize) + " (" +
                std::to_string(img.uncompressedSize) + " bytes) exceeds Lambda's limit of " +
                gib(limit) + ": the function fails with \"InvalidImage(SizeLimitExceeded: " +
                "Uncompressed container image size exceeds 10 GiB limit)\"" +
                (top.empty() ? "" : "; the largest is " + top);
    f.evidence = {
        {"uncompressedSize", img.uncompressedSize}, {"limit", limit}, {"largestLayers", largest}};
    f.fix = "shrink the image: start with " +
            (top.empty() ? std::string("the largest layer") : top) +
            "; use a multi-stage build, CPU-only wheels, and load large models from S3 or EFS";
    ctx.diag(std::move(f));
  }
};

constexpr RuleOption kOptions[] = {
    {"max-bytes", RuleOption::Kind::Bytes, "10GiB",
     "the uncompressed size Lambda accepts (lower it to keep a margin)"},
};

}  // namespace

extern const RuleEntry kPD405{
    .id = "PD405",
    .severity = Severity::Error,
    .title = "Lambda: uncompressed image larger than 10 GiB",
    .doc = "pd4xx/PD405.md",
    .profiles = profiles({Profile::Lambda}),
    .options = kOptions,
    .make = makeRule<PD405>,
};

}  // namespace pd
