// `permdoctor rules` and `permdoctor explain ID`.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "engine/embedded.h"
#include "engine/rule_table.h"

namespace pd {

CommandRun setupRules(CLI::App& sub) {
  (void)sub;
  return [] {
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
