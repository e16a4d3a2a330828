// Runs the rule table over an image: profile and identity, the rules, then the catalog's
// "one finding per cause" merging, layer attribution, suppressions and ordering.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engine/finding.h"
#include "engine/identity.h"
#include "engine/rule.h"
#include "engine/rule_table.h"
#include "engine/suppression.h"
#include "fs/capture.h"
#include "fs/image.h"

namespace pd {

struct LintOptions {
  std::string profile = "auto";
  IdentityOverride user;
  Suppressions suppressions;             // --ignore entries and the config file
  std::vector<std::string> ruleOptions;  // "PDnnn.NAME=VALUE", validated by RuleOptions::resolve
  std::string today;                     // YYYY-MM-DD; todayUtc() when empty
};

struct LintResult {
  Profile profile = Profile::Generic;
  bool profileDetected = false;  // chosen by "auto"
  Identity identity;
  std::vector<Finding> findings;  // ordered: severity, rule, path
  std::vector<std::string> notes;
};

// Runs `rules` (the CLI passes ruleTable(); a test may pass a single rule) over `img`.
LintResult lint(const Image& img, std::span<const RuleEntry* const> rules,
                const LintOptions& options);

// The capture policy the rules need from the reader (accounts, secret candidates).
CapturePolicy rulesCapturePolicy();

}  // namespace pd
