#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const char* kScript = "#!/bin/sh\nexec true\n";

// An OS-only-base look-alike: the AWS entrypoint, /var/task, /var/runtime, /opt.
ImageBuilder providedBase() {
  ImageBuilder b;
  b.layer("base")
      .dir("/var", 0755)
      .dir("/var/task", 0755)
      .dir("/var/runtime", 0755)
      .dir("/opt", 0755)
      .file("/bin/sh", 0755,
            "\x7f"
            "ELF")
      .file("/lambda-entrypoint.sh", 0755, kScript)
      .config([](ImageConfig& c) {
        c.entrypoint = {"/lambda-entrypoint.sh"};
        c.cmd = {"function.handler"};
        c.env = {"LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime"};
      });
  return b;
}

TEST(PD402, BootstrapWithoutOtherExecFires) {
  Image img =
      providedBase().layer("COPY bootstrap").file("/var/runtime/bootstrap", 0750, kScript).build();
  auto r = lintImage(img);
  auto fs = findingsOf(r, "PD402");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/var/runtime/bootstrap");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0750");
  EXPECT_EQ(fs[0].evidence.json()["role"], "bootstrap");
  EXPECT_EQ(fs[0].evidence.json()["bits"], "other");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix, "COPY --chmod=0755 bootstrap /var/runtime/bootstrap");
  EXPECT_NE(fs[0].message.find("exit status 126"), std::string::npos);
}

TEST(PD402, ExecutableBootstrapIsQuiet) {
  Image img = providedBase().layer().file("/var/runtime/bootstrap", 0755, kScript).build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD402").empty());
}

TEST(PD402, OnlyInTheLambdaProfile) {
  Image img = providedBase().layer().file("/var/runtime/bootstrap", 0700, kScript).build();
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD402").empty());
  EXPECT_EQ(findingsOf(lintImage(img, "lambda"), "PD402").size(), 1u);
}

TEST(PD402, ScriptNeedsOtherRead) {
  // 0711: a binary runs, a script does not (its interpreter opens it as the Lambda user).
  Image script = providedBase()
                     .layer()
                     .file("/var/task/bootstrap", 0755, kScript)
                     .file("/usr/local/bin/entry.sh", 0711, kScript)
                     .config([](ImageConfig& c) {
                       c.entrypoint = {"/usr/local/bin/entry.sh"};
                       c.cmd = {"app.handler"};
                     })
                     .build();
  auto r = lintImage(script);
  auto fs = findingsOf(r, "PD402");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/usr/local/bin/entry.sh");
  EXPECT_EQ(fs[0].evidence.json()["role"], "entrypoint");
  EXPECT_EQ(fs[0].evidence.json()["script"], true);
  EXPECT_NE(fs[0].message.find("lacks o+r"), std::string::npos);
  EXPECT_TRUE(findingsOf(r, "PD102").empty());  // PD402 takes its place

  Image binary = providedBase()
                     .layer()
                     .file("/var/task/bootstrap", 0755, kScript)
                     .file("/usr/local/bin/main", 0711,
                           "\x7f"
                           "ELF-ish, not a script")
                     .config([](ImageConfig& c) {
                       c.entrypoint = {"/usr/local/bin/main"};
                       c.cmd = {};
                     })
                     .build();
  EXPECT_TRUE(findingsOf(lintImage(binary), "PD402").empty());
}

TEST(PD402, LambdaEntrypointItself) {
  Image img = providedBase()
                  .layer("RUN chmod 0700 /lambda-entrypoint.sh")
                  .file("/lambda-entrypoint.sh", 0700, kScript)
                  .file("/var/runtime/bootstrap", 0755, kScript)
                  .build();
  auto fs = findingsOf(lintImage(img), "PD402");
  ASSERT_EQ(fs.size(), 1u);  // the start program and /lambda-entrypoint.sh are one path
  EXPECT_EQ(*fs[0].path, "/lambda-entrypoint.sh");
  EXPECT_EQ(fs[0].evidence.json()["role"], "entrypoint");
  EXPECT_NE(fs[0].message.find("fork/exec /lambda-entrypoint.sh: permission denied"),
            std::string::npos);
}

TEST(PD402, EveryFileInOptExtensions) {
  Image img = providedBase()
                  .layer()
                  .file("/var/runtime/bootstrap", 0755, kScript)
                  .dir("/opt/extensions", 0755)
                  .file("/opt/extensions/telemetry", 0750, "bin")
                  .file("/opt/extensions/logs", 0644, "bin")
                  .file("/opt/extensions/ok", 0755, "bin")
                  .dir("/opt/extensions/lib", 0700)              // directories are not started
                  .file("/opt/extensions/lib/helper", 0600, "")  // nor files below them
                  .build();
  auto fs = findingsOf(lintImage(img), "PD402");
  ASSERT_EQ(fs.size(), 2u);
  std::vector<std::string> paths = {*fs[0].path, *fs[1].path};
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"/opt/extensions/logs", "/opt/extensions/telemetry"}));
  EXPECT_EQ(fs[0].evidence.json()["role"], "extension");
  EXPECT_NE(fs[0].message.find("Extension.LaunchError"), std::string::npos);
}

TEST(PD402, UntraversableAncestor) {
  Image img = providedBase()
                  .layer()
                  .dir("/var/runtime", 0750)
                  .file("/var/runtime/bootstrap", 0755, kScript)
                  .build();
  auto fs = findingsOf(lintImage(img), "PD402");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/var/runtime/bootstrap");
  EXPECT_EQ(fs[0].evidence.json()["blockedBy"], "/var/runtime");
  EXPECT_EQ(fs[0].evidence.json()["blockedByMode"], "0750");
  EXPECT_EQ(fs[0].fix, "RUN chmod 0755 /var/runtime");
}

TEST(PD402, SymlinkedEntrypointIsCheckedAtItsTarget) {
  Image img = providedBase()
                  .layer()
                  .file("/var/task/bootstrap", 0755, kScript)
                  .file("/opt/app/server", 0744, "bin")
                  .symlink("/usr/local/bin/server", "/opt/app/server")
                  .config([](ImageConfig& c) {
                    c.entrypoint = {"/usr/local/bin/server"};
                    c.cmd = {};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img, "lambda"), "PD402");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/opt/app/server");
  EXPECT_EQ(fs[0].evidence.json()["via"], "/usr/local/bin/server");
  EXPECT_EQ(fs[0].evidence.json()["mode"], "0744");
}

TEST(PD402, UserOverrideUsesItsOwnBits) {
  // --user replaces the Lambda identity: the owner bits of a 0700 file owned by 1000 apply.
  Image img =
      providedBase().layer().file("/var/runtime/bootstrap", 0700, kScript, 1000, 1000).build();
  EXPECT_TRUE(findingsOf(lintImage(img, "lambda", "1000"), "PD402").empty());
  auto fs = findingsOf(lintImage(img, "lambda", "1001"), "PD402");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["bits"], "other");
  EXPECT_NE(fs[0].message.find("uid 1001"), std::string::npos);
}

TEST(PD402, MissingPathsAreNotItsBusiness) {
  // No bootstrap anywhere (PD403) and no extensions: nothing to execute, nothing to report.
  Image img = providedBase().build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD402").empty());
}

}  // namespace
}  // namespace pd::testing
