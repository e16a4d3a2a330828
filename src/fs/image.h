// The read-only image view every rule sees: the merged tree, what each layer did, the config,
// and the captured small contents. Built once by the reader; nothing here touches an archive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fs/capture.h"
#include "fs/layer_record.h"
#include "fs/tree.h"

namespace pd {

struct HistoryEntry {
  std::string createdBy;
  bool emptyLayer = false;
};

struct ImageConfig {
  std::string user, workingDir, architecture, os, variant;
  std::vector<std::string> entrypoint, cmd, env;
  std::vector<HistoryEntry> history;
  std::vector<std::string> diffIds;
};

struct LayerInfo {
  int index = 0;
  std::string digest;  // as the manifest names it (stored bytes)
  std::string diffId;  // uncompressed digest from the config
  std::string mediaType;
  std::string compression;
  std::string blob;  // the archive entry it was read from
  int64_t size = 0;  // stored bytes
  int64_t uncompressedSize = 0;
  int64_t entries = 0;
  int64_t unextractable = 0;  // entries no runtime can extract (Image::unextractable)
  std::string createdBy;      // history entry that made it ("" when the history has none)
};

// A file a later layer deleted (whiteout) or overwrote: its bytes stay in the lower layer.
struct Removed {
  std::string path;
  Meta old;              // metadata in the layer that held it
  int layer = -1;        // the layer that held it
  int byLayer = -1;      // the layer that deleted or overwrote it
  bool deleted = false;  // whiteout (true) or overwrite (false)
  int64_t storedSize = 0;
  int32_t capture = -1;             // index into Image::captures
  std::optional<Meta> replacement;  // for overwrites: what replaced it
};

// A tar entry whose name, hardlink or whiteout pointed outside the root (PD502).
struct Escape {
  int layer = -1;
  std::string rawName;
  std::string keptAs;  // the cleaned path it was applied to, "" when dropped
};

// A directory that a layer's entries need but that neither the layer nor an earlier one has an
// entry for (the tar holds a/b/c.py but no a/b/): runtimes create it, Lambda refuses the layer
// (PD410).
struct ImpliedDir {
  std::string path;   // the directory
  std::string child;  // the entry that needed it, first in the layer
  int layer = -1;
};

struct Image {
  // Where it came from
  std::string source;  // file path, directory, "<stdin>", or the image reference read
  // docker-archive, docker-archive-oci (Docker 25+), oci-archive, oci-layout; registry,
  // docker-daemon, podman for images read where they live
  std::string format;
  std::vector<std::string> references;
  std::string configDigest, manifestDigest, manifestMediaType;
  // "host/repo@sha256:…": what the registry serves for the tag read, the reference to deploy by
  // (the index's digest for a multi-platform image); "" when not read from a registry.
  std::string repoDigest;
  std::vector<std::string> layerMediaTypes;
  bool isIndex = false;          // the chosen reference is a manifest list / image index
  bool hasAttestations = false;  // the index carries attestation manifests
  std::vector<std::string> indexPlatforms;
  std::string note;  // which image/platform was chosen, when there was a choice

  ImageConfig config;
  std::vector<LayerInfo> layers;
  Tree tree;
  std::vector<Captured> captures;
  std::vector<Removed> removed;
  std::vector<Escape> escapes;
  std::vector<ImpliedDir> impliedDirs;
  std::vector<Unextractable> unextractable;  // not applied; at most a few per layer kept
  int64_t uncompressedSize = 0;

  const Captured* capture(int32_t index) const {
    return index >= 0 && static_cast<size_t>(index) < captures.size() ? &captures[index] : nullptr;
  }
  // The value of an Env entry, if set.
  std::optional<std::string> env(const std::string& name) const;
  // The layer's history instruction, or "" when out of range.
  const std::string& createdBy(int layer) const;
};

}  // namespace pd
