#include "engine/accounts.h"

#include <sstream>

namespace pd {

std::optional<uint32_t> parseId(const std::string& s) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  uint64_t v = std::stoull(s);
  if (v > 0xffffffffULL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

namespace {

std::vector<std::string> splitFields(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Calls `f(fields, lineNo)` for each non-comment line of the captured file at `path`.
template <typename F>
bool eachLine(const Image& img, const char* path, F f) {
  const Node* n = img.tree.find(path);
  if (!n || n->type != FileType::Regular) return false;
  const Captured* c = img.capture(n->capture);
  if (!c) return n->size == 0;
  std::istringstream in(c->bytes);
  std::string line;
  int no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    f(splitFields(line, ':'), no);
  }
  return true;
}

}  // namespace

Accounts readAccounts(const Image& img) {
  Accounts a;
  a.hasPasswd = eachLine(img, "/etc/passwd", [&](const std::vector<std::string>& f, int no) {
    if (f.size() < 7) return;
    auto uid = parseId(f[2]), gid = parseId(f[3]);
    if (!uid || !gid || f[0].empty()) return;
    a.users.push_back({f[0], f[5], f[6], *uid, *gid, no});
  });
  a.hasGroup = eachLine(img, "/etc/group", [&](const std::vector<std::string>& f, int no) {
    if (f.size() < 4) return;
    auto gid = parseId(f[2]);
    if (!gid || f[0].empty()) return;
    GroupEntry g{f[0], *gid, {}, no};
    for (auto& m : splitFields(f[3], ','))
      if (!m.empty()) g.members.push_back(m);
    a.groups.push_back(std::move(g));
  });
  a.hasShadow = eachLine(img, "/etc/shadow", [&](const std::vector<std::string>& f, int no) {
    if (f.size() < 2 || f[0].empty()) return;
    a.shadow.push_back({f[0], f[1], no});
  });
  return a;
}

const PasswdEntry* Accounts::userByName(const std::string& n) const {
  for (const auto& u : users)
    if (u.name == n) return &u;
  return nullptr;
}
const PasswdEntry* Accounts::userById(uint32_t uid) const {
  for (const auto& u : users)
    if (u.uid == uid) return &u;
  return nullptr;
}
const GroupEntry* Accounts::groupByName(const std::string& n) const {
  for (const auto& g : groups)
    if (g.name == n) return &g;
  return nullptr;
}

}  // namespace pd
