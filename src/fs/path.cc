#include "fs/path.h"

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
  // Dynamic programming from the end of the pattern: O(|p| * |t|) on any input, no backtracking.
  enum Kind { kLit, kAny, kStar, kStarStar, kStarStarSlash };
  std::vector<std::pair<Kind, char>> toks;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      bool slash = i + 2 < p.size() && p[i + 2] == '/';
      toks.push_back({slash ? kStarStarSlash : kStarStar, 0});
      i += slash ? 2 : 1;
    } else if (p[i] == '*') {
      toks.push_back({kStar, 0});
    } else if (p[i] == '?') {
      toks.push_back({kAny, 0});
    } else {
      toks.push_back({kLit, p[i]});
    }
  }
  const size_t n = t.size();
  std::vector<char> next(n + 1, 0), cur(n + 1, 0);
  next[n] = 1;  // empty pattern matches only the empty rest
  for (size_t k = toks.size(); k-- > 0;) {
    auto [kind, c] = toks[k];
    cur[n] = (kind == kStar || kind == kStarStar || kind == kStarStarSlash) ? next[n] : 0;
    bool g = false;  // for "**/": some '/' at or after j is followed by a match
    for (size_t j = n; j-- > 0;) {
      switch (kind) {
        case kLit:
          cur[j] = t[j] == c && next[j + 1];
          break;
        case kAny:
          cur[j] = t[j] != '/' && next[j + 1];
          break;
        case kStar:
          cur[j] = next[j] || (t[j] != '/' && cur[j + 1]);
          break;
        case kStarStar:
          cur[j] = next[j] || cur[j + 1];
          break;
        case kStarStarSlash:
          g = g || (t[j] == '/' && next[j + 1]);
          cur[j] = next[j] || g;
          break;
      }
    }
    std::swap(next, cur);
  }
  return next[0];
}

}  // namespace pd
