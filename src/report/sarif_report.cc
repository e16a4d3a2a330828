// SARIF 2.1.0 for GitHub code scanning: every result has a location (the image path as the
// artifact, the layer as a logical location) and a ruleId present in the driver's rules;
// suppressed findings are counted, not sent (code scanning ignores `suppressions`).
#include <algorithm>
#include <cctype>

#include "engine/embedded.h"
#include "engine/rule_table.h"
#include "report/report.h"

namespace pd {
namespace {

const char* sarifLevel(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

// The doc page's "What it checks" paragraph, for the short rule help.
std::string firstSection(std::string_view doc) {
  auto k = doc.find("## What it checks");
  if (k == std::string_view::npos) return "";
  k = doc.find('\n', k);
  auto e = doc.find("\n## ", k);
  std::string s(
      doc.substr(k + 1, e == std::string_view::npos ? std::string_view::npos : e - k - 1));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && s.front() == '\n') s.erase(0, 1);
  return s;
}

// GitHub shows at most 1024 characters of a description: cut at the last sentence that fits.
std::string limitDescription(std::string s) {
  constexpr size_t kMax = 1024;
  if (s.size() <= kMax) return s;
  size_t end = s.rfind(". ", kMax - 1);
  if (end == std::string::npos || end < kMax / 2) return s.substr(0, kMax - 3) + "...";
  return s.substr(0, end + 1);
}

// The doc page as plain text for help.text (help.markdown keeps the page as written).
std::string plainText(std::string_view doc) {
  std::string out;
  bool lineStart = true;
  for (size_t i = 0; i < doc.size(); ++i) {
    char c = doc[i];
    if (lineStart && c == '#') {
      while (i + 1 < doc.size() && (doc[i + 1] == '#' || doc[i + 1] == ' ')) ++i;
      continue;
    }
    lineStart = c == '\n';
    if (c != '`') out += c;
  }
  return out;
}

// A readable identifier for the rule ("The runtime user cannot ..." -> TheRuntimeUserCannot...).
std::string ruleName(std::string_view title) {
  std::string out;
  bool up = true;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    } else {
      up = true;
    }
  }
  return out;
}

// Code scanning ranks alerts by security-severity (a number from 0.0 to 10.0 as text: 7.0 and
// above is "high", 4.0 "medium", below "low"). Derived from the catalog severity.
const char* securitySeverity(Severity s) {
  return s == Severity::Error ? "7.5" : s == Severity::Warning ? "5.0" : "2.0";
}

// A URI reference per RFC 3986: every byte outside the unreserved set and "/" percent-encoded;
// an absolute host path becomes a file:// URI.
std::string uriOf(const std::string& path) {
  return (path.starts_with("/") ? "file://" : "") + percentEncode(path, "/");
}

nlohmann::json driverRules() {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleEntry* rule : ruleTable()) {
    const RuleEntry& r = *rule;
    std::string_view doc = embeddedFile(r.doc);
    std::string id(r.id);
    rules.push_back(
        {{"id", id},
         {"name", ruleName(r.title)},
         {"shortDescription", {{"text", std::string(r.title)}}},
         {"fullDescription", {{"text", limitDescription(plainText(firstSection(doc)))}}},
         {"help", {{"text", plainText(doc)}, {"markdown", std::string(doc)}}},
         {"helpUri",
          "https://github.com/permdoctor/permdoctor/blob/main/rules/" + std::string(r.doc)},
         {"defaultConfiguration", {{"level", sarifLevel(r.severity)}}},
         {"properties",
          {{"tags", {"container", "security"}},
           {"security-severity", securitySeverity(r.severity)}}}});
  }
  return rules;
}

int ruleIndex(const std::string& id) {
  int i = 0;
  for (const RuleEntry* r : ruleTable()) {
    if (r->id == id) return i;
    ++i;
  }
  return -1;
}

// The image's name for people, as imageName, but no host path: SARIF travels to other machines.
std::string shownName(const Image& img) {
  return img.references.empty() ? imageLocation(img) : imageName(img);
}

// Where the run's artifacts list an image, and its image-wide findings point (imageLocation).
std::string imageUri(const Image& img) {
  std::string uri = uriOf(imageLocation(img));
  return uri.empty() ? "." : uri;
}

