// Archive layouts: each turns what the collector saw into one plan (which config, which layer
// blobs in which order, what digests to expect). One file per layout behind this interface.
#pragma once

#include <string>
#include <vector>

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
  std::string configDigest;      // expected; "" when the layout names none
  std::string configNameDigest;  // what a legacy docker-archive's config name claims (a note)
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

}  // namespace pd
