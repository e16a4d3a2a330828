// PD301: build toolchains (compilers, make, go, cargo, javac) left in the final image.
#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>
#include "engine/embedded.h"

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

struct Table {
  std::vector<std::string> tools;  // in order of relevance
  std::set<std::string> arches;    // first part of a target triplet
};

Table loadTable() {
  Table t;
  for (const auto& line : dataLines("data/toolchains.txt")) {
    if (line.rfind("arch ", 0) == 0)
      t.arches.insert(line.substr(5));
    else
      t.tools.push_back(line);
  }
  return t;
}

bool isVersion(std::string_view v) {
  if (v.empty() || !isdigit(static_cast<unsigned char>(v.front())) || v.back() == '.') return false;
  return v.find_first_not_of("0123456789.") == std::string_view::npos;
}

// "gcc", "gcc-12", "x86_64-linux-gnu-gcc-12", "go1.22" match the tool "gcc"/"go"; "libgcc",
// "gcc-ar" and "c++filt" do not.
bool matchesTool(std::string_view name, const std::string& tool,
                 const std::set<std::string>& arches) {
  for (size_t pos = name.find(tool); pos != std::string_view::npos;
       pos = name.find(tool, pos + 1)) {
    std::string_view prefix = name.substr(0, pos), suffix = name.substr(pos + tool.size());
    if (!prefix.empty()) {
      if (prefix.back() != '-') continue;
      size_t dash = prefix.find('-');
      if (!arches.count(std::string(prefix.substr(0, dash)))) continue;
    }
    if (suffix.empty()) return true;
    if (suffix.front() == '-' && isVersion(suffix.substr(1))) return true;
    // "go1.22" (golang.org/dl wrappers): a dotted version right after the name.
    if (suffix.find('.') != std::string_view::npos && isVersion(suffix)) return true;
  }
  return false;
}

class PD301 : public Rule {
 public:
  void check(Context& ctx) const override {
    static const Table table = loadTable();
    struct Hit {
      std::string path;
      size_t tool;
      bool inBin;
    };
    std::vector<Hit> hits;
    for (const auto& [path, n] : ctx.image.tree.nodes()) {
      if (n.type != FileType::Regular && n.type != FileType::Symlink) continue;
      std::string_view base = baseName(path);
      size_t tool = table.tools.size();
      for (size_t i = 0; i < table.tools.size() && tool == table.tools.size(); ++i)
        if (matchesTool(base, table.tools[i], table.arches)) tool = i;
      if (tool == table.tools.size()) continue;
      const Meta* m = &n;
      if (n.type == FileType::Symlink) {
        Resolved r = ctx.access.resolve(path);
        m = r.ok() ? r.node : nullptr;
      }
      if (!m || m->type != FileType::Regular || !isExecutableBySomeone(*m)) continue;
      hits.push_back({path, tool, baseName(parentOf(path)) == "bin"});
    }
    if (hits.empty()) return;

    // Name the compiler driver in a bin directory rather than a helper deep under /usr/lib.
    const Hit& top = *std::min_element(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return std::make_tuple(!a.inBin, a.tool, a.path) < std::make_tuple(!b.inBin, b.tool, b.path);
    });
    std::set<size_t> toolIdx;
    std::set<int> layers;
    Finding f;
    std::vector<std::string> paths;
    for (const auto& h : hits) {
      paths.push_back(h.path);
      toolIdx.insert(h.tool);
      layers.insert(ctx.layerOf(h.path));
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::find(paths.begin(), paths.end(), top.path));
    paths.insert(paths.begin(), top.path);  // `path` first
    f.over(top.path, std::move(paths));
    std::vector<std::string> tools;
    std::string list;
    for (size_t i : toolIdx) {
      tools.push_back(table.tools[i]);
      list += (list.empty() ? "" : ", ") + table.tools[i];
    }
    int layer = ctx.layerOf(top.path);
    f.layer = layer;
    f.evidence = {{"tools", tools},
                  {"count", hits.size()},
                  {"layers", std::vector<int>(layers.begin(), layers.end())}};
    f.message = "build tools in the final image: " + list + " (" + std::to_string(hits.size()) +
                (hits.size() == 1 ? " executable" : " executables") + ", e.g. " + top.path +
                " from layer " + std::to_string(layer) +
                "); the service does not need them at run time";
    f.message += "; build in a stage of its own and copy only the artefacts";
    f.fix =
        "FROM <toolchain image> AS build\nRUN <build into /out>\nFROM <runtime base>\n"
        "COPY --from=build /out/<app> /usr/local/bin/<app>";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD301{
    .id = "PD301",
    .severity = Severity::Warning,
    .title = "Build toolchain left in the final image",
    .doc = "pd3xx/PD301.md",
    .make = makeRule<PD301>,
};

}  // namespace pd
