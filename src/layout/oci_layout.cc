#include "common/error.h"
#include "common/json.h"
#include "layout/layout.h"

namespace pd {
namespace {

const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
const char* kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

struct Descriptor {
  std::string mediaType, digest, platform, refName, imageName, referenceType;
  bool hasPlatform = false;
};

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

// Picks one platform manifest from an index's descriptors, as `docker pull` does: the one asked
// for, else linux/amd64, else the only one. `label` names the input in the "choose one" message.
Descriptor pickPlatform(const std::vector<Descriptor>& ds, const std::string& want,
                        const std::string& label, ImagePlan& plan, const std::string& where) {
  std::vector<Descriptor> images;
  for (const auto& d : ds) {
    if (isAttestation(d)) {
      plan.hasAttestations = true;
      continue;
    }
    images.push_back(d);
    plan.indexPlatforms.push_back(d.platform.empty() ? "?" : d.platform);
  }
  if (images.empty()) throw InputError(where, "index lists no image manifests");
  auto matches = [&](const Descriptor& d, const std::string& w) {
    return d.platform == w || (d.platform.rfind(w + "/", 0) == 0);
  };
  if (!want.empty()) {
    for (const auto& d : images)
      if (matches(d, want)) return d;
    std::string have;
    for (const auto& p : plan.indexPlatforms) have += (have.empty() ? "" : ", ") + p;
    throw UsageError("--platform " + want + ": not in the index (it has " + have + ")");
  }
  for (const auto& d : images)
    if (matches(d, "linux/amd64")) return d;
  if (images.size() == 1) return images.front();
  std::string have;
  for (const auto& p : plan.indexPlatforms) have += (have.empty() ? "" : ", ") + p;
  throw UsageError(label + ": the index has several platforms (" + have +
                   "); choose one with --platform");
}

class OciPlanner {
 public:
  OciPlanner(const Collected& c, const Selection& sel) : c_(c), sel_(sel) {}

  // Loads a blob as JSON, checking its digest.
  Json load(const std::string& digest) {
    std::string name = blobName(digest);
    const Document* d = c_.doc(name);
    if (!d) {
      if (c_.has(name)) throw InputError(c_.where(name), "expected a JSON document, found a blob");
      throw InputError(c_.label, "missing blob " + digest);
    }
    if (d->digest != digest)
      throw InputError(c_.where(name), "digest mismatch: content hashes to " + d->digest);
    return parseJson(d->text, c_.where(name));
  }

  Descriptor choosePlatform(const std::vector<Descriptor>& ds, ImagePlan& plan,
                            const std::string& where) {
    return pickPlatform(ds, sel_.platform, c_.label, plan, where);
  }

