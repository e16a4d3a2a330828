#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd {
namespace {
using testing::findingsOf;
using testing::ImageBuilder;
using testing::lintImage;

// A minimal little-endian ELF64 executable header with an optional PT_INTERP.
std::string elf64(uint16_t machine, const std::string& interp = "") {
  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = 2;  // ELFCLASS64
  h[5] = 1;  // little-endian
  h[6] = 1;
  h[16] = 2;  // ET_EXEC
  h[18] = static_cast<char>(machine & 0xff);
  h[19] = static_cast<char>(machine >> 8);
  h[20] = 1;
  h[52] = 64;  // e_ehsize
  h[54] = 56;  // e_phentsize
  if (interp.empty()) return h + std::string(64, '\0');
  h[32] = 64;  // e_phoff
  h[56] = 1;   // e_phnum
  std::string ph(56, '\0');
  ph[0] = 3;                                      // PT_INTERP
  ph[8] = 120;                                    // p_offset
  ph[32] = static_cast<char>(interp.size() + 1);  // p_filesz
  return h + ph + interp + std::string(1, '\0') + std::string(32, '\0');
}

// A little-endian ELF32 header (ARM, i386) without program headers.
std::string elf32(uint16_t machine) {
  std::string h(52, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = 1;
  h[5] = 1;
  h[6] = 1;
  h[16] = 2;
  h[18] = static_cast<char>(machine & 0xff);
  h[19] = static_cast<char>(machine >> 8);
  h[42] = 32;
  return h + std::string(32, '\0');
}

constexpr uint16_t kX86_64 = 62, kAArch64 = 183, kArm = 40;

Image single(const std::string& bytes, const std::string& arch) {
  ImageBuilder b;
  b.file("/app/server", 0755, bytes).config([&](ImageConfig& c) {
    c.architecture = arch;
    c.entrypoint = {"/app/server"};
  });
  return b.build();
}

TEST(PD104, ForeignMachineFires) {
  Image img = single(elf64(kAArch64), "amd64");
  auto fs = findingsOf(lintImage(img), "PD104");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/server");
  EXPECT_EQ(fs[0].evidence.json()["machine"], kAArch64);
  EXPECT_EQ(fs[0].evidence.json()["elfArch"], "arm64");
  EXPECT_EQ(fs[0].evidence.json()["arch"], "amd64");
  EXPECT_NE(fs[0].message.find("exec format error"), std::string::npos);
  EXPECT_NE(fs[0].fix.find("--platform linux/amd64"), std::string::npos) << fs[0].fix;

  auto x86InArm = findingsOf(lintImage(single(elf64(kX86_64), "arm64")), "PD104");
  ASSERT_EQ(x86InArm.size(), 1u);
  EXPECT_EQ(x86InArm[0].evidence.json()["elfArch"], "amd64");
}

TEST(PD104, MatchingMachineAndAliasesAreQuiet) {
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kX86_64), "amd64")), "PD104").empty());
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kX86_64), "x86_64")), "PD104").empty());
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kAArch64), "arm64")), "PD104").empty());
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kAArch64), "aarch64")), "PD104").empty());
  EXPECT_TRUE(findingsOf(lintImage(single(elf32(kArm), "arm")), "PD104").empty());
  // No architecture in the config: nothing to compare with.
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kAArch64), "")), "PD104").empty());
  // 32-bit ARM in an arm64 image is still a mismatch by the config.
  EXPECT_EQ(findingsOf(lintImage(single(elf32(kArm), "arm64")), "PD104").size(), 1u);
}

TEST(PD104, MissingLoaderFires) {
  Image img = single(elf64(kX86_64, "/lib64/ld-linux-x86-64.so.2"), "amd64");
  auto fs = findingsOf(lintImage(img), "PD104");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/app/server");
  EXPECT_EQ(fs[0].evidence.json()["interp"], "/lib64/ld-linux-x86-64.so.2");
  EXPECT_NE(fs[0].message.find("no such file or directory"), std::string::npos);
  EXPECT_NE(fs[0].fix.find("/lib64/ld-linux-x86-64.so.2"), std::string::npos);
}

TEST(PD104, LoaderPresentThroughAbsoluteSymlinkIsQuiet) {
  ImageBuilder b;
  b.file("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755, "x")
      .symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
      .file("/usr/bin/server", 0755, elf64(kX86_64, "/lib64/ld-linux-x86-64.so.2"))
      .config([](ImageConfig& c) { c.entrypoint = {"/usr/bin/server"}; });
  EXPECT_TRUE(findingsOf(lintImage(b.build()), "PD104").empty());
}

TEST(PD104, DanglingLoaderLinkFires) {
  ImageBuilder b;
  b.symlink("/lib/ld-musl-x86_64.so.1", "libc.musl-x86_64.so.1")
      .file("/usr/bin/server", 0755, elf64(kX86_64, "/lib/ld-musl-x86_64.so.1"))
      .config([](ImageConfig& c) { c.entrypoint = {"/usr/bin/server"}; });
  auto fs = findingsOf(lintImage(b.build()), "PD104");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["failedAt"], "/lib/libc.musl-x86_64.so.1");
  EXPECT_NE(fs[0].message.find("dangling"), std::string::npos) << fs[0].message;
  EXPECT_NE(fs[0].fix.find("Alpine"), std::string::npos) << fs[0].fix;
}

TEST(PD104, StaticBinaryOnlyGetsTheMachineCheck) {
  EXPECT_TRUE(findingsOf(lintImage(single(elf64(kX86_64), "amd64")), "PD104").empty());
}

TEST(PD104, ForeignMachineIsOneFindingEvenWithItsLoaderMissing) {
  Image img = single(elf64(kAArch64, "/lib/ld-linux-aarch64.so.1"), "amd64");
  auto fs = findingsOf(lintImage(img), "PD104");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("exec format error"), std::string::npos);
}

TEST(PD104, StartProgramReachedThroughALinkReportsTheBinary) {
  ImageBuilder b;
  b.file("/opt/app/bin/server", 0755, elf64(kAArch64))
      .symlink("/usr/local/bin/server", "/opt/app/bin/server")
      .config([](ImageConfig& c) { c.cmd = {"server"}; });
  auto fs = findingsOf(lintImage(b.build()), "PD104");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].path, "/opt/app/bin/server");
  EXPECT_EQ(fs[0].evidence.json()["startProgram"], "/usr/local/bin/server");
}

TEST(PD104, ScriptsAreNotJudged) {
  ImageBuilder b;
  b.file("/bin/sh", 0755, elf64(kX86_64))
      .file("/app/run.sh", 0755, "#!/bin/sh\n")
      .config([](ImageConfig& c) {
        c.architecture = "arm64";
        c.entrypoint = {"/app/run.sh"};
      });
  EXPECT_TRUE(findingsOf(lintImage(b.build()), "PD104").empty());
}

}  // namespace
}  // namespace pd
