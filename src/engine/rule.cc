#include "engine/rule.h"

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

int Context::layerOf(const std::string& path) const {
  const Node* n = image.tree.find(path);
  return n ? n->layer : -1;
}

}  // namespace pd
