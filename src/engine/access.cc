#include "engine/access.h"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "fs/path.h"

namespace pd {

const char* Access::bitsFor(const Meta& m) const {
  if (id_.isRoot()) return "root";
  if (!id_.otherOnly && m.uid == id_.uid) return "owner";
  if (id_.inGroup(m.gid)) return "group";
  return "other";
}

char chmodClass(std::string_view bits) {
  return bits == "owner" ? 'u' : bits == "group" ? 'g' : bits == "root" ? 'a' : 'o';
}

std::string Access::chmodFor(const Meta& m, char perm) const {
  return std::string(1, chmodClass(bitsFor(m))) + "+" + perm;
}

bool Access::canOpen(const Meta& m) const {
  if (m.type == FileType::Directory) return allows(m, kExec);
  if (m.type == FileType::Regular) return allows(m, kRead);
  return true;
}

bool Access::canList(const Meta& m) const {
  if (m.type == FileType::Directory) return allows(m, kRead | kExec);
  return canOpen(m);
}

bool Access::canRun(const Meta& m, bool script) const {
  return allows(m, kExec) && (!script || allows(m, kRead));
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
  // What is left to walk: a stack of texts (the path, then each link target met), each with
  // how far it has been walked. Components are taken from the top text one at a time, never
  // split out ahead: a link target of thousands of components costs only what is walked of it.
  struct Frame {
    std::string_view text;
    size_t pos;
  };
  std::vector<Frame> frames;
  auto settle = [&] {  // drops texts with nothing but slashes left
    while (!frames.empty()) {
      Frame& f = frames.back();
      while (f.pos < f.text.size() && f.text[f.pos] == '/') ++f.pos;
      if (f.pos < f.text.size()) break;
      frames.pop_back();
    }
  };
  auto push = [&](std::string_view p) {
    frames.push_back({p, 0});
    settle();
  };
  push(start);
  std::string cur = "/";
  // A state: the link met, and what is left of each text (its position in memory and length).
  // The texts are `start` and link targets of the tree, which do not move during the walk, so
  // equal states have equal components left.
  std::set<std::pair<std::string, std::vector<std::pair<const char*, size_t>>>> seen;
  int hops = 0;
  auto traverse = [&](const std::string& dir) {
    const Node* d = tree_.find(dir);
    if (r.blockedBy.empty() && d && !allows(*d, kExec)) r.blockedBy = dir;
  };
  traverse("/");
  while (!frames.empty()) {
    Frame& top = frames.back();
    size_t end = top.text.find('/', top.pos);
    if (end == std::string_view::npos) end = top.text.size();
    std::string_view part = top.text.substr(top.pos, end - top.pos);
    top.pos = end;
    settle();
    if (part == ".") continue;
    if (part == "..") {
      cur = parentOf(cur);
      continue;
    }
    std::string next = cur == "/" ? "/" : cur + "/";
    next += part;
    const Node* n = tree_.find(next);
    if (!n) {
      r.status = Resolved::Status::Missing;
      r.failedAt = next;
      return r;
    }
    bool last = frames.empty();
    if (n->type == FileType::Symlink && (!last || followLast)) {
      // A loop is the same link met again with the same components left to walk: the walk
      // is deterministic, so it would repeat forever. (The count of components left is not
      // enough: /a -> /d with /d/p -> /a/z meets /a twice with two left, yet resolves.)
      std::vector<std::pair<const char*, size_t>> left;
      for (const Frame& f : frames) left.emplace_back(f.text.data() + f.pos, f.text.size() - f.pos);
      if (!seen.emplace(next, std::move(left)).second) {
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
      push(n->link);
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
