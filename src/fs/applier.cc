#include "fs/applier.h"

#include <set>

#include "common/error.h"
#include "fs/path.h"

namespace pd {
namespace {

void recordRemoval(Image& img, const std::string& path, const Node& n, int byLayer, bool deleted,
                   const Meta* replacement) {
  if (n.type != FileType::Regular || n.implicit) return;
  Removed r;
  r.path = path;
  r.old = n;
  r.layer = n.layer;
  r.byLayer = byLayer;
  r.deleted = deleted;
  r.storedSize = n.storedSize;
  r.capture = n.capture;
  if (replacement) r.replacement = *replacement;
  img.removed.push_back(std::move(r));
}

// Removes `path` and everything below it that lower layers wrote.
void removeTree(Image& img, const std::string& path, int layer, bool deleted,
                const Meta* replacement) {
  auto [a, b] = img.tree.below(path);
  for (auto it = a; it != b;) {
    if (it->second.layer < layer) {
      recordRemoval(img, it->first, it->second, layer, deleted, nullptr);
      it = img.tree.eraseRange(it, std::next(it));
    } else {
      ++it;
    }
  }
  if (Node* n = img.tree.find(path); n && path != "/" && n->layer < layer) {
    recordRemoval(img, path, *n, layer, deleted, replacement);
    img.tree.erase(path);
  }
}

// Makes sure every ancestor of `path` is a directory. The ones it has to create are added to
// `implied` (when given) with `child`, the entry that needed them.
void ensureParents(Image& img, const std::string& path, int layer,
                   std::vector<ImpliedDir>* implied = nullptr, const std::string& child = {}) {
  std::string dir = parentOf(path);
  if (dir == "/") return;
  Node* n = img.tree.find(dir);
  if (n && n->type == FileType::Directory) return;
  ensureParents(img, dir, layer, implied, child.empty() ? path : child);
  if (implied) implied->push_back({dir, child.empty() ? path : child, layer});
  if (n) removeTree(img, dir, layer + 1, false, nullptr);
  Node d;
  d.type = FileType::Directory;
  d.mode = 0755;
  d.layer = layer;
  d.implicit = true;
  img.tree.put(dir, d);
}

}  // namespace

void applyLayer(Image& img, const LayerRecord& rec, int index, const std::string& where) {
  const int32_t captureBase = static_cast<int32_t>(img.captures.size());
  img.captures.insert(img.captures.end(), rec.captures.begin(), rec.captures.end());
  auto cap = [&](int32_t c) { return c < 0 ? -1 : captureBase + c; };
  std::vector<ImpliedDir> implied;  // candidates: an entry later in the layer may supply them
  for (Unextractable u : rec.unextractable) {
    u.layer = index;
    img.unextractable.push_back(std::move(u));
  }

  for (const auto& e : rec.entries) {
    if (e.escaped()) img.escapes.push_back({index, std::string(rec.rawNameOf(e)), e.path});
    switch (e.op) {
      case LayerEntry::Op::Opaque: {
        // Docker and containerd create a marker's missing parents before they act on it.
        if (e.path != "/") ensureParents(img, e.path + "/.wh..wh..opq", index);
        auto [a, b] = img.tree.below(e.path);
        for (auto it = a; it != b;) {
          if (it->second.layer < index) {
            recordRemoval(img, it->first, it->second, index, true, nullptr);
            it = img.tree.eraseRange(it, std::next(it));
          } else {
            ++it;
          }
        }
        break;
      }
      case LayerEntry::Op::Whiteout:
        if (!e.path.empty() && e.path != "/") {
          ensureParents(img, e.path, index);
          removeTree(img, e.path, index, true, nullptr);
        }
        break;
      case LayerEntry::Op::Hardlink: {
        const Node* target = img.tree.find(e.linkTarget());
        if (!target || target->type == FileType::Directory)
          throw InputError(where.empty() ? rec.blob : where,
                           "hardlink " + e.path + " points to " +
                               (target ? "a directory " : "missing path ") + e.linkTarget());
        // A link onto itself changes nothing; one named "/" cannot replace the root directory.
        if (e.path == e.linkTarget() || e.path == "/") break;
        Node n = *target;  // same inode: same mode, owner, size, content
        n.layer = index;
        n.storedSize = 0;
        n.implicit = false;
        ensureParents(img, e.path, index, &implied);
        if (Node* old = img.tree.find(e.path)) {
          if (old->type == FileType::Directory)
            removeTree(img, e.path, index + 1, false, &n);
          else
            recordRemoval(img, e.path, *old, index, false, &n);
        }
        img.tree.put(e.path, std::move(n));
        break;
      }
      case LayerEntry::Op::Add: {
        if (e.path == "/") {
          // The root entry only changes the root's metadata.
          Node* root = img.tree.find("/");
          if (e.meta.type == FileType::Directory) {
            static_cast<Meta&>(*root) = e.meta;
            root->layer = index;
            root->implicit = false;
          }
          break;
        }
        ensureParents(img, e.path, index, &implied);
        Node n;
        static_cast<Meta&>(n) = e.meta;
        n.layer = index;
        n.capture = cap(e.capture);
        n.storedSize = e.meta.type == FileType::Regular ? e.meta.size : 0;
        if (Node* old = img.tree.find(e.path)) {
          if (old->type == FileType::Directory && n.type == FileType::Directory) {
            // A directory entry over a directory keeps its children.
          } else if (old->type == FileType::Directory) {
            removeTree(img, e.path, index + 1, false, &n);
          } else {
            recordRemoval(img, e.path, *old, index, false, &n);
          }
        }
        img.tree.put(e.path, std::move(n));
        break;
      }
    }
  }
  std::set<std::string> seen;
  for (auto& d : implied) {
    const Node* n = img.tree.find(d.path);
    if (n && n->implicit && n->layer == index && seen.insert(d.path).second)
      img.impliedDirs.push_back(std::move(d));
  }
}

}  // namespace pd
