// The runtime facts Context works out once for every rule: WORKDIR, PATH lookup, the Lambda
// directories, the start program and the application roots.
#include "engine/rule.h"

#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::ImageBuilder;

struct Lint {
  Image img;
  Identity id;
  Accounts accounts;
  Access access{img.tree, id};
  RuleOptions options;
  std::vector<Finding> sink;
  Context ctx{img, id, Profile::Generic, access, accounts, options, sink};

  explicit Lint(Image image) : img(std::move(image)) {}
};

TEST(Context, DefaultsWithoutConfig) {
  Lint l(ImageBuilder().layer().dir("/opt").build());
  EXPECT_EQ(l.ctx.workdir(), "/");
  EXPECT_EQ(l.ctx.searchPath(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  EXPECT_EQ(l.ctx.lambdaTaskRoot(), "/var/task");
  EXPECT_EQ(l.ctx.lambdaRuntimeDir(), "/var/runtime");
  EXPECT_TRUE(l.ctx.startProgram().argv.empty());
  EXPECT_EQ(l.ctx.absolute("bin/x"), "/bin/x");
}

TEST(Context, WorkdirPathAndLambdaDirsFromTheConfig) {
  Lint l(ImageBuilder()
             .layer()
             .dir("/srv/app")
             .file("/srv/app/run.sh", 0755, "#!/bin/sh\n")
             .config([](ImageConfig& c) {
               c.workingDir = "/srv//app/";
               c.env = {"PATH=/a::/b/", "LAMBDA_TASK_ROOT=/task/", "LAMBDA_RUNTIME_DIR=/rt"};
               c.entrypoint = {"./run.sh"};
             })
             .build());
  EXPECT_EQ(l.ctx.workdir(), "/srv/app");
  EXPECT_EQ(l.ctx.absolute("../x"), "/srv/x");
  EXPECT_EQ(l.ctx.absolute("/etc//passwd"), "/etc/passwd");
  EXPECT_EQ(l.ctx.pathCandidates("tool"), (std::vector<std::string>{"/a/tool", "/b/tool"}));
  EXPECT_EQ(l.ctx.lambdaTaskRoot(), "/task");
  EXPECT_EQ(l.ctx.lambdaRuntimeDir(), "/rt");
  EXPECT_EQ(l.ctx.startProgram().path, "/srv/app/run.sh");
  ASSERT_FALSE(l.ctx.applicationRoots().empty());
  EXPECT_EQ(l.ctx.applicationRoots().front().dir, "/srv/app");
  EXPECT_EQ(l.ctx.applicationRoots().front().why, "WORKDIR");
}

TEST(Context, BareProgramIsLookedUpLikeExecvp) {
  Lint l(ImageBuilder()
             .layer()
             .dir("/a")
             .dir("/a/tool")  // a directory is skipped
             .dir("/b")
             .file("/b/tool", 0755)
             .config([](ImageConfig& c) {
               c.env = {"PATH=/a:/b"};
               c.cmd = {"tool"};
             })
             .build());
  EXPECT_EQ(l.ctx.startProgram().path, "/b/tool");
}

}  // namespace
}  // namespace pd
