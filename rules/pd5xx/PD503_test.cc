#include <gtest/gtest.h>

#include "engine/engine.h"
#include "support/image_builder.h"

namespace pd::testing {
namespace {

const std::string kLocal = "sha256:" + std::string(64, '1');
const std::string kPlatform = "sha256:" + std::string(64, '2');
const std::string kIndex = "sha256:" + std::string(64, '3');

std::vector<Finding> pd503(const Image& img, const std::string& expect) {
  LintOptions lo;
  lo.ruleOptions = {"PD503.expect-digest=" + expect};
  lo.today = "2026-12-01";
  return findingsOf(lint(img, ruleTable(), lo), "PD503");
}

Image fromRegistry() {
  Image img = shellBase().build();
  img.format = "registry";
  img.manifestDigest = kPlatform;
  img.repoDigest = "127.0.0.1:5000/app@" + kIndex;
  return img;
}

TEST(PD503, QuietWithoutExpectDigest) {
  EXPECT_TRUE(pd503(fromRegistry(), "").empty());
}

TEST(PD503, QuietWhenThePinIsTheTagsOrThePlatformsDigest) {
  EXPECT_TRUE(pd503(fromRegistry(), kIndex).empty());
  EXPECT_TRUE(pd503(fromRegistry(), kPlatform).empty());
}

TEST(PD503, FiresOnTheLocalDigestAndNamesTheOneToDeploy) {
  auto fs = pd503(fromRegistry(), kLocal);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].severity, Severity::Error);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["expectedDigest"], kLocal);
  EXPECT_EQ(fs[0].evidence.json()["repoDigest"], "127.0.0.1:5000/app@" + kIndex);
  EXPECT_NE(fs[0].message.find("the registry serves " + kIndex), std::string::npos);
  EXPECT_EQ(fs[0].fix, "deploy by 127.0.0.1:5000/app@" + kIndex);
}

TEST(PD503, FiresOnAnArchiveWithNoManifest) {
  Image img = shellBase().build();
  img.format = "docker-archive";
  auto fs = pd503(img, kLocal);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("holds no registry manifest"), std::string::npos);
  EXPECT_TRUE(fs[0].evidence.json()["manifestDigest"].is_null());
}

}  // namespace
}  // namespace pd::testing
