#include "engine/rule.h"

#include "engine/embedded.h"
#include "fs/path.h"

namespace pd {

StartProgram Context::startProgram() const {
  StartProgram sp;
  sp.argv = image.config.entrypoint;
  sp.argv.insert(sp.argv.end(), image.config.cmd.begin(), image.config.cmd.end());
  if (sp.argv.empty()) return sp;
  sp.program = sp.argv.front();
  sp.shellForm = sp.argv.size() >= 2 && sp.argv[1] == "-c";
  if (sp.program.find('/') != std::string::npos) {
    // Relative names with a slash are relative to WORKDIR, as execve sees them.
    sp.path = sp.program[0] == '/'
                  ? cleanPath(sp.program)
                  : resolveRelative(
                        image.config.workingDir.empty() ? "/" : cleanPath(image.config.workingDir),
                        sp.program, nullptr);
    return sp;
  }
  std::string pathVar =
      image.env("PATH").value_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  size_t i = 0;
  std::string firstHit;
  while (i <= pathVar.size()) {
    size_t j = pathVar.find(':', i);
    if (j == std::string::npos) j = pathVar.size();
    std::string dir = pathVar.substr(i, j - i);
    i = j + 1;
    if (dir.empty()) continue;
    std::string cand = cleanPath(dir + "/" + sp.program);
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

std::vector<AppRoot> Context::applicationRoots() const {
  std::vector<AppRoot> roots;
  auto add = [&](const std::string& raw, const char* why) {
    if (raw.empty()) return;
    std::string p = cleanPath(raw);
    for (const auto& r : roots)
      if (r.path == p) return;
    roots.push_back({p, "", why});
  };
  add(image.config.workingDir, "WORKDIR");
  StartProgram sp = startProgram();
  if (!sp.path.empty()) {
    Resolved r = access.resolve(sp.path);
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

int Context::layerOf(const std::string& path) const {
  const Node* n = image.tree.find(path);
  return n ? n->layer : -1;
}

}  // namespace pd
