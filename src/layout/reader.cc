#include "layout/reader.h"

#include "common/checked.h"
#include "common/error.h"
#include "common/json.h"
#include "fs/applier.h"
#include "layout/config.h"
#include "source/container.h"

namespace pd {
namespace {

bool hasOciManifests(const Collected& c) {
  const Document* d = c.doc("index.json");
  if (!d) return false;
  Json j = parseJson(d->text, c.where("index.json"));
  if (!j.is_object()) throw InputError(c.where("index.json"), "expected a JSON object");
  auto m = j.find("manifests");
  return m != j.end() && m->is_array() && !m->empty();
}

}  // namespace

namespace {
ImagePlan planFor(const Collected& c, const Selection& sel) {
  ImagePlan plan;
  if (hasOciManifests(c)) {
    plan = planOciLayout(c, sel);
    if (c.doc("manifest.json")) plan.format = "docker-archive-v25";
  } else if (c.doc("manifest.json")) {
    plan = planDockerArchive(c, sel);
  } else if (c.doc("index.json")) {
    throw InputError(c.where("index.json"), "lists no manifests");
  } else {
    throw InputError(c.label, c.doc("repositories")
                                  ? "no manifest.json (only a legacy 'repositories' file): "
                                    "not a loadable image archive"
                                  : "no manifest.json or index.json: not an image archive");
  }
  return plan;
}
}  // namespace

namespace {

// The input's container; a registry chooses the platform before it fetches, as --platform says.
std::unique_ptr<Container> openSource(const std::string& input, const ReadOptions& opt) {
  RemoteOptions remote = opt.remote;
  remote.registry.platform = opt.selection.platform;
  return openInput(input, remote);
}

// Builds the image; with `consume` (the same object as `c`), drops each layer record once its
// last use in the plan is applied, so that the records and the finished tree never peak together.
Image build(const Collected& c, const ReadOptions& opt, Collected* consume) {
  ImagePlan plan = planFor(c, opt.selection);
  if (!c.source.format.empty()) plan.format = c.source.format;
  Image img;
  img.source = c.label;
  img.format = plan.format;
  img.references = plan.references;
  img.manifestDigest = plan.manifestDigest;
  img.repoDigest = c.source.repoDigest;
  img.manifestMediaType = plan.manifestMediaType;
  img.isIndex = plan.isIndex;
  img.hasAttestations = plan.hasAttestations;
  img.indexPlatforms = plan.indexPlatforms;
  img.note = plan.note;

  const Document* cfg = c.doc(plan.configBlob);
  if (!cfg) {
    if (c.has(plan.configBlob))
      throw InputError(c.where(plan.configBlob), "config is not a JSON document");
    throw InputError(c.label, "missing config blob " + plan.configBlob);
  }
  if (opt.limits.verify && !plan.configDigest.empty() && cfg->digest != plan.configDigest)
    throw InputError(c.where(plan.configBlob), "config digest mismatch: expected " +
                                                   plan.configDigest + ", content hashes to " +
                                                   cfg->digest);
  if (opt.limits.verify && !plan.configNameDigest.empty() && cfg->digest != plan.configNameDigest) {
    std::string n = "config " + plan.configBlob +
                    " is not named by its digest (content hashes to " + cfg->digest +
                    "); docker load accepts it";
    img.note = img.note.empty() ? n : img.note + "; " + n;
  }
  img.configDigest = cfg->digest;
  img.config = parseConfig(cfg->text, c.where(plan.configBlob));
  const auto& diffIds = img.config.diffIds;
  if (diffIds.size() != plan.layers.size())
    throw InputError(c.where(plan.configBlob),
                     "rootfs.diff_ids lists " + std::to_string(diffIds.size()) +
                         " layers but the manifest lists " + std::to_string(plan.layers.size()));

  std::vector<const HistoryEntry*> history;
  for (const auto& h : img.config.history)
    if (!h.emptyLayer) history.push_back(&h);

  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const PlannedLayer& pl = plan.layers[i];
    const LayerRecord* rec = c.layer(pl.blob);
    if (!rec) {
      if (c.has(pl.blob)) throw InputError(c.where(pl.blob), "layer blob is not a tar archive");
      throw InputError(c.label, "missing layer blob " + pl.blob);
    }
    if (opt.limits.verify) {
      if (!pl.digest.empty() && rec->storedDigest != pl.digest)
        throw InputError(c.where(pl.blob), "digest mismatch: manifest says " + pl.digest +
                                               ", content hashes to " + rec->storedDigest);
      if (rec->plainDigest != diffIds[i])
        throw InputError(c.where(pl.blob), "diff_id mismatch: config says " + diffIds[i] +
                                               ", uncompressed content hashes to " +
                                               rec->plainDigest);
    }
    LayerInfo li;
    li.index = static_cast<int>(i);
    li.digest = pl.digest.empty() ? rec->storedDigest : pl.digest;
    li.diffId = diffIds[i];
    li.mediaType = pl.mediaType;
    li.compression = rec->compression;
    li.blob = pl.blob;
    li.size = rec->storedBytes;
    li.uncompressedSize = rec->plainBytes;
    li.entries = static_cast<int64_t>(rec->entries.size()) + rec->unextractableCount;
    li.unextractable = rec->unextractableCount;
    if (i < history.size()) li.createdBy = history[i]->createdBy;
    img.uncompressedSize = saturatingAdd(img.uncompressedSize, rec->plainBytes);
    img.layerMediaTypes.push_back(pl.mediaType);
    img.layers.push_back(std::move(li));
    applyLayer(img, *rec, static_cast<int>(i), c.where(pl.blob));
    if (consume) {
      std::string name = c.resolve(pl.blob);
      bool usedAgain = false;
      for (size_t k = i + 1; k < plan.layers.size() && !usedAgain; ++k)
        usedAgain = c.resolve(plan.layers[k].blob) == name;
      if (!usedAgain) consume->layers.erase(name);
    }
  }
  return img;
}

}  // namespace

Image buildImage(const Collected& c, const ReadOptions& opt) {
  return build(c, opt, nullptr);
}

Image buildImage(Collected&& c, const ReadOptions& opt) {
  return build(c, opt, &c);
}

Image readImage(const std::string& input, const ReadOptions& opt) {
  auto container = openSource(input, opt);
  Collected c = collect(*container, opt.capture, opt.limits, opt.progress);
  return buildImage(std::move(c), opt);
}

}  // namespace pd

namespace pd {

std::vector<Image> readAllImages(const std::string& input, const ReadOptions& opt) {
  auto container = openSource(input, opt);
  Collected c = collect(*container, opt.capture, opt.limits, opt.progress);
  size_t count = planFor(c, opt.selection).imageCount;
  std::vector<Image> out;
  for (size_t i = 1; i <= count; ++i) {
    ReadOptions one = opt;
    one.selection.image = std::to_string(i);
    out.push_back(buildImage(c, one));
    out.back().note.clear();  // every image is linted: nothing to choose
  }
  return out;
}

}  // namespace pd
