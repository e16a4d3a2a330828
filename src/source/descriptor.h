// OCI content descriptors and image indexes: the documents every image source speaks, whether an
// archive, a layout directory or a registry. layout/ (archives) and remote/ (registries) both
// read them through here, so neither depends on the other.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pd {

// One entry of an index's "manifests", a manifest's "config" or one of its "layers".
struct Descriptor {
  std::string mediaType, digest;
  std::string platform;  // "os/arch[/variant]"; "" when the descriptor has none
  std::string refName, imageName, referenceType;  // annotations
  bool hasPlatform = false;
};

// Throws InputError naming `where` when `j` is no object or its digest is malformed.
Descriptor readDescriptor(const nlohmann::json& j, const std::string& where);
// A BuildKit attestation manifest, no image of its own.
bool isAttestation(const Descriptor& d);

// An image index (OCI index or Docker manifest list), by its media type or, without one, its shape.
bool isIndexManifest(const std::string& mediaType, const nlohmann::json& manifest);

// What choosing from an index learnt on the way (for the report's notes).
struct IndexFacts {
  std::vector<std::string> platforms;  // every image manifest's platform, "?" when unnamed
  bool hasAttestations = false;
};
// Picks one image manifest from an index's descriptors, as `docker pull` does: `want`, else
// linux/amd64, else the only one. `label` names the input in the "choose one" message.
Descriptor pickPlatform(const std::vector<Descriptor>& ds, const std::string& want,
                        const std::string& label, IndexFacts& facts, const std::string& where);
// pickPlatform over an index document, for a registry client that must choose before it fetches.
Descriptor chooseFromIndex(const nlohmann::json& index, const std::string& platform,
                           const std::string& label, const std::string& where);

// True for "sha256:<64 hex>" and "sha512:<128 hex>", lower case.
bool validDigest(const std::string& d);
// Where an OCI layout keeps the blob `digest`: "blobs/sha256/<hex>".
std::string blobName(const std::string& digest);
// "sha256:<hex>" when `name` is content-addressed (blobs/sha256/<hex>, <hex>.json,
// sha256:<hex>); "" otherwise.
std::string digestFromName(const std::string& name);

}  // namespace pd
