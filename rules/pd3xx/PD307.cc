// PD307: a later layer re-adds files byte-identical (size and mtime) to a lower layer's, only to
// change mode or owner: the RUN chmod -R / chown -R layer that stores a tree twice.
#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"
#include "fs/path.h"
#include "rules/pd3xx/format.h"

namespace pd {
namespace {

// Noise guard: a chmod of a few small files costs nothing worth a warning. A layer is reported
// when it duplicates at least this many bytes or this many files.
constexpr int64_t kMinDuplicatedBytes = 1 << 20;
constexpr size_t kMinDuplicatedFiles = 100;

class PD307 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    struct Group {
      std::vector<const Removed*> items;
      int64_t bytes = 0;
    };
    std::map<int, Group> byLayer;
    for (const Removed& r : img.removed) {
      if (r.deleted || !r.replacement) continue;
      const Meta& n = *r.replacement;
      if (n.type != FileType::Regular || n.size != r.old.size || n.mtime != r.old.mtime) continue;
      // A hardlink replacement carries no bytes of its own.
      const Node* cur = img.tree.find(r.path);
      if (cur && cur->layer == r.byLayer && cur->storedSize == 0 && cur->size > 0) continue;
      Group& g = byLayer[r.byLayer];
      g.items.push_back(&r);
      g.bytes += r.old.size;
    }
    for (auto& [layer, g] : byLayer) {
      if (g.bytes < kMinDuplicatedBytes && g.items.size() < kMinDuplicatedFiles) continue;
      report(ctx, layer, g.items, g.bytes);
    }
  }

 private:
  static void report(Context& ctx, int layer, std::vector<const Removed*>& items, int64_t bytes) {
    const Image& img = ctx.image;
    std::sort(items.begin(), items.end(),
              [](const Removed* a, const Removed* b) { return a->path < b->path; });
    std::string top = items.front()->path;
    std::set<int> from;
    // The most common new mode and owner make the --chmod / --chown of the fix.
    std::map<uint32_t, size_t> modes;
    std::map<std::string, size_t> owners;
    size_t modeChanged = 0, ownerChanged = 0;
    std::vector<std::string> paths;
    const std::string& by = img.createdBy(layer);
    for (const Removed* r : items) {
      while (!isUnder(r->path, top)) top = parentOf(top);
      paths.push_back(r->path);
      from.insert(r->layer);
      const Meta& n = *r->replacement;
      if (n.mode != r->old.mode) ++modeChanged, ++modes[n.mode];
      if (n.uid != r->old.uid || n.gid != r->old.gid) ++ownerChanged, ++owners[ownerString(n)];
    }
    auto most = [](const auto& m) {
      return std::max_element(m.begin(), m.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; })
          ->first;
    };
    const Removed& first = *items.front();
    Finding f;
    f.over(top, std::move(paths));
    f.layer = layer;
    f.evidence = {{"bytesDuplicated", bytes},
                  {"files", items.size()},
                  {"layer", layer},
                  {"createdBy", by},
                  {"originalLayers", std::vector<int>(from.begin(), from.end())},
                  {"modeChanged", modeChanged},
                  {"ownerChanged", ownerChanged},
                  {"example",
                   {{"path", first.path},
                    {"oldMode", octalMode(first.old.mode)},
                    {"newMode", octalMode(first.replacement->mode)},
                    {"oldOwner", ownerString(first.old)},
                    {"newOwner", ownerString(*first.replacement)}}}};
    // What the original COPY should set instead (`permdoctor fix` folds them into it).
    if (modeChanged) f.evidence["chmod"] = octalMode(most(modes));
    if (ownerChanged) f.evidence["chown"] = most(owners);
    int orig = *from.begin();
    const std::string& origBy = img.createdBy(orig);
    std::string change = modeChanged && ownerChanged ? "mode and owner"
                         : modeChanged               ? "mode"
                         : ownerChanged              ? "owner"
                                                     : "nothing";
    f.message = layerRef(layer, by) + " re-adds " + std::to_string(items.size()) +
                (items.size() == 1 ? " file" : " files") + " under " + top + " (" +
                humanBytes(bytes) + ") that " + layerRef(orig, origBy) +
                " already holds with the same size and mtime, changing only their " + change +
                " (e.g. " + first.path + " " + octalMode(first.old.mode) + " " +
                ownerString(first.old) + " -> " + octalMode(first.replacement->mode) + " " +
                ownerString(*first.replacement) + "): the image stores those bytes twice";
    std::string flags;
    if (modeChanged) flags += " --chmod=" + octalMode(most(modes));
    if (ownerChanged) flags += " --chown=" + most(owners);
    f.message += flags.empty() ? "; drop the step: it only adds a second copy"
                               : "; set them in the original COPY instead of RUN chmod/chown -R";
    f.fix = flags.empty() ? "drop the step that rewrites " + top + " unchanged"
                          : dockerCopy(flags.substr(1), "<src>", top);
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD307{
    .id = "PD307",
    .severity = Severity::Warning,
    .title = "chmod/chown layer duplicates files it only re-moded",
    .doc = "pd3xx/PD307.md",
    .make = makeRule<PD307>,
};

}  // namespace pd
