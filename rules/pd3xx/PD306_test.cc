#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

constexpr int64_t MiB = 1 << 20;

ImageBuilder base() {
  ImageBuilder b;
  b.layer("base").file("/bin/sh", 0755, "#!/bin/true\n", 0, 0, 2 * MiB).config([](ImageConfig& c) {
    c.user = "65534";
    c.cmd = {"/bin/sh"};
  });
  return b;
}

TEST(PD306, DeletedBytesAboveBothThresholdsFire) {
  Image img = base()
                  .layer("RUN curl -o /tmp/sdk.tar.gz")
                  .file("/tmp/sdk.tar.gz", 0644, "x", 0, 0, 12 * MiB)
                  .file("/tmp/small", 0644, "x", 0, 0, 1000)
                  .layer("RUN rm /tmp/sdk.tar.gz /tmp/small")
                  .whiteout("/tmp/sdk.tar.gz")
                  .whiteout("/tmp/small")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD306");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/tmp/sdk.tar.gz");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["wastedBytes"], 12 * MiB + 1000);
  EXPECT_EQ(fs[0].evidence.json()["files"], 2);
  ASSERT_EQ(fs[0].evidence.json()["largest"].size(), 2u);
  EXPECT_EQ(fs[0].evidence.json()["largest"][0]["path"], "/tmp/sdk.tar.gz");
  EXPECT_EQ(fs[0].evidence.json()["largest"][0]["removedByLayer"], 2);
  EXPECT_EQ(fs[0].evidence.json()["largest"][0]["how"], "deleted");
  EXPECT_NEAR(fs[0].evidence.json()["fraction"].get<double>(),
              (12.0 * MiB + 1000) / (14.0 * MiB + 1000), 1e-9);
  EXPECT_NE(fs[0].message.find("RUN rm /tmp/sdk.tar.gz"), std::string::npos);
}

TEST(PD306, OverwrittenBytesCount) {
  Image img = base()
                  .layer("RUN fetch model")
                  .file("/opt/model.bin", 0644, "x", 0, 0, 11 * MiB)
                  .layer("RUN echo small > /opt/model.bin")
                  .file("/opt/model.bin", 0644, "small\n")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD306");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/opt/model.bin");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["largest"][0]["how"], "overwritten");
}

TEST(PD306, BelowEitherThresholdIsQuiet) {
  // 9 MiB wasted: under 10 MiB.
  Image small = base()
                    .layer("a")
                    .file("/tmp/a", 0644, "x", 0, 0, 9 * MiB)
                    .layer("b")
                    .whiteout("/tmp/a")
                    .build();
  EXPECT_TRUE(findingsOf(lintImage(small), "PD306").empty());
  // 11 MiB wasted in a 300 MiB image: under 5 %.
  Image big = base()
                  .layer("a")
                  .file("/usr/lib/big", 0644, "x", 0, 0, 289 * MiB)
                  .file("/tmp/a", 0644, "x", 0, 0, 11 * MiB)
                  .layer("b")
                  .whiteout("/tmp/a")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(big), "PD306").empty());
}

TEST(PD306, ThresholdsAreOptions) {
  Image img = base()
                  .layer("a")
                  .file("/tmp/a", 0644, "x", 0, 0, 1 * MiB)
                  .layer("b")
                  .whiteout("/tmp/a")
                  .build();
  LintOptions o;
  o.profile = "auto";
  EXPECT_TRUE(findingsOf(lint(img, ruleTable(), o), "PD306").empty());
  o.ruleOptions = {"PD306.min-wasted-bytes=512KiB"};
  EXPECT_EQ(findingsOf(lint(img, ruleTable(), o), "PD306").size(), 1u);
}

}  // namespace
}  // namespace pd::testing
