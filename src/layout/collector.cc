#include "layout/collector.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/sha256.h"
#include "common/task_pool.h"
#include "fs/path.h"
#include "layout/layer_scan.h"
#include "source/blob_stream.h"
#include "source/extent_reader.h"

namespace pd {

std::string Collected::resolve(const std::string& name) const {
  std::string n = name;
  for (int hops = 0; hops < 16; ++hops) {
    auto it = aliases.find(n);
    if (it == aliases.end()) return n;
    n = it->second;
  }
  return n;
}

const Document* Collected::doc(const std::string& name) const {
  auto it = docs.find(resolve(name));
  return it == docs.end() ? nullptr : &it->second;
}

const LayerRecord* Collected::layer(const std::string& name) const {
  auto it = layers.find(resolve(name));
  return it == layers.end() ? nullptr : &it->second;
}

bool Collected::has(const std::string& name) const {
  std::string n = resolve(name);
  return docs.count(n) || layers.count(n) || otherBlobs.count(n);
}

namespace {

// How many bytes of such an entry the container reads itself, for the reader to check.
constexpr size_t kHeadCheckBytes = 4096;

// What one file entry of the container turned out to be.
struct Slot {
  enum class Kind { Pending, Layer, Document, Other };
  std::string name;
  Kind kind = Kind::Pending;
  LayerRecord layer;
  Document doc;
  std::string digest;  // Other: the stored digest
  std::exception_ptr error;
  // A plain blob hashed by a task of its own: its digest (stored = plain), or why it failed.
  std::string extentDigest;
  std::exception_ptr hashError;
};

// Progress reported from several threads, one call at a time.
class SerialProgress : public Progress {
 public:
  explicit SerialProgress(Progress* inner) : inner_(inner) {}
  void blobDone(const std::string& name, int64_t storedBytes) override {
    if (!inner_) return;
    std::lock_guard<std::mutex> lock(m_);
    inner_->blobDone(name, storedBytes);
  }

