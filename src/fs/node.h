// What the merged image keeps for every path: metadata only, plus an optional index into the
// few captured contents (see capture.h).
#pragma once

#include <cstdint>
#include <string>

namespace pd {

enum class FileType : uint8_t { Regular, Directory, Symlink, CharDevice, BlockDevice, Fifo };

const char* fileTypeName(FileType t);

struct Meta {
  FileType type = FileType::Regular;
  uint32_t mode = 0;  // permission bits with setuid/setgid/sticky (07777)
  uint32_t uid = 0, gid = 0;
  int64_t size = 0;  // content size (for hardlinks: the size of the shared content)
  int64_t mtime = 0;
  std::string link;  // symlink target, as stored
};

struct Node : Meta {
  int layer = -1;          // index of the layer that last wrote this path
  int32_t capture = -1;    // index into Image::captures, or -1
  int64_t storedSize = 0;  // content bytes the writing layer carried (0 for a hardlink)
  bool implicit = false;   // a parent directory no layer named: created 0755 root:root
};

inline bool isExecutableBySomeone(const Meta& m) {
  return (m.mode & 0111) != 0;
}
inline bool isSetuid(const Meta& m) {
  return (m.mode & 04000) != 0;
}
inline bool isSetgid(const Meta& m) {
  return (m.mode & 02000) != 0;
}
inline bool isSticky(const Meta& m) {
  return (m.mode & 01000) != 0;
}
inline bool isWorldWritable(const Meta& m) {
  return (m.mode & 0002) != 0;
}

// "drwxr-xr-x" style, with s/S/t/T.
std::string modeString(const Meta& m);
// "0755" style octal with the special bits when set.
std::string octalMode(uint32_t mode);
// How messages name a node's owner, mode and type; one wording for every rule:
std::string ownerString(const Meta& m);    // "1000:1000"
std::string modeAndOwner(const Meta& m);   // "-rw------- (0600, owner 0:0)"
std::string typeModeOwner(const Meta& m);  // "file 0600 0:0", a grouped finding's cause

}  // namespace pd
