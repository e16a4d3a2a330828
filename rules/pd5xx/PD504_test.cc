#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withUnextractable(int64_t countInLayer1, std::vector<Unextractable> kept) {
  Image img = ImageBuilder()
                  .layer("ADD rootfs.tar /")
                  .file("/etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n")
                  .layer("COPY node_modules /app/node_modules")
                  .file("/app/node_modules/a/index.js", 0644, "x")
                  .build();
  img.layers[1].unextractable = countInLayer1;
  img.unextractable = std::move(kept);
  return img;
}

TEST(PD504, OneFindingPerLayerNamingTheFirstEntry) {
  std::string head(Unextractable::kHeadBytes, 'n');
  Image img = withUnextractable(3, {{head, 5009, Unextractable::Why::Name, 1},
                                    {"app/x", 300, Unextractable::Why::Component, 1},
                                    {"app/l", 4100, Unextractable::Why::SymlinkTarget, 1}});
  auto fs = findingsOf(lintImage(img), "PD504");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].severity, Severity::Error);
  EXPECT_NE(fs[0].message.find("has 3 tar entries no runtime can extract: \"" + head +
                               "…\" has a name longer than PATH_MAX (4096 bytes) (5009 bytes)"),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].message.find("file name too long"), std::string::npos);
  // The rest of the image is still linted: the layer's other files are in the tree.
  EXPECT_NE(img.tree.find("/app/node_modules/a/index.js"), nullptr);
}

TEST(PD504, ImageWithoutSuchEntriesIsQuiet) {
  Image img = withUnextractable(0, {});
  EXPECT_TRUE(findingsOf(lintImage(img), "PD504").empty());
}

TEST(PD504, FiresInEveryProfile) {
  for (const char* profile : {"generic", "lambda", "kubernetes", "openshift"}) {
    Image img = withUnextractable(1, {{"a/b", 256, Unextractable::Why::Component, 1}});
    EXPECT_EQ(findingsOf(lintImage(img, profile), "PD504").size(), 1u) << profile;
  }
}

}  // namespace
}  // namespace pd::testing
