// GitLab code quality (the Code Climate subset GitLab reads): one issue per finding.
#include "report/report.h"

namespace pd {
namespace {

// The Dockerfile line when the finding has one; else the path in the image, or the image.
nlohmann::json location(const Image& img, const Finding& f) {
  if (f.source)
    return {{"path", repositoryPath(f.source->file)},
            {"lines", {{"begin", f.source->line}, {"end", f.source->endLine}}}};
  return {{"path", f.path ? pathFromImageRoot(*f.path) : imageLocation(img)},
          {"lines", {{"begin", 1}}}};
}

}  // namespace

void writeGitlab(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  nlohmann::json issues = nlohmann::json::array();
  std::vector<std::string> keys = imageKeys(reports);
  for (size_t k = 0; k < reports.size(); ++k) {
    const ImageReport& r = reports[k];
    std::vector<std::string> repeats = findingRepeats(r.result.findings);
    for (size_t i = 0; i < r.result.findings.size(); ++i) {
      const Finding& f = r.result.findings[i];
      if (f.suppressed) continue;
      const char* sev = f.severity == Severity::Error     ? "critical"
                        : f.severity == Severity::Warning ? "major"
                                                          : "info";
      std::string desc = f.rule + " " + f.title + ": " + f.message;
      if (!f.fix.empty()) desc += " Fix: " + f.fix;
      issues.push_back({{"type", "issue"},
                        {"description", desc},
                        {"check_name", f.rule},
                        {"fingerprint", findingFingerprint(keys[k], f, repeats[i])},
                        {"severity", sev},
                        {"categories", {"Security"}},
                        {"location", location(*r.image, f)}});
    }
  }
  out << issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pd
