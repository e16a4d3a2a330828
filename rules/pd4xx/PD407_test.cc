#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

// A script that hands over to nothing (an `exec` would be followed and checked too).
const char* kScript = "#!/bin/sh\necho started\n";

ImageBuilder base() {
  ImageBuilder b;
  b.layer()
      .file("/var/task/entry.sh", 0755, kScript)
      .file("/var/task/app.py", 0644, "x")
      .config([](ImageConfig& c) {
        c.env = {"LAMBDA_TASK_ROOT=/var/task", "PATH=/usr/local/bin:/usr/bin:/bin"};
        c.cmd = {"app.handler"};
      });
  return b;
}

TEST(PD407, SymlinkEntrypointFires) {
  Image img = base()
                  .layer("RUN ln -s /var/task/entry.sh /usr/local/bin/lambda-entry")
                  .symlink("/usr/local/bin/lambda-entry", "/var/task/entry.sh")
                  .config([](ImageConfig& c) { c.entrypoint = {"/usr/local/bin/lambda-entry"}; })
                  .build();
  auto r = lintImage(img);
  auto fs = findingsOf(r, "PD407");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/usr/local/bin/lambda-entry");
  EXPECT_EQ(fs[0].evidence.json()["target"], "/var/task/entry.sh");
  EXPECT_EQ(fs[0].evidence.json()["linkTarget"], "/var/task/entry.sh");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].fix, "ENTRYPOINT [\"/var/task/entry.sh\"]");
  EXPECT_TRUE(findingsOf(r, "PD101").empty());
}

TEST(PD407, RealFileIsQuiet) {
  Image img = base().config([](ImageConfig& c) { c.entrypoint = {"/var/task/entry.sh"}; }).build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD407").empty());
}

TEST(PD407, BareNameOnPathAndCmdWithoutEntrypoint) {
  // CMD ["python3", ...] with /usr/bin/python3 -> python3.12, as distributions ship it.
  Image img = base()
                  .layer()
                  .file("/usr/bin/python3.12", 0755, "bin")
                  .symlink("/usr/bin/python3", "python3.12")
                  .config([](ImageConfig& c) {
                    c.cmd = {"python3", "-m", "awslambdaric"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD407");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/usr/bin/python3");
  EXPECT_EQ(fs[0].evidence.json()["target"], "/usr/bin/python3.12");
  EXPECT_EQ(fs[0].fix, "CMD [\"/usr/bin/python3.12\",\"-m\",\"awslambdaric\"]");
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD407").empty());
}

TEST(PD407, DanglingLinkStillNamed) {
  Image img = base()
                  .layer()
                  .symlink("/usr/local/bin/gone", "/nowhere")
                  .config([](ImageConfig& c) { c.entrypoint = {"/usr/local/bin/gone"}; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD407");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/usr/local/bin/gone");
  EXPECT_TRUE(fs[0].evidence.json()["target"].is_null());
}

}  // namespace
}  // namespace pd::testing
