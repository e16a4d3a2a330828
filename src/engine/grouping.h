// "One finding per cause": many paths with one cause (a tree copied with mode 0600) become one
// finding whose `path` is the top of the group and whose `paths` lists every path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pd {

struct PathIssue {
  std::string path;
  std::string root;   // the application root it was found under; groups never span roots
  std::string cause;  // issues with equal root, cause and layer group together
  int layer = -1;
  nlohmann::json evidence;
};

struct PathGroup {
  std::string top;                 // the common ancestor of the paths (the path itself if one)
  std::vector<std::string> paths;  // sorted
  int layer = -1;
  nlohmann::json evidence;  // of the top-most issue
};

std::vector<PathGroup> groupByCause(std::vector<PathIssue> issues);

}  // namespace pd
