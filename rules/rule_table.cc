// The rule table: the one place rules are registered. Adding a rule = its source file and doc
// page under rules/pdNxx/, fixtures under fixtures/images/, and one row here.
#include "engine/rule_table.h"

#include "rules/rules.h"

namespace pd {

namespace {
using S = Severity;
const RuleEntry kRules[] = {
    // PD1xx: file modes on the run path
    {"PD101", S::Error, "The program the container starts does not exist", "pd1xx/PD101.md",
     makePD101},
    {"PD102", S::Error, "The runtime user cannot execute the start program", "pd1xx/PD102.md",
     makePD102},
    // PD2xx: the USER
    {"PD201", S::Warning, "The container runs as root", "pd2xx/PD201.md", makePD201},
    {"PD202", S::Error, "USER names a user or group the image does not define", "pd2xx/PD202.md",
     makePD202},
    // PD3xx: leftovers
    // PD4xx: AWS Lambda
    {"PD401", S::Error, "Lambda cannot read a file or traverse a directory of the function",
     "pd4xx/PD401.md", makePD401},
    // PD5xx: image format
};
}  // namespace

std::span<const RuleEntry> ruleTable() {
  return kRules;
}

const RuleEntry* findRule(std::string_view id) {
  for (const auto& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace pd