 private:
  Progress* inner_;
  std::mutex m_;
};

struct BlobContext {
  std::string label;  // the whole blob's name for messages
  bool hash;          // compute the digests while reading
  const CapturePolicy& policy;
  const ReadLimits& limits;
  std::atomic<int64_t>& spent;
  Progress& progress;
};

// Reads one blob and sorts it into `slot`: a layer tar, a small document, or another blob.
void readBlob(ByteReader& in, Slot& slot, const BlobContext& cx) {
  BlobStream blob(in, cx.label, cx.hash, cx.limits.maxBlobBytes, &cx.spent);
  std::string_view head = blob.plainHead();
  if (looksLikeTar(head)) {
    slot.layer = scanLayer(blob, cx.policy, cx.limits.maxEntries);
    slot.layer.blob = slot.name;
    slot.kind = Slot::Kind::Layer;
    cx.progress.blobDone(slot.name, slot.layer.storedBytes);
    return;
  }
  if (std::string(blob.compression()) == "none") {
    // A small document: read it whole, up to the cap.
    std::string text;
    char buf[1 << 14];
    bool tooBig = false;
    for (size_t n; (n = blob.read(buf, sizeof buf)) > 0;) {
      if (static_cast<int64_t>(text.size() + n) > cx.limits.maxDocumentBytes) {
        tooBig = true;
        break;
      }
      text.append(buf, n);
    }
    if (!tooBig) {
      std::string digest = sha256Of(text);
      slot.doc = Document{std::move(text), std::move(digest)};
      slot.kind = Slot::Kind::Document;
      return;
    }
  }
  blob.drain();
  slot.digest = blob.storedDigest();
  slot.kind = Slot::Kind::Other;
  cx.progress.blobDone(slot.name, blob.storedBytes());
}

// The first bytes of the container's current entry, read through the container.
std::string readHead(Container& c) {
  std::string head(kHeadCheckBytes, '\0');
  size_t have = 0;
  while (have < head.size()) {
    size_t got = c.read(head.data() + have, head.size() - have);
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  return head;
}

// SHA-256 of an extent, read straight from the file.
void hashExtent(const Extent& extent, const std::string& label, const std::string& head,
                Slot& slot) {
  ExtentReader in(extent, label, head);
  Sha256 sha;
  std::vector<char> buf(1 << 20);
  for (size_t n; (n = in.read(buf.data(), buf.size())) > 0;) sha.update(buf.data(), n);
  slot.extentDigest = sha.digest();
}

// The first error in archive order, if any slot has one.
void rethrowFirstError(const std::deque<Slot>& slots) {
  for (const Slot& s : slots) {
    if (s.error) std::rethrow_exception(s.error);
    if (s.hashError) std::rethrow_exception(s.hashError);
  }
}

}  // namespace

Collected collect(Container& c, const CapturePolicy& policy, const ReadLimits& limits,
                  Progress* progress) {
  Collected out;
  out.label = c.label();
  out.directory = c.isDirectory();
  out.source = c.info();
  std::atomic<int64_t> spent{0};  // plain bytes of the whole input, for the --max-bytes cap
  SerialProgress serialProgress(progress);
  // Big blobs whose place in the file is known are read on pool threads, each through its own
  // descriptor: a docker archive's layers are hashed on every core and a gzip OCI archive's
  // layers inflated on every core. They start once the walk (which seeks over their bodies) is
  // done, biggest first, so that the longest is not the last to start. Results are merged in
  // archive order, so the outcome (and the first error) is what a sequential read gives.
  std::deque<Slot> slots;  // stable addresses for the pool's tasks
  struct Deferred {
    int64_t size;
    std::function<void()> read;
  };
  std::vector<Deferred> deferred;
  TaskPool pool(std::clamp(std::thread::hardware_concurrency(), 2u, 4u));
  auto runDeferred = [&] {
    std::stable_sort(deferred.begin(), deferred.end(),
                     [](const Deferred& a, const Deferred& b) { return a.size > b.size; });
    for (Deferred& d : deferred) pool.submit(std::move(d.read));
    deferred.clear();
    pool.wait();
  };
  try {
    OuterEntry e;
    while (c.next(e)) {
      if (e.kind == OuterEntry::Kind::Symlink || e.kind == OuterEntry::Kind::Hardlink) {
        // Links between entries: legacy saves point <id>/layer.tar at a shared blob.
        std::string target = e.kind == OuterEntry::Kind::Symlink
                                 ? resolveRelative(parentOf("/" + e.name), e.link, nullptr)
                                 : cleanPath(e.link);
        out.aliases[e.name] = target.substr(1);
        continue;
      }
      if (e.kind != OuterEntry::Kind::File) continue;
      Slot& slot = slots.emplace_back();
      slot.name = e.name;
      BlobContext cx{out.where(e.name), limits.verify, policy, limits, spent, serialProgress};
      std::optional<Extent> extent = c.extent();
      // Smaller blobs (documents, small layers) are not worth a thread.
      if (extent && extent->size >= limits.poolMinBytes) {
        std::string head = readHead(c);
        // A plain blob is hashed by a task of its own, straight from the file, while another
        // scans it and skips the bodies nobody asked for: no copy of the bytes for a hashing
        // thread, and two cores on one big layer. A compressed blob is one inflate stream.
        if (cx.hash && std::string_view(compressionOf(head)) == "none") {
          cx.hash = false;
          deferred.push_back({extent->size, [extent = *extent, label = cx.label, head, &slot] {
                                try {
                                  hashExtent(extent, label, head, slot);
                                } catch (...) {
                                  slot.hashError = std::current_exception();
                                }
                              }});
        }
        deferred.push_back({extent->size, [extent = *extent, head, cx, &slot] {
                              try {
                                ExtentReader in(extent, cx.label, head);
                                readBlob(in, slot, cx);
                              } catch (...) {
                                slot.error = std::current_exception();
                              }
                            }});
        continue;
      }
      // A blob that can be fetched on its own (registries): several downloads, inflates and
      // hashes at once, bounded by the pool.
      if (std::optional<DetachedEntry> d = c.detached(); d && d->size >= limits.poolMinBytes) {
        deferred.push_back({d->size, [open = std::move(d->open), cx, &slot] {
                              try {
                                std::unique_ptr<ByteReader> in = open();
                                readBlob(*in, slot, cx);
                              } catch (...) {
                                slot.error = std::current_exception();
                              }
                            }});
        continue;
      }
      readBlob(c, slot, cx);
    }
  } catch (...) {
    runDeferred();
    rethrowFirstError(slots);  // an earlier blob's error comes first
    throw;
  }
  runDeferred();
  rethrowFirstError(slots);
  for (Slot& s : slots) {
    if (!s.extentDigest.empty()) {
      s.layer.storedDigest = s.layer.plainDigest = s.extentDigest;
      s.digest = s.extentDigest;
    }
    switch (s.kind) {
      case Slot::Kind::Layer:
        out.layers[s.name] = std::move(s.layer);
        break;
      case Slot::Kind::Document:
        out.docs[s.name] = std::move(s.doc);
        break;
      case Slot::Kind::Other:
        out.otherBlobs[s.name] = std::move(s.digest);
        break;
      case Slot::Kind::Pending:
        break;
    }
  }
  return out;
}

}  // namespace pd
