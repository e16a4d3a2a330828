#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

TEST(PD107, SetuidAndSetgidFilesFireOncePerLayer) {
  Image img = ImageBuilder()
                  .layer("COPY --chmod=4755 busybox /usr/local/bin/helper")
                  .file("/usr/local/bin/helper", 04755, "x")
                  .layer("COPY --chmod=2755 busybox /opt/tool/gtool")
                  .file("/opt/tool/gtool", 02755, "x", 0, 50)
                  .build();
  auto fs = findingsOf(lintImage(img), "PD107");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs[0].path, "/opt/tool/gtool");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["mode"], "2755");
  EXPECT_EQ(fs[0].evidence.json()["gid"], 50);
  EXPECT_EQ(fs[0].evidence.json()["setgid"], true);
  EXPECT_EQ(fs[0].evidence.json()["setuid"], false);
  EXPECT_NE(fs[0].fix.find("chmod g-s /opt/tool/gtool"), std::string::npos) << fs[0].fix;
  EXPECT_EQ(fs[1].path, "/usr/local/bin/helper");
  EXPECT_EQ(fs[1].evidence.json()["mode"], "4755");
  EXPECT_EQ(fs[1].evidence.json()["uid"], 0);
  EXPECT_NE(fs[1].message.find("uid 0 (root)"), std::string::npos) << fs[1].message;
  EXPECT_EQ(fs[1].severity, Severity::Info);
}

TEST(PD107, BaseImageSetIsOneFinding) {
  Image img = ImageBuilder()
                  .layer("FROM debian")
                  .file("/usr/bin/su", 04755, "x")
                  .file("/usr/bin/passwd", 04755, "x")
                  .file("/usr/bin/chage", 02755, "x", 0, 42)
                  .file("/usr/sbin/unix_chkpwd", 02755, "x", 0, 42)
                  .file("/usr/bin/ls", 0755, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD107");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/usr");
  EXPECT_EQ(fs[0].paths, (std::vector<std::string>{"/usr/bin/chage", "/usr/bin/passwd",
                                                   "/usr/bin/su", "/usr/sbin/unix_chkpwd"}));
  EXPECT_EQ(fs[0].evidence.json()["count"], 4);
  EXPECT_EQ(fs[0].evidence.json()["files"]["/usr/bin/su"]["mode"], "4755");
  EXPECT_EQ(fs[0].evidence.json()["files"]["/usr/sbin/unix_chkpwd"]["gid"], 42);
  EXPECT_NE(fs[0].message.find("2 setuid root"), std::string::npos) << fs[0].message;
}

TEST(PD107, SetgidDirectoryAndPlainFilesAreQuiet) {
  Image img = ImageBuilder()
                  .dir("/srv/shared", 02775)
                  .dir("/tmp", 01777)
                  .file("/usr/local/bin/helper", 0755, "x")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD107").empty());
}

}  // namespace
}  // namespace pd
