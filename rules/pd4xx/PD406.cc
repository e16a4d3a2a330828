// PD406: Lambda needs a tag that resolves to one image manifest. An image index (manifest
// list), even with a single platform, or attestation manifests beside the image (BuildKit's
// default provenance) make it refuse the image.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD406 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    // The reader sets isIndex only for a registry-level index, never for an OCI layout's own
    // index.json that simply points at one manifest.
    if (!img.isIndex && !img.hasAttestations) return;
    std::string platforms;
    for (const auto& p : img.indexPlatforms) platforms += (platforms.empty() ? "" : ", ") + p;
    std::string what;
    if (img.isIndex)
      what = "the input is an image index / manifest list" +
             (platforms.empty() ? std::string() : " (" + platforms + ")");
    if (img.hasAttestations)
      what += std::string(what.empty() ? "the input" : ", and it") +
              " carries attestation manifests (platform unknown/unknown: provenance or SBOM)";
    Finding f;
    f.message = what +
                ": Lambda accepts only a single image manifest and answers \"The image manifest, "
                "config or layer media type for the source image ... is not supported\"";
    f.evidence = {{"isIndex", img.isIndex},
                  {"hasAttestations", img.hasAttestations},
                  {"indexPlatforms", img.indexPlatforms},
                  {"manifestMediaType", img.manifestMediaType}};
    f.fix = "docker buildx build --provenance=false --sbom=false --platform linux/amd64";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD406{
    .id = "PD406",
    .severity = Severity::Error,
    .title = "Lambda: image index or attestation manifests",
    .doc = "pd4xx/PD406.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD406>,
};

}  // namespace pd
