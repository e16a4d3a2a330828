#include "report/report.h"

#include "common/sha256.h"

namespace pd {

namespace {
const ReportFormat kFormats[] = {
    {"text", writeText},   {"json", writeJson},         {"sarif", writeSarif},
    {"junit", writeJunit}, {"markdown", writeMarkdown}, {"gitlab", writeGitlab},
};
}  // namespace

const ReportFormat* findReportFormat(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::string reportFormatNames() {
  std::string s;
  for (const auto& f : kFormats) s += (s.empty() ? "" : ", ") + std::string(f.name);
  return s;
}

const char* toolVersion() {
  return "0.1.0";
}

std::string imageName(const Image& img) {
  return img.references.empty() ? img.source : img.references.front();
}

std::string findingFingerprint(const Image& img, const Finding& f) {
  std::string key = f.rule + "\n" + imageName(img) + "\n" + f.path.value_or("");
  return sha256Of(key).substr(7, 32);
}

}  // namespace pd
