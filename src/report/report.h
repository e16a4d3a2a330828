// Reporters print a finished lint result; they never decide anything. One file per format, and
// one row per format in the table in report.cc.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "dockerfile/attribution.h"
#include "engine/engine.h"
#include "fs/image.h"

namespace pd {

// One linted image and its result: what every reporter receives.
struct ImageReport {
  const Image* image;
  LintResult result;
  DockerfileUse dockerfile;  // path "" when linted without one
};

// "Dockerfile:12  COPY app.py /var/task/": where a finding comes from, on one line (the
// instruction's first line, cut at 100 characters); "" without a source.
std::string sourceLine(const Finding& f);
// The note a report prints when the Dockerfile given by --dockerfile is not the image's; ""
// otherwise.
std::string dockerfileNote(const DockerfileUse& d);

struct ReportStyle {
  bool colour = false;                // text only: ANSI colours (a TTY and no NO_COLOR)
  Severity failOn = Severity::Error;  // junit: which findings fail a testcase
  bool failNever = false;
};

using ReportWriter = void (*)(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);

struct ReportFormat {
  std::string_view name;
  ReportWriter write;
};

// The table of formats; nullptr when `name` is not one of them.
const ReportFormat* findReportFormat(std::string_view name);
std::string reportFormatNames();  // "text, json, ..." for messages

constexpr int kSchemaVersion = 1;
const char* toolVersion();

// The versioned JSON report (docs/report.schema.json describes it).
nlohmann::json jsonReport(const std::vector<ImageReport>& reports);

void writeText(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);
void writeJson(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);
void writeSarif(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);
void writeJunit(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);
void writeMarkdown(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);
void writeGitlab(std::ostream&, const std::vector<ImageReport>&, const ReportStyle&);

// JSON for one layer reference, or null.
nlohmann::json layerJson(const Image& img, int layer);
// An image's name without its tag or digest (registry/name), or its config digest when it has
// none.
std::string imageIdentity(const Image& img);
// What tells the images of one report apart in fingerprints: "" for a report of one image (so a
// fingerprint survives a new build, another tag and another archive format, some of which carry
// no name), else each image's imageIdentity (with its position when two share one).
std::vector<std::string> imageKeys(const std::vector<ImageReport>& reports);
// For each of one image's findings, in order: "" or, when its rule, path and what it names
// repeat an earlier finding's (two groups of one cause at one directory, from two layers), "#2",
// "#3"...: the first keeps its fingerprint and name, the others become unique.
std::vector<std::string> findingRepeats(const std::vector<Finding>& findings);
// A stable, unique identifier of a finding (rule, image key, path, or for a finding without a
// path what it names: PD305's variable; its repeat), as code scanning and GitLab match alerts
// across runs.
std::string findingFingerprint(const std::string& imageKey, const Finding& f,
                               const std::string& repeat);
// The same parts for people, as unique within a rule and an image: the path, or what the finding
// names ("DB_PASSWORD"), or "(image)"; JUnit names a failing test case by it.
std::string findingSubject(const Finding& f, const std::string& repeat);
// A path inside the image ("/var/task/app.py") relative to the image's root, as SARIF (with its
// IMAGEROOT base) and GitLab take it: "var/task/app.py", and "." for the root itself.
std::string pathFromImageRoot(const std::string& path);
// The image's name for people: its first reference, else its source.
std::string imageName(const Image& img);
// SARIF and GitLab link a location to a file of the repository, named relative to its root: a
// `path` under the working directory (a CI job runs in the checkout), absolute or climbing with
// "..", comes back relative to it; any other path comes back unchanged.
std::string repositoryPath(const std::string& path);
// Where SARIF and GitLab place a finding about the whole image when no Dockerfile line is known:
// the archive or layout's repositoryPath when that is relative, else (stdin, a file elsewhere)
// the image's name, else the file's name; never a host path outside the checkout, which neither
// consumer can link to.
std::string imageLocation(const Image& img);

// Names from archives need not be UTF-8; JSON strings must be, so reporters replace invalid
// bytes with U+FFFD. To keep the bytes recoverable, JSON reports add the base64 of the raw bytes
// beside such a string ("pathBytes"): this returns it, or "" when `s` is valid UTF-8.
std::string base64IfNotUtf8(std::string_view s);
bool validUtf8(std::string_view s);

}  // namespace pd
