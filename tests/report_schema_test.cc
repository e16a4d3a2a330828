// Real reports validate against the published JSON Schema (docs/report.schema.json), checked by
// an independent validator (Debian's python3-jsonschema), for single and multi-image runs.
#include <gtest/gtest.h>

#include <fstream>

#include "support/run.h"

namespace pd::testing {
namespace {

void expectValid(const std::string& lintArgs) {
  RunResult r = runPermdoctor("lint --format json -q --fail-on never " + lintArgs);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string file = ::testing::TempDir() + "report.json";
  std::ofstream(file) << r.out;
  std::string cmd =
      "/usr/bin/python3 -c 'import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' '" +
      std::string(PD_SOURCE_DIR) + "/docs/report.schema.json' '" + file + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  EXPECT_EQ(st, 0) << lintArgs << "\n" << out.substr(0, 3000);
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

}  // namespace
}  // namespace pd::testing
