// `permdoctor fix IMAGE --dockerfile PATH`: a unified diff of the Dockerfile on stdout (or the
// file rewritten with --write), and on stderr what was fixed and what was not, and why.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/dockerfile_option.h"
#include "cli/remote_options.h"
#include "common/error.h"
#include "common/text.h"
#include "dockerfile/attribution.h"
#include "engine/engine.h"
#include "engine/rule_table.h"
#include "fix/fix.h"
#include "fix/unified_diff.h"
#include "layout/reader.h"

namespace pd {
namespace {

struct FixArgs {
  std::string image, dockerfile, profile = "auto", user, platform, select, config;
  std::vector<std::string> ignore;
  bool write = false, noVerify = false, quiet = false;
  RemoteArgs remote;
};

int runFix(const FixArgs& a) {
  bool found = false;
  std::string original;  // the text parsed, which the edits apply to
  std::optional<Dockerfile> df = loadDockerfile(a.dockerfile, found, &original);
  if (!df) throw UsageError("fix needs the Dockerfile: --dockerfile PATH (no ./Dockerfile here)");
  checkPlatformOption(a.platform);
  LintOptions lo;
  lo.profile = a.profile;
  bool detected;
  Profile p;
  if (!parseProfile(a.profile, p, detected))
    throw UsageError("--profile " + a.profile +
                     ": expected auto, generic, lambda, kubernetes or openshift");
  if (!a.user.empty()) lo.user = parseUserOverride(a.user);
  if (!a.platform.empty()) lo.ruleOptions.push_back("PD505.platform=" + a.platform);
  lo.suppressions = loadSuppressions(a.config, a.ignore);

  ReadOptions ro;
  ro.selection = {a.platform, a.select};
  ro.limits.verify = !a.noVerify;
  ro.capture = rulesCapturePolicy();
  ro.remote = remoteOptions(a.remote, a.image == "-");
  Image img = readImage(a.image, ro);
  SourceMap map = matchDockerfile(*df, img);
  if (!map.matched)
    throw UsageError(df->path + " is not the Dockerfile " + a.image + " was built from (" +
                     map.why + "): nothing to fix there");
  LintResult res = lint(img, ruleTable(), lo);
  attributeFindings(res.findings, *df, map, img);
  FixResult fixed = fixFindings(original, *df, map, img, res.findings);

  for (const auto& o : fixed.outcomes)
    if (!a.quiet || !o.fixed)
      std::cerr << (o.fixed ? "fixed " : "not fixed ") << o.rule << " " << escapeControl(o.where)
                << ": " << escapeControl(o.what) << "\n";
  if (fixed.text.empty()) return 0;
  if (a.write) {
    // A new file renamed over the old one: a failed write leaves the Dockerfile as it was.
    std::string tmp = df->path + ".permdoctor-fix";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out || !(out << fixed.text) || !out.flush()) {
        std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw UsageError("--write " + df->path + ": " + why);
      }
    }
    if (std::rename(tmp.c_str(), df->path.c_str()) != 0) {
      std::string why = std::strerror(errno);
      std::remove(tmp.c_str());
      throw UsageError("--write " + df->path + ": " + why);
    }
    return 0;
  }
  std::cout << unifiedDiff(original, fixed.text, df->path);
  return 0;
}

}  // namespace

CommandRun setupFix(CLI::App& sub) {
  auto a = std::make_shared<FixArgs>();
  sub.add_option("image", a->image, kImageArgumentHelp)->required();
  sub.add_option("--dockerfile", a->dockerfile,
                 "The Dockerfile to fix (default: ./Dockerfile); it must be the one the image "
                 "was built from");
  sub.add_flag("--write", a->write, "Edit the Dockerfile in place instead of printing a diff");
  sub.add_option("--profile", a->profile,
                 "auto, generic, lambda, kubernetes or openshift (who runs the container)")
      ->capture_default_str();
  sub.add_option("--user", a->user, "Run-time UID[:GID] overriding the image's USER");
  sub.add_option("--platform", a->platform, "os/arch[/variant] to pick from an image index");
  sub.add_option("--image", a->select, "Image in a multi-image archive: REF or N (from 1)");
  sub.add_option("--ignore", a->ignore, "Rule ID to leave alone (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--config", a->config, "Suppression file (default ./.permdoctor.json)");
  sub.add_flag("--no-verify", a->noVerify, "Skip SHA-256 verification");
  sub.add_flag("-q,--quiet", a->quiet, "On stderr, only what could not be fixed");
  addRemoteOptions(sub, a->remote);
  return [a] { return runFix(*a); };
}

}  // namespace pd
