// Bytes -> one layer blob: BlobStream (compression sniffing, gzip/zstd, hashing), scanLayer
// (libarchive over the plain bytes, captures), applyLayer twice (a second layer on top exercises
// replacement, whiteouts and hardlinks across layers), then every rule over the result.
#include <algorithm>
#include <cstring>
#include <string>

#include "common/error.h"
#include "fs/applier.h"
#include "fuzz_support.h"
#include "layout/layer_scan.h"
#include "source/blob_stream.h"
#include "source/container.h"

namespace {

// A container of one file entry held in memory.
class MemContainer : public pd::Container {
 public:
  MemContainer(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  bool next(pd::OuterEntry& e) override {
    if (done_) return false;
    done_ = true;
    e.name = "layer.tar";
    e.kind = pd::OuterEntry::Kind::File;
    e.link.clear();
    return true;
  }
  size_t read(char* buf, size_t n) override {
    // Small, uneven reads: decoders must cope with input arriving in pieces.
    size_t k = std::min({n, n_ - pos_, size_t{4093}});
    std::memcpy(buf, d_ + pos_, k);
    pos_ += k;
    return k;
  }
  const std::string& label() const override { return label_; }

 private:
  const uint8_t* d_;
  size_t n_, pos_ = 0;
  bool done_ = false;
  std::string label_ = "fuzz";
};

pd::LayerRecord scan(const uint8_t* data, size_t size) {
  MemContainer c(data, size);
  pd::OuterEntry e;
  c.next(e);
  pd::ReadOptions ro = pd::fuzz::fuzzReadOptions();
  pd::BlobStream blob(c, "fuzz: layer.tar", true, ro.limits.maxBlobBytes);
  if (!pd::looksLikeTar(blob.plainHead())) {
    blob.drain();
    throw pd::InputError("fuzz", "not a tar");
  }
  return pd::scanLayer(blob, ro.capture, ro.limits.maxEntries);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pd::fuzz::expectOnlyInputErrors([&] {
    pd::LayerRecord rec = scan(data, size);
    pd::Image img;
    img.config.entrypoint = {"/app"};
    for (int i = 0; i < 2; ++i) {
      pd::LayerInfo li;
      li.index = i;
      img.layers.push_back(li);
      pd::applyLayer(img, rec, i);
    }
    pd::fuzz::lintAll(img);
  });
  return 0;
}
