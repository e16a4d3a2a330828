// `permdoctor lint IMAGE...`
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/dockerfile_option.h"
#include "cli/progress.h"
#include "cli/remote_options.h"
#include "common/error.h"
#include "common/text.h"
#include "dockerfile/attribution.h"
#include "engine/engine.h"
#include "engine/rule_table.h"
#include "layout/reader.h"
#include "report/report.h"
#include "source/descriptor.h"

namespace pd {
namespace {

struct LintArgs {
  std::vector<std::string> images;
  std::vector<std::string> formats;
  std::vector<std::string> outputs;
  bool allImages = false;
  std::string profile = "auto";
  std::string user;
  std::string failOn = "error";
  std::string platform;
  std::string image;
  std::string config;
  std::vector<std::string> ignore;
  bool noVerify = false;
  bool quiet = false;
  int64_t maxBytes = 0;
  int64_t maxEntries = 0;
  RemoteArgs remote;
  std::string imagesFrom;  // --images-from FILE
  int64_t pick = -1;       // --pick N
  std::string expectDigest;
  std::vector<std::string> ruleOptions;  // --rule-option PDnnn.NAME=VALUE
  std::string color = "auto";
  std::string dockerfile;  // --dockerfile PATH
  std::string base;        // --base IMAGE
  bool noFailOnBase = false;
};

// The format an --output file asks for by its name, when no --format is given: "" when the
// name does not say.
std::string formatOfName(const std::string& file) {
  std::string f = file;
  for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ends = [&](std::string_view s) {
    return f.size() >= s.size() && f.compare(f.size() - s.size(), s.size(), s) == 0;
  };
  if (f == "-" || ends(".txt") || ends(".log")) return "text";
  if (ends(".sarif") || ends(".sarif.json")) return "sarif";
  if (ends(".json")) return "json";
  if (ends(".xml")) return "junit";
  if (ends(".md") || ends(".markdown")) return "markdown";
  return "";
}

// Colour for a report on stdout: --color always/never decide; auto follows FORCE_COLOR, then
// NO_COLOR, then TERM=dumb, then whether stdout is a terminal.
bool wantColour(const std::string& when) {
  if (when == "always") return true;
  if (when == "never") return false;
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string_view(v ? v : "");
  };
  if (!env("FORCE_COLOR").empty() && env("FORCE_COLOR") != "0") return true;
  if (!env("NO_COLOR").empty()) return false;
  if (env("TERM") == "dumb") return false;
  return isatty(1);
}

// The inputs of --images-from: one per line, blank lines and # comments skipped; with --pick N
// only the Nth (from 0, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX).
std::vector<std::string> inputsFrom(const std::string& file, int64_t pick) {
  std::ifstream in(file);
  if (!in) throw UsageError("--images-from " + file + ": cannot read it");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    out.push_back(line.substr(b, e - b + 1));
  }
  if (pick < 0) return out;
  if (pick >= static_cast<int64_t>(out.size()))
    throw UsageError("--pick " + std::to_string(pick) + ": " + file + " lists " +
                     std::to_string(out.size()) + " images (counted from 0)");
  return {out[static_cast<size_t>(pick)]};
}

}  // namespace

Suppressions loadSuppressions(const std::string& config, const std::vector<std::string>& ignore) {
  Suppressions s;
  if (!config.empty()) {
    s = Suppressions::load(config);
  } else if (::access(".permdoctor.json", R_OK) == 0) {
    s = Suppressions::load(".permdoctor.json");
  }
  for (const auto& list : ignore) {
    // "--ignore PD201,PD206" as well as one id per flag.
    for (std::string_view id : splitNonEmpty(list, ',')) {
      const RuleEntry* rule = findRule(id);
      const RetiredRule* retired = rule ? nullptr : findRetired(id);
      if (!rule && !retired)
        throw UsageError("--ignore " + std::string(id) + ": no such rule (see permdoctor rules)");
      s.entries.push_back({std::string(rule ? rule->id : retired->id), "", "", "", "--ignore"});
    }
  }
  return s;
}

