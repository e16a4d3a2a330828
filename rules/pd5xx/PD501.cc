// PD501: information for deploy tooling: which manifest and layer media types a registry will
// see, and the manifest digest that `repo@sha256:...` pins, when the input holds the manifest.
// Formats without a registry manifest (legacy `docker save`, kaniko) leave the digest unknown.
#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";

// "a Docker v2 schema 2" / "an OCI" / the media type itself when it is neither.
std::string flavour(const std::string& mediaType) {
  if (mediaType == kDockerManifest) return "a Docker v2 schema 2";
  if (mediaType == kOciManifest) return "an OCI";
  return "a " + (mediaType.empty() ? std::string("unknown") : mediaType);
}

bool endsWith(std::string_view s, std::string_view e) {
  return s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
}

// Whether layer `i` is stored compressed: what the reader saw in the bytes, else what its media
// type says.
bool storedCompressed(const Image& img, size_t i) {
  if (i < img.layers.size() && !img.layers[i].compression.empty())
    return img.layers[i].compression != "none";
  const std::string& t = i < img.layerMediaTypes.size() ? img.layerMediaTypes[i] : "";
  return endsWith(t, "gzip") || endsWith(t, "zstd");
}

class PD501 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::string mt = img.manifestMediaType.empty() ? kDockerManifest : img.manifestMediaType;
    bool docker = mt == kDockerManifest;
    std::string configType = docker ? "application/vnd.docker.container.image.v1+json"
                                    : "application/vnd.oci.image.config.v1+json";

    // Distinct layer media types, in order; whether some layer is stored uncompressed.
    std::vector<std::string> layerTypes;
    bool someUncompressed = false;
    size_t n = std::max(img.layers.size(), img.layerMediaTypes.size());
    for (size_t i = 0; i < n; ++i) {
      someUncompressed = someUncompressed || !storedCompressed(img, i);
      if (i >= img.layerMediaTypes.size()) continue;
      const std::string& t = img.layerMediaTypes[i];
      if (std::find(layerTypes.begin(), layerTypes.end(), t) == layerTypes.end())
        layerTypes.push_back(t);
    }
    std::string layersText;
    for (const auto& t : layerTypes) layersText += (layersText.empty() ? "" : ", ") + t;
    if (layersText.empty()) layersText = "(none)";

    Finding f;
    if (img.manifestDigest.empty()) {
      // A `docker save` archive (and a kaniko tarball) holds no registry manifest: the pushing
      // tool writes one, compressing uncompressed layers on the way, so its digest is unknown.
      f.message = "the input (" + img.format +
                  ") holds no registry manifest: a registry will see " + flavour(mt) +
                  " manifest (" + mt + ") once it is pushed, config " + configType + ", layers " +
                  layersText +
                  (someUncompressed ? " (stored uncompressed here; docker push compresses them to "
                                      "application/vnd.docker.image.rootfs.diff.tar.gzip)"
                                    : "") +
                  "; the manifest digest cannot be known before the push: take it from the push "
                  "output or the registry";
    } else {
      f.message = "a registry will see " +
                  (img.isIndex ? std::string("an image index over ") +
                                     std::to_string(img.indexPlatforms.size()) +
                                     " platform(s) whose linted platform has "
                               : std::string()) +
                  flavour(mt) + " manifest (" + mt + "), config " + configType + ", layers " +
                  layersText + "; manifest digest " + img.manifestDigest;
      if (someUncompressed)
        f.message +=
            " (layers are stored uncompressed: a push that compresses them, as docker push "
            "does, gives the pushed manifest another digest)";
    }
    f.message += " [input " + img.format + ", config " +
                 (img.configDigest.empty() ? std::string("digest unknown") : img.configDigest) +
                 "]";
    f.evidence = {
        {"format", img.format},
        {"manifestMediaType", mt},
        {"configMediaType", configType},
        {"layerMediaTypes", img.layerMediaTypes},
        {"configDigest", img.configDigest},
        {"manifestDigest",
         img.manifestDigest.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.manifestDigest)},
        {"isIndex", img.isIndex}};
    if (img.isIndex) f.evidence["indexPlatforms"] = img.indexPlatforms;
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD501{
    .id = "PD501",
    .severity = Severity::Info,
    .title = "Manifest media types and manifest digest",
    .doc = "pd5xx/PD501.md",
    .make = makeRule<PD501>,
};

}  // namespace pd
