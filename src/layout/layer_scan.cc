#include "layout/layer_scan.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <exception>

#include "common/error.h"
#include "fs/elf_dynamic.h"
#include "fs/path.h"

namespace pd {

bool looksLikeTar(std::string_view h) {
  if (h.size() < 512) return false;
  if (h.substr(257, 5) == "ustar") return true;
  for (size_t i = 0; i < 512; ++i)
    if (h[i] != 0) return false;
  return true;
}

namespace {

struct Feed {
  BlobStream* blob;
  std::vector<char> buf = std::vector<char>(1 << 16);
  std::vector<char> scratch = std::vector<char>(1 << 16);  // entry bytes read and let go
  std::exception_ptr error;
};

la_ssize_t feedRead(archive*, void* data, const void** out) {
  auto* f = static_cast<Feed*>(data);
  try {
    // Uncompressed layers are handed to libarchive where they lie, without a copy.
    const char* p = nullptr;
    size_t n = f->blob->readView(&p, f->buf.data(), f->buf.size());
    *out = p;
    return static_cast<la_ssize_t>(n);
  } catch (...) {
    // Never let an exception cross libarchive's C frames; rethrown after it returns.
    f->error = std::current_exception();
    return -1;
  }
}

// Bodies nobody asked for are skipped where the blob can (a plain layer read from a file
// without hashing); otherwise libarchive reads them.
la_int64_t feedSkip(archive*, void* data, la_int64_t request) {
  auto* f = static_cast<Feed*>(data);
  try {
    return f->blob->skip(request);
  } catch (...) {
    f->error = std::current_exception();
    return ARCHIVE_FATAL;
  }
}

FileType typeOf(archive_entry* e) {
  switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
      return FileType::Directory;
    case AE_IFLNK:
      return FileType::Symlink;
    case AE_IFCHR:
      return FileType::CharDevice;
    case AE_IFBLK:
      return FileType::BlockDevice;
    case AE_IFIFO:
      return FileType::Fifo;
    default:
      return FileType::Regular;
  }
}

// Reads up to `want` bytes of the current entry into `out` (appending).
void readSome(archive* a, Feed& f, std::string& out, size_t want, const std::string& label) {
  while (out.size() < want) {
    char tmp[8192];
    size_t n = std::min(sizeof tmp, want - out.size());
    la_ssize_t got = archive_read_data(a, tmp, n);
    if (got < 0) {
      if (f.error) std::rethrow_exception(f.error);
      const char* m = archive_error_string(a);
      throw InputError(label, std::string("damaged layer tar: ") + (m ? m : "read error"));
    }
    if (got == 0) break;
    out.append(tmp, static_cast<size_t>(got));
  }
}

// Feeds the current entry's bytes from `pos` on to the scan until it has what it needs (or the
// entry ends). The bytes are decoded anyway for the layer's digest; only a plain layer read
// with --no-verify would otherwise skip them.
void feedDynamicScan(archive* a, Feed& f, ElfDynamicScan& scan, uint64_t pos,
                     const std::string& label) {
  while (pos < scan.end()) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(f.scratch.size(), scan.end() - pos));
    la_ssize_t got = archive_read_data(a, f.scratch.data(), n);
    if (got < 0) {
      if (f.error) std::rethrow_exception(f.error);
      const char* m = archive_error_string(a);
      throw InputError(label, std::string("damaged layer tar: ") + (m ? m : "read error"));
    }
    if (got == 0) break;
    scan.feed(std::string_view(f.scratch.data(), static_cast<size_t>(got)));
    pos += static_cast<uint64_t>(got);
  }
}

// The kernel refuses longer paths and link targets (ENAMETOOLONG) and longer components, so no
// runtime can extract such an entry (PD504). Skipping it also bounds what one name costs: the
// implicit parent directories of a kept name are at most PATH_MAX/2 paths of at most PATH_MAX
// bytes.
constexpr size_t kPathMax = 4096, kNameMax = 255;

size_t longestComponent(std::string_view path) {
  size_t best = 0, i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    best = std::max(best, j - i);
    i = j + 1;
  }
  return best;
}

// Records an entry that will not be applied.
void recordUnextractable(LayerRecord& rec, std::string_view name, Unextractable::Why why,
                         size_t bytes) {
  ++rec.unextractableCount;
  if (rec.unextractable.size() >= LayerRecord::kMaxUnextractable) return;
  Unextractable u;
  u.head.assign(name.substr(0, Unextractable::kHeadBytes));
  u.bytes = static_cast<int64_t>(bytes);
  u.why = why;
  rec.unextractable.push_back(std::move(u));
}

}  // namespace

