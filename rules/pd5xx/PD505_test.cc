#include <gtest/gtest.h>

#include "common/error.h"
#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image built(const std::string& arch, const std::string& variant = "") {
  return ImageBuilder()
      .layer()
      .file("/hello", 0755,
            "\x7f"
            "ELF")
      .config([&](ImageConfig& c) {
        c.os = "linux";
        c.architecture = arch;
        c.variant = variant;
        c.entrypoint = {"/hello"};
      })
      .build();
}

std::vector<Finding> pd505(const Image& img, const std::string& target,
                           const std::string& profile = "generic") {
  LintOptions lo;
  lo.profile = profile;
  if (!target.empty()) lo.ruleOptions = {"PD505.platform=" + target};
  return findingsOf(lint(img, ruleTable(), lo), "PD505");
}

TEST(PD505, ImageForAnotherArchitectureThanTheTargetFires) {
  auto fs = pd505(built("arm64"), "linux/amd64");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["target"], "linux/amd64");
  EXPECT_EQ(fs[0].evidence.json()["architecture"], "arm64");
  EXPECT_NE(fs[0].message.find("the deploy target is linux/amd64 but the image is linux/arm64"),
            std::string::npos)
      << fs[0].message;
  EXPECT_EQ(fs[0].message.find("Lambda"), std::string::npos);
  EXPECT_NE(pd505(built("arm64"), "linux/amd64", "lambda")[0].message.find("Runtime.Invalid"),
            std::string::npos);
}

TEST(PD505, DifferentArmVariantsFire) {
  EXPECT_EQ(pd505(built("arm", "v6"), "linux/arm/v7").size(), 1u);
  EXPECT_EQ(pd505(built("amd64"), "windows/amd64").size(), 1u);
}

TEST(PD505, SamePlatformAliasesAndMissingVariantsAreQuiet) {
  EXPECT_TRUE(pd505(built("amd64"), "linux/amd64").empty());
  EXPECT_TRUE(pd505(built("amd64"), "linux/x86_64").empty());
  EXPECT_TRUE(pd505(built("arm64"), "linux/arm64/v8").empty());
  EXPECT_TRUE(pd505(built("arm64", "v8"), "linux/aarch64").empty());
  EXPECT_TRUE(pd505(built("arm"), "linux/arm/v7").empty());
}

TEST(PD505, NoTargetNoAssumption) {
  EXPECT_TRUE(pd505(built("s390x"), "").empty());
}

TEST(PD505, MalformedTargetIsAUsageError) {
  EXPECT_THROW(pd505(built("amd64"), "linux"), UsageError);
  EXPECT_THROW(pd505(built("amd64"), "Linux/AMD64"), UsageError);
  EXPECT_THROW(pd505(built("amd64"), "linux/amd64/v1/x"), UsageError);
  EXPECT_THROW(pd505(built("amd64"), "linux//amd64"), UsageError);
}

}  // namespace
}  // namespace pd::testing
