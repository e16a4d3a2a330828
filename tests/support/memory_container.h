// A Container serving one blob from memory, for unit tests of what reads blobs (BlobStream,
// scanLayer) without an archive around them.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "source/container.h"

namespace pd::testing {

// Serves `bytes` in reads of at most `chunk` bytes, as a container streams an entry's data.
class MemoryContainer : public Container {
 public:
  explicit MemoryContainer(std::string bytes, size_t chunk = 1 << 20, std::string label = "memory")
      : bytes_(std::move(bytes)), chunk_(chunk), label_(std::move(label)) {}
  bool next(OuterEntry&) override { return false; }
  size_t read(char* buf, size_t n) override {
    size_t k = std::min({n, chunk_, bytes_.size() - pos_});
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  const std::string& label() const override { return label_; }

 private:
  std::string bytes_;
  size_t chunk_;
  size_t pos_ = 0;
  std::string label_;
};

}  // namespace pd::testing
