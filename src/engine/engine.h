// Runs the rule table over an image: profile and identity, the rules, then the catalog's
// "one finding per cause" merging, layer attribution, suppressions and ordering.
#pragma once

#include <string>
#include <vector>

#include "engine/finding.h"
#include "engine/identity.h"
#include "engine/rule.h"
#include "engine/suppression.h"
#include "fs/capture.h"
#include "fs/image.h"

namespace pd {

struct LintOptions {
  std::string profile = "auto";
  IdentityOverride user;
  Suppressions suppressions;  // --ignore entries and the config file
  RuleOptions rules;
  std::string today;  // YYYY-MM-DD; todayUtc() when empty
};

struct LintResult {
  Profile profile = Profile::Generic;
  bool profileDetected = false;  // chosen by "auto"
  Identity identity;
  std::vector<Finding> findings;  // ordered: severity, rule, path
  std::vector<std::string> notes;
};

LintResult lint(const Image& img, const LintOptions& options);

// The capture policy the rules need from the reader (accounts, secret candidates).
CapturePolicy rulesCapturePolicy();

}  // namespace pd
