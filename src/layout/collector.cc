#include "layout/collector.h"

#include "common/error.h"
#include "fs/layer_scan.h"
#include "fs/path.h"
#include "source/blob_stream.h"
#include "source/sha256.h"

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

Collected collect(Container& c, const CapturePolicy& policy, const ReadLimits& limits,
                  Progress* progress) {
  Collected out;
  out.label = c.label();
  out.directory = c.isDirectory();
  OuterEntry e;
  int64_t plainSoFar = 0;  // for the --max-bytes cap, which covers the whole input
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
    BlobStream blob(c, out.where(e.name), limits.verify, limits.maxBlobBytes, plainSoFar);
    struct Spent {  // counted however the blob ends
      int64_t& total;
      BlobStream& b;
      ~Spent() { total += b.plainBytes(); }
    } spent{plainSoFar, blob};
    std::string_view head = blob.plainHead();
    if (looksLikeTar(head)) {
      LayerRecord rec = scanLayer(blob, policy, limits.maxEntries);
      rec.blob = e.name;
      if (progress) progress->blobDone(e.name, rec.storedBytes);
      out.layers[e.name] = std::move(rec);
      continue;
    }
    if (std::string(blob.compression()) == "none") {
      // A small document: read it whole, up to the cap.
      std::string text;
      char buf[1 << 14];
      bool tooBig = false;
      for (size_t n; (n = blob.read(buf, sizeof buf)) > 0;) {
        if (static_cast<int64_t>(text.size() + n) > limits.maxDocumentBytes) {
          tooBig = true;
          break;
        }
        text.append(buf, n);
      }
      if (!tooBig) {
        std::string digest = sha256Of(text);
        out.docs[e.name] = Document{std::move(text), std::move(digest)};
        continue;
      }
    }
    blob.drain();
    out.otherBlobs[e.name] = blob.storedDigest();
    if (progress) progress->blobDone(e.name, blob.storedBytes());
  }
  return out;
}

}  // namespace pd
