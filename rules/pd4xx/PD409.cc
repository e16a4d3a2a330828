// PD409: Lambda owns some environment variables (handler, region, credentials, runtime API...)
// and sets them itself; baking them into the image is ineffective on Lambda and misleading in
// local tests. The reserved names live in data/lambda_reserved_env.txt.
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include "engine/embedded.h"

#include "engine/rule_table.h"

namespace pd {
namespace {

struct ReservedTable {
  std::set<std::string> names, prefixes, exempt;
  std::map<std::string, std::set<std::string>> allowed;  // NAME -> values the base images set

  static ReservedTable load() {
    ReservedTable t;
    for (const auto& line : dataLines("data/lambda_reserved_env.txt")) {
      if (line[0] == '!')
        t.exempt.insert(line.substr(1));
      else if (auto eq = line.find('='); eq != std::string::npos)
        t.allowed[line.substr(0, eq)].insert(line.substr(eq + 1));
      else if (line.back() == '*')
        t.prefixes.insert(line.substr(0, line.size() - 1));
      else
        t.names.insert(line);
    }
    return t;
  }

  bool reserved(const std::string& name) const {
    if (exempt.count(name)) return false;
    if (names.count(name)) return true;
    for (const auto& p : prefixes)
      if (name.size() > p.size() && name.compare(0, p.size(), p) == 0) return true;
    return false;
  }
};

// Values never shown: credentials and anything that looks like one.
bool secretLooking(const std::string& name) {
  for (const char* w : {"SECRET", "TOKEN", "PASSWORD", "KEY"})
    if (name.find(w) != std::string::npos) return true;
  return false;
}

class PD409 : public Rule {
 public:
  void check(Context& ctx) const override {
    static const ReservedTable table = ReservedTable::load();
    // Env in order of first appearance; the last value wins, as in the runtime.
    std::vector<std::string> order;
    std::map<std::string, std::string> value;
    for (const auto& e : ctx.image.config.env) {
      auto eq = e.find('=');
      std::string name = e.substr(0, eq);
      if (!value.count(name)) order.push_back(name);
      value[name] = eq == std::string::npos ? "" : e.substr(eq + 1);
    }
    for (const auto& name : order) {
      if (!table.reserved(name)) continue;
      const std::string& v = value[name];
      auto ok = table.allowed.find(name);
      if (ok != table.allowed.end() && ok->second.count(v)) continue;
      bool secret = secretLooking(name);
      Finding f;
      f.message = "Env sets " + (secret ? name + " (value not shown)" : name + "=" + v) +
                  ": Lambda reserves this key and sets it itself, so the image's value is "
                  "overridden on Lambda and only applies in local tests";
      if (ok != table.allowed.end())
        f.message += " (the value the AWS base images set, " + name + "=" + *ok->second.begin() +
                     ", would be fine)";
      if (secret) f.message += "; baked-in credentials are also leaked to anyone with the image";
      f.evidence = {{"name", name}};
      if (!secret) f.evidence["value"] = v;
      if (ok != table.allowed.end()) f.evidence["allowed"] = *ok->second.begin();
      f.fix = "remove " + name +
              " from the Dockerfile's ENV; set application settings under your own names";
      ctx.diag(std::move(f));
    }
  }
};

}  // namespace

extern const RuleEntry kPD409{
    .id = "PD409",
    .severity = Severity::Warning,
    .title = "Lambda: image Env sets a key Lambda reserves",
    .doc = "pd4xx/PD409.md",
    .profiles = profiles({Profile::Lambda}),
    .make = makeRule<PD409>,
    .setBy = "ENV",
};

}  // namespace pd
