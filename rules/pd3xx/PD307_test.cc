#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// `n` files of `size` bytes under /app/site, written by one COPY layer.
ImageBuilder& site(ImageBuilder& b, int n, int64_t size, uint32_t mode, uint32_t uid = 0) {
  for (int i = 0; i < n; ++i)
    b.file("/app/site/f" + std::to_string(i) + ".html", mode, "x", uid, uid, size);
  return b;
}

TEST(PD307, ChmodLayerDuplicatingAMebibyteFires) {
  ImageBuilder b = shellBase();
  b.layer("COPY site /app/site");
  site(b, 4, 300000, 0644);
  b.layer("RUN chmod -R 0755 /app/site");
  site(b, 4, 300000, 0755);
  Image img = b.build();
  auto fs = findingsOf(lintImage(img), "PD307");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/app/site");
  EXPECT_EQ(fs[0].paths.size(), 4u);
  EXPECT_EQ(fs[0].layer, 2);
  EXPECT_EQ(fs[0].evidence.json()["bytesDuplicated"], 1200000);
  EXPECT_EQ(fs[0].evidence.json()["files"], 4);
  EXPECT_EQ(fs[0].evidence.json()["modeChanged"], 4);
  EXPECT_EQ(fs[0].evidence.json()["ownerChanged"], 0);
  EXPECT_EQ(fs[0].evidence.json()["originalLayers"], nlohmann::json::array({1}));
  EXPECT_NE(fs[0].message.find("`RUN chmod -R 0755 /app/site`"), std::string::npos);
  EXPECT_EQ(fs[0].fix, "COPY --chmod=0755 <src> /app/site");
  EXPECT_NE(fs[0].message.find("in the original COPY instead of RUN chmod/chown -R"),
            std::string::npos);
}

TEST(PD307, ChownOfManySmallFilesFires) {
  ImageBuilder b = shellBase();
  b.layer("COPY site /app/site");
  site(b, 100, 10, 0644);
  b.layer("RUN chown -R 1000:1000 /app/site");
  site(b, 100, 10, 0644, 1000);
  auto fs = findingsOf(lintImage(b.build()), "PD307");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["ownerChanged"], 100);
  EXPECT_EQ(fs[0].fix, "COPY --chown=1000:1000 <src> /app/site");
}

TEST(PD307, SmallChmodIsBelowTheNoiseGuard) {
  ImageBuilder b = shellBase();
  b.layer("COPY site /app/site");
  site(b, 99, 10000, 0644);  // 99 files, under 1 MiB
  b.layer("RUN chmod -R 0755 /app/site");
  site(b, 99, 10000, 0755);
  EXPECT_TRUE(findingsOf(lintImage(b.build()), "PD307").empty());
}

TEST(PD307, ChangedContentIsNoMetadataCopy) {
  ImageBuilder b = shellBase();
  b.layer("COPY site /app/site");
  site(b, 4, 300000, 0644);
  b.layer("RUN build");
  site(b, 4, 300001, 0755);  // a different size: new content
  Image img = b.build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD307").empty());
}

TEST(PD307, OneFindingPerDuplicatingLayer) {
  ImageBuilder b = shellBase();
  b.layer("COPY site /app/site");
  site(b, 2, 600000, 0644);
  b.layer("RUN chmod -R 0755 /app/site");
  site(b, 2, 600000, 0755);
  b.layer("RUN chown -R 1000:1000 /app/site");
  site(b, 2, 600000, 0755, 1000);
  auto fs = findingsOf(lintImage(b.build()), "PD307");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(fs[0].layer + fs[1].layer, 5);  // layers 2 and 3
}

}  // namespace
}  // namespace pd::testing
