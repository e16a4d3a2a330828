// `permdoctor inspect IMAGE`: the merged tree, one line per path.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/dockerfile_option.h"
#include "cli/remote_options.h"
#include "common/error.h"
#include "common/text.h"
#include "engine/engine.h"
#include "layout/reader.h"
#include "report/report.h"

namespace pd {
namespace {

struct InspectArgs {
  std::string image, platform, select, dockerfile;
  bool json = false, noVerify = false;
  RemoteArgs remote;
};

int runInspect(const InspectArgs& a) {
  checkPlatformOption(a.platform);
  ReadOptions ro;
  ro.selection = {a.platform, a.select};
  ro.limits.verify = !a.noVerify;
  ro.capture = rulesCapturePolicy();
  ro.remote = remoteOptions(a.remote, a.image == "-");
  Image img = readImage(a.image, ro);
  bool found = false;
  std::optional<Dockerfile> df = loadDockerfile(a.dockerfile, found);
  SourceMap map;
  if (df) map = matchDockerfile(*df, img);
  // Each layer with the instruction that made it, when the Dockerfile matches.
  auto layerSource = [&](size_t layer) -> std::optional<SourceLocation> {
    if (!map.matched || !map.byLayer[layer]) return std::nullopt;
    return locationOf(*df, *map.byLayer[layer]);
  };
  if (a.json) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t i = 0; i < img.layers.size(); ++i) {
      nlohmann::json l = {
          {"index", i}, {"digest", img.layers[i].digest}, {"createdBy", img.layers[i].createdBy}};
      if (map.matched) {
        auto s = layerSource(i);
        l["origin"] = map.baseLayer[i] ? "base" : "image";
        l["source"] = s ? nlohmann::json{{"file", s->file},
                                         {"line", s->line},
                                         {"endLine", s->endLine},
                                         {"instruction", s->instruction},
                                         {"stage", s->stage}}
                        : nlohmann::json(nullptr);
      }
      layers.push_back(std::move(l));
    }
    nlohmann::json paths = nlohmann::json::array();
    for (const auto& [path, n] : img.tree.nodes()) {
      nlohmann::json j = {{"path", path},
                          {"type", fileTypeName(n.type)},
                          {"mode", octalMode(n.mode)},
                          {"uid", n.uid},
                          {"gid", n.gid},
                          {"size", n.size},
                          {"layer", n.layer}};
      if (n.type == FileType::Symlink) j["link"] = n.link;
      // Not UTF-8: the strings above have U+FFFD for the bad bytes; these keep the bytes.
      if (std::string b = base64IfNotUtf8(path); !b.empty()) j["pathBytes"] = b;
      if (n.type == FileType::Symlink)
        if (std::string b = base64IfNotUtf8(n.link); !b.empty()) j["linkBytes"] = b;
      paths.push_back(std::move(j));
    }
    nlohmann::json out = {{"schemaVersion", kSchemaVersion},
                          {"source", img.source},
                          {"format", img.format},
                          {"layers", layers},
                          {"paths", paths}};
    if (df)
      out["dockerfile"] = {
          {"path", df->path},
          {"found", found},
          {"matched", map.matched},
          {"reason", map.matched ? nlohmann::json(nullptr) : nlohmann::json(map.why)}};
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  // With a matching Dockerfile, a legend first: which line made each layer.
  if (map.matched)
    for (size_t i = 0; i < img.layers.size(); ++i) {
      auto s = layerSource(i);
      std::cout << "# L" << i << "  "
                << (s ? escapeControl(s->file + ":" + std::to_string(s->line) + "  " +
                                      s->instruction.substr(0, s->instruction.find('\n')))
                      : std::string("base image"))
                << "\n";
    }
  else if (df && !found)
    std::cout << "# " << escapeControl(df->path)
              << " is not the Dockerfile this image was built from (" << escapeControl(map.why)
              << ")\n";
  for (const auto& [path, n] : img.tree.nodes()) {
    char line[96];
    std::snprintf(line, sizeof line, "%s %6u:%-6u %12lld  L%-3d ", modeString(n).c_str(), n.uid,
                  n.gid, static_cast<long long>(n.size), n.layer);
    // One line per path, whatever bytes the names hold.
    std::cout << line << escapeControl(path);
    if (n.type == FileType::Symlink) std::cout << " -> " << escapeControl(n.link);
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

CommandRun setupInspect(CLI::App& sub) {
  auto a = std::make_shared<InspectArgs>();
  sub.add_option("image", a->image, kImageArgumentHelp)->required();
  sub.add_flag("--json", a->json, "JSON output");
  sub.add_option("--platform", a->platform, "os/arch[/variant] to pick from an image index");
  sub.add_option("--image", a->select, "Image in a multi-image archive: REF or N (from 1)");
  sub.add_flag("--no-verify", a->noVerify, "Skip SHA-256 verification");
  sub.add_option("--dockerfile", a->dockerfile,
                 "The Dockerfile the image was built from: which line made each layer (default: "
                 "./Dockerfile, when it matches the image)");
  addRemoteOptions(sub, a->remote);
  return [a] { return runInspect(*a); };
}

}  // namespace pd
