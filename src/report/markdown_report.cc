// Markdown: a short summary for a pull-request comment or $GITHUB_STEP_SUMMARY.
#include "report/report.h"

namespace pd {
namespace {

std::string cell(const std::string& s) {
  std::string o;
  for (char c : escapeControl(s)) {
    if (c == '|')
      o += "\\|";
    else
      o += c;
  }
  return o;
}

constexpr size_t kMaxRows = 50;  // a PR comment is no place for a full listing

}  // namespace

void writeMarkdown(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  out << "### permdoctor\n\n| image | profile | errors | warnings | info "
         "|\n|---|---|---:|---:|---:|\n";
  for (const auto& r : reports) {
    int c[3] = {0, 0, 0};
    for (const auto& f : r.result.findings)
      if (!f.suppressed) ++c[static_cast<int>(f.severity)];
    out << "| `" << cell(imageName(*r.image)) << "` | " << profileName(r.result.profile) << " | "
        << c[2] << " | " << c[1] << " | " << c[0] << " |\n";
  }
  for (const auto& r : reports) {
    size_t rows = 0, total = 0;
    for (const auto& f : r.result.findings) total += !f.suppressed;
    if (total == 0) continue;
    out << "\n#### `" << cell(imageName(*r.image)) << "`\n\n| | rule | path | finding | fix |\n"
        << "|---|---|---|---|---|\n";
    for (const auto& f : r.result.findings) {
      if (f.suppressed) continue;
      if (rows++ == kMaxRows) break;
      const char* icon = f.severity == Severity::Error     ? "❌"
                         : f.severity == Severity::Warning ? "⚠️"
                                                           : "ℹ️";
      out << "| " << icon << " | " << f.rule << " | " << (f.path ? "`" + cell(*f.path) + "`" : "")
          << " | " << cell(f.message) << " | " << (f.fix.empty() ? "" : "`" + cell(f.fix) + "`")
          << " |\n";
    }
    if (total > kMaxRows)
      out << "\n" << total - kMaxRows << " more findings: see the JSON or SARIF report.\n";
  }
}

}  // namespace pd
