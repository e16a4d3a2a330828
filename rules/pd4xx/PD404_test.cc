#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image platform(const std::string& os, const std::string& arch, const std::string& variant = "") {
  return ImageBuilder()
      .layer()
      .file("/var/task/app.py", 0644, "x")
      .config([&](ImageConfig& c) {
        c.os = os;
        c.architecture = arch;
        c.variant = variant;
        c.env = {"LAMBDA_TASK_ROOT=/var/task"};
      })
      .build();
}

TEST(PD404, UnsupportedArchitectureFires) {
  auto fs = findingsOf(lintImage(platform("linux", "arm", "v7")), "PD404");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["architecture"], "arm");
  EXPECT_EQ(fs[0].evidence.json()["variant"], "v7");
  EXPECT_NE(fs[0].message.find("linux/arm/v7"), std::string::npos);
  EXPECT_NE(fs[0].message.find("exec format error"), std::string::npos);
  EXPECT_EQ(findingsOf(lintImage(platform("linux", "s390x")), "PD404").size(), 1u);
  EXPECT_EQ(findingsOf(lintImage(platform("linux", "")), "PD404").size(), 1u);
}

TEST(PD404, NonLinuxFires) {
  auto fs = findingsOf(lintImage(platform("windows", "amd64")), "PD404");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["os"], "windows");
  EXPECT_NE(fs[0].message.find("windows/amd64"), std::string::npos);
}

TEST(PD404, SupportedPlatformsAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(platform("linux", "amd64")), "PD404").empty());
  EXPECT_TRUE(findingsOf(lintImage(platform("linux", "arm64", "v8")), "PD404").empty());
  // Not a Lambda image: not this rule's business.
  EXPECT_TRUE(findingsOf(lintImage(platform("linux", "s390x"), "generic"), "PD404").empty());
}

}  // namespace
}  // namespace pd::testing
