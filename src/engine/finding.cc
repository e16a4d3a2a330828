#include "engine/finding.h"

namespace pd {

const char* severityName(Severity s) {
  switch (s) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "?";
}

bool parseSeverity(const std::string& s, Severity& out) {
  if (s == "info")
    out = Severity::Info;
  else if (s == "warning")
    out = Severity::Warning;
  else if (s == "error")
    out = Severity::Error;
  else
    return false;
  return true;
}

}  // namespace pd
