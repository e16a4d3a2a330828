#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withShadow(const std::string& shadow) {
  ImageBuilder b;
  b.layer("base")
      .file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n")
      .file("/etc/shadow", 0640, shadow, 0, 42)
      .config([](ImageConfig& c) { c.user = "65534"; });
  return b.build();
}

TEST(PD206, EmptyPasswordFiresOnceListingAccounts) {
  auto fs = findingsOf(lintImage(withShadow("root::19800:0:99999:7:::\n"
                                            "daemon:*:19700:0:99999:7:::\n"
                                            "guest::19700:0:99999:7:::\n")),
                       "PD206");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/etc/shadow");
  ASSERT_EQ(fs[0].evidence.json()["accounts"].size(), 2u);
  EXPECT_EQ(fs[0].evidence.json()["accounts"][0]["name"], "root");
  EXPECT_EQ(fs[0].evidence.json()["accounts"][0]["line"], 1);
  EXPECT_EQ(fs[0].evidence.json()["accounts"][1]["name"], "guest");
  EXPECT_EQ(fs[0].evidence.json()["accounts"][1]["line"], 3);
  EXPECT_EQ(fs[0].fix, "RUN passwd -l root && passwd -l guest");
  EXPECT_NE(fs[0].message.find("CVE-2019-5021"), std::string::npos);
}

TEST(PD206, LockedAndHashedAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(withShadow("root:!:19800::::::\n"
                                              "a:*:1::::::\n"
                                              "b:!*:1::::::\n"
                                              "c:x:1::::::\n"
                                              "d:$6$salt$hash:1::::::\n"
                                              "e:!$6$salt$hash:1::::::\n")),
                         "PD206")
                  .empty());
}

TEST(PD206, NoShadowIsQuiet) {
  ImageBuilder b;
  b.layer().file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n");
  EXPECT_TRUE(findingsOf(lintImage(b.build()), "PD206").empty());
}

}  // namespace
}  // namespace pd::testing
