#include "remote/reference.h"

#include <cctype>

#include "source/descriptor.h"

namespace pd {
namespace {

bool isLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: lower-case alphanumerics joined by single separators (".", "_", "__",
// "-" runs), as the Distribution reference grammar has it.
bool validComponent(const std::string& c) {
  if (c.empty() || !isLowerAlnum(c.front()) || !isLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (isLowerAlnum(ch) || ch == '-') continue;
    if (ch == '.' || ch == '_') {
      if (!isLowerAlnum(c[i - 1]) && !(ch == '_' && c[i - 1] == '_' && i >= 2 && c[i - 2] != '_'))
        return false;
      continue;
    }
    return false;
  }
  return true;
}

bool validTag(const std::string& t) {
  if (t.empty() || t.size() > 128) return false;
  if (!(std::isalnum(static_cast<unsigned char>(t[0])) || t[0] == '_')) return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

bool validHost(const std::string& h) {
  if (h.empty()) return false;
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return false;
  return true;
}

}  // namespace

std::string ImageReference::apiHost() const {
  return registry == "docker.io" ? "registry-1.docker.io" : registry;
}

std::string ImageReference::str() const {
  std::string s = name();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

std::optional<ImageReference> parseReference(const std::string& text) {
  ImageReference r;
  std::string rest = text;
  if (auto at = rest.find('@'); at != std::string::npos) {
    r.digest = rest.substr(at + 1);
    rest.resize(at);
    if (!validDigest(r.digest)) return std::nullopt;
  }
  auto slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (!validTag(r.tag)) return std::nullopt;
  }
  // The first component names a registry when it looks like a host (a dot, a port, localhost).
  auto first = rest.find('/');
  if (first != std::string::npos) {
    std::string head = rest.substr(0, first);
    if (head.find('.') != std::string::npos || head.find(':') != std::string::npos ||
        head == "localhost" ||
        head.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
      if (!validHost(head)) return std::nullopt;
      r.registry = head;
      rest = rest.substr(first + 1);
    }
  }
  if (r.registry.empty() || r.registry == "index.docker.io" || r.registry == "registry-1.docker.io")
    r.registry = "docker.io";
  if (r.registry == "docker.io" && rest.find('/') == std::string::npos) rest = "library/" + rest;
  if (rest.empty() || rest.size() > 255) return std::nullopt;
  size_t start = 0;
  while (true) {
    auto end = rest.find('/', start);
    if (!validComponent(rest.substr(start, end == std::string::npos ? end : end - start)))
      return std::nullopt;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  r.repository = rest;
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

}  // namespace pd
