#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// A Lambda function image (profile detected from the entrypoint) with the given task files.
ImageBuilder function() {
  ImageBuilder b;
  b.layer("base")
      .file("/lambda-entrypoint.sh", 0755, "#!/bin/sh\n")
      .dir("/var/task")
      .dir("/var/runtime")
      .config([](ImageConfig& c) {
        c.entrypoint = {"/lambda-entrypoint.sh"};
        c.cmd = {"app.handler"};
        c.env = {"LAMBDA_TASK_ROOT=/var/task"};
      });
  return b;
}

TEST(PD401, UnreadableHandlerFires) {
  Image img = function().layer("COPY app.py").file("/var/task/app.py", 0600, "x").build();
  auto r = lintImage(img);
  ASSERT_EQ(r.profile, Profile::Lambda);
  auto fs = findingsOf(r, "PD401");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/var/task/app.py");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix, "COPY --chmod=0644 app.py /var/task/app.py");
  EXPECT_NE(fs[0].message.find("(mode 0600, owner 0:0) is not readable (o+r)"), std::string::npos)
      << fs[0].message;
}

TEST(PD401, OneCauseOneFindingWithEveryPath) {
  Image img = function()
                  .layer("COPY lib")
                  .dir("/var/task/lib", 0755)
                  .file("/var/task/lib/a.py", 0640, "a")
                  .file("/var/task/lib/b.py", 0640, "b")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD401");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].paths.size(), 2u);
  EXPECT_EQ(fs[0].evidence.json()["count"], 2);
}

TEST(PD401, UntraversableDirectoryAndOptFire) {
  Image img =
      function().layer("layers").dir("/opt/ext", 0700).file("/opt/ext/tool", 0755, "x").build();
  auto fs = findingsOf(lintImage(img), "PD401");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].path, "/opt/ext");
  EXPECT_NE(fs[0].message.find("not traversable (o+x)"), std::string::npos) << fs[0].message;
}

TEST(PD401, ReadableFunctionIsQuietAndPD105StepsAside) {
  Image ok = function().layer("COPY app.py").file("/var/task/app.py", 0644, "x").build();
  EXPECT_TRUE(findingsOf(lintImage(ok), "PD401").empty());
  // The unreadable file is PD401's in Lambda; PD105 (the general rule) does not repeat it.
  Image bad = function().layer("COPY app.py").file("/var/task/app.py", 0600, "x").build();
  auto r = lintImage(bad);
  EXPECT_EQ(findingsOf(r, "PD401").size(), 1u);
  for (const auto& f : findingsOf(r, "PD105"))
    EXPECT_EQ(std::count(f.paths.begin(), f.paths.end(), "/var/task/app.py"), 0) << f.message;
  // Outside Lambda the rule does not run.
  EXPECT_TRUE(findingsOf(lintImage(bad, "generic"), "PD401").empty());
}

}  // namespace
}  // namespace pd::testing
