// PD410: a layer adds a path whose parent directory it does not carry and no earlier layer has.
// Docker and containerd create the directory silently; Lambda refuses the image at deploy with
// InvalidImage: MissingParentDirectory. Tar, mtree and Bazel rules that list files only do this.
#include <map>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

class PD410 : public Rule {
 public:
  void check(Context& ctx) const override {
    std::map<int, std::vector<const ImpliedDir*>> byLayer;
    for (const ImpliedDir& d : ctx.image.impliedDirs) byLayer[d.layer].push_back(&d);
    for (const auto& [layer, dirs] : byLayer) {
      const ImpliedDir& first = *dirs.front();
      std::vector<std::string> paths;
      for (const ImpliedDir* d : dirs) paths.push_back(d->path);
      Finding f;
      f.over(first.path, paths);
      f.layer = layer;
      std::string by = ctx.image.createdBy(layer);
      f.message = "layer " + std::to_string(layer) + (by.empty() ? "" : " (" + by + ")") +
                  " adds " + first.child + " without an entry for its directory " + first.path +
                  (dirs.size() > 1 ? " (and " + std::to_string(dirs.size() - 1) + " more)" : "") +
                  ", which no earlier layer has: Docker creates it, Lambda refuses the image "
                  "(InvalidImage: MissingParentDirectory: Parent directory does not exist for "
                  "file: " +
                  first.child.substr(1) + ")";
      f.evidence = {{"layer", layer}, {"file", first.child}, {"directories", paths}};
      f.fix =
          "build the layer with an entry for every parent directory (tar without "
          "--no-recursion; pkg_tar/mtree rules: list the directories too), or let a Dockerfile "
          "COPY write it";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD410{
    .id = "PD410",
    .severity = Severity::Error,
    .title = "Lambda: a layer adds a path whose parent directory no layer has",
    .doc = "pd4xx/PD410.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD410>,
};

}  // namespace pd
