// JUnit XML: one testsuite per image; one testcase per failing finding (at or above --fail-on),
// one per rule that passed (other findings as its output), and a skipped one per rule that does
// not apply to the profile.
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
  for (size_t k = 0; k < reports.size(); ++k) {
    const ImageReport& r = reports[k];
    // Two images of one name (untagged archives, one image twice) would merge in a dashboard.
    std::string suite = imageName(*r.image);
    for (size_t j = 0; j < reports.size(); ++j)
      if (j != k && imageName(*reports[j].image) == suite) {
        suite += " (image " + std::to_string(k + 1) + ", " + r.image->source + ")";
        break;
      }
    size_t failures = 0, tests = 0, skipped = 0;
    std::string body;
    auto testcase = [&](const std::string& name) {
      ++tests;
      return "    <testcase classname=\"" + xmlEscape(suite) + "\" name=\"" + xmlEscape(name) +
             "\"";
    };
    std::vector<std::string> repeats = findingRepeats(r.result.findings);
    auto describe = [](const Finding& f, const std::string& repeat) {
      std::string d = severityName(f.severity) + std::string(" ") + f.rule + " " +
                      findingSubject(f, repeat) + "\n  " + f.message + "\n";
      if (f.source) d += "  " + sourceLine(f) + "\n";
      if (!f.fix.empty()) d += "  fix: " + f.fix + "\n";
      return d;
    };
    for (const RuleEntry* rule : ruleTable()) {
      std::string title = std::string(rule->id) + " " + std::string(rule->title);
      if (!runsIn(rule->profiles, r.result.profile)) {
        // A rule that cannot apply to this profile was not run: skipped, not passed.
        ++skipped;
        body += testcase(title) + ">\n      <skipped message=\"" +
                xmlEscape(std::string("does not apply to the ") + profileName(r.result.profile) +
                          " profile") +
                "\"/>\n    </testcase>\n";
        continue;
      }
      // Each failing finding is a test case of its own, so a dashboard counts and tracks each;
      // findings below --fail-on ride along as output of the rule's passing test case.
      std::string quiet;
      bool failed = false;
      for (size_t i = 0; i < r.result.findings.size(); ++i) {
        const Finding& f = r.result.findings[i];
        if (f.rule != rule->id || f.suppressed) continue;
        if (style.failNever || f.severity < style.failOn) {
          quiet += describe(f, repeats[i]);
          continue;
        }
        failed = true;
        ++failures;
        body += testcase(title + ": " + findingSubject(f, repeats[i])) +
                ">\n      <failure type=\"" + severityName(f.severity) + "\" message=\"" +
                xmlEscape(f.message) + "\">" + xmlEscape(describe(f, repeats[i])) +
                "</failure>\n    </testcase>\n";
      }
      if (failed && quiet.empty()) continue;
      body += testcase(title);
      if (quiet.empty()) {
        body += "/>\n";
      } else {
        body += ">\n      <system-out>" + xmlEscape(quiet) + "</system-out>\n    </testcase>\n";
      }
    }
    out << "  <testsuite name=\"" << xmlEscape(suite) << "\" tests=\"" << tests << "\" failures=\""
        << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
    // What the reader chose (one image of several, a platform of an index) goes with the suite.
    if (!r.image->note.empty())
      out << "    <properties>\n      <property name=\"note\" value=\"" << xmlEscape(r.image->note)
          << "\"/>\n    </properties>\n";
    out << body << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace pd
