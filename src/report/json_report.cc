#include "report/report.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "report/manifest_facts.h"

namespace pd {

nlohmann::json layerJson(const Image& img, int layer) {
  if (layer < 0 || static_cast<size_t>(layer) >= img.layers.size()) return nullptr;
  const LayerInfo& l = img.layers[layer];
  return {{"index", l.index}, {"digest", l.digest}, {"createdBy", l.createdBy}};
}

namespace {

// What a registry sees (catalog v1's PD501, now facts of the image).
nlohmann::json manifestJson(const Image& img) {
  ManifestFacts m = manifestFacts(img);
  return {{"mediaType", m.mediaType},
          {"configMediaType", m.configMediaType},
          {"layerMediaTypes", m.layerMediaTypes},
          {"inInput", m.inInput},
          {"uncompressedLayers", m.uncompressedLayers},
          {"summary", manifestSummary(img)}};
}

nlohmann::json imageJson(const Image& img) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : img.layers)
    layers.push_back({{"index", l.index},
                      {"digest", l.digest},
                      {"diffId", l.diffId},
                      {"mediaType", l.mediaType},
                      {"compression", l.compression},
                      {"size", l.size},
                      {"uncompressedSize", l.uncompressedSize},
                      {"entries", l.entries},
                      {"createdBy", l.createdBy}});
  const auto& c = img.config;
  return {{"source", img.source},
          {"format", img.format},
          {"references", img.references},
          {"configDigest", img.configDigest},
          {"manifestDigest", img.manifestDigest.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(img.manifestDigest)},
          {"repoDigest",
           img.repoDigest.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.repoDigest)},
          {"architecture", c.architecture},
          {"os", c.os},
          {"variant", c.variant},
          {"user", c.user},
          {"entrypoint", c.entrypoint},
          {"cmd", c.cmd},
          {"workingDir", c.workingDir},
          {"layers", layers},
          {"fileCount", img.tree.size()},
          {"uncompressedSize", img.uncompressedSize},
          {"note", img.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.note)},
          {"manifest", manifestJson(img)}};
}

}  // namespace

bool validUtf8(std::string_view s) {
  for (size_t i = 0, n; i < s.size(); i += n)
    if ((n = utf8Length(s, i)) == 0) return false;
  return true;
}

namespace {

nlohmann::json sourceJson(const Finding& f) {
  if (!f.source) return nullptr;
  const SourceLocation& s = *f.source;
  nlohmann::json j = {{"file", s.file},
                      {"line", s.line},
                      {"endLine", s.endLine},
                      {"instruction", s.instruction},
                      {"stage", s.stage}};
  if (!s.fromStage.empty()) j["fromStage"] = s.fromStage;
  return j;
}

nlohmann::json dockerfileJson(const DockerfileUse& d) {
  if (d.path.empty()) return nullptr;
  return {{"path", d.path},
          {"found", d.found},
          {"matched", d.matched},
          {"reason", d.matched ? nlohmann::json(nullptr) : nlohmann::json(d.why)}};
}

nlohmann::json findingJson(const Image& img, const Finding& f) {
  nlohmann::json j = {
      {"rule", f.rule},
      {"severity", severityName(f.severity)},
      {"title", f.title},
      {"message", f.message},
      {"path", f.path ? nlohmann::json(*f.path) : nlohmann::json(nullptr)},
      {"paths", f.paths},
      {"layer", layerJson(img, f.layer)},
      {"evidence", f.evidence.json()},
      {"fix", f.fix},
      {"source", sourceJson(f)},
      {"origin", f.origin.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.origin)},
      {"suppressed", f.suppressed},
      {"suppressedBy", f.suppressed ? nlohmann::json(f.suppressedBy) : nlohmann::json(nullptr)}};
  if (f.path) {
    std::string b = base64IfNotUtf8(*f.path);
    if (!b.empty()) j["pathBytes"] = b;
  }
  nlohmann::json pathsBytes = nlohmann::json::array();
  bool anyBytes = false;
  for (const auto& p : f.paths) {
    std::string b = base64IfNotUtf8(p);
    anyBytes = anyBytes || !b.empty();
    pathsBytes.push_back(b.empty() ? nlohmann::json(nullptr) : nlohmann::json(b));
  }
  if (anyBytes) j["pathsBytes"] = pathsBytes;
  return j;
}

nlohmann::json oneImage(const ImageReport& r) {
  const Image& img = *r.image;
  const LintResult& res = r.result;
  nlohmann::json findings = nlohmann::json::array();
  int counts[3] = {0, 0, 0};
  int suppressed = 0;
  for (const auto& f : res.findings) {
    findings.push_back(findingJson(img, f));
    if (f.suppressed)
      ++suppressed;
    else
      ++counts[static_cast<int>(f.severity)];
  }
  const Identity& id = res.identity;
  return {{"image", imageJson(img)},
          {"profile", {{"name", profileName(res.profile)}, {"detected", res.profileDetected}}},
          {"dockerfile", dockerfileJson(r.dockerfile)},
          {"identity",
           {{"uid", id.otherOnly ? nlohmann::json(nullptr) : nlohmann::json(id.uid)},
            {"gid", id.otherOnly ? nlohmann::json(nullptr) : nlohmann::json(id.gid)},
            {"groups", id.groups},
            {"user", id.userName.empty() ? nlohmann::json(nullptr) : nlohmann::json(id.userName)},
            {"otherOnly", id.otherOnly},
            {"description", id.description}}},
          {"findings", findings},
          {"summary",
           {{"error", counts[2]},
            {"warning", counts[1]},
            {"info", counts[0]},
            {"suppressed", suppressed}}},
          {"notes", res.notes}};
}

}  // namespace

std::string base64IfNotUtf8(std::string_view s) {
  if (validUtf8(s)) return "";
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  for (size_t i = 0; i < s.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(s[i])) << 16;
    if (i + 1 < s.size()) v |= static_cast<uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8;
    if (i + 2 < s.size()) v |= static_cast<unsigned char>(s[i + 2]);
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    out += i + 1 < s.size() ? abc[(v >> 6) & 63] : '=';
    out += i + 2 < s.size() ? abc[v & 63] : '=';
  }
  return out;
}

nlohmann::json jsonReport(const std::vector<ImageReport>& reports) {
  nlohmann::json j = {{"schemaVersion", kSchemaVersion},
                      {"tool", {{"name", "permdoctor"}, {"version", toolVersion()}}}};
  if (reports.size() == 1) {
    j.update(oneImage(reports.front()));
  } else {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& r : reports) all.push_back(oneImage(r));
    j["images"] = all;
  }
  return j;
}

void writeJson(std::ostream& out, const std::vector<ImageReport>& reports, const ReportStyle&) {
  // Names from archives need not be UTF-8: replace invalid bytes rather than fail the report.
  out << jsonReport(reports).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pd
