#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withEnv(std::vector<std::string> env) {
  return ImageBuilder()
      .layer()
      .file("/var/task/app.py", 0644, "x")
      .config([env](ImageConfig& c) {
        c.entrypoint = {"/lambda-entrypoint.sh"};
        c.cmd = {"app.handler"};
        c.env = env;
      })
      .build();
}

const Finding* byName(const std::vector<Finding>& fs, const std::string& name) {
  for (const auto& f : fs)
    if (f.evidence.json().value("name", "") == name) return &f;
  return nullptr;
}

TEST(PD409, ReservedKeysFireOncePerVariable) {
  auto fs = findingsOf(lintImage(withEnv({"AWS_REGION=eu-west-1", "_HANDLER=app.handler",
                                          "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024", "TZ=UTC",
                                          "LAMBDA_RUNTIME_DIR=/opt/runtime", "LOG_LEVEL=INFO"})),
                       "PD409");
  ASSERT_EQ(fs.size(), 5u);
  for (const auto& f : fs) EXPECT_FALSE(f.path.has_value());
  const Finding* region = byName(fs, "AWS_REGION");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->evidence.json()["value"], "eu-west-1");
  const Finding* rd = byName(fs, "LAMBDA_RUNTIME_DIR");
  ASSERT_NE(rd, nullptr);
  EXPECT_EQ(rd->evidence.json()["allowed"], "/var/runtime");
  EXPECT_NE(byName(fs, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), nullptr);
  EXPECT_NE(byName(fs, "TZ"), nullptr);
  EXPECT_NE(byName(fs, "_HANDLER"), nullptr);
}

TEST(PD409, BaseImageValuesAndUserKeysAreQuiet) {
  auto r = lintImage(withEnv({"LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime",
                              "TZ=:/etc/localtime", "AWS_LAMBDA_EXEC_WRAPPER=/opt/wrapper",
                              "AWS_XRAY_CONTEXT_MISSING=LOG_ERROR", "POWERTOOLS_SERVICE_NAME=x",
                              "AWS_LAMBDA", "MY_AWS_REGION=x"}));
  EXPECT_TRUE(findingsOf(r, "PD409").empty());
}

TEST(PD409, LastValueWins) {
  // The base set TZ=:/etc/localtime, a later ENV changed it: the image runs with TZ=UTC.
  auto fs = findingsOf(lintImage(withEnv({"TZ=:/etc/localtime", "TZ=UTC"})), "PD409");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["value"], "UTC");
  // ... and the other way round is fine.
  EXPECT_TRUE(findingsOf(lintImage(withEnv({"TZ=UTC", "TZ=:/etc/localtime"})), "PD409").empty());
}

TEST(PD409, SecretValuesAreNeverPrinted) {
  auto fs = findingsOf(lintImage(withEnv({"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG",
                                          "AWS_SESSION_TOKEN=FwoGZXIvYXdzEJr"})),
                       "PD409");
  ASSERT_EQ(fs.size(), 2u);
  for (const auto& f : fs) {
    EXPECT_FALSE(f.evidence.json().contains("value"));
    EXPECT_EQ(f.message.find("wJalr"), std::string::npos);
    EXPECT_EQ(f.message.find("FwoGZ"), std::string::npos);
    EXPECT_EQ(f.evidence.json().dump().find("wJalr"), std::string::npos);
  }
  EXPECT_NE(byName(fs, "AWS_SECRET_ACCESS_KEY"), nullptr);
}

TEST(PD409, OnlyInTheLambdaProfile) {
  Image img = withEnv({"AWS_REGION=eu-west-1"});
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD409").empty());
}

}  // namespace
}  // namespace pd::testing
