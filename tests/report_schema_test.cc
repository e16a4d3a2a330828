// Real reports validate against the published JSON Schemas (docs/report.schema.json for lint,
// docs/inspect.schema.json for inspect --json), checked by an independent validator (Debian's
// python3-jsonschema), for single and multi-image runs.
#include <gtest/gtest.h>

#include <fstream>

#include "support/run.h"

namespace pd::testing {
namespace {

// Runs `command` and checks its JSON output against docs/<schema>.
void expectValidOutput(const std::string& command, const std::string& schema) {
  RunResult r = runPermdoctor(command);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string file = ::testing::TempDir() + "output.json";
  std::ofstream(file) << r.out;
  std::string cmd =
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' '" +
      std::string(PD_SOURCE_DIR) + "/docs/" + schema + "' '" + file + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  EXPECT_EQ(st, 0) << command << "\n" << out.substr(0, 3000);
}

void expectValid(const std::string& lintArgs) {
  expectValidOutput("lint --format json -q --fail-on never " + lintArgs, "report.schema.json");
}

TEST(ReportSchema, SingleImageReportsValidate) {
  expectValid("'" + thirdPartyImage("dive-docker-legacy.tar") + "'");
  expectValid("'" + thirdPartyImage("dive-oci-zstd.tar") + "'");
  expectValid("'" + thirdPartyImage("ggcr-hello-world-v25.tar") + "'");
}

TEST(ReportSchema, LambdaReportWithFindingsValidates) {
  std::string img = fixtureImage("demo-lambda-unreadable.tar");
  ASSERT_TRUE(fileExists(img));
  expectValid("'" + img + "'");
}

TEST(ReportSchema, MultiImageReportValidates) {
  expectValid("'" + thirdPartyImage("ggcr-whiteout-dir.tar") + "' '" +
              thirdPartyImage("ggcr-whiteout-file.tar") + "'");
}

// A report that breaks the schema must be caught: the check can fail.
TEST(ReportSchema, ValidatorRejectsABrokenReport) {
  std::string file = ::testing::TempDir() + "broken.json";
  std::ofstream(file) << R"({"schemaVersion": 2, "tool": {"name": "permdoctor", "version": "x"}})";
  std::string cmd =
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' '" +
      std::string(PD_SOURCE_DIR) + "/docs/report.schema.json' '" + file + "' >/dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

// `inspect --json` has its own published schema (docs/inspect.schema.json): every file type,
// symlinks, and the layouts a registry and an engine are read through.
TEST(InspectSchema, InspectDocumentsValidate) {
  for (const char* image : {"dive-docker-legacy.tar", "dive-oci-zstd.tar", "ggcr-whiteout-dir.tar"})
    expectValidOutput("inspect --json '" + thirdPartyImage(image) + "'", "inspect.schema.json");
  std::string links = fixtureImage("pd101-symlink-chain-ok.tar");
  ASSERT_TRUE(fileExists(links));
  expectValidOutput("inspect --json '" + links + "'", "inspect.schema.json");
}

TEST(InspectSchema, ValidatorRejectsABrokenDocument) {
  std::string file = ::testing::TempDir() + "broken-inspect.json";
  std::ofstream(file) << R"({"schemaVersion": 1, "source": "x", "format": "docker-archive",
      "paths": [{"path": "relative", "type": "file", "mode": "0644", "uid": 0, "gid": 0,
                 "size": 1, "layer": 0}]})";
  std::string cmd =
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' '" +
      std::string(PD_SOURCE_DIR) + "/docs/inspect.schema.json' '" + file + "' >/dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace pd::testing
