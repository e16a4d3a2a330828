// GitLab code quality (the Code Climate subset GitLab reads): one issue per finding.
#include "report/report.h"

namespace pd {

void writeGitlab(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& r : reports) {
    for (const auto& f : r.result.findings) {
      if (f.suppressed) continue;
      const char* sev = f.severity == Severity::Error     ? "critical"
                        : f.severity == Severity::Warning ? "major"
                                                          : "info";
      std::string desc = f.rule + " " + f.title + ": " + f.message;
      if (!f.fix.empty()) desc += " Fix: " + f.fix;
      issues.push_back(
          {{"type", "issue"},
           {"description", desc},
           {"check_name", f.rule},
           {"fingerprint", findingFingerprint(*r.image, f)},
           {"severity", sev},
           {"categories", {"Security"}},
           {"location",
            {{"path", f.path ? f.path->substr(1) : r.image->source}, {"lines", {{"begin", 1}}}}}});
    }
  }
  out << issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pd
