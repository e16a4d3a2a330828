// SARIF 2.1.0 for GitHub code scanning: every result has a location (the image path as the
// artifact, the layer as a logical location) and a ruleId present in the driver's rules.
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

nlohmann::json driverRules() {
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleEntry* rule : ruleTable()) {
    const RuleEntry& r = *rule;
    std::string_view doc = embeddedFile(r.doc);
    std::string id(r.id);
    rules.push_back({{"id", id},
                     {"name", id},
                     {"shortDescription", {{"text", std::string(r.title)}}},
                     {"fullDescription", {{"text", firstSection(doc)}}},
                     {"help", {{"text", std::string(doc)}, {"markdown", std::string(doc)}}},
                     {"helpUri", "https://github.com/permdoctor/permdoctor/blob/main/rules/" +
                                     std::string(r.doc)},
                     {"defaultConfiguration", {{"level", sarifLevel(r.severity)}}},
                     {"properties", {{"tags", {"container", "security"}}}}});
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

nlohmann::json result(const Image& img, const Finding& f) {
  // Code scanning wants a file; image-wide findings point at the archive itself.
  std::string uri = f.path ? f.path->substr(1) : img.source;
  if (uri.empty()) uri = ".";
  nlohmann::json loc = {{"physicalLocation", {{"artifactLocation", {{"uri", uri}}}}}};
  if (f.layer >= 0 && static_cast<size_t>(f.layer) < img.layers.size()) {
    const LayerInfo& l = img.layers[f.layer];
    loc["logicalLocations"] = {
        {{"name", "layer " + std::to_string(l.index)},
         {"fullyQualifiedName",
          imageName(img) + "/layer/" + std::to_string(l.index) + "/" + l.digest},
         {"kind", "module"}}};
  }
  std::string text = f.message;
  if (!f.fix.empty()) text += "\nFix: " + f.fix;
  nlohmann::json r = {{"ruleId", f.rule},
                      {"ruleIndex", ruleIndex(f.rule)},
                      {"level", sarifLevel(f.severity)},
                      {"message", {{"text", text}}},
                      {"locations", {loc}},
                      {"partialFingerprints", {{"permdoctor/v1", findingFingerprint(img, f)}}},
                      {"properties",
                       {{"image", imageName(img)},
                        {"paths", f.paths},
                        {"evidence", f.evidence},
                        {"createdBy", f.layer >= 0 ? img.createdBy(f.layer) : ""}}}};
  if (f.suppressed) r["suppressions"] = {{{"kind", "external"}, {"justification", f.suppressedBy}}};
  return r;
}

}  // namespace

void writeSarif(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& r : reports) {
    artifacts.push_back({{"location", {{"uri", r.image->source}}},
                         {"description", {{"text", "container image " + imageName(*r.image)}}}});
    for (const auto& f : r.result.findings) results.push_back(result(*r.image, f));
  }
  nlohmann::json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                          {"version", "2.1.0"},
                          {"runs",
                           {{{"tool",
                              {{"driver",
                                {{"name", "permdoctor"},
                                 {"version", toolVersion()},
                                 {"semanticVersion", toolVersion()},
                                 {"informationUri", "https://github.com/permdoctor/permdoctor"},
                                 {"rules", driverRules()}}}}},
                             {"artifacts", artifacts},
                             {"results", results}}}}};
  out << sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pd
