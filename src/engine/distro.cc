#include "engine/distro.h"

#include "fs/path.h"

namespace pd {

namespace {

enum class UserTool { None, Useradd, Busybox, Files };

UserTool userTool(const Image& img) {
  auto regular = [&](const char* p) {
    const Node* n = img.tree.find(p);
    return n && n->type == FileType::Regular;
  };
  auto busyboxApplet = [&](const char* p) {
    const Node* n = img.tree.find(p);
    return n && n->type == FileType::Symlink && baseName(n->link) == "busybox";
  };
  if (!img.tree.find("/bin/sh")) return UserTool::None;
  if (regular("/usr/sbin/useradd") || regular("/sbin/useradd")) return UserTool::Useradd;
  if (busyboxApplet("/usr/sbin/adduser") || busyboxApplet("/bin/adduser")) return UserTool::Busybox;
  if (img.tree.find("/etc/passwd") && img.tree.find("/etc/group")) return UserTool::Files;
  return UserTool::None;
}

}  // namespace

std::string userCreation(const Image& img, uint32_t id, const std::string& name) {
  std::string n = std::to_string(id);
  switch (userTool(img)) {
    case UserTool::Useradd:
      return "RUN useradd --system --uid " + n + " --user-group --no-create-home " + name;
    case UserTool::Busybox:
      return "RUN addgroup -S -g " + n + " " + name + " && adduser -S -D -H -u " + n + " -G " +
             name + " " + name;
    case UserTool::Files:
      return "RUN echo '" + name + ":x:" + n + ":" + n +
             "::/nonexistent:/sbin/nologin' >> /etc/passwd && echo '" + name + ":x:" + n +
             ":' >> /etc/group";
    case UserTool::None:
      break;
  }
  return "";
}

std::string groupCreation(const Image& img, uint32_t id, const std::string& name) {
  std::string n = std::to_string(id);
  switch (userTool(img)) {
    case UserTool::Useradd:
      return "RUN groupadd --system --gid " + n + " " + name;
    case UserTool::Busybox:
      return "RUN addgroup -S -g " + n + " " + name;
    case UserTool::Files:
      return "RUN echo '" + name + ":x:" + n + ":' >> /etc/group";
    case UserTool::None:
      break;
  }
  return "";
}

std::string packageInstall(const Image& img, const std::string& name) {
  auto has = [&](const char* p) { return img.tree.find(p) != nullptr; };
  if (!has("/bin/sh")) return "";
  if (has("/sbin/apk")) return "RUN apk add --no-cache " + name;
  if (has("/usr/bin/apt-get"))
    return "RUN apt-get update && apt-get install -y --no-install-recommends " + name +
           " && rm -rf /var/lib/apt/lists/*";
  for (const char* tool : {"microdnf", "dnf", "yum"})
    if (has(("/usr/bin/" + std::string(tool)).c_str()))
      return "RUN " + std::string(tool) + " install -y " + name + " && " + tool + " clean all";
  return "";
}

}  // namespace pd
