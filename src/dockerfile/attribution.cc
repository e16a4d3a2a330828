#include "dockerfile/attribution.h"

#include <set>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/rule_table.h"

namespace pd {

SourceLocation locationOf(const Dockerfile& df, const Instruction& ins) {
  SourceLocation s;
  s.file = df.path;
  s.line = ins.line;
  s.endLine = ins.endLine;
  s.instruction = ins.text;
  if (ins.stage >= 0) {
    const Stage& st = df.stages[static_cast<size_t>(ins.stage)];
    s.stage = st.name.empty() ? std::to_string(st.index) : st.name;
  }
  if (auto from = ins.flag("from")) s.fromStage = *from;
  return s;
}

namespace {

// Whether an ENV instruction sets `name` (`ENV A=1 B=2`, or the old `ENV A 1`).
bool setsVariable(const Instruction& ins, const std::string& name) {
  if (ins.args.empty()) return false;
  if (ins.args[0].find('=') == std::string::npos) return ins.args[0] == name;
  for (const auto& a : ins.args)
    if (a.rfind(name + "=", 0) == 0) return true;
  return false;
}

// The last instruction of the final stage that sets what a config finding is about.
const Instruction* setter(const Dockerfile& df, const SourceMap& map, const Finding& f,
                          std::string_view setBy) {
  const Stage& st = df.stages[static_cast<size_t>(map.finalStage)];
  std::string variable;
  const nlohmann::json& ev = f.evidence.json();
  if (setBy == "ENV" && ev.is_object() && ev.contains("name") && ev["name"].is_string())
    variable = ev["name"].get<std::string>();
  for (size_t k = st.end; k-- > st.from + 1;) {
    const Instruction& ins = df.instructions[k];
    bool wanted = false;
    for (std::string_view kw : splitNonEmpty(setBy, ' ')) wanted = wanted || ins.keyword == kw;
    if (!wanted) continue;
    if (setBy == "ENV" && !setsVariable(ins, variable)) continue;
    return &ins;
  }
  return nullptr;
}

// The layer that set `path`'s mode and owner: from the last writer back, through the layers
// whose copy a later one replaced with the same mode and owner (the bits came from the first).
int modeCause(const Image& img, const std::string& path, int layer) {
  const Node* n = img.tree.find(path);
  if (!n) return layer;
  for (bool moved = true; moved;) {
    moved = false;
    for (const Removed& r : img.removed)
      if (r.path == path && r.byLayer == layer && !r.deleted && r.old.mode == n->mode &&
          r.old.uid == n->uid && r.old.gid == n->gid && r.old.type == n->type) {
        layer = r.layer;
        moved = true;
        break;
      }
  }
  return layer;
}

}  // namespace

void attributeToBase(std::vector<Finding>& findings, const Image& img, const Image& base) {
  std::set<std::string> ids;
  for (const auto& l : base.layers) ids.insert(l.diffId);
  for (Finding& f : findings)
    if (f.origin.empty() && f.layer >= 0 && static_cast<size_t>(f.layer) < img.layers.size())
      f.origin = ids.count(img.layers[static_cast<size_t>(f.layer)].diffId) ? "base" : "image";
}

SourceMap matchDockerfile(const Dockerfile& df, const Image& img) {
  SourceMap m = mapHistory(df, img.config.history);
  if (m.matched && m.byLayer.size() != img.layers.size()) {
    m = SourceMap{};
    m.why = "the image's history does not list one entry per layer";
  }
  return m;
}

void attributeFindings(std::vector<Finding>& findings, const Dockerfile& df, const SourceMap& map,
                       const Image& img) {
  if (!map.matched) return;
  for (Finding& f : findings) {
    const Instruction* ins = nullptr;
    const RuleEntry* rule = findRule(f.rule);
    int layer = f.layer;
    if (layer >= 0 && f.path && rule && rule->aboutMode) layer = modeCause(img, *f.path, layer);
    if (layer >= 0 && static_cast<size_t>(layer) < map.byLayer.size()) {
      ins = map.byLayer[static_cast<size_t>(layer)];
      f.origin = map.baseLayer[static_cast<size_t>(layer)] ? "base" : "image";
    } else if (const nlohmann::json& ev = f.evidence.json();
               ev.is_object() && ev.contains("history") && ev["history"].is_number_integer()) {
      // A config value whose history entry the rule found (PD305's ENV).
      long h = ev["history"].get<long>();
      if (h >= 0 && static_cast<size_t>(h) < map.byHistory.size()) {
        ins = map.byHistory[static_cast<size_t>(h)];
        f.origin = ins ? "image" : "base";
      }
    }
    // A finding about a config value the Dockerfile sets is the Dockerfile's own, even when the
    // file it names came from the base image (USER appuser with the base's /etc/passwd).
    if (!ins || f.origin == "base")
      if (rule && !rule->setBy.empty())
        if (const Instruction* set = setter(df, map, f, rule->setBy)) {
          ins = set;
          f.origin = "image";
        }
    if (ins) f.source = locationOf(df, *ins);
  }
}

}  // namespace pd
