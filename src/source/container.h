// The outer container an image comes in: a tar stream (file, or stdin as "-"), possibly gzip'd as
// a whole (`docker save | gzip`), or an OCI layout directory. It is walked once, in order.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace pd {

struct OuterEntry {
  enum class Kind { File, Symlink, Hardlink, Other };
  std::string name;  // as stored, "./" stripped
  Kind kind = Kind::Other;
  std::string link;  // target of a symlink or hardlink entry
};

class Container {
 public:
  virtual ~Container() = default;
  // Moves to the next entry; false at the end. Unread bytes of the previous entry are skipped.
  virtual bool next(OuterEntry& entry) = 0;
  // Reads the current entry's bytes; returns 0 at its end. Throws InputError on a damaged stream.
  virtual size_t read(char* buf, size_t n) = 0;
  // What to call the input in messages.
  virtual const std::string& label() const = 0;
  virtual bool isDirectory() const { return false; }
};

// "-" is stdin; a directory is an OCI layout; anything else is read as a (compressed) tar file.
std::unique_ptr<Container> openContainer(const std::string& path);

}  // namespace pd
