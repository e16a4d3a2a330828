#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "app:x:10001:10001:app:/home/app:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
    "svc:x:10002:10002:svc:/srv/svc:/bin/sh\n";

ImageBuilder base(const std::string& user) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644, kPasswd)
      .file("/etc/group", 0644, "root:x:0:\napp:x:10001:\n")
      .dir("/home", 0755)
      .dir("/root", 0700)
      .file("/bin/sh", 0755, "#!/bin/true\n")
      .config([user](ImageConfig& c) {
        c.user = user;
        c.cmd = {"/bin/sh"};
      });
  return b;
}

TEST(PD204, MissingHomeFires) {
  Image img = base("10001:10001").build();
  auto fs = findingsOf(lintImage(img), "PD204");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app");
  EXPECT_EQ(fs[0].evidence.json()["exists"], false);
  EXPECT_EQ(fs[0].layer, 0);  // the layer that wrote /etc/passwd
  EXPECT_EQ(fs[0].fix, "RUN install -d -o 10001 -g 10001 -m 0750 /home/app");
}

TEST(PD204, RootOwnedHomeFires) {
  Image img = base("app").layer("RUN mkdir /home/app").dir("/home/app", 0755).build();
  auto fs = findingsOf(lintImage(img), "PD204");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0755");
  EXPECT_EQ(fs[0].evidence.json()["owner"]["uid"], 0);
  EXPECT_EQ(fs[0].evidence.json()["bits"], "other");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix, "RUN chown 10001:10001 /home/app && chmod u+rwx /home/app");
}

TEST(PD204, OwnedWritableHomeIsQuiet) {
  Image img = base("app").dir("/home/app", 0750, 10001, 10001).build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD204").empty());
}

TEST(PD204, GroupWritableHomeIsQuiet) {
  Image img = base("app").dir("/home/app", 0770, 0, 10001).build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD204").empty());
}

TEST(PD204, HomeBehindUntraversableDirFires) {
  Image img = base("svc").dir("/srv", 0700).dir("/srv/svc", 0755, 10002, 10002).build();
  auto fs = findingsOf(lintImage(img), "PD204");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/srv/svc");
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/srv");
  EXPECT_EQ(fs[0].fix, "RUN chmod o+x /srv");
}

TEST(PD204, HomeThroughSymlinkIsFollowed) {
  Image img =
      base("app").dir("/data/app", 0755, 10001, 10001).symlink("/home/app", "/data/app").build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD204").empty());
}

TEST(PD204, SkipsRootNoEntryAndNoHomeConventions) {
  EXPECT_TRUE(findingsOf(lintImage(base("").build()), "PD204").empty());
  EXPECT_TRUE(findingsOf(lintImage(base("4242").build()), "PD204").empty());    // no passwd entry
  EXPECT_TRUE(findingsOf(lintImage(base("nobody").build()), "PD204").empty());  // /nonexistent
}

TEST(PD204, OnlyGenericAndKubernetes) {
  Image img = base("10001").build();
  EXPECT_EQ(findingsOf(lintImage(img, "kubernetes"), "PD204").size(), 1u);
  EXPECT_TRUE(findingsOf(lintImage(img, "lambda"), "PD204").empty());
  EXPECT_TRUE(findingsOf(lintImage(img, "openshift"), "PD204").empty());
}

TEST(PD204, UserOverrideChecksThatUsersHome) {
  Image img = base("").dir("/srv/svc", 0755, 10002, 10002).build();
  EXPECT_TRUE(findingsOf(lintImage(img, "kubernetes", "10002"), "PD204").empty());
  auto fs = findingsOf(lintImage(img, "kubernetes", "10001"), "PD204");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/home/app");
}

TEST(PD204, EnvHomeReplacesThePasswdHome) {
  // `ENV HOME=/tmp` is the documented alternative fix.
  Image ok = base("10001")
                 .dir("/tmp", 01777)
                 .config([](ImageConfig& c) { c.env = {"HOME=/tmp"}; })
                 .build();
  EXPECT_TRUE(findingsOf(lintImage(ok), "PD204").empty());
  Image bad = base("10001")
                  .dir("/data", 0755)
                  .config([](ImageConfig& c) { c.env = {"HOME=/data"}; })
                  .build();
  auto fs = findingsOf(lintImage(bad), "PD204");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/data");
  EXPECT_EQ(fs[0].evidence.json()["source"], "Env HOME");
}

}  // namespace
}  // namespace pd::testing
