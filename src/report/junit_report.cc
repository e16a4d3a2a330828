// JUnit XML: one testsuite per image, one testcase per rule; a testcase fails when it has
// findings at or above --fail-on, and its failure carries them.
#include "engine/rule_table.h"
#include "report/report.h"

namespace pd {
namespace {

std::string xmlEscape(const std::string& s) {
  std::string o;
  // The document says UTF-8: names that are not keep their ASCII and show '?' for the rest.
  bool ascii = !validUtf8(s);
  for (unsigned char c : s) {
    if (ascii && c >= 0x80) {
      o += '?';
      continue;
    }
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters even as references.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          o += "?";
        else
          o += static_cast<char>(c);
    }
  }
  return o;
}

}  // namespace

void writeJunit(std::ostream& out, const std::vector<ImageReport>& reports,
                const ReportStyle& style) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"permdoctor\">\n";
  for (const auto& r : reports) {
    std::string suite = imageName(*r.image);
    size_t failures = 0, tests = 0;
    std::string body;
    for (const RuleEntry* rule : ruleTable()) {
      ++tests;
      std::string details, worst;
      bool fails = false;
      for (const auto& f : r.result.findings) {
        if (f.rule != rule->id || f.suppressed) continue;
        details += severityName(f.severity) + std::string(" ") + f.rule + " " +
                   f.path.value_or("(image)") + "\n  " + f.message + "\n";
        if (!f.fix.empty()) details += "  fix: " + f.fix + "\n";
        if (!style.failNever && f.severity >= style.failOn) fails = true;
        if (worst.empty() || f.severity == Severity::Error) worst = severityName(f.severity);
      }
      body += "    <testcase classname=\"" + xmlEscape(suite) + "\" name=\"" +
              xmlEscape(std::string(rule->id) + " " + std::string(rule->title)) + "\"";
      if (details.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      if (fails) {
        ++failures;
        body += "      <failure type=\"" + worst + "\" message=\"" +
                xmlEscape(std::string(rule->title)) + "\">" + xmlEscape(details) + "</failure>\n";
      } else {
        body += "      <system-out>" + xmlEscape(details) + "</system-out>\n";
      }
      body += "    </testcase>\n";
    }
    out << "  <testsuite name=\"" << xmlEscape(suite) << "\" tests=\"" << tests << "\" failures=\""
        << failures << "\" errors=\"0\">\n"
        << body << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace pd
