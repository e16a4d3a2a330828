// PD408: tool caches baked into a home directory at build time (RUN steps run as root with
// HOME=/root) are useless on Lambda: its user owns nothing, so /root (0700) and the build user's
// private home are closed to it, and without HOME in Env the tools look under a home directory
// that does not exist and cannot be created on the read-only image.
#include <set>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

// A cache directory found under a home.
struct Cache {
  std::string path;
  std::string home;
  int64_t bytes = 0;
  int64_t files = 0;
};

// Where tools keep their downloads under a home: each directory in ~/.cache and
// ~/.local/share, plus the few that use their own dot-directory.
const char* const kCacheGlobs[] = {".cache/*", ".local/share/*", ".npm", "nltk_data"};

// Caches with content (an empty cache directory is no cache) directly matching kCacheGlobs.
std::vector<Cache> cachesUnder(const Tree& tree, const std::string& home) {
  std::vector<Cache> out;
  auto [a, b] = tree.below(home);
  for (auto it = a; it != b; ++it) {
    if (it->second.type != FileType::Directory) continue;
    std::string rel = it->first.substr(home == "/" ? 1 : home.size() + 1);
    bool match = false;
    for (const char* g : kCacheGlobs) match = match || globMatch(g, rel);
    if (!match) continue;
    Cache c{it->first, home};
    auto [x, y] = tree.below(it->first);
    for (auto jt = x; jt != y; ++jt) {
      if (jt->second.type == FileType::Directory) continue;
      ++c.files;
      c.bytes += jt->second.size;
    }
    if (c.files > 0) out.push_back(std::move(c));
  }
  return out;
}

// The tool-specific way to put a cache somewhere readable, by the cache's name.
std::string fixFor(const std::string& cachePath) {
  std::string name(baseName(cachePath));
  if (name == "ms-playwright")
    return "ENV PLAYWRIGHT_BROWSERS_PATH=/ms-playwright   (before the RUN that installs the "
           "browsers), then RUN chmod -R o+rX /ms-playwright and ENV HOME=/tmp";
  if (name == "huggingface")
    return "ENV HF_HOME=/opt/huggingface   (before the download), then RUN chmod -R o+rX "
           "/opt/huggingface";
  if (name == "puppeteer")
    return "ENV PUPPETEER_CACHE_DIR=/opt/puppeteer   (before npm install), then RUN chmod -R "
           "o+rX /opt/puppeteer";
  if (name == "nltk_data")
    return "ENV NLTK_DATA=/opt/nltk_data   (before the download), then RUN chmod -R o+rX "
           "/opt/nltk_data";
  if (name == "pip") return "RUN pip install --no-cache-dir ...   (a build-only cache)";
  if (name == ".npm") return "RUN npm ci && npm cache clean --force   (a build-only cache)";
  return "ENV XDG_CACHE_HOME=/opt/cache   (before the RUN that fills it), then RUN chmod -R "
         "o+rX /opt/cache and ENV HOME=/tmp";
}

