#include "report/report.h"

namespace pd {

nlohmann::json layerJson(const Image& img, int layer) {
  if (layer < 0 || static_cast<size_t>(layer) >= img.layers.size()) return nullptr;
  const LayerInfo& l = img.layers[layer];
  return {{"index", l.index}, {"digest", l.digest}, {"createdBy", l.createdBy}};
}

namespace {

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
          {"note", img.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(img.note)}};
}

nlohmann::json findingJson(const Image& img, const Finding& f) {
  return {
      {"rule", f.rule},
      {"severity", severityName(f.severity)},
      {"title", f.title},
      {"message", f.message},
      {"path", f.path ? nlohmann::json(*f.path) : nlohmann::json(nullptr)},
      {"paths", f.paths},
      {"layer", layerJson(img, f.layer)},
      {"evidence", f.evidence},
      {"fix", f.fix},
      {"suppressed", f.suppressed},
      {"suppressedBy", f.suppressed ? nlohmann::json(f.suppressedBy) : nlohmann::json(nullptr)}};
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
