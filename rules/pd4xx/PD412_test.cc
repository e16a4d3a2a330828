#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image lambda(std::vector<std::string> entrypoint, std::vector<std::string> cmd) {
  return ImageBuilder()
      .layer()
      .file("/var/task/main", 0755,
            "\x7f"
            "ELF")
      .file("/usr/local/bin/serve", 0755,
            "\x7f"
            "ELF")
      .config([&](ImageConfig& c) {
        c.entrypoint = entrypoint;
        c.cmd = cmd;
        c.workingDir = "/var/task";
        c.env = {"LAMBDA_TASK_ROOT=/var/task", "PATH=/usr/local/bin:/usr/bin"};
      })
      .build();
}

TEST(PD412, RelativeEntrypointFiresWithTheAbsolutePathDockerWouldFind) {
  auto fs = findingsOf(lintImage(lambda({"./main"}, {}), "lambda"), "PD412");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_NE(fs[0].message.find("ENTRYPOINT \"./main\" is not an absolute path (Docker finds "
                               "/var/task/main)"),
            std::string::npos)
      << fs[0].message;
  EXPECT_EQ(fs[0].fix, "ENTRYPOINT [\"/var/task/main\"]");
  EXPECT_EQ(fs[0].severity, Severity::Warning);
}

TEST(PD412, BareNameOnPathFires) {
  auto fs = findingsOf(lintImage(lambda({"serve", "--port", "8080"}, {}), "lambda"), "PD412");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix, "ENTRYPOINT [\"/usr/local/bin/serve\", \"--port\", \"8080\"]");
}

TEST(PD412, CmdWithoutEntrypointFires) {
  auto fs = findingsOf(lintImage(lambda({}, {"serve", "app:main"}), "lambda"), "PD412");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("no ENTRYPOINT (Docker would run CMD [\"serve\", \"app:main\"])"),
            std::string::npos)
      << fs[0].message;
  EXPECT_EQ(fs[0].fix, "ENTRYPOINT [\"/usr/local/bin/serve\"] and CMD [\"app:main\"]");
}

TEST(PD412, UnresolvableRelativeEntrypointStillFiresWithAGenericFix) {
  auto fs = findingsOf(lintImage(lambda({"./nothing"}, {}), "lambda"), "PD412");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].fix, "ENTRYPOINT [\"/absolute/path/to/program\"]");
}

TEST(PD412, AbsoluteEntrypointAndOtherProfilesAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(lambda({"/var/task/main"}, {}), "lambda"), "PD412").empty());
  EXPECT_TRUE(
      findingsOf(lintImage(lambda({"/lambda-entrypoint.sh"}, {"app.handler"}), "lambda"), "PD412")
          .empty());
  EXPECT_TRUE(findingsOf(lintImage(lambda({"./main"}, {}), "generic"), "PD412").empty());
}

}  // namespace
}  // namespace pd::testing
