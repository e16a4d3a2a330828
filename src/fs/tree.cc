#include "fs/tree.h"

namespace pd {

Tree::Tree() {
  Node root;
  root.type = FileType::Directory;
  root.mode = 0755;
  root.implicit = true;
  nodes_.emplace("/", root);
}

const Node* Tree::find(const std::string& path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

Node* Tree::find(const std::string& path) {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

namespace {
// Paths below `dir` share the prefix "dir/"; '/'+1 == '0' bounds the range.
std::string lowKey(const std::string& dir) {
  return dir == "/" ? "/" : dir + "/";
}
std::string highKey(const std::string& dir) {
  return dir == "/" ? "0" : dir + "0";
}
}  // namespace

std::pair<Tree::Map::const_iterator, Tree::Map::const_iterator> Tree::below(
    const std::string& dir) const {
  auto a = nodes_.upper_bound(lowKey(dir));
  if (dir != "/") a = nodes_.lower_bound(lowKey(dir));
  return {a, nodes_.lower_bound(highKey(dir))};
}

std::pair<Tree::Map::iterator, Tree::Map::iterator> Tree::below(const std::string& dir) {
  auto a = nodes_.upper_bound(lowKey(dir));
  if (dir != "/") a = nodes_.lower_bound(lowKey(dir));
  return {a, nodes_.lower_bound(highKey(dir))};
}

}  // namespace pd