  ImagePlan plan() {
    const std::string where = c_.where("index.json");
    Json idx = parseJson(c_.doc("index.json")->text, where);
    requireObject(idx, where);
    auto ms = idx.find("manifests");
    if (ms == idx.end() || !ms->is_array() || ms->empty())
      throw InputError(where, "lists no manifests");
    std::vector<Descriptor> top;
    for (const auto& j : *ms) top.push_back(readDescriptor(j, where));

    ImagePlan plan;
    plan.format = c_.directory ? "oci-layout" : "oci-archive";
    Descriptor chosen;
    // An index.json whose entries are platforms of one image is itself a manifest list.
    bool platformList = top.size() > 1;
    for (const auto& d : top)
      platformList = platformList && (d.hasPlatform || isAttestation(d)) && d.refName.empty();
    if (platformList) {
      plan.isIndex = true;
      chosen = choosePlatform(top, plan, where);
    } else {
      std::vector<Descriptor> images;
      for (const auto& d : top)
        if (!isAttestation(d))
          images.push_back(d);
        else
          plan.hasAttestations = true;
      if (images.empty()) throw InputError(where, "lists no image manifests");
      size_t pick = 0;
      if (!sel_.image.empty()) {
        bool numeric = sel_.image.find_first_not_of("0123456789") == std::string::npos;
        bool found = false;
        for (size_t i = 0; i < images.size() && !found; ++i) {
          const auto& d = images[i];
          if (numeric ? std::to_string(i + 1) == sel_.image
                      : d.refName == sel_.image || d.imageName == sel_.image ||
                            d.imageName.find("/" + sel_.image) != std::string::npos) {
            pick = i;
            found = true;
          }
        }
        if (!found) throw UsageError("--image " + sel_.image + ": no such image in " + c_.label);
      }
      chosen = images[pick];
      plan.imageCount = images.size();
      if (images.size() > 1)
        plan.note = "archive holds " + std::to_string(images.size()) + " images; linted image " +
                    std::to_string(pick + 1) + "; choose with --image";
    }
    if (!chosen.imageName.empty())
      plan.references.push_back(chosen.imageName);
    else if (!chosen.refName.empty())
      plan.references.push_back(chosen.refName);

    // Follow nested indexes down to one image manifest.
    for (int depth = 0;; ++depth) {
      if (depth > 4) throw InputError(c_.where(blobName(chosen.digest)), "indexes nested too deep");
      Json j = load(chosen.digest);
      std::string w = c_.where(blobName(chosen.digest));
      requireObject(j, w);
      std::string mt = chosen.mediaType.empty() ? getString(j, "mediaType", w) : chosen.mediaType;
      bool isIndex = isIndexManifest(mt, j);
      if (isIndex) {
        plan.isIndex = true;
        auto cm = j.find("manifests");
        if (cm == j.end() || !cm->is_array()) throw InputError(w, "index has no manifests array");
        std::vector<Descriptor> ds;
        for (const auto& x : *cm) ds.push_back(readDescriptor(x, w));
        chosen = choosePlatform(ds, plan, w);
        continue;
      }
      plan.manifestDigest = chosen.digest;
      plan.manifestMediaType = mt.empty() ? "application/vnd.oci.image.manifest.v1+json" : mt;
      auto cfg = j.find("config");
      if (cfg == j.end()) throw InputError(w, "manifest has no config");
      Descriptor cd = readDescriptor(*cfg, w);
      plan.configBlob = blobName(cd.digest);
      plan.configDigest = cd.digest;
      auto ls = j.find("layers");
      if (ls == j.end() || !ls->is_array()) throw InputError(w, "manifest has no layers array");
      for (const auto& x : *ls) {
        Descriptor ld = readDescriptor(x, w);
        plan.layers.push_back({blobName(ld.digest), ld.digest, ld.mediaType});
      }
      break;
    }
    if (plan.isIndex && !plan.indexPlatforms.empty()) {
      std::string n = "image index with " + std::to_string(plan.indexPlatforms.size()) +
                      " platform(s); linted " + chosen.platform + " (choose with --platform)";
      plan.note = plan.note.empty() ? n : plan.note + "; " + n;
    }
    return plan;
  }

 private:
  const Collected& c_;
  const Selection& sel_;
};

}  // namespace

std::string blobName(const std::string& digest) {
  auto k = digest.find(':');
  return "blobs/" + digest.substr(0, k) + "/" + digest.substr(k + 1);
}

ImagePlan planOciLayout(const Collected& c, const Selection& sel) {
  return OciPlanner(c, sel).plan();
}

bool isIndexManifest(const std::string& mediaType, const Json& manifest) {
  return mediaType == kOciIndex || mediaType == kDockerList ||
         (mediaType.empty() && manifest.is_object() && manifest.contains("manifests"));
}

IndexChoice chooseFromIndex(const Json& index, const std::string& platform,
                            const std::string& label, const std::string& where) {
  requireObject(index, where);
  auto cm = index.find("manifests");
  if (cm == index.end() || !cm->is_array()) throw InputError(where, "index has no manifests array");
  std::vector<Descriptor> ds;
  for (const auto& x : *cm) ds.push_back(readDescriptor(x, where));
  ImagePlan scratch;
  Descriptor d = pickPlatform(ds, platform, label, scratch, where);
  return {d.digest, d.mediaType};
}

}  // namespace pd
