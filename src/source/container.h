// The outer container an image comes in: a tar stream (file, or stdin as "-"), possibly gzip'd as
// a whole (`docker save | gzip`), or an OCI layout directory. It is walked once, in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pd {

struct OuterEntry {
  enum class Kind { File, Symlink, Hardlink, Other };
  std::string name;  // as stored, "./" stripped
  Kind kind = Kind::Other;
  std::string link;  // target of a symlink or hardlink entry
};

// A sequential source of bytes: a container's current entry, or a range of a file.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `n` bytes; 0 at the end. Throws InputError on a damaged or short input.
  virtual size_t read(char* buf, size_t n) = 0;
  // Moves past up to `n` bytes without reading them; returns how many (0: cannot, read them).
  virtual int64_t skip(int64_t /*n*/) { return 0; }
};

// Where the current entry's bytes lie, stored as they are and contiguous, in a regular file. A
// caller may read such an entry through its own descriptor (several entries at once) instead of
// through the container.
struct Extent {
  std::string path;
  int64_t offset = 0;
  int64_t size = 0;
};

// What an input says about itself beyond its entries (registries and engines).
struct SourceInfo {
  std::string format;      // "registry", "docker-daemon", ...; "" = named by the layout found
  std::string repoDigest;  // "host/repo@sha256:…": the digest the registry serves for the tag
};

// An entry that can be read on its own, on another thread, while the walk goes on: a registry
// blob is a request of its own. `open` is called at most once, from any thread.
struct DetachedEntry {
  int64_t size = 0;
  std::function<std::unique_ptr<ByteReader>()> open;
};

class Container : public ByteReader {
 public:
  // Moves to the next entry; false at the end. Unread bytes of the previous entry are skipped.
  virtual bool next(OuterEntry& entry) = 0;
  // Reads the current entry's bytes; returns 0 at its end. Throws InputError on a damaged stream.
  size_t read(char* buf, size_t n) override = 0;
  // The current entry's place in the input file, when it has one that can be trusted: a regular
  // file, no compression around the whole archive, a plain (not sparse) entry that lies wholly
  // inside the file. nullopt otherwise; the entry must then be read through read().
  virtual std::optional<Extent> extent() const { return std::nullopt; }
  // What to call the input in messages.
  virtual const std::string& label() const = 0;
  virtual bool isDirectory() const { return false; }
  virtual SourceInfo info() const { return {}; }
  // The current entry as a DetachedEntry, when the container can give one; the entry is then
  // not read through read() at all.
  virtual std::optional<DetachedEntry> detached() const { return std::nullopt; }
};

// "-" is stdin; a directory is an OCI layout; anything else is read as a (compressed) tar file.
std::unique_ptr<Container> openContainer(const std::string& path);
// A tar stream (possibly compressed as a whole) from any source, read once; `label` names it.
std::unique_ptr<Container> openTarStream(std::unique_ptr<ByteReader> in, const std::string& label,
                                         const SourceInfo& info);

}  // namespace pd
