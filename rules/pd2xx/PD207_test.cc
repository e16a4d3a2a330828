#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image accounts(const std::string& passwd, const std::string& group) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644, passwd)
      .file("/etc/group", 0644, group)
      .config([](ImageConfig& c) { c.user = "65534"; });
  return b.build();
}

TEST(PD207, DuplicateUidFires) {
  auto fs = findingsOf(lintImage(accounts("root:x:0:0:root:/root:/bin/sh\n"
                                          "node:x:1000:1000::/home/node:/bin/sh\n"
                                          "toor:x:0:0:root:/root:/bin/sh\n",
                                          "root:x:0:\nnode:x:1000:\n")),
                       "PD207");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/etc/passwd");
  EXPECT_EQ(fs[0].evidence.json()["uid"], 0);
  ASSERT_EQ(fs[0].evidence.json()["entries"].size(), 2u);
  EXPECT_EQ(fs[0].evidence.json()["entries"][1]["name"], "toor");
  EXPECT_EQ(fs[0].evidence.json()["entries"][1]["line"], 3);
  EXPECT_NE(fs[0].message.find("root account"), std::string::npos);
  EXPECT_EQ(fs[0].fix.rfind("RUN sed -i -e '/^toor:/d' /etc/passwd", 0), 0u);
}

TEST(PD207, DuplicateGidAndUidEachMakeOneFinding) {
  auto fs = findingsOf(lintImage(accounts("a:x:1000:1000::/:/bin/sh\n"
                                          "b:x:1000:1000::/:/bin/sh\n"
                                          "c:x:1000:1000::/:/bin/sh\n",
                                          "root:x:0:\nwheel:x:0:\nusers:x:100:\nstaff:x:100:\n")),
                       "PD207");
  ASSERT_EQ(fs.size(), 3u);
  // Reports sort by path: /etc/group first.
  EXPECT_EQ(*fs[0].path, "/etc/group");
  EXPECT_EQ(fs[0].evidence.json()["gid"], 0);
  EXPECT_EQ(*fs[1].path, "/etc/group");
  EXPECT_EQ(fs[1].evidence.json()["gid"], 100);
  EXPECT_EQ(*fs[2].path, "/etc/passwd");
  EXPECT_EQ(fs[2].evidence.json()["uid"], 1000);
  EXPECT_EQ(fs[2].evidence.json()["entries"].size(), 3u);
}

TEST(PD207, SameLineTwiceIsRemovedByLineNumber) {
  auto fs = findingsOf(lintImage(accounts("root:x:0:0:root:/root:/bin/sh\n"
                                          "app:x:1000:1000::/app:/bin/sh\n"
                                          "app:x:1000:1000::/app:/bin/sh\n",
                                          "root:x:0:\n")),
                       "PD207");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix.rfind("RUN sed -i -e '3d' /etc/passwd", 0), 0u);
}

TEST(PD207, DistinctIdsAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(accounts("root:x:0:0:root:/root:/bin/sh\n"
                                            "app:x:1000:0::/app:/bin/sh\n",
                                            "root:x:0:\napp:x:1000:\n")),
                         "PD207")
                  .empty());
}

}  // namespace
}  // namespace pd::testing
