#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

ImageBuilder base(const std::string& user, const std::string& workdir) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644,
            "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/home/app:/bin/sh\n")
      .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n")
      .dir("/home", 0755)
      .file("/bin/sh", 0755, "#!/bin/true\n")
      .config([=](ImageConfig& c) {
        c.user = user;
        c.workingDir = workdir;
        c.cmd = {"/bin/sh"};
      });
  return b;
}

TEST(PD205, WorkdirOwnedByImageUserFires) {
  Image img = base("10001", "/app")
                  .dir("/home/app", 0770, 10001, 0)
                  .layer("RUN chown 10001:10001 /app")
                  .dir("/app", 0775, 10001, 10001)
                  .build();
  auto fs = findingsOf(lintImage(img, "openshift"), "PD205");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/app");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0775");
  EXPECT_EQ(fs[0].evidence.json()["gid"], 10001);
  EXPECT_EQ(fs[0].evidence.json()["bits"], "other");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix, "RUN chgrp -R 0 /app && chmod -R g=u /app");
}

TEST(PD205, Group0WritableDirsAreQuiet) {
  Image img = base("app", "/app").dir("/home/app", 0770, 10001, 0).dir("/app", 0775, 0, 0).build();
  EXPECT_TRUE(findingsOf(lintImage(img, "openshift"), "PD205").empty());
}

TEST(PD205, Group0WithoutWriteBitFires) {
  Image img = base("app", "/app").dir("/home/app", 0750, 10001, 0).dir("/app", 0775, 0, 0).build();
  auto fs = findingsOf(lintImage(img, "openshift"), "PD205");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app");
  EXPECT_EQ(fs[0].evidence.json()["role"], "home of app");
  EXPECT_EQ(fs[0].evidence.json()["bits"], "group");
}

TEST(PD205, MissingHomeFiresAndSameDirReportedOnce) {
  Image img = base("app", "/home/app").build();
  auto fs = findingsOf(lintImage(img, "openshift"), "PD205");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app");
  EXPECT_EQ(fs[0].evidence.json()["exists"], false);
  EXPECT_EQ(fs[0].fix, "RUN mkdir -p /home/app && chgrp -R 0 /home/app && chmod -R g=u /home/app");
}

TEST(PD205, RootWorkdirAndOtherProfilesAreQuiet) {
  Image img = base("", "/").build();
  EXPECT_TRUE(findingsOf(lintImage(img, "openshift"), "PD205").empty());
  Image app = base("10001", "/app").dir("/app", 0755, 10001, 10001).build();
  EXPECT_EQ(findingsOf(lintImage(app, "openshift"), "PD205").size(), 2u);  // /app, /home/app
  EXPECT_TRUE(findingsOf(lintImage(app, "generic"), "PD205").empty());
  EXPECT_TRUE(findingsOf(lintImage(app, "kubernetes"), "PD205").empty());
}

}  // namespace
}  // namespace pd::testing
