#include "fs/node.h"

#include <cstdio>

namespace pd {

const char* fileTypeName(FileType t) {
  switch (t) {
    case FileType::Regular:
      return "file";
    case FileType::Directory:
      return "directory";
    case FileType::Symlink:
      return "symlink";
    case FileType::CharDevice:
      return "char-device";
    case FileType::BlockDevice:
      return "block-device";
    case FileType::Fifo:
      return "fifo";
  }
  return "?";
}

std::string modeString(const Meta& m) {
  std::string s = "----------";
  switch (m.type) {
    case FileType::Directory:
      s[0] = 'd';
      break;
    case FileType::Symlink:
      s[0] = 'l';
      break;
    case FileType::CharDevice:
      s[0] = 'c';
      break;
    case FileType::BlockDevice:
      s[0] = 'b';
      break;
    case FileType::Fifo:
      s[0] = 'p';
      break;
    default:
      break;
  }
  const char* rwx = "rwx";
  for (int i = 0; i < 9; ++i)
    if (m.mode & (0400u >> i)) s[1 + i] = rwx[i % 3];
  auto special = [&](int pos, uint32_t bit, char on, char off) {
    if (m.mode & bit) s[pos] = s[pos] == 'x' ? on : off;
  };
  special(3, 04000, 's', 'S');
  special(6, 02000, 's', 'S');
  special(9, 01000, 't', 'T');
  return s;
}

std::string octalMode(uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

std::string ownerString(const Meta& m) {
  return std::to_string(m.uid) + ":" + std::to_string(m.gid);
}

std::string modeAndOwner(const Meta& m) {
  return modeString(m) + " (" + octalMode(m.mode) + ", owner " + ownerString(m) + ")";
}

std::string typeModeOwner(const Meta& m) {
  return std::string(fileTypeName(m.type)) + " " + octalMode(m.mode) + " " + ownerString(m);
}

}  // namespace pd
