// "One finding per cause": many paths with one cause (a tree copied with mode 0600) become one
// finding whose `path` is the top of the group and whose `paths` lists every path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fs/node.h"

namespace pd {

struct PathIssue {
  // Fields initialised with {} may be left out of a designated initialiser.
  std::string path;
  std::string root{};  // the application root it was found under; groups never span roots
  std::string cause;   // issues with equal root, cause and layer group together
  int layer = -1;
  const Meta* meta = nullptr;  // whose type, mode and owner are the cause (a link: its target's)
  std::string related{};       // a second path the message names (a link's target, ...)
  nlohmann::json evidence{};   // for the report only: rules read the fields, never this back
};

struct PathGroup {
  std::string top;                 // the common ancestor of the paths (the path itself if one)
  std::vector<std::string> paths;  // sorted
  std::string cause;               // the issues' shared cause
  int layer = -1;
  const Meta* meta = nullptr;  // of the top-most issue, like `related` and `evidence`
  std::string related;
  nlohmann::json evidence;
};

std::vector<PathGroup> groupByCause(std::vector<PathIssue> issues);

}  // namespace pd
