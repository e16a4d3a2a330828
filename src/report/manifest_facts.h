// What a registry sees of the image: the facts deploy tooling needs (catalog v1's PD501, retired
// in v2: facts, not a finding). Computed from the image view for the report's image section.
#pragma once

#include <string>
#include <vector>

#include "fs/image.h"

namespace pd {

struct ManifestFacts {
  std::string mediaType;        // the manifest's, as read, or what a push of this input writes
  std::string configMediaType;  // what goes with it
  std::vector<std::string> layerMediaTypes;  // distinct, in layer order
  bool inInput = false;  // the input holds a registry manifest (else its digest is unknown)
  // Some layer is stored uncompressed: a push that compresses it (docker push does) writes a
  // manifest with another digest than the input's.
  bool uncompressedLayers = false;
};

ManifestFacts manifestFacts(const Image& img);

// One line for people: "OCI manifest (…), digest sha256:…" or, for an input without one, what a
// push writes and that its digest is known only after the push.
std::string manifestSummary(const Image& img);

}  // namespace pd
