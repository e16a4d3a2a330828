// PD412: Lambda starts the image's ENTRYPOINT itself and wants it absolute and non-empty
// (FunctionError.InvalidEntryPoint), where Docker would resolve a relative one against WORKDIR
// and PATH, or run CMD alone.
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"

namespace pd {
namespace {

// ["a", "b"] as a Dockerfile's JSON form writes it.
std::string execForm(const std::vector<std::string>& argv) {
  std::string s = "[";
  for (size_t i = 0; i < argv.size(); ++i) s += (i ? ", " : "") + nlohmann::json(argv[i]).dump();
  return s + "]";
}

class PD412 : public Rule {
 public:
  void check(Context& ctx) const override {
    const ImageConfig& c = ctx.image.config;
    const std::vector<std::string>& ep = c.entrypoint;
    if (!ep.empty() && !ep[0].empty() && ep[0][0] == '/') return;
    const StartProgram& sp = ctx.startProgram();
    Finding f;
    std::vector<std::string> fixed = ep.empty() ? c.cmd : ep;
    bool resolved = !sp.path.empty() && !sp.shellForm && !fixed.empty() &&
                    ctx.image.tree.find(sp.path) != nullptr;
    if (resolved) fixed[0] = sp.path;
    if (ep.empty() || ep[0].empty()) {
      f.message = std::string("the image has no ENTRYPOINT") +
                  (c.cmd.empty() ? "" : " (Docker would run CMD " + execForm(c.cmd) + ")") +
                  ": Lambda wants an absolute entrypoint path and refuses the function with "
                  "FunctionError.InvalidEntryPoint";
    } else {
      f.message = "ENTRYPOINT \"" + ep[0] + "\" is not an absolute path" +
                  (resolved ? " (Docker finds " + sp.path + ")" : std::string()) +
                  ": Lambda wants an absolute entrypoint path and refuses the function with "
                  "FunctionError.InvalidEntryPoint";
    }
    f.evidence = {{"entrypoint", ep}, {"cmd", c.cmd}};
    if (resolved) f.evidence["resolved"] = sp.path;
    f.fix = resolved
                ? "ENTRYPOINT " + execForm(ep.empty() ? std::vector<std::string>{sp.path} : fixed) +
                      (ep.empty() && c.cmd.size() > 1
                           ? " and CMD " + execForm({c.cmd.begin() + 1, c.cmd.end()})
                           : "")
                : "ENTRYPOINT [\"/absolute/path/to/program\"]";
    ctx.diag(std::move(f));
  }
};

}  // namespace

extern const RuleEntry kPD412{
    .id = "PD412",
    .severity = Severity::Warning,
    .title = "Lambda: ENTRYPOINT is empty or not an absolute path",
    .doc = "pd4xx/PD412.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD412>,
    .setBy = "ENTRYPOINT CMD",
};

}  // namespace pd
