// PD413: Lambda: language packages installed into a home directory at build time. `pip install
// --user` as root fills /root/.local/lib/pythonX.Y/site-packages and a user-level npm prefix fills
// /root/.npm-global; the function runs as another user, without that HOME, and can read nothing
// under /root: `No module named 'x'`, `Cannot find module 'x'`.
#include <nlohmann/json.hpp>

#include <map>
#include <regex>

#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {
namespace {

// A package directory's top-level entries are what an import names; metadata is not.
bool isPackageEntry(std::string_view name) {
  auto ends = [&](std::string_view s) {
    return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return !ends(".dist-info") && !ends(".egg-info") && name != "__pycache__" && name != ".bin" &&
         name != ".package-lock.json" && name[0] != '.';
}

class PD413 : public Rule {
 public:
  void check(Context& ctx) const override {
    // The package directory, what installs there and the error the function then gives.
    static const std::regex kPip(R"(/root/\.local/lib/python[0-9.]+/site-packages)");
    static const std::regex kNpm(R"(/root/(\.npm-global/lib/)?node_modules)");
    std::map<std::string, std::vector<std::string>> found;  // dir -> top-level packages
    auto [a, b] = ctx.image.tree.below("/root");
    for (auto it = a; it != b; ++it) {
      std::string dir = parentOf(it->first);
      if (!std::regex_match(dir, kPip) && !std::regex_match(dir, kNpm)) continue;
      std::string_view name = baseName(it->first);
      if (!isPackageEntry(name)) continue;
      if (name.size() > 3 && name.substr(name.size() - 3) == ".py") name.remove_suffix(3);
      auto& list = found[dir];
      if (list.empty() || list.back() != name) list.emplace_back(name);
    }
    for (const auto& [dir, packages] : found) {
      bool pip = dir.find("site-packages") != std::string::npos;
      std::string names;
      for (size_t i = 0; i < packages.size() && i < 5; ++i) names += (i ? ", " : "") + packages[i];
      if (packages.size() > 5) names += ", …";
      Finding f;
      std::vector<std::string> paths;
      for (const auto& p : packages) paths.push_back(dir + "/" + p);
      f.over(dir, paths);
      f.evidence = {{"directory", dir},
                    {"packages", packages},
                    {"installer", pip ? "pip --user" : "npm (user prefix)"}};
      f.message = std::to_string(packages.size()) +
                  (packages.size() == 1 ? " package" : " packages") + " (" + names +
                  ") installed in " + dir +
                  ": the function's user has no access to /root and its " +
                  (pip ? "Python" : "Node") + " never looks there (" +
                  (pip ? "No module named '" + packages.front() + "'"
                       : "Cannot find module '" + packages.front() + "'") +
                  ")";
      f.message += pip ? "; install into the task root, without --user"
                       : "; install in the task root (WORKDIR), not with a prefix under /root";
      f.fix = pip ? "RUN pip install --target \"${LAMBDA_TASK_ROOT}\" -r requirements.txt"
                  : "RUN cd \"${LAMBDA_TASK_ROOT}\" && npm install --omit=dev";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD413{
    .id = "PD413",
    .severity = Severity::Error,
    .title = "Lambda: packages installed under /root, where Lambda never looks",
    .doc = "pd4xx/PD413.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD413>,
};

}  // namespace pd
