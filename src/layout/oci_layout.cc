#include "common/error.h"
#include "common/json.h"
#include "layout/layout.h"
#include "source/descriptor.h"

namespace pd {
namespace {

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
    IndexFacts facts{std::move(plan.indexPlatforms), plan.hasAttestations};
    Descriptor d = pickPlatform(ds, sel_.platform, c_.label, facts, where);
    plan.indexPlatforms = std::move(facts.platforms);
    plan.hasAttestations = facts.hasAttestations;
    return d;
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

ImagePlan planOciLayout(const Collected& c, const Selection& sel) {
  return OciPlanner(c, sel).plan();
}

}  // namespace pd
