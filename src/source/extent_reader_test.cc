// ExtentReader: exactly the extent's bytes, and an error (never wrong bytes) when the file and
// the container disagree.
#include "source/extent_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/error.h"
#include "support/hostile_archive.h"

namespace pd {
namespace {

namespace h = pd::hostile;

std::string readAll(ByteReader& r, size_t chunk) {
  std::string s(chunk, '\0'), out;
  for (size_t n; (n = r.read(s.data(), chunk)) > 0;) out.append(s.data(), n);
  return out;
}

std::string digits() {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += static_cast<char>('0' + i % 10);
  return s;
}

TEST(ExtentReader, ReadsExactlyTheRange) {
  std::string path = h::tempPath("extent.bin");
  std::string bytes = digits();
  h::writeFile(path, bytes);
  for (size_t chunk : {size_t{1}, size_t{333}, size_t{1} << 16}) {
    ExtentReader r(Extent{path, 1000, 50000}, "x", bytes.substr(1000, 4096));
    EXPECT_EQ(readAll(r, chunk), bytes.substr(1000, 50000)) << chunk;
  }
  ExtentReader empty(Extent{path, 7, 0}, "x", "");
  EXPECT_EQ(readAll(empty, 10), "");
}

TEST(ExtentReader, RefusesBytesThatDoNotStartWhereTheContainerSaid) {
  std::string path = h::tempPath("extent-off.bin");
  std::string bytes = digits();
  h::writeFile(path, bytes);
  // Off by one block: the head the container read differs from the extent's first bytes.
  ExtentReader r(Extent{path, 1512, 100}, "image.tar: layer.tar", bytes.substr(1000, 100));
  char buf[64];
  try {
    r.read(buf, sizeof buf);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "image.tar: layer.tar: the archive's entry offsets are inconsistent");
  }
}

TEST(ExtentReader, AFileThatShrinksIsAnError) {
  std::string path = h::tempPath("extent-short.bin");
  h::writeFile(path, digits());
  ExtentReader r(Extent{path, 0, 100000}, "image.tar: layer.tar", "");
  ASSERT_EQ(truncate(path.c_str(), 500), 0);
  std::string buf(1 << 16, '\0');
  EXPECT_THROW(readAll(r, buf.size()), InputError);
}

TEST(ExtentReader, SkipsOnlyAfterTheHeadWasChecked) {
  std::string path = h::tempPath("extent-skip.bin");
  std::string bytes = digits();
  h::writeFile(path, bytes);
  ExtentReader r(Extent{path, 100, 10000}, "x", bytes.substr(100, 10));
  EXPECT_EQ(r.skip(50), 0);  // the head is not checked yet: read it
  char buf[10];
  ASSERT_EQ(r.read(buf, sizeof buf), sizeof buf);
  EXPECT_EQ(r.skip(990), 990);
  ASSERT_EQ(r.read(buf, 3), 3u);
  EXPECT_EQ(std::string(buf, 3), bytes.substr(1100, 3));
  EXPECT_EQ(r.skip(1 << 30), 10000 - 1003);  // never past the extent
  EXPECT_EQ(r.read(buf, sizeof buf), 0u);
}

TEST(ExtentReader, MissingFileIsAnError) {
  EXPECT_THROW(ExtentReader(Extent{h::tempPath("absent.bin"), 0, 1}, "x", ""), InputError);
}

}  // namespace
}  // namespace pd
