// What one layer blob said, in order, as it streamed past: the raw material the applier merges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fs/capture.h"
#include "fs/node.h"

namespace pd {

// One per tar entry of every layer, all held until the input ends: most of the peak memory on a
// large image, so it stays small (what few entries need lives beside it in LayerRecord).
struct LayerEntry {
  enum class Op : uint8_t { Add, Hardlink, Whiteout, Opaque };
  std::string path;      // cleaned image path (for whiteouts: the path removed)
  Meta meta;             // for a Hardlink, meta.link is the cleaned target path (see linkTarget)
  int32_t capture = -1;  // index into LayerRecord::captures
  int32_t rawName = -1;  // index into LayerRecord::rawNames when the raw name escaped (PD502)
  Op op = Op::Add;

  bool escaped() const { return rawName >= 0; }
  const std::string& linkTarget() const { return meta.link; }
};
static_assert(sizeof(LayerEntry) <= 112, "LayerEntry is held once per tar entry: keep it small");

// A tar entry no runtime can extract (PD504): too long a name, component or link target. It is
// not applied, and only the head of its name is kept (the rest may be megabytes).
struct Unextractable {
  enum class Why : uint8_t { Name, Component, SymlinkTarget, HardlinkTarget };
  std::string head;   // the first kHeadBytes of the name
  int64_t bytes = 0;  // the full length of what was too long
  Why why = Why::Name;
  int layer = -1;  // set by the applier
  static constexpr size_t kHeadBytes = 160;
};

struct LayerRecord {
  std::string blob;          // the container entry it came from
  std::string compression;   // none / gzip / zstd
  std::string storedDigest;  // sha256 of the blob as stored ("" with --no-verify)
  std::string plainDigest;   // sha256 of the uncompressed tar (the diff_id)
  int64_t storedBytes = 0, plainBytes = 0;
  std::vector<LayerEntry> entries;
  std::vector<Captured> captures;
  std::vector<std::string> rawNames;         // the raw names of escaped entries, for the report
  std::vector<Unextractable> unextractable;  // the first kMaxUnextractable of them
  int64_t unextractableCount = 0;            // all of them
  static constexpr size_t kMaxUnextractable = 64;

  std::string_view rawNameOf(const LayerEntry& e) const {
    return e.escaped() ? std::string_view(rawNames.at(e.rawName)) : std::string_view();
  }
};

}  // namespace pd
