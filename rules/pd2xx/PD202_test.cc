#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withUser(const std::string& user, bool accounts = true) {
  ImageBuilder b = shellBase();
  if (accounts)
    b.layer("accounts")
        .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/:/bin/sh\n")
        .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n");
  return b.config([&](ImageConfig& c) { c.user = user; }).build();
}

TEST(PD202, UnknownUserNameFiresOnPasswd) {
  auto fs = findingsOf(lintImage(withUser("ghost")), "PD202");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/etc/passwd");
  EXPECT_EQ(fs[0].evidence.json()["missing"], "user ghost");
  EXPECT_NE(fs[0].message.find("unable to find user ghost: no matching entries in passwd file"),
            std::string::npos)
      << fs[0].message;
}

TEST(PD202, UnknownGroupNameFiresOnGroup) {
  auto fs = findingsOf(lintImage(withUser("app:ghosts")), "PD202");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/etc/group");
  EXPECT_EQ(fs[0].evidence.json()["missing"], "group ghosts");
}

TEST(PD202, NoPasswdFileAtAll) {
  auto fs = findingsOf(lintImage(withUser("app", false)), "PD202");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_NE(fs[0].message.find("/etc/passwd does not exist"), std::string::npos);
}

TEST(PD202, KnownNamesAndNumbersAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(withUser("app")), "PD202").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("app:app")), "PD202").empty());
  // Numeric ids need no entry (the runtime uses them as they are).
  EXPECT_TRUE(findingsOf(lintImage(withUser("4242:4242", false)), "PD202").empty());
  // Lambda ignores USER.
  EXPECT_TRUE(findingsOf(lintImage(withUser("ghost"), "lambda"), "PD202").empty());
}

}  // namespace
}  // namespace pd::testing
