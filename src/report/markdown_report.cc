// Markdown: a short summary for a pull-request comment or $GITHUB_STEP_SUMMARY.
#include <algorithm>

#include "report/report.h"

namespace pd {
namespace {

// Text in a table cell, as UTF-8 (other bytes show as \xNN, like control bytes: cmark-gfm ends
// the table at one). CommonMark lets any ASCII punctuation be backslash-escaped, so every
// character it could read as syntax is (a path's __init__ stays literal, <do> is no HTML tag),
// and | so that the cell does not split.
std::string text(const std::string& s) {
  std::string o;
  for (char c : escapeControlAndNonUtf8(s)) {
    if (std::string_view("\\`*_[]<>|~&#!").find(c) != std::string_view::npos) o += '\\';
    o += c;
  }
  return o;
}

// A code span holding `s` whatever backticks it has: fenced by one more backtick than its
// longest run, padded when it starts or ends with one; | escaped, as GFM tables need even there.
// A backslash before a | cannot be written in a code span that every renderer reads alike
// (marked counts the backslashes and splits the cell): an HTML code element of escaped text can.
std::string code(const std::string& s) {
  if (s.find("\\|") != std::string::npos) return "<code>" + text(s) + "</code>";
  std::string body;
  size_t run = 0, longest = 0;
  for (char c : escapeControlAndNonUtf8(s)) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|') body += '\\';
    body += c;
  }
  std::string fence(longest + 1, '`');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// A fix of several Dockerfile lines: a code span per line, as a table cell cannot hold a block.
std::string fix(const std::string& s) {
  std::string out;
  for (std::string_view line : splitNonEmpty(s, '\n'))
    out += (out.empty() ? "" : "<br>") + code(std::string(line));
  return out;
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
    out << "| " << code(imageName(*r.image)) << " | " << profileName(r.result.profile) << " | "
        << c[2] << " | " << c[1] << " | " << c[0] << " |\n";
  }
  for (const auto& r : reports)
    if (!r.image->note.empty())
      out << "\n" << code(imageName(*r.image)) << ": " << text(r.image->note) << "\n";
  for (const auto& r : reports) {
    size_t rows = 0, total = 0;
    for (const auto& f : r.result.findings) total += !f.suppressed;
    if (total == 0) continue;
    out << "\n#### " << code(imageName(*r.image)) << "\n\n| | rule | path | finding | fix |\n"
        << "|---|---|---|---|---|\n";
    for (const auto& f : r.result.findings) {
      if (f.suppressed) continue;
      if (rows++ == kMaxRows) break;
      const char* icon = f.severity == Severity::Error     ? "❌"
                         : f.severity == Severity::Warning ? "⚠️"
                                                           : "ℹ️";
      std::string where = f.path ? code(*f.path) : "";
      if (f.source) where += (where.empty() ? "" : "<br>") + code(sourceLine(f));
      out << "| " << icon << " | " << f.rule << " | " << where << " | " << text(f.message) << " | "
          << fix(f.fix) << " |\n";
    }
    if (total > kMaxRows)
      out << "\n" << total - kMaxRows << " more findings: see the JSON or SARIF report.\n";
  }
}

}  // namespace pd