LayerRecord scanLayer(BlobStream& blob, const CapturePolicy& policy, int64_t maxEntries) {
  LayerRecord rec;
  rec.blob = blob.label();
  Feed feed;
  feed.blob = &blob;
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  struct Guard {
    archive* a;
    ~Guard() { archive_read_free(a); }
  } guard{a};
  const std::string& label = blob.label();
  auto fail = [&](const char* what) {
    if (feed.error) std::rethrow_exception(feed.error);
    const char* m = archive_error_string(a);
    throw InputError(label, std::string(what) + (m ? m : "unknown error"));
  };
  archive_read_set_callback_data(a, &feed);
  archive_read_set_read_callback(a, feedRead);
  archive_read_set_skip_callback(a, feedSkip);
  if (archive_read_open1(a) != ARCHIVE_OK) fail("not a layer tar: ");

  archive_entry* e = nullptr;
  for (;;) {
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    // ARCHIVE_RETRY is a header that failed its checksum: damage, not an entry to use.
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail("damaged layer tar: ");
    if (maxEntries > 0 &&
        static_cast<int64_t>(rec.entries.size()) + rec.unextractableCount >= maxEntries)
      throw InputError(label, "layer has more than " + std::to_string(maxEntries) +
                                  " entries (raise --max-entries)");
    const char* rawc = archive_entry_pathname(e);
    if (!rawc) rawc = archive_entry_pathname_utf8(e);
    std::string raw = rawc ? rawc : "";
    LayerEntry le;
    bool esc = false;
    std::string path = cleanPath(raw, &esc);
    if (path.size() > kPathMax) {
      recordUnextractable(rec, raw, Unextractable::Why::Name, path.size());
      continue;
    }
    if (size_t c = longestComponent(path); c > kNameMax) {
      recordUnextractable(rec, raw, Unextractable::Why::Component, c);
      continue;
    }
    auto markEscaped = [&](std::string name) {
      if (le.escaped()) {
        rec.rawNames[le.rawName] = std::move(name);
        return;
      }
      le.rawName = static_cast<int32_t>(rec.rawNames.size());
      rec.rawNames.push_back(std::move(name));
    };
    if (esc) markEscaped(raw);
    std::string_view base = baseName(path);
    std::string dir = parentOf(path);
    le.meta.type = typeOf(e);
    le.meta.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777;
    int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
    le.meta.uid = static_cast<uint32_t>(uid < 0 || uid > 0xffffffffLL ? 0xffffffffLL : uid);
    le.meta.gid = static_cast<uint32_t>(gid < 0 || gid > 0xffffffffLL ? 0xffffffffLL : gid);
    le.meta.mtime = archive_entry_mtime(e);
    int64_t size = archive_entry_size(e);
    le.meta.size = size < 0 ? 0 : size;

    if (base == ".wh..wh..opq") {
      le.op = LayerEntry::Op::Opaque;
      le.path = dir;
    } else if (base.rfind(".wh.", 0) == 0) {
      le.op = LayerEntry::Op::Whiteout;
      // The whiteout's directory is already clean; only the hidden name can still climb out.
      std::string_view hidden = base.substr(4);
      bool esc2 = false;
      le.path = cleanPath((dir == "/" ? "" : dir.substr(1) + "/") + std::string(hidden), &esc2);
      if (esc2 || hidden.empty() || hidden == "." || hidden == ".." ||
          hidden.find('/') != std::string_view::npos) {
        markEscaped(raw);
        le.path.clear();  // a whiteout that points outside removes nothing
      }
    } else if (const char* hl = archive_entry_hardlink(e)) {
      le.op = LayerEntry::Op::Hardlink;
      le.path = path;
      bool esc2 = false;
      le.meta.link = cleanPath(hl, &esc2);
      if (le.meta.link.size() > kPathMax) {
        recordUnextractable(rec, raw, Unextractable::Why::HardlinkTarget, le.meta.link.size());
        continue;
      }
      if (esc2) markEscaped(raw + " => " + hl);
      le.meta.size = 0;
    } else {
      le.op = LayerEntry::Op::Add;
      le.path = path;
      if (le.meta.type == FileType::Symlink) {
        const char* t = archive_entry_symlink(e);
        le.meta.link = t ? t : "";
        if (le.meta.link.size() >= kPathMax) {
          recordUnextractable(rec, raw, Unextractable::Why::SymlinkTarget, le.meta.link.size());
          continue;
        }
        le.meta.size = 0;
      } else if (le.meta.type != FileType::Regular) {
        le.meta.size = 0;
      }
    }

    if (le.op == LayerEntry::Op::Add && le.meta.type == FileType::Regular && le.meta.size > 0) {
      auto want = policy.wants(path, le.meta.size);
      if (want != CapturePolicy::Want::Nothing) {
        Captured c;
        std::string bytes;
        size_t limit = want == CapturePolicy::Want::Whole
                           ? static_cast<size_t>(le.meta.size)
                           : std::min<size_t>(policy.headBytes, static_cast<size_t>(le.meta.size));
        readSome(a, feed, bytes, limit, label);
        size_t more = 0;
        bool headFacts = parseHead(bytes, c, &more);
        if (more > bytes.size()) {
          readSome(a, feed, bytes, more, label);
          c = Captured{};
          headFacts = parseHead(bytes, c, nullptr);
        }
        bool keep = headFacts;
        if (c.head == Captured::Head::Elf) {
          if (auto layout = elfLayout(bytes, static_cast<uint64_t>(le.meta.size))) {
            ElfDynamicScan scan(std::move(*layout));
            scan.feed(bytes);
            feedDynamicScan(a, feed, scan, bytes.size(), label);
            scan.finish(c);
          }
        }
        if (want == CapturePolicy::Want::Whole) {
          c.complete = bytes.size() == static_cast<size_t>(le.meta.size);
          c.bytes = std::move(bytes);
          keep = true;
        } else if (looksLikePrivateKey(bytes)) {
          c.bytes = std::move(bytes);
          keep = true;
        }
        if (keep) {
          le.capture = static_cast<int32_t>(rec.captures.size());
          rec.captures.push_back(std::move(c));
        }
      }
    }
    rec.entries.push_back(std::move(le));
  }
  if (feed.error) std::rethrow_exception(feed.error);
  // Records wait for the end of the input (a docker archive names the layer order last): drop
  // the vectors' doubling slack, up to half of their size.
  rec.entries.shrink_to_fit();
  rec.captures.shrink_to_fit();
  // The diff_id covers the whole stream, padding blocks after the end marker included.
  blob.drain();
  rec.compression = blob.compression();
  rec.storedDigest = blob.storedDigest();
  rec.plainDigest = blob.plainDigest();
  rec.storedBytes = blob.storedBytes();
  rec.plainBytes = blob.plainBytes();
  return rec;
}

}  // namespace pd
