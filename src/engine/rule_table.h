// The rule table: every rule, registered explicitly in one place (rules/rule_table.cc).
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "engine/finding.h"
#include "engine/rule.h"

namespace pd {

struct RuleEntry {
  std::string_view id;     // "PD101"; never changes meaning once shipped
  Severity severity;       // default severity
  std::string_view title;  // one line
  std::string_view doc;    // doc page, relative to rules/ ("pd1xx/PD101.md")
  std::unique_ptr<Rule> (*make)();
};

std::span<const RuleEntry> ruleTable();
const RuleEntry* findRule(std::string_view id);

}  // namespace pd
