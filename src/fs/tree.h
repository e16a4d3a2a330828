// The merged filesystem: every path of the final image with its metadata, ordered by path so
// that a directory's subtree is one contiguous range.
#pragma once

#include <map>
#include <string>

#include "fs/node.h"

namespace pd {

class Tree {
 public:
  using Map = std::map<std::string, Node>;

  Tree();  // holds the root directory "/"

  const Node* find(const std::string& path) const;
  Node* find(const std::string& path);
  const Map& nodes() const { return nodes_; }
  size_t size() const { return nodes_.size(); }

  // The range of paths strictly below `dir`.
  std::pair<Map::const_iterator, Map::const_iterator> below(const std::string& dir) const;
  std::pair<Map::iterator, Map::iterator> below(const std::string& dir);

  Node& put(const std::string& path, Node node) { return nodes_[path] = std::move(node); }
  void erase(const std::string& path) { nodes_.erase(path); }
  Map::iterator eraseRange(Map::iterator a, Map::iterator b) { return nodes_.erase(a, b); }

 private:
  Map nodes_;
};

}  // namespace pd
