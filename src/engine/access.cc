#include "engine/access.h"

#include <deque>
#include <set>

#include "fs/path.h"

namespace pd {

const char* Access::bitsFor(const Meta& m) const {
  if (id_.isRoot()) return "root";
  if (!id_.otherOnly && m.uid == id_.uid) return "owner";
  if (id_.inGroup(m.gid)) return "group";
  return "other";
}

bool Access::allows(const Meta& m, int perm) const {
  if (id_.isRoot()) {
    if (perm & kExec) {
      if (m.type == FileType::Directory) return true;
      return (m.mode & 0111) != 0;
    }
    return true;
  }
  uint32_t bits;
  if (!id_.otherOnly && m.uid == id_.uid)
    bits = (m.mode >> 6) & 7;
  else if (id_.inGroup(m.gid))
    bits = (m.mode >> 3) & 7;
  else
    bits = m.mode & 7;
  return (bits & static_cast<uint32_t>(perm)) == static_cast<uint32_t>(perm);
}

Resolved Access::resolve(const std::string& start, bool followLast) const {
  Resolved r;
  std::deque<std::string> todo;
  auto push = [&](const std::string& p, bool front) {
    std::vector<std::string> parts;
    size_t i = 0;
    while (i < p.size()) {
      size_t j = p.find('/', i);
      if (j == std::string::npos) j = p.size();
      if (j > i) parts.emplace_back(p.substr(i, j - i));
      i = j + 1;
    }
    if (front)
      todo.insert(todo.begin(), parts.begin(), parts.end());
    else
      todo.insert(todo.end(), parts.begin(), parts.end());
  };
  push(start, false);
  std::string cur = "/";
  std::set<std::string> seen;
  int hops = 0;
  auto traverse = [&](const std::string& dir) {
    const Node* d = tree_.find(dir);
    if (r.blockedBy.empty() && d && !allows(*d, kExec)) r.blockedBy = dir;
  };
  traverse("/");
  while (!todo.empty()) {
    std::string part = todo.front();
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      cur = parentOf(cur);
      continue;
    }
    std::string next = cur == "/" ? "/" + part : cur + "/" + part;
    const Node* n = tree_.find(next);
    if (!n) {
      r.status = Resolved::Status::Missing;
      r.failedAt = next;
      return r;
    }
    bool last = todo.empty();
    if (n->type == FileType::Symlink && (!last || followLast)) {
      // A loop is the same link met again with the same components left to walk: the walk
      // is deterministic, so it would repeat forever. (The count of components left is not
      // enough: /a -> /d with /d/p -> /a/z meets /a twice with two left, yet resolves.)
      std::string state = next;
      for (const auto& t : todo) state += "\n" + t;
      if (!seen.insert(state).second) {
        r.status = Resolved::Status::Loop;
        r.failedAt = next;
        return r;
      }
      if (++hops > kMaxLinks) {
        r.status = Resolved::Status::TooManyLinks;
        r.failedAt = next;
        return r;
      }
      r.links.push_back(next);
      if (n->link.empty()) {  // the kernel answers ENOENT for an empty target
        r.status = Resolved::Status::Missing;
        r.failedAt = next;
        return r;
      }
      if (n->link[0] == '/') cur = "/";
      push(n->link, true);
      continue;
    }
    if (!last) {
      if (n->type != FileType::Directory) {
        r.status = Resolved::Status::NotDirectory;
        r.failedAt = next;
        return r;
      }
      traverse(next);
    }
    cur = next;
  }
  r.path = cur;
  r.node = tree_.find(cur);
  if (cur == "/" && !r.node) r.status = Resolved::Status::Missing;
  return r;
}

bool Access::can(const std::string& path, int perm, std::string* why) const {
  Resolved r = resolve(path);
  if (!r.ok()) {
    if (why) *why = "cannot resolve " + path;
    return false;
  }
  if (!r.blockedBy.empty()) {
    if (why) *why = "directory " + r.blockedBy + " is not traversable";
    return false;
  }
  if (!allows(*r.node, perm)) {
    if (why)
      *why = std::string("mode ") + modeString(*r.node) + " gives " + bitsFor(*r.node) + " no " +
             (perm == kExec   ? "execute"
              : perm == kRead ? "read"
                              : "access");
    return false;
  }
  return true;
}

}  // namespace pd
