#include "engine/grouping.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "fs/path.h"

namespace pd {

namespace {
std::string commonAncestor(const std::string& a, const std::string& b) {
  std::string c = a;
  while (!isUnder(b, c)) c = parentOf(c);
  return c;
}
}  // namespace

std::vector<PathGroup> groupByCause(std::vector<PathIssue> issues) {
  std::map<std::tuple<std::string, std::string, int>, std::vector<PathIssue*>> by;
  for (auto& i : issues) by[{i.root, i.cause, i.layer}].push_back(&i);
  std::vector<PathGroup> out;
  for (auto& [key, list] : by) {
    std::sort(list.begin(), list.end(),
              [](const PathIssue* a, const PathIssue* b) { return a->path < b->path; });
    PathGroup g;
    g.cause = std::get<1>(key);
    g.layer = std::get<2>(key);
    g.top = list.front()->path;
    for (auto* i : list) {
      g.paths.push_back(i->path);
      g.top = commonAncestor(g.top, i->path);
    }
    const std::string& root = std::get<0>(key);
    if (!root.empty() && !isUnder(g.top, root)) g.top = root;
    const PathIssue* top = list.front();
    for (auto* i : list)
      if (i->path == g.top) top = i;
    g.meta = top->meta;
    g.related = top->related;
    g.evidence = top->evidence;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace pd
