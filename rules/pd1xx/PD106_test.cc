#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

std::vector<std::string> pathsOf(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.path.value_or(""));
  return out;
}

TEST(PD106, WorldWritableDirectoryAndFileFire) {
  Image img = ImageBuilder()
                  .layer("FROM base")
                  .dir("/tmp", 01777)
                  .layer("RUN mkdir /app/uploads && chmod 0777 ... && chmod 0666 /srv/cache.db")
                  .dir("/app/uploads", 0777)
                  .file("/srv/cache.db", 0666, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD106");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/app/uploads", "/srv/cache.db"}));
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0777");
  EXPECT_EQ(fs[0].evidence.json()["type"], "directory");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix.rfind("RUN chmod o-w /app/uploads", 0), 0u) << fs[0].fix;
  EXPECT_EQ(fs[1].evidence.json()["mode"], "0666");
  EXPECT_EQ(fs[1].evidence.json()["type"], "file");
}

TEST(PD106, StickyScratchSymlinksAndDevicesAreQuiet) {
  Image img = ImageBuilder()
                  .dir("/app/uploads", 01777)
                  .dir("/tmp", 01777)
                  .dir("/tmp/cache", 0777)
                  .file("/tmp/cache/x", 0666, "x")
                  .dir("/var/tmp", 0777)
                  .dir("/dev/shm", 0777)
                  .file("/app/run.sh", 0755, "x")
                  .symlink("/usr/local/bin/run", "/app/run.sh")
                  .dir("/srv", 0775)
                  .file("/srv/shared", 0664, "x")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD106").empty());
}

TEST(PD106, ChmodRecursiveIsOneFindingPerTypeAtTheTop) {
  Image img = ImageBuilder()
                  .layer("COPY . /app")
                  .dir("/app", 0755)
                  .file("/app/a.js", 0644, "x")
                  .dir("/app/lib", 0755)
                  .file("/app/lib/b.js", 0644, "x")
                  .layer("RUN chmod -R 777 /app")
                  .dir("/app", 0777)
                  .file("/app/a.js", 0777, "x")
                  .dir("/app/lib", 0777)
                  .file("/app/lib/b.js", 0777, "x")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD106");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/app", "/app"}));
  for (const auto& f : fs) {
    EXPECT_EQ(f.layer, 1);
    if (f.evidence.json()["type"] == "directory")
      EXPECT_EQ(f.paths, (std::vector<std::string>{"/app", "/app/lib"}));
    else
      EXPECT_EQ(f.paths, (std::vector<std::string>{"/app/a.js", "/app/lib/b.js"}));
    EXPECT_NE(f.fix.find("chmod -R o-w /app"), std::string::npos) << f.fix;
  }
}

TEST(PD106, UnrelatedPathsDoNotMergeIntoSlash) {
  Image img = ImageBuilder().file("/srv/a.db", 0666, "x").file("/var/lib/b.db", 0666, "x").build();
  auto fs = findingsOf(lintImage(img), "PD106");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/srv/a.db", "/var/lib/b.db"}));
  // Siblings with one cause stay one finding.
  Image sib = ImageBuilder().file("/srv/a.db", 0666, "x").file("/srv/b.db", 0666, "x").build();
  auto s = findingsOf(lintImage(sib), "PD106");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].path, "/srv");
  EXPECT_EQ(s[0].paths, (std::vector<std::string>{"/srv/a.db", "/srv/b.db"}));
}

TEST(PD106, StickyBitDoesNotProtectAFile) {
  Image img = ImageBuilder().file("/srv/data", 01666, "x").build();
  auto fs = findingsOf(lintImage(img), "PD106");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/srv/data");
}

TEST(PD106, ExemptionIsByPathComponentNotPrefix) {
  Image img = ImageBuilder().dir("/tmpdata", 0777).dir("/var/tmp2", 0777).build();
  auto fs = findingsOf(lintImage(img), "PD106");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(pathsOf(fs), (std::vector<std::string>{"/tmpdata", "/var/tmp2"}));
}

}  // namespace
}  // namespace pd
