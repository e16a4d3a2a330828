// One blob of the container as it streams past: hashes the stored bytes (the manifest digest),
// sniffs and undoes gzip or zstd, and hashes the plain bytes (the config's diff_id). The hashing
// runs on a worker thread fed through a small ring of buffers, overlapping inflate and parsing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "source/container.h"
#include "common/sha256.h"
#include "source/worker_pipe.h"

namespace pd {

class Decoder;

// "gzip" or "zstd" when a blob's first bytes carry that format's magic, else "none".
const char* compressionOf(std::string_view firstBytes);

class BlobStream {
 public:
  // `label` names the blob in messages. Hashing is skipped when `hash` is false (--no-verify).
  // `maxPlainBytes` caps the decompressed size (decompression bombs); 0 = no cap. The cap is
  // on the whole input when `inputSpent` is given: the plain bytes of every blob of the input,
  // this one included, are added there as they are read (by several streams at once).
  BlobStream(ByteReader& c, std::string label, bool hash, int64_t maxPlainBytes,
             std::atomic<int64_t>* inputSpent = nullptr);
  ~BlobStream();

  // The first plain bytes (up to 64 KiB), without consuming them.
  std::string_view plainHead();
  // Reads plain bytes; 0 at the end of the blob.
  size_t read(char* buf, size_t n);
  // The same without a copy where possible: sets `p` to the bytes, either inside the stream's
  // own buffer (uncompressed blobs; valid until the next call) or in `buf` (up to `n` bytes).
  size_t readView(const char** p, char* buf, size_t n);
  // Moves past up to `n` plain bytes without reading them, when nothing needs them: no hashing,
  // no decompression, nothing buffered, and a source that can skip. Returns how many (0: read
  // them instead). Skipped bytes count in the sizes and the --max-bytes cap.
  int64_t skip(int64_t n);
  // Reads (or skips) the rest so that digests and sizes are complete.
  void drain();

  const std::string& label() const { return label_; }
  const char* compression() const;  // "none", "gzip", "zstd"
  std::string storedDigest();       // after drain(); "" when not hashing; may be called again
  std::string plainDigest();        // after drain(); "" when not hashing; may be called again
  int64_t storedBytes() const { return storedBytes_; }
  int64_t plainBytes() const { return plainBytes_; }

 private:
  size_t readStored(char* buf, size_t n);
  size_t readPlainRaw(char* buf, size_t n);
  void countPlain(const char* p, size_t n);  // size, --max-bytes cap, plain digest
  void countPlainBytes(int64_t n);           // size, --max-bytes cap

  ByteReader& c_;
  std::string label_;
  bool hash_;
  int64_t maxPlain_;
  std::atomic<int64_t>* inputSpent_;
  std::unique_ptr<Sha256> storedHash_;
  std::unique_ptr<Sha256> plainHash_;       // only when compressed; else the stored digest is it
  std::string storedDigest_, plainDigest_;  // once finished
  // Hashes both streams on a worker thread (declared after the hashers: it stops first).
  std::unique_ptr<WorkerPipe> hashPipe_;
  std::unique_ptr<Decoder> dec_;
  std::vector<char> in_;  // stored bytes not yet decoded
  size_t inPos_ = 0, inLen_ = 0;
  bool inEof_ = false;
  std::string head_;  // plain bytes peeked but not yet returned
  size_t headPos_ = 0;
  bool headDone_ = false;
  int64_t storedBytes_ = 0, plainBytes_ = 0;
  int kind_ = 0;
  bool streamEnded_ = false;
};

}  // namespace pd
