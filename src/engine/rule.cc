#include "engine/rule.h"

#include "common/text.h"
#include "engine/embedded.h"
#include "fs/path.h"

namespace pd {

Context::Context(const Image& image, const Identity& identity, Profile profile,
                 const Access& access, const Accounts& accounts, const RuleOptions& options,
                 std::vector<Finding>& sink)
    : image(image),
      identity(identity),
      profile(profile),
      access(access),
      accounts(accounts),
      options(options),
      sink_(sink),
      workdir_(image.config.workingDir.empty() ? "/" : cleanPath(image.config.workingDir)),
      searchPath_(image.env("PATH").value_or(
          "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")),
      lambdaTaskRoot_(cleanPath(image.env("LAMBDA_TASK_ROOT").value_or("/var/task"))),
      lambdaRuntimeDir_(cleanPath(image.env("LAMBDA_RUNTIME_DIR").value_or("/var/runtime"))) {
  start_ = findStartProgram();
  roots_ = findApplicationRoots();  // after start_: the start program's directory is one
}

std::string Context::absolute(const std::string& p) const {
  return p[0] == '/' ? cleanPath(p) : resolveRelative(workdir_, p, nullptr);
}

std::vector<std::string> Context::pathCandidates(const std::string& name) const {
  std::vector<std::string> out;
  for (std::string_view dir : splitNonEmpty(searchPath_, ':'))
    out.push_back(cleanPath(std::string(dir) + "/" + name));
  return out;
}

StartProgram Context::findStartProgram() const {
  StartProgram sp;
  sp.argv = image.config.entrypoint;
  sp.argv.insert(sp.argv.end(), image.config.cmd.begin(), image.config.cmd.end());
  if (sp.argv.empty()) return sp;
  sp.program = sp.argv.front();
  sp.shellForm = sp.argv.size() >= 2 && sp.argv[1] == "-c";
  if (sp.program.find('/') != std::string::npos) {
    sp.path = absolute(sp.program);  // relative names with a slash are relative to WORKDIR
    return sp;
  }
  std::string firstHit;
  for (const std::string& cand : pathCandidates(sp.program)) {
    Resolved r = access.resolve(cand);
    // Like execvp: the first candidate that exists as a file wins.
    if (r.ok() && r.node && r.node->type != FileType::Directory) {
      sp.path = cand;
      return sp;
    }
    if (firstHit.empty() && image.tree.find(cand)) firstHit = cand;
  }
  sp.path = firstHit;  // a dangling link on PATH is still "the" program, for PD101
  return sp;
}

std::vector<AppRoot> Context::findApplicationRoots() const {
  std::vector<AppRoot> roots;
  auto add = [&](const std::string& raw, const char* why) {
    if (raw.empty()) return;
    std::string p = cleanPath(raw);
    for (const auto& r : roots)
      if (r.path == p) return;
    roots.push_back({p, "", why});
  };
  add(image.config.workingDir, "WORKDIR");
  if (!start_.path.empty()) {
    Resolved r = access.resolve(start_.path);
    if (r.ok()) add(parentOf(r.path), "the start program's directory");
  }
  if (auto t = image.env("LAMBDA_TASK_ROOT")) add(*t, "LAMBDA_TASK_ROOT");
  add("/opt", "/opt");

  static const std::vector<std::string> systemTrees = dataLines("data/system_trees.txt");
  auto isSystem = [](const std::string& p) {
    if (p == "/") return true;
    for (const auto& t : systemTrees)
      if (globMatch(t, p) || globMatch(t + "/**", p)) return true;
    return false;
  };
  std::vector<std::string> taken;
  for (auto& root : roots) {
    if (isSystem(root.path)) continue;
    Resolved r = access.resolve(root.path);
    if (!r.ok() || r.node->type != FileType::Directory || isSystem(r.path)) continue;
    bool inside = false;
    for (const auto& t : taken) inside = inside || isUnder(r.path, t);
    if (inside) continue;
    // A later root that holds an earlier one takes its place: one walk covers both.
    for (auto& other : roots)
      if (!other.dir.empty() && isUnder(other.dir, r.path)) other.dir.clear();
    std::erase_if(taken, [&](const std::string& t) { return isUnder(t, r.path); });
    taken.push_back(r.path);
    root.dir = r.path;
  }
  return roots;
}

std::string Context::blockerOf(const Resolved& r, const std::string& written) const {
  const std::string& wd = workdir_;
  bool relative = !written.empty() && written[0] != '/';
  if (r.blockedBy.empty() || !relative || !r.links.empty() || !isUnder(wd, r.blockedBy) ||
      wd == r.blockedBy || !isUnder(r.path, wd))
    return r.blockedBy;
  // Walk from WORKDIR down to the directory that holds r.path.
  std::string d = wd;
  std::string rest = parentOf(r.path).substr(wd == "/" ? 0 : wd.size());
  for (size_t from = 0;;) {
    const Node* n = image.tree.find(d);
    if (n && n->type == FileType::Directory && !access.canOpen(*n)) return d;
    size_t start = rest.find_first_not_of('/', from);
    if (start == std::string::npos) return "";
    size_t end = std::min(rest.find('/', start), rest.size());
    d = (d == "/" ? "" : d) + "/" + rest.substr(start, end - start);
    from = end;
  }
}

int Context::layerOf(const std::string& path) const {
  const Node* n = image.tree.find(path);
  return n ? n->layer : -1;
}

}  // namespace pd