namespace {

int runLint(const LintArgs& args) {
  LintArgs a = args;
  if (a.pick >= 0 && a.imagesFrom.empty()) throw UsageError("--pick needs --images-from FILE");
  if (!a.imagesFrom.empty())
    for (auto& in : inputsFrom(a.imagesFrom, a.pick)) a.images.push_back(std::move(in));
  if (a.images.empty()) throw UsageError("no image to lint: name one, or give --images-from FILE");
  // --format/--output pair up in order; a format without an output goes to stdout. Without any
  // --format, each output's name says its format (report.json, results.sarif, junit.xml).
  std::vector<std::string> formats = a.formats;
  if (formats.empty()) {
    for (const auto& out : a.outputs) {
      std::string f = formatOfName(out);
      if (f.empty())
        throw UsageError("--output " + out +
                         ": its name does not say the format; give --format before it");
      formats.push_back(f);
    }
    if (formats.empty()) formats = {"text"};
  }
  for (size_t i = 0; i < a.outputs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (a.outputs[i] != "-" && a.outputs[i] == a.outputs[j])
        throw UsageError("--output " + a.outputs[i] + " is given twice: one file, one report");
  if (a.color != "auto" && a.color != "always" && a.color != "never")
    throw UsageError("--color " + a.color + ": expected auto, always or never");
  if (a.maxBytes < 0)
    throw UsageError("--max-bytes " + std::to_string(a.maxBytes) + ": expected 0 (no cap) or more");
  if (a.maxEntries < 0)
    throw UsageError("--max-entries " + std::to_string(a.maxEntries) +
                     ": expected 0 (no cap) or more");
  for (const auto& f : formats)
    if (!findReportFormat(f))
      throw UsageError("--format " + f + ": expected one of " + reportFormatNames());
  if (a.outputs.size() > formats.size())
    throw UsageError("more --output than --format: give each output file its format");
  if (formats.size() - a.outputs.size() > 1)
    throw UsageError("only one --format can go to stdout: give the others an --output");
  Severity failOn = Severity::Error;
  bool never = a.failOn == "never";
  if (!never && !parseSeverity(a.failOn, failOn))
    throw UsageError("--fail-on " + a.failOn + ": expected error, warning, info or never");
  LintOptions lo;
  lo.profile = a.profile;
  if (!a.expectDigest.empty() &&
      (a.expectDigest.rfind("sha256:", 0) != 0 || !validDigest(a.expectDigest)))
    throw UsageError("--expect-digest " + a.expectDigest + ": expected sha256:<64 hex digits>");
  lo.ruleOptions = a.ruleOptions;
  if (!a.expectDigest.empty()) lo.ruleOptions.push_back("PD503.expect-digest=" + a.expectDigest);
  checkPlatformOption(a.platform);
  // --platform picks from an index and names the deploy target for every input (PD505).
  if (!a.platform.empty()) lo.ruleOptions.push_back("PD505.platform=" + a.platform);
  RuleOptions::resolve(ruleTable(), lo.ruleOptions);  // refuse a bad value before reading
  if (!a.user.empty()) lo.user = parseUserOverride(a.user);
  lo.suppressions = loadSuppressions(a.config, a.ignore);
  bool dummy;
  Profile p;
  if (!parseProfile(a.profile, p, dummy))
    throw UsageError("--profile " + a.profile +
                     ": expected auto, generic, lambda, kubernetes or openshift");

  ReadOptions ro;
  ro.selection = {a.platform, a.image};
  ro.limits.verify = !a.noVerify;
  ro.limits.maxBlobBytes = a.maxBytes;
  ro.limits.maxEntries = a.maxEntries;
  ro.capture = rulesCapturePolicy();
  ro.remote =
      remoteOptions(a.remote, std::find(a.images.begin(), a.images.end(), "-") != a.images.end());

  std::vector<std::unique_ptr<Image>> images;
  std::vector<ImageReport> reports;
  for (const auto& in : a.images) {
    ProgressLine progress(in, !a.quiet);
    ro.progress = progress.enabled() ? &progress : nullptr;
    if (a.allImages) {
      for (auto& img : readAllImages(in, ro))
        images.push_back(std::make_unique<Image>(std::move(img)));
    } else {
      images.push_back(std::make_unique<Image>(readImage(in, ro)));
    }
    progress.finish();
  }
  bool found = false;
  std::optional<Dockerfile> df = loadDockerfile(a.dockerfile, found);
  std::unique_ptr<Image> base;
  if (!a.base.empty()) {
    if (a.base == "-" && std::find(a.images.begin(), a.images.end(), "-") != a.images.end())
      throw UsageError("--base -: standard input already holds the image to lint");
    ReadOptions bo = ro;
    bo.selection.image.clear();  // --image picks from the linted archive, not the base
    ProgressLine progress(a.base, !a.quiet);
    bo.progress = progress.enabled() ? &progress : nullptr;
    base = std::make_unique<Image>(readImage(a.base, bo));
    progress.finish();
  }
  for (const auto& img : images) {
    ImageReport rep{img.get(), lint(*img, ruleTable(), lo), {}};
    if (df) {
      SourceMap map = matchDockerfile(*df, *img);
      rep.dockerfile = {df->path, found, map.matched, map.why};
      attributeFindings(rep.result.findings, *df, map, *img);
    }
    if (base) attributeToBase(rep.result.findings, *img, *base);
    reports.push_back(std::move(rep));
  }

  for (size_t i = 0; i < formats.size(); ++i) {
    const ReportFormat* fmt = findReportFormat(formats[i]);
    ReportStyle style;
    style.failOn = failOn;
    style.failNever = never;
    if (i < a.outputs.size() && a.outputs[i] != "-") {
      // GitHub documents $GITHUB_STEP_SUMMARY as a file steps append to.
      const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
      bool append = summary && *summary && a.outputs[i] == summary;
      std::ofstream file(a.outputs[i],
                         std::ios::binary | (append ? std::ios::app : std::ios::trunc));
      if (!file)
        throw UsageError("--output " + a.outputs[i] + ": cannot write: " + std::strerror(errno));
      fmt->write(file, reports, style);
      if (!file.flush()) throw UsageError("--output " + a.outputs[i] + ": write failed");
    } else {
      style.colour = wantColour(a.color);
      fmt->write(std::cout, reports, style);
    }
  }
  std::cout.flush();
  if (never) return 0;
  for (const auto& r : reports)
    for (const auto& f : r.result.findings)
      if (!f.suppressed && f.severity >= failOn && !(a.noFailOnBase && f.origin == "base"))
        return 1;
  return 0;
}

}  // namespace

CommandRun setupLint(CLI::App& sub) {
  auto a = std::make_shared<LintArgs>();
  sub.add_option("--images-from", a->imagesFrom,
                 "Also lint the images listed in FILE, one per line (# comments)");
  sub.add_option("--pick", a->pick,
                 "With --images-from: only the Nth listed image, from 0 (a Kubernetes Indexed "
                 "Job's $(JOB_COMPLETION_INDEX))");
  sub.add_option("images", a->images,
                 "Image(s): docker/podman save, OCI archive or layout directory, kaniko "
                 "tarball, - for stdin; docker://REF (a registry), docker-daemon:NAME, "
                 "podman:NAME, or a bare NAME[:TAG] (engines, then the registry)");
  sub.add_option("--format", a->formats,
                 "Output format (repeatable): text (default), json, sarif, junit, markdown, gitlab")
      ->allow_extra_args(false);
  sub.add_option("-o,--output", a->outputs,
                 "Write the matching --format to this file (repeatable, paired in order); "
                 "without --format, the name says it: .json, .sarif, .xml (junit), .md, .txt")
      ->allow_extra_args(false);
  sub.add_flag("--all-images", a->allImages, "Lint every image of a multi-image archive");
  sub.add_option("--profile", a->profile,
                 "auto, generic, lambda, kubernetes or openshift (who runs the container)")
      ->capture_default_str();
  sub.add_option("--user", a->user, "Run-time UID[:GID] overriding the image's USER");
  sub.add_option("--fail-on", a->failOn,
                 "Exit 1 on findings at or above: error, warning, info, "
                 "never")
      ->capture_default_str();
  sub.add_option("--platform", a->platform,
                 "os/arch[/variant]: the deploy target (PD505 when the image is another), and "
                 "the image to pick from an index");
  sub.add_option("--image", a->image, "Image to lint in a multi-image archive: REF or N (from 1)");
  sub.add_option("--ignore", a->ignore, "Rule ID to suppress (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--config", a->config, "Suppression file (default ./.permdoctor.json)");
  sub.add_flag("--no-verify", a->noVerify, "Skip SHA-256 verification of blobs and diff_ids");
  sub.add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  sub.add_option("--color", a->color,
                 "Colour the text report on stdout: auto (a terminal, unless NO_COLOR or "
                 "TERM=dumb; FORCE_COLOR forces it), always, never")
      ->capture_default_str();
  sub.add_option("--max-bytes", a->maxBytes,
                 "Refuse an input whose blobs expand past this many bytes in all (0 = no cap)");
  sub.add_option("--max-entries", a->maxEntries,
                 "Refuse a layer with more entries than this (0 = no cap)");
  sub.add_option(
      "--expect-digest", a->expectDigest,
      "The manifest digest a deploy pins (sha256:...): PD503 when the image has another");
  sub.add_option("--dockerfile", a->dockerfile,
                 "The Dockerfile the image was built from: findings name the line that caused "
                 "them (default: ./Dockerfile, when it matches the image)");
  sub.add_option("--base", a->base,
                 "The base image (any input permdoctor reads): findings from layers it has are "
                 "marked origin base, when no Dockerfile says where they come from");
  sub.add_flag("--no-fail-on-base", a->noFailOnBase,
               "Findings from the base image's layers stay in the report but do not fail the "
               "run (needs the Dockerfile or --base)");
  sub.add_option("--rule-option", a->ruleOptions,
                 "Set a rule's option, RULE.NAME=VALUE (repeatable); `permdoctor explain RULE` "
                 "lists them")
      ->allow_extra_args(false);
  addRemoteOptions(sub, a->remote);
  return [a] { return runLint(*a); };
}

}  // namespace pd
