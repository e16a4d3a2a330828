// Walks the container once and sorts every entry into what it is: a small document (JSON,
// VERSION, repositories), a layer tar (scanned into a LayerRecord as it streams), another blob
// (digest only), or a link to another entry. Layouts interpret the result afterwards, which is
// what lets a legacy `docker save` stream name its layer order only at its end.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "fs/capture.h"
#include "fs/layer_record.h"
#include "source/container.h"

namespace pd {

struct Document {
  std::string text;
  std::string digest;  // sha256 of the bytes, always computed (documents are small)
};

struct ReadLimits {
  bool verify = true;
  int64_t maxBlobBytes = 0;  // cap on the uncompressed size of all blobs together; 0 = none
  int64_t maxEntries = 0;    // cap on entries per layer; 0 = none
  int64_t maxDocumentBytes = 16 << 20;
  // Blobs at least this big whose place in the input file is known are read on a thread pool
  // (see collect()); 0 = every such blob (tests and fuzzing use it to cover that path).
  int64_t poolMinBytes = 1 << 20;
};

// Something we can report progress to while blobs stream past.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void blobDone(const std::string& name, int64_t storedBytes) = 0;
};

class Collected {
 public:
  std::string label;  // the input's name for messages
  bool directory = false;
  SourceInfo source;  // what a registry or engine said of the input
  std::map<std::string, Document> docs;
  std::map<std::string, LayerRecord> layers;
  std::map<std::string, std::string> otherBlobs;  // name -> stored digest
  std::map<std::string, std::string> aliases;     // link entry -> entry it points to

  // Follows links (a bounded number of hops) to the entry's real name.
  std::string resolve(const std::string& name) const;
  const Document* doc(const std::string& name) const;
  const LayerRecord* layer(const std::string& name) const;
  bool has(const std::string& name) const;
  // "image.tar: blobs/sha256/ab.." for messages.
  std::string where(const std::string& name) const { return label + ": " + name; }
};

// Blobs of a seekable input may be read on several threads; the result, and the error thrown
// (the first in archive order), are those of reading every entry in order.
Collected collect(Container& c, const CapturePolicy& policy, const ReadLimits& limits,
                  Progress* progress);

}  // namespace pd
