#include <gtest/gtest.h>

#include <sstream>

#include "report/report.h"
#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withEscapes(std::vector<Escape> escapes) {
  Image img = ImageBuilder()
                  .layer("ADD layer0.tar /")
                  .file("/etc/evil", 0644, "x")
                  .layer("ADD layer1.tar /")
                  .file("/abs/file", 0644, "x")
                  .build();
  img.escapes = std::move(escapes);
  return img;
}

TEST(PD502, OneFindingPerLayer) {
  Image img = withEscapes({{0, "../../etc/evil", "/etc/evil"},
                           {0, "/abs/file", "/abs/file"},
                           {0, "app/.wh...", ""},
                           {1, "app/passwd => ../../etc/shadow", "/app/passwd"}});
  auto fs = findingsOf(lintImage(img), "PD502");
  ASSERT_EQ(fs.size(), 2u);
  const Finding& l0 = fs[0].layer == 0 ? fs[0] : fs[1];
  const Finding& l1 = fs[0].layer == 0 ? fs[1] : fs[0];
  EXPECT_EQ(l0.layer, 0);
  EXPECT_EQ(*l0.path, "/etc/evil");
  EXPECT_EQ(l0.paths, (std::vector<std::string>{"/etc/evil", "/abs/file"}));
  EXPECT_EQ(l0.evidence.json()["rawNames"],
            nlohmann::json::array({"../../etc/evil", "/abs/file", "app/.wh..."}));
  EXPECT_EQ(l0.evidence.json()["count"], 3);
  EXPECT_NE(l0.message.find("\"app/.wh...\" (dropped)"), std::string::npos);
  EXPECT_NE(l0.message.find("(ADD layer0.tar /)"), std::string::npos);
  EXPECT_EQ(l1.layer, 1);  // set by the rule: /app/passwd is not in the final tree
  EXPECT_EQ(*l1.path, "/app/passwd");
  EXPECT_EQ(l1.evidence.json()["layer"], 1);
}

TEST(PD502, OnlyDroppedNamesGiveAnImageWideFinding) {
  auto fs = findingsOf(lintImage(withEscapes({{1, ".wh..", ""}})), "PD502");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_TRUE(fs[0].paths.empty());
  EXPECT_EQ(fs[0].layer, 1);
}

TEST(PD502, CleanImageIsQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(withEscapes({})), "PD502").empty());
  // kaniko writes an absolute "/" entry for the root in every layer: harmless.
  EXPECT_TRUE(
      findingsOf(lintImage(withEscapes({{0, "/", "/"}, {1, "/./", "/"}})), "PD502").empty());
  // ".." names the root's parent: reported.
  auto fs = findingsOf(lintImage(withEscapes({{0, "/", "/"}, {0, "..", "/"}})), "PD502");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["rawNames"], nlohmann::json::array({".."}));
}

TEST(PD502, NonUtf8NamesDoNotBreakTheReports) {
  std::string raw = "../x\xff\xfe\n\x1b[31m";
  Image img = withEscapes({{0, raw, "/x\xff\xfe\n\x1b[31m"}});
  auto r = lintImage(img);
  auto fs = findingsOf(r, "PD502");
  ASSERT_EQ(fs.size(), 1u);
  // The message stays printable; the evidence keeps the raw bytes.
  EXPECT_NE(fs[0].message.find("../x\\xff\\xfe\\x0a\\x1b[31m"), std::string::npos);
  EXPECT_EQ(fs[0].message.find('\n'), std::string::npos);
  EXPECT_EQ(fs[0].evidence.json()["rawNames"][0], raw);
  std::vector<ImageReport> reports(1);
  reports[0].image = &img;
  reports[0].result = r;
  // Every report format copes: nothing throws, JSON stays valid (invalid bytes replaced).
  for (std::string name : {"text", "json", "sarif", "junit", "markdown", "gitlab"}) {
    const ReportFormat* fmt = findReportFormat(name);
    ASSERT_NE(fmt, nullptr) << name;
    std::ostringstream out;
    EXPECT_NO_THROW(fmt->write(out, reports, ReportStyle{})) << name;
    if (name == "text" || name == "json") {
      EXPECT_NE(out.str().find("PD502"), std::string::npos) << name;
    }
    if (name == "json" || name == "sarif" || name == "gitlab") {
      EXPECT_TRUE(nlohmann::json::accept(out.str())) << name;
    }
  }
}

}  // namespace
}  // namespace pd::testing
