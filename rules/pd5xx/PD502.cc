// PD502: layer tar entries whose names (or hardlink / whiteout targets) point outside the
// root. Unpackers disagree on them: Docker refuses the layer, others clamp the name into the
// root, so one image gives different filesystems. One finding per layer.
#include <algorithm>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

// Names from archives need not be printable: show control and non-ASCII bytes as \xNN so
// that a message stays one readable line. Evidence keeps the raw names.
std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char ch : s) {
    if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
      out += static_cast<char>(ch);
    } else {
      out += "\\x";
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

// "/" (or "/./"): an entry for the root directory itself, written absolute. kaniko writes one
// in every layer, and every unpacker applies it to the root: no escape, nothing to report.
// ".." is different: it names the root's parent.
bool namesTheRoot(const std::string& raw) {
  if (raw.empty() || raw[0] != '/') return false;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string::npos) j = raw.size();
    std::string_view part(raw.data() + i, j - i);
    if (!part.empty() && part != ".") return false;
    i = j + 1;
  }
  return true;
}

class PD502 : public Rule {
 public:
  void check(Context& ctx) const override {
    const Image& img = ctx.image;
    std::map<int, std::vector<const Escape*>> byLayer;
    for (const auto& e : img.escapes)
      if (!namesTheRoot(e.rawName)) byLayer[e.layer].push_back(&e);
    for (const auto& [layer, escapes] : byLayer) {
      Finding f;
      f.layer = layer;
      std::vector<std::string> raw, kept;
      std::string shown;
      for (size_t i = 0; i < escapes.size(); ++i) {
        const Escape& e = *escapes[i];
        raw.push_back(e.rawName);
        if (!e.keptAs.empty() && std::find(kept.begin(), kept.end(), e.keptAs) == kept.end())
          kept.push_back(e.keptAs);
        if (i < 5)
          shown += std::string(i ? ", " : "") + "\"" + printable(e.rawName) + "\"" +
                   (e.keptAs.empty() ? " (dropped)" : " (kept as " + printable(e.keptAs) + ")");
      }
      if (escapes.size() > 5) shown += ", and " + std::to_string(escapes.size() - 5) + " more";
      if (!kept.empty()) {
        f.over(kept.front(), kept);
      }
      const std::string& by = img.createdBy(layer);
      f.message = "layer " + std::to_string(layer) +
                  (by.empty() ? "" : " (" + printable(by) + ")") + " has " +
                  std::to_string(escapes.size()) + " tar " +
                  (escapes.size() == 1 ? "entry" : "entries") +
                  " whose name, hardlink or whiteout points outside the image root: " + shown +
                  "; Docker refuses such a layer, other unpackers clamp it into the root";
      f.evidence = {{"layer", layer}, {"count", escapes.size()}, {"rawNames", raw}};
      f.fix =
          "rebuild the layer with a sane builder (COPY, or tar -C rootfs -cf layer.tar .): "
          "relative names under the root, hardlinks to entries of the image";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD502{
    .id = "PD502",
    .severity = Severity::Warning,
    .title = "Layer tar entry escapes the image root",
    .doc = "pd5xx/PD502.md",
    .make = makeRule<PD502>,
};

}  // namespace pd
