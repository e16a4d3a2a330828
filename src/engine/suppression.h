// Suppressions: --ignore ID, and entries of a config file (.permdoctor.json or --config F):
//   {"ignore": [{"rule": "PD401", "path": "/var/task/vendor/**", "reason": "...",
//                "expires": "2027-01-31"}]}
// An expired entry stops suppressing and says so. Suppressed findings stay in the report.
#pragma once

#include <string>
#include <vector>

#include "engine/finding.h"

namespace pd {

struct Suppression {
  std::string rule;
  std::string pathGlob;  // "" = any path
  std::string reason;
  std::string expires;  // "YYYY-MM-DD" or ""
  std::string origin;   // "--ignore" or the file it came from
};

struct Suppressions {
  std::vector<Suppression> entries;
  // Reads a config file; throws UsageError naming the file on any problem.
  static Suppressions load(const std::string& file);
  // Marks matching findings suppressed; returns notes about expired entries.
  std::vector<std::string> apply(std::vector<Finding>& findings, const std::string& today) const;
};

// Today's date as YYYY-MM-DD (UTC).
std::string todayUtc();

}  // namespace pd
