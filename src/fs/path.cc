#include "fs/path.h"

#include <cstring>
#include <vector>

namespace pd {

std::string cleanPath(std::string_view raw, bool* escaped) {
  bool esc = !raw.empty() && raw.front() == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view part = raw.substr(i, j - i);
    if (part == "..") {
      if (parts.empty())
        esc = true;
      else
        parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  if (escaped) *escaped = esc;
  if (parts.empty()) return "/";
  std::string out;
  for (auto p : parts) {
    out += '/';
    out += p;
  }
  return out;
}

std::string resolveRelative(const std::string& dir, std::string_view target, bool* escaped) {
  if (!target.empty() && target.front() == '/') {
    if (escaped) *escaped = false;  // absolute link targets are image-root relative
    return cleanPath(target);
  }
  std::string joined = dir == "/" ? "/" : dir + "/";
  joined += target;
  return cleanPath(joined, escaped);
}

std::string parentOf(const std::string& path) {
  size_t k = path.rfind('/');
  if (k == 0 || k == std::string::npos) return "/";
  return path.substr(0, k);
}

std::string_view baseName(std::string_view path) {
  size_t k = path.rfind('/');
  return k == std::string_view::npos ? path : path.substr(k + 1);
}

bool isUnder(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

bool globMatch(std::string_view p, std::string_view t) {
  // Dynamic programming over the pattern, left to right: r[j] says whether the pattern read so
  // far matches t[0, j). O(|p| * |t|) on any input, no backtracking, one array updated in place,
  // on the stack for any path the kernel accepts; stops as soon as nothing can match.
  const size_t n = t.size();
  constexpr size_t kStack = 4096 + 1;
  char stackBuf[kStack];
  std::vector<char> heapBuf;
  char* r = stackBuf;
  if (n + 1 > kStack) {
    heapBuf.resize(n + 1);
    r = heapBuf.data();
  }
  std::memset(r, 0, n + 1);
  r[0] = 1;
  size_t lo = 0;  // r[j] == 0 for every j < lo
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '*') {
      bool twin = i + 1 < p.size() && p[i + 1] == '*';
      if (twin && i + 2 < p.size() && p[i + 2] == '/') {
        // "**/": nothing, or anything ending in '/'.
        bool seen = r[lo];
        for (size_t j = lo + 1; j <= n; ++j) {
          bool prev = seen;
          seen = seen || r[j];
          r[j] = r[j] || (t[j - 1] == '/' && prev);
        }
        i += 2;
      } else if (twin) {
        // "**": anything.
        for (size_t j = lo + 1; j <= n; ++j) r[j] = r[j] || r[j - 1];
        i += 1;
      } else {
        // "*": anything within one component.
        for (size_t j = lo + 1; j <= n; ++j) r[j] = r[j] || (r[j - 1] && t[j - 1] != '/');
      }
      continue;  // star tokens keep r[lo] set
    }
    // One character: '?' (not '/') or a literal.
    const bool any = p[i] == '?';
    const char c = p[i];
    for (size_t j = n; j > lo; --j) r[j] = r[j - 1] && (any ? t[j - 1] != '/' : t[j - 1] == c);
    r[lo] = 0;
    ++lo;
    while (lo <= n && !r[lo]) ++lo;
    if (lo > n) return false;
  }
  return r[n];
}

}  // namespace pd
