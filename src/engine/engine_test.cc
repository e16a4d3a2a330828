// The engine around the rules: it fills what the table knows and holds findings to the
// path/paths contract, whatever rule table it is given.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::ImageBuilder;

// Reports /app/a the way it is told to.
template <int How>
class PointsAt : public Rule {
 public:
  void check(Context& ctx) const override {
    Finding f;
    if (How == 0) f.at("/app/a");
    if (How == 1) f.over("/app", {"/app/a", "/app/b"});
    if (How == 2) f.path = "/app/a";  // bypasses at(): paths stays empty
    ctx.diag(std::move(f));
  }
};

template <int How>
const RuleEntry kEntry{.id = "PD999",
                       .severity = Severity::Warning,
                       .title = "test rule",
                       .doc = "",
                       .make = makeRule<PointsAt<How>>};

template <int How>
LintResult run() {
  Image img = ImageBuilder().layer("COPY app").dir("/app").file("/app/a", 0644, "a").build();
  const RuleEntry* table[] = {&kEntry<How>};
  return lint(img, table, LintOptions{});
}

TEST(Engine, FillsIdSeverityTitleAndLayerFromTheTable) {
  LintResult r = run<0>();
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule, "PD999");
  EXPECT_EQ(f.severity, Severity::Warning);
  EXPECT_EQ(f.title, "test rule");
  EXPECT_EQ(f.path, "/app/a");
  EXPECT_EQ(f.paths, std::vector<std::string>{"/app/a"});
  EXPECT_EQ(f.layer, 0);
}

TEST(Engine, AGroupPointsAtItsTopAndListsEveryPath) {
  LintResult r = run<1>();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].path, "/app");
  EXPECT_EQ(r.findings[0].paths, (std::vector<std::string>{"/app/a", "/app/b"}));
}

TEST(Engine, PathWithoutPathsIsABugNotAReport) {
  EXPECT_THROW(run<2>(), std::logic_error);
}

}  // namespace
}  // namespace pd
