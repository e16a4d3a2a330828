#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

TEST(PD108, InterpreterLoopFiresOnceWithTheChain) {
  Image img = ImageBuilder()
                  .layer("COPY main.py")
                  .file("/app/main.py", 0755, "#!/opt/py/bin/python\nprint()\n")
                  .layer("RUN ln -s python3 python && ln -s python python3")
                  .symlink("/opt/py/bin/python", "python3")
                  .symlink("/opt/py/bin/python3", "python")
                  .config([](ImageConfig& c) { c.entrypoint = {"/app/main.py"}; })
                  .build();
  auto r = lintImage(img);
  auto fs = findingsOf(r, "PD108");
  ASSERT_EQ(fs.size(), 1u);  // met from the interpreter and again under /opt: one loop
  EXPECT_EQ(fs[0].path, "/opt/py/bin/python");
  EXPECT_EQ(fs[0].paths, (std::vector<std::string>{"/opt/py/bin/python", "/opt/py/bin/python3"}));
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["status"], "loop");
  EXPECT_EQ(fs[0].evidence.json()["chain"],
            (std::vector<std::string>{"/opt/py/bin/python", "/opt/py/bin/python3",
                                      "/opt/py/bin/python"}));
  EXPECT_NE(fs[0].evidence.json()["neededAs"].get<std::string>().find("interpreter"),
            std::string::npos);
  EXPECT_EQ(findingsOf(r, "PD103").size(), 1u);
}

ImageBuilder chain(int links) {
  ImageBuilder b;
  b.file("/chain/target", 0755, "#!/bin/sh\n").file("/bin/sh", 0755, "x");
  for (int i = 1; i < links; ++i)
    b.symlink("/chain/" + std::to_string(i), "/chain/" + std::to_string(i + 1));
  b.symlink("/chain/" + std::to_string(links), "/chain/target");
  b.config([](ImageConfig& c) { c.entrypoint = {"/chain/1"}; });
  return b;
}

TEST(PD108, ChainOfFortyOneLinksFiresFortyIsQuiet) {
  auto r = lintImage(chain(41).build());
  auto fs = findingsOf(r, "PD108");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/chain/1");
  EXPECT_EQ(fs[0].evidence.json()["status"], "too many links");
  EXPECT_EQ(fs[0].evidence.json()["chain"].size(), 41u);
  EXPECT_NE(fs[0].fix.find("ln -sfn /chain/target /chain/1"), std::string::npos) << fs[0].fix;
  EXPECT_EQ(findingsOf(r, "PD101").size(), 1u);

  auto ok = lintImage(chain(40).build());
  EXPECT_TRUE(findingsOf(ok, "PD108").empty());
  EXPECT_TRUE(findingsOf(ok, "PD101").empty());
}

TEST(PD108, LoopUnderTheWorkdirIsReportedOnce) {
  Image img = ImageBuilder()
                  .file("/app/run", 0755, "x")
                  .symlink("/app/current", "/app/live")
                  .symlink("/app/live", "/app/current")
                  .symlink("/app/entry", "live/run")  // leads into the same loop
                  .symlink("/app/ok", "run")
                  .config([](ImageConfig& c) {
                    c.workingDir = "/app";
                    c.entrypoint = {"/app/run"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD108");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/current");
  EXPECT_EQ(fs[0].paths, (std::vector<std::string>{"/app/current", "/app/live", "/app/entry"}));
}

TEST(PD108, LoopsOutsideTheNeededPathsAreQuiet) {
  Image img = ImageBuilder()
                  .file("/app/run", 0755, "x")
                  .symlink("/usr/share/doc/a", "b")
                  .symlink("/usr/share/doc/b", "a")
                  .config([](ImageConfig& c) {
                    c.workingDir = "/";
                    c.entrypoint = {"/app/run"};
                  })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD108").empty());
}

TEST(PD108, LambdaRootsAreResolved) {
  Image img = ImageBuilder()
                  .file("/var/runtime/bootstrap", 0755, "x")
                  .symlink("/var/runtime/lib", "lib")
                  .config([](ImageConfig& c) {
                    c.entrypoint = {"/lambda-entrypoint.sh"};
                    c.cmd = {"app.handler"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD108");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/var/runtime/lib");
}

TEST(PD108, LoopingApplicationRootFires) {
  Image img = ImageBuilder()
                  .file("/bin/run", 0755, "x")
                  .symlink("/srv/app", "/srv/app")
                  .config([](ImageConfig& c) {
                    c.workingDir = "/srv/app";
                    c.entrypoint = {"/bin/run"};
                  })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD108");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/srv/app");
  EXPECT_NE(fs[0].evidence.json()["neededAs"].get<std::string>().find("WORKDIR"),
            std::string::npos);
}

TEST(PD108, ThousandLinkChainIsOneFindingAndFast) {
  ImageBuilder b;
  b.file("/app/target", 0755, "x");
  for (int i = 1; i < 1000; ++i)
    b.symlink("/app/l" + std::to_string(i), "l" + std::to_string(i + 1));
  b.symlink("/app/l1000", "target");
  b.config([](ImageConfig& c) {
    c.workingDir = "/app";
    c.entrypoint = {"/app/target"};
  });
  Image img = b.build();
  auto fs = findingsOf(lintImage(img), "PD108");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/l1");      // the first link met, in path order
  EXPECT_EQ(fs[0].paths.size(), 1000u);  // every link of the chain, l1 .. l1000
}

}  // namespace
}  // namespace pd
