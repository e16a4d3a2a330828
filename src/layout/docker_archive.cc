#include <cctype>

#include "common/error.h"
#include "common/json.h"
#include "layout/layout.h"
#include "source/descriptor.h"

namespace pd {

namespace {

bool matchesRef(const std::vector<std::string>& tags, const std::string& want) {
  for (const auto& t : tags) {
    if (t == want || t == want + ":latest" || t == "localhost/" + want ||
        t == "localhost/" + want + ":latest" || t == "docker.io/library/" + want ||
        t == "docker.io/library/" + want + ":latest")
      return true;
  }
  return false;
}

}  // namespace

ImagePlan planDockerArchive(const Collected& c, const Selection& sel) {
  const std::string where = c.where("manifest.json");
  const Document* doc = c.doc("manifest.json");
  if (!doc) throw InputError(c.label, "no manifest.json or index.json: not an image archive");
  Json m = parseJson(doc->text, where);
  if (!m.is_array())
    throw InputError(where, std::string("expected an array of images, found ") + m.type_name());
  if (m.empty()) throw InputError(where, "lists no images");

  size_t pick = 0;
  if (!sel.image.empty()) {
    bool numeric = sel.image.find_first_not_of("0123456789") == std::string::npos;
    bool found = false;
    for (size_t i = 0; i < m.size() && !found; ++i) {
      if (numeric ? std::to_string(i + 1) == sel.image
                  : m[i].is_object() &&
                        matchesRef(getStringArray(m[i], "RepoTags", where), sel.image)) {
        pick = i;
        found = true;
      }
    }
    if (!found) throw UsageError("--image " + sel.image + ": no such image in " + c.label);
  }
  const Json& img = requireObject(m[pick], where);
  ImagePlan plan;
  plan.imageCount = m.size();
  plan.references = getStringArray(img, "RepoTags", where);
  if (m.size() > 1)
    plan.note = "archive holds " + std::to_string(m.size()) + " images; linted image " +
                std::to_string(pick + 1) +
                (plan.references.empty() ? "" : " (" + plan.references.front() + ")") +
                "; choose with --image";
  plan.configBlob = getString(img, "Config", where, true);
  // kaniko names the config "sha256:<hex>", docker "<hex>.json", Docker 25+ "blobs/sha256/<hex>".
  // blobs/sha256/<hex> (Docker 25+) is content-addressed and checked; a legacy "<hex>.json" is
  // only a name: `docker load` hashes the content and never compares (go-containerregistry's
  // test archives name configs otherwise), so a mismatch is a note.
  if (plan.configBlob.rfind("blobs/", 0) == 0)
    plan.configDigest = digestFromName(plan.configBlob);
  else
    plan.configNameDigest =
        validDigest(plan.configBlob) ? plan.configBlob : digestFromName(plan.configBlob);
  bool blobsDir = false;
  auto sources = img.find("LayerSources");
  for (const auto& name : getStringArray(img, "Layers", where)) {
    PlannedLayer l;
    l.blob = name;
    l.digest = digestFromName(name);
    blobsDir = blobsDir || name.rfind("blobs/", 0) == 0;
    if (sources != img.end() && sources->is_object() && !l.digest.empty()) {
      auto s = sources->find(l.digest);
      if (s != sources->end() && s->is_object()) l.mediaType = getString(*s, "mediaType", where);
    }
    if (l.mediaType.empty()) l.mediaType = "application/vnd.docker.image.rootfs.diff.tar";
    plan.layers.push_back(std::move(l));
  }
  plan.format = blobsDir ? "docker-archive-v25" : "docker-archive";
  plan.manifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";
  return plan;
}

}  // namespace pd