nlohmann::json result(const Image& img, size_t imageIndex, const std::string& imageKey,
                      const Finding& f, const std::string& repeat) {
  // Code scanning wants a file. A path inside the image is no file of the repository: it is
  // relative to the image's root. An image-wide finding points at the image, the run's artifact
  // `imageIndex`: neither has lines, so neither has a region.
  nlohmann::json artifact;
  if (f.path) {
    artifact = {{"uri", uriOf(pathFromImageRoot(*f.path))}, {"uriBaseId", "IMAGEROOT"}};
  } else {
    artifact = {{"uri", imageUri(img)}, {"index", imageIndex}};
  }
  nlohmann::json loc = {{"physicalLocation", {{"artifactLocation", artifact}}}};
  // With the Dockerfile, the result sits on the line that caused it: code scanning annotates
  // that line in pull requests and fingerprints the alert by it.
  if (f.source)
    loc["physicalLocation"] = {
        {"artifactLocation", {{"uri", uriOf(repositoryPath(f.source->file))}}},
        {"region", {{"startLine", f.source->line}, {"endLine", f.source->endLine}}}};
  if (f.layer >= 0 && static_cast<size_t>(f.layer) < img.layers.size()) {
    const LayerInfo& l = img.layers[f.layer];
    loc["logicalLocations"] = {
        {{"name", "layer " + std::to_string(l.index)},
         {"fullyQualifiedName",
          shownName(img) + "/layer/" + std::to_string(l.index) + "/" + l.digest},
         {"kind", "module"}}};
  }
  std::string text = f.message;
  if (!f.fix.empty()) text += "\nFix: " + f.fix;
  nlohmann::json r = {
      {"ruleId", f.rule},
      {"ruleIndex", ruleIndex(f.rule)},
      {"level", sarifLevel(f.severity)},
      {"message", {{"text", text}}},
      {"locations", {loc}},
      {"partialFingerprints", {{"permdoctor/v1", findingFingerprint(imageKey, f, repeat)}}},
      {"properties",
       {{"image", shownName(img)},
        {"paths", f.paths},
        {"evidence", f.evidence.json()},
        {"createdBy", f.layer >= 0 ? img.createdBy(f.layer) : ""}}}};
  if (!f.origin.empty()) r["properties"]["origin"] = f.origin;
  return r;
}

}  // namespace

void writeSarif(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json artifacts = nlohmann::json::array();
  size_t suppressed = 0;
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& r : reports)
    if (!r.image->note.empty()) notes.push_back(shownName(*r.image) + ": " + r.image->note);
  std::vector<std::string> keys = imageKeys(reports);
  for (size_t k = 0; k < reports.size(); ++k) {
    const ImageReport& r = reports[k];
    // One artifact per distinct image: SARIF wants artifacts unique (the same archive twice is
    // one artifact), and the results of each point at theirs.
    nlohmann::json artifact = {
        {"location", {{"uri", imageUri(*r.image)}}},
        {"description", {{"text", "container image " + shownName(*r.image)}}}};
    auto same = std::find(artifacts.begin(), artifacts.end(), artifact);
    size_t index = static_cast<size_t>(same - artifacts.begin());
    if (same == artifacts.end()) artifacts.push_back(artifact);
    // Code scanning ignores `suppressions`: a suppressed finding sent as a result would be an
    // open alert. It is counted in the run's properties instead.
    std::vector<std::string> repeats = findingRepeats(r.result.findings);
    for (size_t i = 0; i < r.result.findings.size(); ++i) {
      const Finding& f = r.result.findings[i];
      if (f.suppressed)
        ++suppressed;
      else
        results.push_back(result(*r.image, index, keys[k], f, repeats[i]));
    }
  }
  nlohmann::json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "permdoctor"},
             {"version", toolVersion()},
             {"semanticVersion", toolVersion()},
             {"informationUri", "https://github.com/permdoctor/permdoctor"},
             {"rules", driverRules()}}}}},
         {"originalUriBaseIds",
          {{"IMAGEROOT",
            {{"description",
              {{"text",
                "The root of the container image's filesystem: paths inside "
                "the image, not files of the repository."}}}}}}},
         {"artifacts", artifacts},
         {"results", results},
         {"properties", {{"suppressedFindings", suppressed}, {"notes", notes}}}}}}};
  out << sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pd
