// PD504: a layer tar entry no runtime can extract: a name longer than PATH_MAX, a component
// longer than NAME_MAX, or a link target too long for the kernel. Pulling the image fails with
// "file name too long". The reader keeps such entries out of the tree, so the rest of the image
// is still linted; this rule says what was left out. One finding per layer.
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"

namespace pd {
namespace {

const char* whyText(Unextractable::Why w) {
  switch (w) {
    case Unextractable::Why::Name:
      return "a name longer than PATH_MAX (4096 bytes)";
    case Unextractable::Why::Component:
      return "a path component longer than NAME_MAX (255 bytes)";
    case Unextractable::Why::SymlinkTarget:
      return "a symlink target longer than PATH_MAX";
    case Unextractable::Why::HardlinkTarget:
      return "a hardlink target longer than PATH_MAX";
  }
  return "";
}

const char* whyKey(Unextractable::Why w) {
  switch (w) {
    case Unextractable::Why::Name:
      return "name";
    case Unextractable::Why::Component:
      return "component";
    case Unextractable::Why::SymlinkTarget:
      return "symlinkTarget";
    case Unextractable::Why::HardlinkTarget:
      return "hardlinkTarget";
  }
  return "";
}

class PD504 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    for (const LayerInfo& layer : img.layers) {
      if (layer.unextractable == 0) continue;
      const Unextractable* first = nullptr;
      nlohmann::json entries = nlohmann::json::array();
      for (const Unextractable& u : img.unextractable) {
        if (u.layer != layer.index) continue;
        if (!first) first = &u;
        entries.push_back({{"nameHead", u.head}, {"bytes", u.bytes}, {"reason", whyKey(u.why)}});
      }
      if (!first) continue;
      const bool cut = first->head.size() >= Unextractable::kHeadBytes;
      const std::string& by = img.createdBy(layer.index);
      Finding f;
      f.layer = layer.index;
      f.message = "layer " + std::to_string(layer.index) +
                  (by.empty() ? "" : " (" + escapeControl(by) + ")") + " has " +
                  std::to_string(layer.unextractable) + " tar " +
                  (layer.unextractable == 1 ? "entry" : "entries") + " no runtime can extract: \"" +
                  escapeControl(first->head) + (cut ? "…" : "") + "\" has " + whyText(first->why) +
                  " (" + std::to_string(first->bytes) +
                  " bytes); pulling the image fails with \"file name too long\". The entry is "
                  "left out of what permdoctor checks";
      f.evidence = {
          {"layer", layer.index}, {"count", layer.unextractable}, {"entries", std::move(entries)}};
      f.fix =
          "rebuild without the over-long path: shorten the names the build writes (deep "
          "node_modules or generated trees are the usual cause)";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD504{
    .id = "PD504",
    .severity = Severity::Error,
    .title = "A layer tar entry no runtime can extract (name too long)",
    .doc = "pd5xx/PD504.md",
    .make = makeRule<PD504>,
};

}  // namespace pd
