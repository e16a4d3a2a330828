// Archive layouts: each turns what the collector saw into one plan (which config, which layer
// blobs in which order, what digests to expect). One file per layout behind this interface.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include "layout/collector.h"

namespace pd {

struct Selection {
  std::string platform;  // "os/arch[/variant]"; "" = linux/amd64 when present, else the only one
  std::string image;     // "--image": a reference, or a 1-based number; "" = the first
};

struct PlannedLayer {
  std::string blob;    // entry name in the container
  std::string digest;  // expected digest of the stored bytes; "" when the layout names none
  std::string mediaType;
};

struct ImagePlan {
  std::string format;
  std::string configBlob;
  std::string configDigest;  // expected; "" when the layout names none
  std::vector<PlannedLayer> layers;
  std::vector<std::string> references;
  std::string manifestDigest, manifestMediaType;
  bool isIndex = false;
  bool hasAttestations = false;
  std::vector<std::string> indexPlatforms;
  std::string note;
  size_t imageCount = 1;  // images the archive holds (for --all-images)
};

// `docker save` / `podman save` / skopeo docker-archive (legacy and Docker 25+), kaniko tarballs.
ImagePlan planDockerArchive(const Collected& c, const Selection& sel);
// OCI image layout, as an archive or a directory (also the index.json of Docker 25+ saves).
ImagePlan planOciLayout(const Collected& c, const Selection& sel);

// An image index (OCI index or Docker manifest list), by its media type or, without one, its shape.
bool isIndexManifest(const std::string& mediaType, const nlohmann::json& manifest);
// The manifest an index resolves to for `platform` ("" = linux/amd64, else the only one): the
// choice the OCI layout reader makes, for a registry client that must choose before it fetches.
struct IndexChoice {
  std::string digest, mediaType;
};
IndexChoice chooseFromIndex(const nlohmann::json& index, const std::string& platform,
                            const std::string& label, const std::string& where);

// Where an OCI layout keeps the blob `digest`: "blobs/sha256/<hex>".
std::string blobName(const std::string& digest);

// "sha256:<hex>" when `name` is content-addressed (blobs/sha256/<hex>, <hex>.json,
// sha256:<hex>); "" otherwise.
std::string digestFromName(const std::string& name);
// True for "sha256:<64 hex>" (and sha512 with 128 hex).
bool validDigest(const std::string& d);

}  // namespace pd
