// Names from an image must render as themselves in a pull-request comment or step summary.
#include <gtest/gtest.h>

#include <sstream>

#include "report/report.h"
#include "support/image_builder.h"

namespace pd {
namespace {

std::string markdownOf(const std::string& path, const std::string& message,
                       const std::string& fix) {
  Image img = testing::ImageBuilder().layer().file("/x").build();
  img.source = "app`s|<b>.tar";
  ImageReport r{&img, {}};
  Finding f;
  f.rule = "PD105";
  f.severity = Severity::Error;
  f.path = path;
  f.message = message;
  f.fix = fix;
  r.result.findings.push_back(f);
  std::ostringstream out;
  writeMarkdown(out, {r}, {});
  return out.str();
}

TEST(Markdown, TextIsEscapedNotRendered) {
  std::string md = markdownOf("/p", "reads __init__.py via <do> & *x* | y", "");
  EXPECT_NE(md.find("reads \\_\\_init\\_\\_.py via \\<do\\> \\& \\*x\\* \\| y"), std::string::npos)
      << md;
}

TEST(Markdown, CodeSpansHoldBackticksAndPipes) {
  std::string md = markdownOf("/var/task/a`b|c", "m", "RUN chmod 0644 `x`");
  EXPECT_NE(md.find("``/var/task/a`b\\|c``"), std::string::npos) << md;
  EXPECT_NE(md.find("`` RUN chmod 0644 `x` ``"), std::string::npos) << md;  // ends in `: padded
  EXPECT_NE(md.find("``app`s\\|<b>.tar``"), std::string::npos) << md;
}

}  // namespace
}  // namespace pd
