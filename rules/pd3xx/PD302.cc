// PD302: package-manager caches and build leftovers with content in the final image.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include "engine/embedded.h"
#include "engine/grouping.h"

#include "engine/rule_table.h"
#include "fs/path.h"
#include "rules/pd3xx/format.h"

namespace pd {
namespace {

struct Place {
  std::string kind, anchor, content;  // content "": the anchor itself is the leftover file
  bool literal = false;               // anchor has no glob characters
  std::string anchorBase;             // literal last component, for a cheap pre-filter
};

bool hasGlob(std::string_view s) {
  return s.find_first_of("*?") != std::string_view::npos;
}

std::vector<Place> loadPlaces(const Image& img, const Accounts& acc) {
  // Every home a cache may sit in: root's, the passwd entries', and whatever is in /home.
  std::set<std::string> homes = {"/root"};
  for (const auto& u : acc.users)
    if (!u.home.empty() && u.home[0] == '/') homes.insert(cleanPath(u.home));
  auto [a, b] = img.tree.below("/home");
  for (auto it = a; it != b; ++it)
    if (parentOf(it->first) == "/home" && it->second.type == FileType::Directory)
      homes.insert(it->first);

  std::vector<Place> out;
  for (const auto& line : dataLines("data/leftovers.txt")) {
    std::istringstream in(line);
    Place p;
    in >> p.kind >> p.anchor >> p.content;
    std::vector<std::string> anchors;
    if (p.anchor.rfind("~/", 0) == 0) {
      for (const auto& h : homes) anchors.push_back(cleanPath(h + p.anchor.substr(1)));
    } else {
      anchors.push_back(p.anchor);
    }
    for (const auto& an : anchors) {
      Place q = p;
      q.anchor = an;
      q.literal = !hasGlob(an);
      std::string_view base = baseName(an);
      if (!hasGlob(base)) q.anchorBase = base;
      out.push_back(std::move(q));
    }
  }
  return out;
}

// The anchor path `path` falls under for this place, or "" when it does not.
std::string anchorOf(const Place& p, const std::string& path) {
  if (p.content.empty()) {
    if (p.literal) return path == p.anchor ? path : "";
    if (!p.anchorBase.empty() && baseName(path) != p.anchorBase) return "";
    return globMatch(p.anchor, path) ? path : "";
  }
  if (p.literal) {
    if (path.size() <= p.anchor.size() || !isUnder(path, p.anchor)) return "";
    std::string_view rest =
        std::string_view(path).substr(p.anchor.size() == 1 ? 1 : p.anchor.size() + 1);
    return globMatch(p.content, rest) ? p.anchor : "";
  }
  // A glob anchor (**/.git): the outermost ancestor that matches wins.
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    std::string dir = path.substr(0, i);
    if (!p.anchorBase.empty() && baseName(dir) != p.anchorBase) continue;
    if (globMatch(p.anchor, dir) && globMatch(p.content, std::string_view(path).substr(i + 1)))
      return dir;
  }
  return "";
}

struct KindText {
  const char* what;
  const char* fix;  // the line to paste; "%s" is the anchor
  const char* how;  // what the message adds: the other way, or where the line goes
};

KindText textFor(const std::string& kind) {
  static const std::map<std::string, KindText> m = {
      {"apt-lists",
       {"APT package lists",
        "RUN apt-get update && apt-get install -y --no-install-recommends <packages> && rm -rf "
        "/var/lib/apt/lists/*",
        "remove the lists in the RUN that fetches them"}},
      {"apt-archives",
       {"downloaded .deb packages",
        "RUN apt-get install -y --no-install-recommends <packages> && apt-get clean",
        "clean the archives in the RUN that installs"}},
      {"apk-cache",
       {"the APK package cache", "RUN apk add --no-cache <packages>", "install with --no-cache"}},
      {"pip-cache",
       {"pip's download cache", "RUN --mount=type=cache,target=%s pip install -r requirements.txt",
        "keep the cache in a build cache mount, or pip install --no-cache-dir"}},
      {"npm-cache",
       {"npm's cache", "RUN --mount=type=cache,target=%s npm ci",
        "keep the cache in a build cache mount, or npm ci && npm cache clean --force in one RUN"}},
      {"user-cache",
       {"a per-user cache", "RUN --mount=type=cache,target=%s <command>",
        "keep the cache in a build cache mount, or rm -rf %s in the RUN that fills it"}},
      {"cargo-registry",
       {"Cargo's registry cache", "RUN --mount=type=cache,target=%s cargo build --release",
        "build in a stage of its own, with the registry in a build cache mount"}},
      {"maven-repository",
       {"the local Maven repository", "RUN --mount=type=cache,target=%s mvn -B package",
        "build in a stage of its own, with the repository in a build cache mount"}},
      {"git-directory",
       {"a git repository (its whole history)", "echo .git >> .dockerignore",
        "list .git in .dockerignore so that COPY . . skips it"}},
      {"dockerfile",
       {"a Dockerfile", "echo Dockerfile >> .dockerignore",
        "list Dockerfile in .dockerignore so that COPY . . skips it"}},
      {"compose-file",
       {"a compose file", "echo docker-compose.yml >> .dockerignore",
        "list docker-compose.yml in .dockerignore so that COPY . . skips it"}},
  };
  auto it = m.find(kind);
  if (it != m.end()) return it->second;
  return {"build leftovers", "RUN <create> && <use> && rm -rf %s",
          "remove it in the RUN that creates it, or use a multi-stage build"};
}

// A Dockerfile, compose file or .git that an installed package ships as its own source (Go's
// /usr/share/go-1.19/src/crypto/internal/boring/Dockerfile) is no leftover of this build.
bool shippedByPackage(const std::string& kind, const std::string& path) {
  if (kind != "dockerfile" && kind != "compose-file" && kind != "git-directory") return false;
  for (const char* tree : {"/usr/share/", "/usr/lib/", "/usr/local/lib/", "/usr/local/go/"})
    if (path.starts_with(tree)) return true;
  for (const char* dir : {"/site-packages/", "/dist-packages/", "/node_modules/", "/gems/",
                          "/vendor/"})
    if (path.find(dir) != std::string::npos) return true;
  return false;
}

std::string fill(const char* fmt, const std::string& anchor) {
  std::string s = fmt;
  for (size_t k = s.find("%s"); k != std::string::npos; k = s.find("%s", k + anchor.size()))
    s.replace(k, 2, anchor);
  return s;
}

class PD302 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::vector<Place> places = loadPlaces(img, ctx.accounts);
    struct Group {
      std::vector<std::string> paths;
      int64_t bytes = 0;
      std::map<int, int64_t> byLayer;
    };
    std::map<std::pair<std::string, std::string>, Group> dirGroups;  // (kind, anchor)
    std::vector<PathIssue> fileIssues;                               // leftover files: by layer
    std::map<std::string, int64_t> fileBytes;
    for (const auto& [path, n] : img.tree.nodes()) {
      if (n.type != FileType::Regular || n.size <= 0) continue;
      for (const auto& p : places) {
        std::string anchor = anchorOf(p, path);
        if (anchor.empty()) continue;
        if (shippedByPackage(p.kind, path)) break;
        if (p.content.empty()) {
          fileIssues.push_back({.path = path,
                                .cause = p.kind,
                                .layer = n.layer,
                                .meta = &n,
                                .evidence = {{"kind", p.kind}}});
          fileBytes[path] = n.size;
        } else {
          Group& g = dirGroups[{p.kind, anchor}];
          g.paths.push_back(path);
          g.bytes += n.size;
          g.byLayer[n.layer] += n.size;
        }
        break;  // a file belongs to the first place it matches
      }
    }
    for (auto& [key, g] : dirGroups) {
      const auto& [kind, anchor] = key;
      // The layer that wrote most of the bytes is the RUN to fix.
      int layer = -1;
      int64_t most = -1;
      for (const auto& [l, b] : g.byLayer)
        if (b > most) most = b, layer = l;
      std::vector<int> layers;
      for (const auto& [l, b] : g.byLayer) layers.push_back(l);
      report(ctx, kind, anchor, std::move(g.paths), g.bytes, layer, layers);
    }
    for (auto& g : groupByCause(std::move(fileIssues))) {
      int64_t bytes = 0;
      for (const auto& p : g.paths) bytes += fileBytes[p];
      report(ctx, g.cause, g.top, std::move(g.paths), bytes, g.layer, {g.layer});
    }
  }

 private:
  static void report(Context& ctx, const std::string& kind, const std::string& top,
                     std::vector<std::string> paths, int64_t bytes, int layer,
                     const std::vector<int>& layers) {
    KindText t = textFor(kind);
    Finding f;
    size_t count = paths.size();
    f.over(top, std::move(paths));  // the leftover files; `path` is their directory
    f.layer = layer;
    f.evidence = {{"kind", kind}, {"bytes", bytes}, {"files", count}, {"layers", layers}};
    f.message = std::string(t.what) + " left in the image at " + top + ": " +
                std::to_string(count) + (count == 1 ? " file, " : " files, ") + humanBytes(bytes) +
                ", written by layer " + std::to_string(layer) + "; nothing needs it at run time; " +
                fill(t.how, top);
    f.fix = fill(t.fix, top);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD302{
    .id = "PD302",
    .severity = Severity::Warning,
    .title = "Package caches and build leftovers in the image",
    .doc = "pd3xx/PD302.md",
    .make = makeRule<PD302>,
};

}  // namespace pd
