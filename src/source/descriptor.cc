#include "source/descriptor.h"

#include <cctype>

#include "common/error.h"
#include "common/json.h"

namespace pd {

Descriptor readDescriptor(const Json& j, const std::string& where) {
  requireObject(j, where);
  Descriptor d;
  d.mediaType = getString(j, "mediaType", where);
  d.digest = getString(j, "digest", where, true);
  if (!validDigest(d.digest)) throw InputError(where, "malformed digest \"" + d.digest + "\"");
  auto p = j.find("platform");
  if (p != j.end() && p->is_object()) {
    d.hasPlatform = true;
    d.platform = getString(*p, "os", where) + "/" + getString(*p, "architecture", where);
    std::string v = getString(*p, "variant", where);
    if (!v.empty()) d.platform += "/" + v;
  }
  auto a = j.find("annotations");
  if (a != j.end() && a->is_object()) {
    d.refName = getString(*a, "org.opencontainers.image.ref.name", where);
    d.imageName = getString(*a, "io.containerd.image.name", where);
    d.referenceType = getString(*a, "vnd.docker.reference.type", where);
  }
  return d;
}

bool isAttestation(const Descriptor& d) {
  return d.referenceType == "attestation-manifest" || d.platform == "unknown/unknown";
}

bool isIndexManifest(const std::string& mediaType, const Json& manifest) {
  return mediaType == "application/vnd.oci.image.index.v1+json" ||
         mediaType == "application/vnd.docker.distribution.manifest.list.v2+json" ||
         (mediaType.empty() && manifest.is_object() && manifest.contains("manifests"));
}

Descriptor pickPlatform(const std::vector<Descriptor>& ds, const std::string& want,
                        const std::string& label, IndexFacts& facts, const std::string& where) {
  std::vector<Descriptor> images;
  for (const auto& d : ds) {
    if (isAttestation(d)) {
      facts.hasAttestations = true;
      continue;
    }
    images.push_back(d);
    facts.platforms.push_back(d.platform.empty() ? "?" : d.platform);
  }
  if (images.empty()) throw InputError(where, "index lists no image manifests");
  auto matches = [&](const Descriptor& d, const std::string& w) {
    return d.platform == w || (d.platform.rfind(w + "/", 0) == 0);
  };
  auto have = [&] {
    std::string s;
    for (const auto& p : facts.platforms) s += (s.empty() ? "" : ", ") + p;
    return s;
  };
  if (!want.empty()) {
    for (const auto& d : images)
      if (matches(d, want)) return d;
    throw UsageError("--platform " + want + ": not in the index (it has " + have() + ")");
  }
  for (const auto& d : images)
    if (matches(d, "linux/amd64")) return d;
  if (images.size() == 1) return images.front();
  throw UsageError(label + ": the index has several platforms (" + have() +
                   "); choose one with --platform");
}

Descriptor chooseFromIndex(const Json& index, const std::string& platform, const std::string& label,
                           const std::string& where) {
  requireObject(index, where);
  auto cm = index.find("manifests");
  if (cm == index.end() || !cm->is_array()) throw InputError(where, "index has no manifests array");
  std::vector<Descriptor> ds;
  for (const auto& x : *cm) ds.push_back(readDescriptor(x, where));
  IndexFacts scratch;
  return pickPlatform(ds, platform, label, scratch, where);
}

bool validDigest(const std::string& d) {
  auto hexRun = [&](size_t from, size_t n) {
    if (d.size() != from + n) return false;
    for (size_t i = from; i < d.size(); ++i)
      if (!std::isxdigit(static_cast<unsigned char>(d[i])) ||
          std::isupper(static_cast<unsigned char>(d[i])))
        return false;
    return true;
  };
  if (d.rfind("sha256:", 0) == 0) return hexRun(7, 64);
  if (d.rfind("sha512:", 0) == 0) return hexRun(7, 128);
  return false;
}

std::string blobName(const std::string& digest) {
  auto k = digest.find(':');
  return "blobs/" + digest.substr(0, k) + "/" + digest.substr(k + 1);
}

std::string digestFromName(const std::string& name) {
  std::string n = name;
  if (n.rfind("blobs/sha256/", 0) == 0)
    n = "sha256:" + n.substr(13);
  else if (n.size() == 69 && n.compare(64, 5, ".json") == 0)
    n = "sha256:" + n.substr(0, 64);
  return validDigest(n) ? n : "";
}

}  // namespace pd
