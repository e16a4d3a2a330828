// A finding: what a rule reports through Context::diag().
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pd {

enum class Severity { Info = 0, Warning = 1, Error = 2 };
const char* severityName(Severity s);
// Parses "info" / "warning" / "error"; false when not one of them.
bool parseSeverity(const std::string& s, Severity& out);

struct Finding {
  // Filled by the engine from the rule table; a rule leaves them alone.
  std::string rule;
  Severity severity = Severity::Info;
  std::string title;
  std::string message;
  std::optional<std::string> path;  // image path, or none for image-wide findings
  std::vector<std::string> paths;   // every path with this cause (path first); [path] if single
  int layer = -1;  // layer that last wrote `path`; the engine fills it from the tree when -1
  nlohmann::json evidence = nlohmann::json::object();
  std::string fix;
  bool suppressed = false;
  std::string suppressedBy;  // "--ignore" or the config entry's reason
};

}  // namespace pd
