#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

ImageBuilder app(const std::function<void(ImageConfig&)>& start) {
  ImageBuilder b = shellBase();
  b.layer("COPY app")
      .file("/app/run", 0755,
            "\x7f"
            "ELF")
      .dir("/app/dir")
      .config(start);
  return b;
}

TEST(PD101, NoEntrypointNorCmdFires) {
  Image img = app([](ImageConfig& c) { c.cmd.clear(); }).build();
  auto fs = findingsOf(lintImage(img), "PD101");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_NE(fs[0].message.find("neither ENTRYPOINT nor CMD"), std::string::npos);
}

TEST(PD101, BareNameNotOnPathFires) {
  Image img = app([](ImageConfig& c) {
                c.cmd = {"server"};
                c.env = {"PATH=/usr/local/bin:/usr/bin"};
              }).build();
  auto fs = findingsOf(lintImage(img), "PD101");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("\"server\" is not found in any directory of PATH "
                               "(/usr/local/bin:/usr/bin)"),
            std::string::npos)
      << fs[0].message;
  EXPECT_EQ(fs[0].evidence.json()["program"], "server");
}

TEST(PD101, MissingAbsolutePathFiresOnItsPath) {
  Image img = app([](ImageConfig& c) { c.entrypoint = {"/app/gone"}; }).build();
  auto fs = findingsOf(lintImage(img), "PD101");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/gone");
  EXPECT_NE(fs[0].message.find("does not exist in the image"), std::string::npos);
}

TEST(PD101, DanglingSymlinkAndDirectoryFire) {
  Image dangling = app([](ImageConfig& c) { c.entrypoint = {"/app/link"}; })
                       .symlink("/app/link", "/app/removed")
                       .build();
  auto fs = findingsOf(lintImage(dangling), "PD101");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("dangling symlink (/app/removed does not exist)"), std::string::npos)
      << fs[0].message;
  Image dir = app([](ImageConfig& c) { c.entrypoint = {"/app/dir"}; }).build();
  fs = findingsOf(lintImage(dir), "PD101");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("is a directory"), std::string::npos);
}

TEST(PD101, ExistingProgramIsQuiet) {
  Image img = app([](ImageConfig& c) { c.entrypoint = {"/app/run"}; }).build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD101").empty());
  Image viaPath = app([](ImageConfig& c) {
                    c.cmd = {"run"};
                    c.env = {"PATH=/usr/bin:/app"};
                  }).build();
  EXPECT_TRUE(findingsOf(lintImage(viaPath), "PD101").empty());
}

}  // namespace
}  // namespace pd::testing