class PD408 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;

    // (a) caches under /root and the build user's home that the Lambda user cannot reach.
    std::vector<std::string> privateHomes = {"/root"};
    if (std::string h = configUserHome(ctx); !h.empty() && h != "/root") privateHomes.push_back(h);
    for (const auto& home : privateHomes)
      for (const Cache& c : cachesUnder(img.tree, home)) checkReachable(ctx, c);

    // (b) no HOME while the image has caches in any home: the tools look in Lambda's own home.
    if (img.env("HOME")) return;
    std::set<std::string> homes = {"/root"};
    for (const auto& h : privateHomes) homes.insert(h);
    auto [a, b] = img.tree.below("/home");
    for (auto it = a; it != b; ++it)
      if (parentOf(it->first) == "/home" && it->second.type == FileType::Directory)
        homes.insert(it->first);
    std::vector<std::string> found;
    for (const auto& home : homes)
      for (const Cache& c : cachesUnder(img.tree, home)) found.push_back(c.path);
    if (found.empty()) return;
    std::string list;
    for (size_t i = 0; i < found.size() && i < 5; ++i) list += (i ? ", " : "") + found[i];
    if (found.size() > 5) list += ", ...";
    Finding f;
    f.message =
        "the image keeps tool caches in home directories (" + list +
        ") and its Env sets no HOME: on Lambda HOME is the sandbox user's home, which does not "
        "exist and cannot be created on the read-only image (\"EROFS: read-only file system, "
        "mkdir '/home/sbx_user1051'\"), so the tools neither find these caches nor can refill them";
    f.evidence = {{"caches", found}, {"home", nullptr}};
    f.message +=
        "; set HOME after the build steps, and install caches to a readable path (such "
        "as PLAYWRIGHT_BROWSERS_PATH=/ms-playwright)";
    f.fix = "ENV HOME=/tmp";
    ctx.diag(std::move(f));
  }

 private:
  // The config User's home from the image's /etc/passwd ("" when unknown or /). Lambda ignores
  // USER at run time, but build steps after it filled that home.
  static std::string configUserHome(const Context& ctx) {
    const std::string& u = ctx.image.config.user;
    std::string name = u.substr(0, u.find(':'));
    if (name.empty()) return "";
    const PasswdEntry* p = nullptr;
    if (auto id = parseId(name))
      p = ctx.accounts.userById(*id);
    else
      p = ctx.accounts.userByName(name);
    if (!p || p->home.empty()) return "";
    std::string h = cleanPath(p->home);
    return h == "/" ? "" : h;
  }

  // Reports `c` when the Lambda user cannot traverse to it, or cannot list or read inside it.
  static void checkReachable(Context& ctx, const Cache& c) {
    const Tree& tree = ctx.image.tree;
    Resolved r = ctx.access.resolve(c.path);
    if (!r.ok() || !r.node) return;
    std::string why, blocker;
    const Node* bn = nullptr;
    if (!r.blockedBy.empty()) {
      blocker = r.blockedBy;
      bn = tree.find(blocker);
      why = "directory " + blocker + " (mode " + (bn ? octalMode(bn->mode) : "?") +
            ") is not traversable";
    } else {
      // The first path inside that the Lambda user cannot list/traverse or read.
      auto denied = [&](const Node& n) { return !ctx.access.canList(n); };
      if (denied(*r.node)) {
        blocker = r.path;
        bn = r.node;
      } else {
        auto [a, b] = tree.below(r.path);
        for (auto it = a; it != b && !bn; ++it)
          if (denied(it->second)) {
            blocker = it->first;
            bn = &it->second;
          }
      }
      if (!bn) return;
      why = std::string(fileTypeName(bn->type)) + " " + blocker + " (mode " + octalMode(bn->mode) +
            ") is not " +
            (bn->type == FileType::Directory ? "readable and traversable" : "readable");
    }
    Finding f;
    f.at(c.path);
    f.message = "tool cache " + c.path + " (" + std::to_string(c.files) +
                (c.files == 1 ? " file, " : " files, ") + std::to_string(c.bytes) +
                " bytes) is out of the Lambda user's reach: " + why + " and " +
                (ctx.identity.otherOnly ? std::string("only the \"other\" bits apply")
                                        : "it is checked for " + ctx.identity.description) +
                " (e.g. Playwright: \"Executable doesn't exist "
                "at /home/sbx_user1051/.cache/...\")";
    f.evidence = {{"home", c.home}, {"files", c.files}, {"size", c.bytes}, {"blockedBy", blocker}};
    if (bn) {
      f.evidence["mode"] = octalMode(bn->mode);
      f.evidence["uid"] = bn->uid;
      f.evidence["gid"] = bn->gid;
    }
    f.fix = fixFor(c.path);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD408{
    .id = "PD408",
    .severity = Severity::Warning,
    .title = "Lambda: tool caches the Lambda user cannot reach",
    .doc = "pd4xx/PD408.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD408>,
};

}  // namespace pd
