#include <algorithm>

#include "report/manifest_facts.h"
#include "report/report.h"

namespace pd {
namespace {

struct Paint {
  bool on;
  std::string operator()(const char* code, const std::string& s) const {
    return on ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
  }
};

const char* colourOf(Severity s) {
  return s == Severity::Error ? "1;31" : s == Severity::Warning ? "1;33" : "1;36";
}

std::string shortDigest(const std::string& d) {
  return d.size() > 19 ? d.substr(0, 19) : d;
}

// Every string that can quote the image (names, history, user names) goes through
// escapeControl: a hostile image must not drive the reader's terminal.
void writeOne(std::ostream& out, const ImageReport& r, const Paint& paint) {
  const Image& img = *r.image;
  const LintResult& res = r.result;
  std::string platform = img.config.os + "/" + img.config.architecture +
                         (img.config.variant.empty() ? "" : "/" + img.config.variant);
  out << paint("1", escapeControl(img.source)) << "  " << img.format << ", " << platform << ", "
      << img.layers.size() << " layers, " << img.tree.size() << " paths";
  if (!img.references.empty() && img.references.front() != img.source)
    out << ", " << escapeControl(img.references.front());
  out << "\n";
  if (!img.repoDigest.empty()) out << "  deploy by: " << escapeControl(img.repoDigest) << "\n";
  out << "  manifest: " << escapeControl(manifestSummary(img)) << "\n";
  if (!img.note.empty()) out << "  note: " << escapeControl(img.note) << "\n";
  out << "  profile " << profileName(res.profile) << (res.profileDetected ? " (detected)" : "")
      << "; runs as " << escapeControl(res.identity.description) << "\n";
  if (r.dockerfile.matched)
    out << "  Dockerfile: " << escapeControl(r.dockerfile.path)
        << (r.dockerfile.found ? " (found in the current directory)" : "") << "\n";
  if (std::string n = dockerfileNote(r.dockerfile); !n.empty())
    out << "  note: " << escapeControl(n) << "\n";
  for (const auto& n : res.notes) out << "  note: " << escapeControl(n) << "\n";

  int counts[3] = {0, 0, 0}, suppressed = 0;
  for (int sev = 2; sev >= 0; --sev) {
    bool header = false;
    for (const auto& f : res.findings) {
      if (static_cast<int>(f.severity) != sev || f.suppressed) continue;
      ++counts[sev];
      if (!header) {
        std::string h = sev == 2 ? "errors" : sev == 1 ? "warnings" : "info";
        out << "\n" << paint(colourOf(f.severity), h) << "\n";
        header = true;
      }
      out << "  " << paint(colourOf(f.severity), f.rule) << " " << paint("1", f.title);
      if (f.path) out << "  " << escapeControl(*f.path);
      out << "\n    " << escapeControl(f.message) << "\n";
      if (f.paths.size() > 1) {
        size_t show = std::min<size_t>(f.paths.size(), 5);
        out << "    paths (" << f.paths.size() << "):";
        for (size_t i = 0; i < show; ++i) out << " " << escapeControl(f.paths[i]);
        if (show < f.paths.size()) out << " …";
        out << "\n";
      }
      if (f.layer >= 0 && static_cast<size_t>(f.layer) < img.layers.size()) {
        const LayerInfo& l = img.layers[f.layer];
        out << "    layer " << l.index << " " << shortDigest(l.digest);
        if (!l.createdBy.empty()) out << "  " << escapeControl(l.createdBy);
        out << "\n";
      }
      if (f.source) out << "    " << paint("1", escapeControl(sourceLine(f))) << "\n";
      // A fix of several Dockerfile lines: one per line, aligned, to paste as they are.
      if (!f.fix.empty()) {
        out << "    " << paint("32", "fix:");
        bool first = true;
        for (std::string_view line : splitNonEmpty(f.fix, '\n')) {
          out << (first ? " " : "\n         ") << escapeControl(line);
          first = false;
        }
        out << "\n";
      }
    }
  }
  for (const auto& f : res.findings) suppressed += f.suppressed;
  auto plural = [](int n, const char* w) {
    return std::to_string(n) + " " + w + (n == 1 ? "" : "s");
  };
  out << "\n"
      << plural(counts[2], "error") << ", " << plural(counts[1], "warning") << ", " << counts[0]
      << " info";
  if (suppressed) out << " (" << suppressed << " suppressed)";
  out << "\n";
}

}  // namespace

void writeText(std::ostream& out, const std::vector<ImageReport>& reports,
               const ReportStyle& style) {
  Paint paint{style.colour};
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i) out << "\n";
    writeOne(out, reports[i], paint);
  }
}

}  // namespace pd
