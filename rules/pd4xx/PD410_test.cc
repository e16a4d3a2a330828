#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// ImageBuilder writes only the entries it is given, like a tar made from a file list.
ImageBuilder base() {
  ImageBuilder b;
  b.layer("base").dir("/var", 0755).dir("/var/task", 0755).config([](ImageConfig& c) {
    c.env = {"LAMBDA_TASK_ROOT=/var/task"};
  });
  return b;
}

TEST(PD410, FileWithoutItsDirectoryEntryFiresOncePerLayer) {
  Image img = base()
                  .layer("tar --no-recursion")
                  .file("/var/task/pkg/sub/mod.py", 0644, "x")
                  .file("/var/task/pkg/b.py", 0644, "x")
                  .build();
  auto fs = findingsOf(lintImage(img, "lambda"), "PD410");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].path, "/var/task/pkg");
  EXPECT_EQ(fs[0].paths, (std::vector<std::string>{"/var/task/pkg", "/var/task/pkg/sub"}));
  EXPECT_NE(fs[0].message.find("adds /var/task/pkg/sub/mod.py without an entry for its "
                               "directory /var/task/pkg (and 1 more)"),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].message.find("Parent directory does not exist for file: "
                               "var/task/pkg/sub/mod.py"),
            std::string::npos);
}

TEST(PD410, DirectoryEntryLaterInTheLayerOrInAnEarlierLayerIsQuiet) {
  Image later = base()
                    .layer("files then dirs")
                    .file("/var/task/pkg/mod.py", 0644, "x")
                    .dir("/var/task/pkg", 0755)
                    .build();
  EXPECT_TRUE(findingsOf(lintImage(later, "lambda"), "PD410").empty());
  Image earlier = base()
                      .layer("mkdir")
                      .dir("/var/task/pkg", 0755)
                      .layer("files")
                      .file("/var/task/pkg/mod.py", 0644, "x")
                      .build();
  EXPECT_TRUE(findingsOf(lintImage(earlier, "lambda"), "PD410").empty());
}

TEST(PD410, OnlyInTheLambdaProfile) {
  Image img = base().layer("files").file("/var/task/pkg/mod.py", 0644, "x").build();
  EXPECT_EQ(findingsOf(lintImage(img, "lambda"), "PD410").size(), 1u);
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD410").empty());
}

}  // namespace
}  // namespace pd::testing
