#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image sized(int64_t bigLayerBytes) {
  return ImageBuilder()
      .layer("COPY app.py /var/task/")
      .file("/var/task/app.py", 0644, "x", 0, 0, 1000)
      .layer("RUN pip install torch")
      .file("/var/lang/lib/torch.so", 0755, "", 0, 0, bigLayerBytes)
      .config([](ImageConfig& c) { c.env = {"LAMBDA_TASK_ROOT=/var/task"}; })
      .build();
}

TEST(PD405, OverTenGiBFires) {
  Image img = sized((10LL << 30) + 1);
  ASSERT_EQ(img.uncompressedSize, (10LL << 30) + 1001);
  auto fs = findingsOf(lintImage(img), "PD405");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["uncompressedSize"], (10LL << 30) + 1001);
  EXPECT_EQ(fs[0].evidence.json()["limit"], 10LL << 30);
  ASSERT_EQ(fs[0].evidence.json()["largestLayers"].size(), 2u);
  EXPECT_EQ(fs[0].evidence.json()["largestLayers"][0]["index"], 1);
  EXPECT_EQ(fs[0].evidence.json()["largestLayers"][0]["createdBy"], "RUN pip install torch");
  EXPECT_NE(fs[0].message.find("SizeLimitExceeded"), std::string::npos);
}

TEST(PD405, AtTheLimitIsQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(sized((10LL << 30) - 1000)), "PD405").empty());
  EXPECT_TRUE(findingsOf(lintImage(sized(11LL << 30), "generic"), "PD405").empty());
}

TEST(PD405, LimitComesFromTheOptions) {
  LintOptions o;
  o.profile = "lambda";
  o.ruleOptions = {"PD405.max-bytes=1500"};
  EXPECT_EQ(findingsOf(lint(sized(1000), ruleTable(), o), "PD405").size(), 1u);
  o.ruleOptions = {"PD405.max-bytes=2000"};
  EXPECT_TRUE(findingsOf(lint(sized(1000), ruleTable(), o), "PD405").empty());
}

}  // namespace
}  // namespace pd::testing
