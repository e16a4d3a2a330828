// What one layer blob said, in order, as it streamed past: the raw material the applier merges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fs/capture.h"
#include "fs/node.h"

namespace pd {

struct LayerEntry {
  enum class Op : uint8_t { Add, Hardlink, Whiteout, Opaque };
  Op op = Op::Add;
  std::string path;      // cleaned image path (for whiteouts: the path removed)
  std::string linkPath;  // cleaned hardlink target
  Meta meta;
  int32_t capture = -1;  // index into LayerRecord::captures
  bool escaped = false;  // the raw name was absolute or climbed out (PD502)
  std::string rawName;   // kept only when escaped, for the report
};

struct LayerRecord {
  std::string blob;          // the container entry it came from
  std::string compression;   // none / gzip / zstd
  std::string storedDigest;  // sha256 of the blob as stored ("" with --no-verify)
  std::string plainDigest;   // sha256 of the uncompressed tar (the diff_id)
  int64_t storedBytes = 0, plainBytes = 0;
  std::vector<LayerEntry> entries;
  std::vector<Captured> captures;
};

}  // namespace pd
