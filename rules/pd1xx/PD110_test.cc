#include <gtest/gtest.h>

#include "support/elf_writer.h"
#include "support/image_builder.h"

namespace pd::testing {
namespace {

const std::string kLoader = "/lib64/ld-linux-x86-64.so.2";
const std::string kLib = "/usr/lib/x86_64-linux-gnu";

std::string program(std::vector<std::string> needed, std::string rpath = "",
                    std::string runpath = "") {
  ElfSpec s;
  s.interp = kLoader;
  s.needed = std::move(needed);
  s.rpath = std::move(rpath);
  s.runpath = std::move(runpath);
  return writeElf(s);
}

std::string library(std::vector<std::string> needed, uint16_t machine = 62) {
  ElfSpec s;
  s.needed = std::move(needed);
  s.machine = machine;
  return writeElf(s);
}

// A glibc base: the loader and libc where Debian puts them.
ImageBuilder base() {
  ImageBuilder b;
  b.layer("glibc")
      .file("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755, library({}))
      .symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
      .file(kLib + "/libc.so.6", 0755, library({"ld-linux-x86-64.so.2"}));
  return b;
}

Image withJq(ImageBuilder b) {
  return b.layer("COPY --from=fetch /usr/bin/jq /usr/bin/jq")
      .file("/usr/bin/jq", 0755, program({"libjq.so.1", "libc.so.6"}))
      .config([](ImageConfig& c) { c.entrypoint = {"/usr/bin/jq"}; })
      .build();
}

TEST(PD110, BinaryCopiedAloneFires) {
  auto fs = findingsOf(lintImage(withJq(base())), "PD110");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/usr/bin/jq");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_NE(fs[0].message.find("needs libjq.so.1, which is nowhere on its library search path"),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].message.find("error while loading shared libraries: libjq.so.1"),
            std::string::npos);
  EXPECT_EQ(fs[0].evidence.json()["missing"][0]["neededBy"], "/usr/bin/jq");
}

TEST(PD110, LibrariesInTheMultiarchDirectoryAreQuiet) {
  ImageBuilder b = base();
  b.layer("COPY libs").file(kLib + "/libjq.so.1.0.4", 0644, library({"libc.so.6"}));
  b.symlink(kLib + "/libjq.so.1", "libjq.so.1.0.4");
  EXPECT_TRUE(findingsOf(lintImage(withJq(b)), "PD110").empty());
}

TEST(PD110, WhatALibraryNeedsCountsAndIsNamedWithItsNeeder) {
  ImageBuilder b = base();
  b.layer("COPY libjq").file(kLib + "/libjq.so.1", 0644, library({"libonig.so.5", "libc.so.6"}));
  auto fs = findingsOf(lintImage(withJq(b)), "PD110");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("needs libonig.so.5 (needed by " + kLib + "/libjq.so.1)"),
            std::string::npos)
      << fs[0].message;
}

TEST(PD110, SearchPathsOfTheImageAreHonoured) {
  // LD_LIBRARY_PATH from the config.
  ImageBuilder env = base();
  env.layer("COPY lib").file("/opt/jq/lib/libjq.so.1", 0644, library({}));
  env.config([](ImageConfig& c) { c.env = {"LD_LIBRARY_PATH=/opt/jq/lib"}; });
  EXPECT_TRUE(findingsOf(lintImage(withJq(env)), "PD110").empty());
  // An ld.so.conf.d entry, through ld.so.conf's include.
  ImageBuilder conf = base();
  conf.layer("COPY lib")
      .file("/opt/jq/lib/libjq.so.1", 0644, library({}))
      .file("/etc/ld.so.conf", 0644, "include /etc/ld.so.conf.d/*.conf\n")
      .file("/etc/ld.so.conf.d/jq.conf", 0644, "# jq\n/opt/jq/lib\n");
  EXPECT_TRUE(findingsOf(lintImage(withJq(conf)), "PD110").empty());
  // Without either, the same library is not found.
  ImageBuilder none = base();
  none.layer("COPY lib").file("/opt/jq/lib/libjq.so.1", 0644, library({}));
  EXPECT_EQ(findingsOf(lintImage(withJq(none)), "PD110").size(), 1u);
}

TEST(PD110, OriginInRunpathIsTheObjectsDirectory) {
  Image img = base()
                  .layer("COPY app")
                  .file("/opt/app/bin/app", 0755,
                        program({"libcore.so", "libc.so.6"}, "", "$ORIGIN/../lib"))
                  .file("/opt/app/lib/libcore.so", 0644, library({}))
                  .config([](ImageConfig& c) { c.entrypoint = {"/opt/app/bin/app"}; })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD110").empty());
  // $LIB cannot be expanded from the image: say nothing rather than guess.
  Image lib = base()
                  .layer("COPY app")
                  .file("/opt/app/bin/app", 0755, program({"libcore.so", "libc.so.6"}, "/opt/$LIB"))
                  .config([](ImageConfig& c) { c.entrypoint = {"/opt/app/bin/app"}; })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(lib), "PD110").empty());
}

TEST(PD110, LibraryForAnotherMachineIsSkippedAsLdSoDoes) {
  ImageBuilder b = base();
  b.layer("COPY arm lib").file(kLib + "/libjq.so.1", 0644, library({}, 183));
  EXPECT_EQ(findingsOf(lintImage(withJq(b)), "PD110").size(), 1u);
}

TEST(PD110, InterpreterOfAStartScriptIsChecked) {
  Image img = base()
                  .layer("COPY")
                  .file("/usr/bin/python3", 0755, program({"libpython3.11.so.1.0", "libc.so.6"}))
                  .file("/app/run.py", 0755, "#!/usr/bin/python3\nprint(1)\n")
                  .config([](ImageConfig& c) { c.entrypoint = {"/app/run.py"}; })
                  .build();
  auto fs = findingsOf(lintImage(img), "PD110");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/usr/bin/python3");
  EXPECT_NE(fs[0].message.find("the interpreter of the start script"), std::string::npos);
}

TEST(PD110, StaticProgramIsQuiet) {
  ElfSpec s;
  s.dynamic = false;
  Image img = ImageBuilder()
                  .layer("COPY")
                  .file("/app", 0755, writeElf(s))
                  .config([](ImageConfig& c) { c.entrypoint = {"/app"}; })
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD110").empty());
}

// A missing loader is PD104's: the libraries are never looked for.
TEST(PD110, MissingLoaderIsLeftToPD104) {
  Image img = ImageBuilder()
                  .layer("COPY --from=build /usr/bin/jq /usr/bin/jq")
                  .file("/usr/bin/jq", 0755, program({"libjq.so.1", "libc.so.6"}))
                  .config([](ImageConfig& c) { c.entrypoint = {"/usr/bin/jq"}; })
                  .build();
  auto r = lintImage(img);
  EXPECT_TRUE(findingsOf(r, "PD110").empty());
  EXPECT_EQ(findingsOf(r, "PD104").size(), 1u);
}

}  // namespace
}  // namespace pd::testing
