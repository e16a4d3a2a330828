// The engine around the rules: it fills what the table knows and holds findings to the
// path/paths contract, whatever rule table it is given.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// Reports each program that runs as /uid/<who runs it><program>.
class NamesWhoRuns : public ProgramRule {
  void checkProgram(Context& ctx, const RunningProgram& rp) const override {
    Finding f;
    f.at("/uid/" + std::to_string(ctx.identity.uid) + rp.program->path);
    f.message = "runs";
    ctx.diag(std::move(f));
  }
};
const RuleEntry kWhoRuns{.id = "PD998",
                         .severity = Severity::Warning,
                         .title = "who runs",
                         .doc = "",
                         .make = makeRule<NamesWhoRuns>,
                         .alsoAsSwitchedUser = true};

// A start script that switches user with gosu before it hands over: rules marked
// alsoAsSwitchedUser judge the handed-over program again, as that user.
TEST(Engine, RulesRunAgainAsTheUserTheStartScriptSwitchesTo) {
  auto image = [](const std::string& script) {
    return ImageBuilder()
        .layer("base")
        .file("/etc/passwd", 0644,
              "root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh\n")
        .file("/bin/sh", 0755, "#!/bin/true\n")
        .file("/usr/local/bin/gosu", 0755, "#!/bin/true\n")
        .file("/entrypoint.sh", 0755, script)
        .file("/app/server", 0755, "#!/bin/sh\n")
        .config([](ImageConfig& c) {
          c.entrypoint = {"/entrypoint.sh"};
          c.cmd = {"/app/server"};
        })
        .build();
  };
  const RuleEntry* table[] = {&kWhoRuns};
  LintResult r = lint(image("#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then exec gosu app \"$0\" \"$@\"; "
                            "fi\nexec \"$@\"\n"),
                      table, LintOptions{});
  ASSERT_EQ(r.findings.size(), 3u);
  std::vector<std::string> seen;
  for (const auto& f : r.findings) seen.push_back(*f.path);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"/uid/0/app/server", "/uid/0/entrypoint.sh",
                                            "/uid/10001/app/server"}));
  for (const auto& f : r.findings)
    if (*f.path == "/uid/10001/app/server") {
      EXPECT_EQ(f.evidence.json()["asSwitchedUser"]["tool"], "gosu");
      EXPECT_EQ(f.evidence.json()["asSwitchedUser"]["line"], 2);
      EXPECT_NE(f.message.find("switches to this user with gosu (line 2)"), std::string::npos);
    }
  // What the first pass already reported is not repeated by the second.
  const RuleEntry* same[] = {&kEntry<0>};
  RuleEntry again = kEntry<0>;
  again.alsoAsSwitchedUser = true;
  const RuleEntry* twice[] = {&again};
  std::string gosu = "#!/bin/sh\nexec gosu app \"$@\"\n";
  EXPECT_EQ(lint(image(gosu), same, LintOptions{}).findings.size(), 1u);
  EXPECT_EQ(lint(image(gosu), twice, LintOptions{}).findings.size(), 1u);
  // Without a switch, one pass.
  LintResult plain = lint(image("#!/bin/sh\nexec \"$@\"\n"), table, LintOptions{});
  EXPECT_EQ(plain.findings.size(), 2u);
}

}  // namespace
}  // namespace pd
