#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withUser(const std::string& user, std::vector<std::string> env = {}) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644,
            "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10002:app:/home/app:/bin/sh\n")
      .file("/etc/group", 0644, "root:x:0:\napp:x:10002:\nstaff:x:50:\n")
      .dir("/home/app", 0755, 10001, 10002)
      .file("/bin/sh", 0755, "#!/bin/true\n")
      .config([&](ImageConfig& c) {
        c.user = user;
        c.cmd = {"/bin/sh"};
        c.env = env;
      });
  return b.build();
}

TEST(PD203, NamedUserFires) {
  auto fs = findingsOf(lintImage(withUser("app")), "PD203");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["user"], "app");
  EXPECT_EQ(fs[0].evidence.json()["uid"], 10001);
  EXPECT_EQ(fs[0].fix, "USER 10001:10002");
  EXPECT_NE(fs[0].message.find("non-numeric user (app)"), std::string::npos);
}

TEST(PD203, NamedUserWithGroupOrNumericGroupFires) {
  auto fs = findingsOf(lintImage(withUser("app:staff")), "PD203");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix, "USER 10001:50");
  fs = findingsOf(lintImage(withUser("app:1000")), "PD203");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix, "USER 10001:1000");
}

TEST(PD203, NumericUserIsQuietEvenWithNamedGroup) {
  EXPECT_TRUE(findingsOf(lintImage(withUser("10001")), "PD203").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("10001:10002")), "PD203").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("1000:app")), "PD203").empty());
}

TEST(PD203, EmptyUserAndRootArePD201s) {
  for (const char* u : {"", "root", "root:app"}) {
    auto r = lintImage(withUser(u));
    EXPECT_TRUE(findingsOf(r, "PD203").empty()) << u;
    EXPECT_EQ(findingsOf(r, "PD201").size(), 1u) << u;
  }
}

TEST(PD203, UnknownNameStillFiresWithPlaceholderIds) {
  auto fs = findingsOf(lintImage(withUser("ghost")), "PD203");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix, "USER <uid>:<gid>");
  EXPECT_FALSE(fs[0].evidence.json().contains("uid"));
}

TEST(PD203, QuietWhereTheUidComesFromElsewhere) {
  // Lambda ignores USER; OpenShift and --user set runAsUser, which the kubelet checks instead.
  EXPECT_TRUE(findingsOf(lintImage(withUser("app"), "lambda"), "PD203").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("app"), "openshift"), "PD203").empty());
  EXPECT_TRUE(findingsOf(lintImage(withUser("app"), "kubernetes", "10001"), "PD203").empty());
  EXPECT_EQ(findingsOf(lintImage(withUser("app"), "kubernetes"), "PD203").size(), 1u);
}

}  // namespace
}  // namespace pd::testing
