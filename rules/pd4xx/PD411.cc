// PD411: Lambda refuses layers of the uncompressed Docker media type
// (application/vnd.docker.image.rootfs.diff.tar, which no spec defines: ImageLayerFailure
// UnsupportedImageLayerDetected). Only manifests that reach the registry as they are can carry
// it: what a registry serves, and OCI archives and layouts that a push copies unchanged. A
// `docker save` archive is not concerned: `docker push` compresses its layers.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

constexpr std::string_view kRefused = "application/vnd.docker.image.rootfs.diff.tar";

class PD411 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    if (img.format != "registry" && img.format != "oci-archive" && img.format != "oci-layout")
      return;
    std::vector<int> layers;
    for (const LayerInfo& l : img.layers)
      if (l.mediaType == kRefused) layers.push_back(l.index);
    if (layers.empty()) return;
    std::string list;
    for (int i : layers) list += (list.empty() ? "" : ", ") + std::to_string(i);
    Finding f;
    f.layer = layers.front();
    f.message = std::to_string(layers.size()) + " of " + std::to_string(img.layers.size()) +
                (img.layers.size() == 1 ? " layer has" : " layers have") + " media type " +
                std::string(kRefused) + " (layer " + list + ", in the " + img.format +
                " manifest): Lambda refuses the image with ImageLayerFailure: "
                "UnsupportedImageLayerDetected";
    f.evidence = {{"mediaType", kRefused}, {"layers", layers}, {"format", img.format}};
    f.fix =
        "push compressed layers: docker push, skopeo copy or buildah push without "
        "--disable-compression (or --format oci)";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD411{
    .id = "PD411",
    .severity = Severity::Error,
    .title = "Lambda: a layer media type Lambda refuses",
    .doc = "pd4xx/PD411.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD411>,
};

}  // namespace pd
