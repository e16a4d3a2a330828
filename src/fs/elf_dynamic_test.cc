#include "fs/elf_dynamic.h"

#include <gtest/gtest.h>

#include "support/elf_writer.h"

namespace pd {
namespace {
using testing::ElfSpec;
using testing::writeElf;

Captured scanInChunks(const std::string& file, size_t chunk) {
  Captured c;
  auto layout = elfLayout(file.substr(0, std::min<size_t>(file.size(), 4096)), file.size());
  if (!layout) return c;
  ElfDynamicScan scan(*layout);
  for (size_t i = 0; i < file.size() && i < scan.end(); i += chunk)
    scan.feed(std::string_view(file).substr(i, chunk));
  scan.finish(c);
  return c;
}

TEST(ElfDynamic, ReadsNeededRpathAndRunpathWhateverTheChunking) {
  ElfSpec spec;
  spec.interp = "/lib64/ld-linux-x86-64.so.2";
  spec.needed = {"libjq.so.1", "libc.so.6", "libm.so.6"};
  spec.rpath = "$ORIGIN/../lib";
  spec.runpath = "/opt/app/lib:/opt/other";
  std::string elf = writeElf(spec);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{64}, size_t{1} << 16}) {
    SCOPED_TRACE(chunk);
    Captured c = scanInChunks(elf, chunk);
    ASSERT_TRUE(c.dynamic);
    EXPECT_EQ(c.dynamic->needed, spec.needed);
    EXPECT_EQ(c.dynamic->rpath, spec.rpath);
    EXPECT_EQ(c.dynamic->runpath, spec.runpath);
  }
}

TEST(ElfDynamic, NameStoredAsTheTailOfAnotherString) {
  ElfSpec spec;
  spec.needed = {"libz.so.1", "libc.so.6"};
  spec.suffixMerge = true;  // "xxlibz.so.1", DT_NEEDED pointing two bytes in
  Captured c = scanInChunks(writeElf(spec), 7);
  ASSERT_TRUE(c.dynamic);
  EXPECT_EQ(c.dynamic->needed, spec.needed);
}

TEST(ElfDynamic, DynamicSectionWithoutNeedsIsReadAndEmpty) {
  ElfSpec spec;
  Captured c = scanInChunks(writeElf(spec), 4096);
  ASSERT_TRUE(c.dynamic);
  EXPECT_TRUE(c.dynamic->needed.empty());
}

TEST(ElfDynamic, StaticProgramHasNoLayout) {
  ElfSpec spec;
  spec.dynamic = false;
  std::string elf = writeElf(spec);
  EXPECT_FALSE(elfLayout(elf, elf.size()).has_value());
}

TEST(ElfDynamic, UnknownWhenTheFileEndsEarlyOrTheNameWasNotKept) {
  ElfSpec spec;
  spec.needed = {"libjq.so.1"};
  std::string elf = writeElf(spec);
  // Cut inside the dynamic section: nothing is claimed.
  Captured cut;
  auto layout = elfLayout(elf, elf.size());
  ASSERT_TRUE(layout);
  ElfDynamicScan scan(*layout);
  scan.feed(std::string_view(elf).substr(0, scan.end() - 8));
  scan.finish(cut);
  EXPECT_FALSE(cut.dynamic);
  // A needed name that looks like no library ("plugin") is not kept: unknown, not "none".
  spec.needed = {"plugin"};
  EXPECT_FALSE(scanInChunks(writeElf(spec), 4096).dynamic);
}

TEST(ElfDynamic, HostileSizesAreRefused) {
  ElfSpec spec;
  spec.needed = {"libc.so.6"};
  std::string elf = writeElf(spec);
  // The dynamic section claims to lie past the end of the file.
  EXPECT_FALSE(elfLayout(elf, 100).has_value());
  // Program headers claimed beyond the head.
  std::string bad = elf;
  bad[56] = static_cast<char>(200);  // e_phnum
  EXPECT_FALSE(elfLayout(bad.substr(0, 200), bad.size()).has_value());
}

}  // namespace
}  // namespace pd
