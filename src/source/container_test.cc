// Where the container says an entry's bytes lie (Container::extent()): exactly where libarchive
// read them, for ustar, pax and GNU long-name headers; and no extent where it cannot be trusted.
#include "source/container.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support/hostile_archive.h"

namespace pd {
namespace {

namespace h = pd::hostile;

std::string preadRange(const Extent& x) {
  std::ifstream in(x.path, std::ios::binary);
  in.seekg(x.offset);
  std::string s(static_cast<size_t>(x.size), '\0');
  in.read(s.data(), x.size);
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

std::string readEntry(Container& c) {
  std::string s;
  char buf[7000];  // not a multiple of a block
  for (size_t n; (n = c.read(buf, sizeof buf)) > 0;) s.append(buf, n);
  return s;
}

std::string mixedHeadersTar() {
  h::StringSink s;
  h::TarWriter t(s);
  t.dir("d/");
  t.file("short.txt", "hello\n");
  t.file("d/" + std::string(150, 'p'), std::string(5000, 'x'));  // pax path record
  t.gnuLongName("d/" + std::string(200, 'g'));
  t.file("d/gnu-placeholder", std::string(70000, 'y'));
  t.file("empty", "");
  t.symlink("link", "short.txt");
  t.file("big.bin", h::sampleBytes(2 << 20));
  t.end();
  return s.bytes;
}

TEST(Container, ExtentIsWhereEachEntrysBytesAre) {
  std::string path = h::tempPath("extents.tar");
  h::writeFile(path, mixedHeadersTar());
  auto c = openContainer(path);
  OuterEntry e;
  int files = 0;
  while (c->next(e)) {
    SCOPED_TRACE(e.name);
    std::optional<Extent> x = c->extent();
    if (e.kind != OuterEntry::Kind::File) {
      EXPECT_FALSE(x);
      continue;
    }
    ASSERT_TRUE(x);
    EXPECT_EQ(x->path, path);
    std::string viaArchive = readEntry(*c);
    EXPECT_EQ(x->size, static_cast<int64_t>(viaArchive.size()));
    EXPECT_EQ(preadRange(*x), viaArchive);
    ++files;
  }
  EXPECT_EQ(files, 5);
}

TEST(Container, NoExtentWhenTheBytesAreNotStoredAsIs) {
  // Compressed as a whole (`docker save | gzip`): offsets in the file mean nothing.
  std::string gz = h::tempPath("extents.tar.gz");
  h::writeFile(gz, h::gzip(mixedHeadersTar()));
  auto c = openContainer(gz);
  OuterEntry e;
  int entries = 0;
  while (c->next(e)) {
    EXPECT_FALSE(c->extent()) << e.name;
    ++entries;
  }
  EXPECT_EQ(entries, 7);

  // A header declaring more bytes than the file holds: read (and refused) the streaming way.
  h::StringSink s;
  h::TarWriter t(s);
  t.file("ok", "fine\n");
  t.lyingFile("liar", 10 << 20, std::string(3000, 'l'));
  std::string lying = h::tempPath("lying.tar");
  h::writeFile(lying, s.bytes);
  auto l = openContainer(lying);
  ASSERT_TRUE(l->next(e));
  EXPECT_TRUE(l->extent());
  ASSERT_TRUE(l->next(e));
  EXPECT_EQ(e.name, "liar");
  EXPECT_FALSE(l->extent());
}

TEST(Container, LayoutDirectoryFilesAreTheirOwnExtents) {
  std::string dir = h::tempPath("layout-dir");
  std::filesystem::create_directories(dir + "/blobs/sha256");
  h::writeFile(dir + "/blobs/sha256/aa", std::string(12345, 'a'));
  h::writeFile(dir + "/index.json", "{}");
  auto c = openContainer(dir);
  OuterEntry e;
  ASSERT_TRUE(c->next(e));
  EXPECT_EQ(e.name, "blobs/sha256/aa");
  std::optional<Extent> x = c->extent();
  ASSERT_TRUE(x);
  EXPECT_EQ(x->path, dir + "/blobs/sha256/aa");
  EXPECT_EQ(x->offset, 0);
  EXPECT_EQ(x->size, 12345);
}

}  // namespace
}  // namespace pd
