// `permdoctor rules` and `permdoctor explain ID`.
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/error.h"
#include "engine/embedded.h"
#include "engine/rule_table.h"

namespace pd {

namespace {

// The rule table for tools (schemaVersion 1): what `rules` prints, plus profiles, supersession,
// options and the retired IDs.
nlohmann::json rulesJson() {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleEntry* r : ruleTable()) {
    nlohmann::json profiles = nlohmann::json::array();
    for (Profile p : {Profile::Generic, Profile::Lambda, Profile::Kubernetes, Profile::OpenShift})
      if (runsIn(r->profiles, p)) profiles.push_back(profileName(p));
    nlohmann::json options = nlohmann::json::array();
    for (const RuleOption& o : r->options)
      options.push_back({{"name", std::string(r->id) + "." + std::string(o.name)},
                         {"kind", ruleOptionKindName(o.kind)},
                         {"default", o.defaultValue},
                         {"help", o.help}});
    rules.push_back({{"id", r->id},
                     {"severity", severityName(r->severity)},
                     {"title", r->title},
                     {"profiles", profiles},
                     {"supersedes", r->supersedes.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(r->supersedes)},
                     {"options", options}});
  }
  nlohmann::json retired = nlohmann::json::array();
  for (const RetiredRule& r : retiredRules()) retired.push_back({{"id", r.id}, {"why", r.why}});
  return {{"schemaVersion", 1}, {"rules", rules}, {"retired", retired}};
}

}  // namespace

CommandRun setupRules(CLI::App& sub) {
  auto format = std::make_shared<std::string>("text");
  sub.add_option("--format", *format, "text (default) or json (with profiles and options)")
      ->capture_default_str();
  return [format] {
    if (*format == "json") {
      std::cout << rulesJson().dump(2) << "\n";
      return 0;
    }
    if (*format != "text") throw UsageError("--format " + *format + ": expected text or json");
    for (const RuleEntry* r : ruleTable()) {
      std::printf("%.*s  %-7s  %.*s\n", static_cast<int>(r->id.size()), r->id.data(),
                  severityName(r->severity), static_cast<int>(r->title.size()), r->title.data());
    }
    return 0;
  };
}

CommandRun setupExplain(CLI::App& sub) {
  auto id = std::make_shared<std::string>();
  sub.add_option("rule", *id, "Rule ID, e.g. PD401")->required();
  return [id] {
    const RuleEntry* r = findRule(*id);
    if (const RetiredRule* gone = r ? nullptr : findRetired(*id)) {
      std::cout << gone->why << "\n";
      return 0;
    }
    if (!r) throw UsageError("explain " + *id + ": no such rule (see permdoctor rules)");
    std::string_view doc = embeddedFile(r->doc);
    if (doc.empty()) throw UsageError("explain " + *id + ": no documentation page");
    std::cout << doc;
    return 0;
  };
}

}  // namespace pd
