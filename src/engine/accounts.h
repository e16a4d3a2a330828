// The image's own /etc/passwd, /etc/group and /etc/shadow, parsed from captured contents.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fs/image.h"

namespace pd {

struct PasswdEntry {
  std::string name, home, shell;
  uint32_t uid = 0, gid = 0;
  int line = 0;
};
struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
  int line = 0;
};
struct ShadowEntry {
  std::string name, password;
  int line = 0;
};

struct Accounts {
  bool hasPasswd = false, hasGroup = false, hasShadow = false;
  std::vector<PasswdEntry> users;
  std::vector<GroupEntry> groups;
  std::vector<ShadowEntry> shadow;

  const PasswdEntry* userByName(const std::string& n) const;
  const PasswdEntry* userById(uint32_t uid) const;
  const GroupEntry* groupByName(const std::string& n) const;
};

// Reads the files the way libc's files backend does: malformed lines are skipped.
Accounts readAccounts(const Image& img);

// Parses a decimal id (no sign, fits 32 bits).
std::optional<uint32_t> parseId(const std::string& s);

}  // namespace pd
