#include "report/manifest_facts.h"

#include <algorithm>
#include <string_view>

namespace pd {
namespace {

constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";

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

}  // namespace

ManifestFacts manifestFacts(const Image& img) {
  ManifestFacts m;
  m.mediaType = img.manifestMediaType.empty() ? kDockerManifest : img.manifestMediaType;
  m.configMediaType = m.mediaType == kDockerManifest
                          ? "application/vnd.docker.container.image.v1+json"
                          : "application/vnd.oci.image.config.v1+json";
  m.inInput = !img.manifestDigest.empty();
  size_t n = std::max(img.layers.size(), img.layerMediaTypes.size());
  for (size_t i = 0; i < n; ++i) {
    m.uncompressedLayers = m.uncompressedLayers || !storedCompressed(img, i);
    if (i >= img.layerMediaTypes.size()) continue;
    const std::string& t = img.layerMediaTypes[i];
    if (std::find(m.layerMediaTypes.begin(), m.layerMediaTypes.end(), t) == m.layerMediaTypes.end())
      m.layerMediaTypes.push_back(t);
  }
  return m;
}

std::string manifestSummary(const Image& img) {
  ManifestFacts m = manifestFacts(img);
  std::string kind = m.mediaType == kDockerManifest ? "Docker v2 schema 2"
                     : m.mediaType == kOciManifest  ? "OCI"
                                                    : m.mediaType;
  if (!m.inInput)
    return "none in this input; a push writes a " + kind + " manifest" +
           (m.uncompressedLayers ? " with the layers compressed" : "") +
           ", whose digest is known only after the push";
  return kind + (img.isIndex ? " (from an index)" : "") + ", digest " + img.manifestDigest +
         (m.uncompressedLayers ? " (layers stored uncompressed: a push that compresses them "
                                 "writes another digest)"
                               : "");
}

}  // namespace pd
