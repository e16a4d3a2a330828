// BlobStream over blobs served from memory: digests, sniffing, multi-member gzip, truncation.
#include "source/blob_stream.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "source/extent_reader.h"
#include "support/hostile_archive.h"
#include "support/memory_container.h"

namespace pd {
namespace {

using hostile::sampleBytes;
using pd::testing::MemoryContainer;

struct Result {
  std::string plain, stored, plainDigest, compression;
  int64_t storedBytes, plainBytes;
};

Result readAll(std::string blob, size_t chunk = 1 << 20, size_t readSize = 1 << 16) {
  MemoryContainer c(std::move(blob), chunk);
  BlobStream b(c, "memory", true, 0);
  Result r;
  std::string buf(readSize, '\0');
  for (size_t n; (n = b.read(buf.data(), buf.size())) > 0;) r.plain.append(buf.data(), n);
  b.drain();
  r.stored = b.storedDigest();
  r.plainDigest = b.plainDigest();
  r.compression = b.compression();
  r.storedBytes = b.storedBytes();
  r.plainBytes = b.plainBytes();
  return r;
}

TEST(BlobStream, UncompressedBlobHashesOnceForBothDigests) {
  std::string plain = sampleBytes(3000000);
  Result r = readAll(plain);
  EXPECT_EQ(r.compression, "none");
  EXPECT_EQ(r.plain, plain);
  EXPECT_EQ(r.stored, sha256Of(plain));
  EXPECT_EQ(r.plainDigest, sha256Of(plain));
  EXPECT_EQ(r.storedBytes, r.plainBytes);
}

TEST(BlobStream, DigestsCanBeAskedTwice) {
  MemoryContainer c("hello");
  BlobStream b(c, "memory", true, 0);
  b.drain();
  EXPECT_EQ(b.storedDigest(), sha256Of("hello"));
  EXPECT_EQ(b.storedDigest(), sha256Of("hello"));
  EXPECT_EQ(b.plainDigest(), sha256Of("hello"));
}

TEST(BlobStream, NoDigestsWithoutVerification) {
  MemoryContainer c("hello");
  BlobStream b(c, "memory", false, 0);
  b.drain();
  EXPECT_EQ(b.storedDigest(), "");
  EXPECT_EQ(b.plainDigest(), "");
}

TEST(BlobStream, CompressedBlobHasTwoDigests) {
  std::string plain = sampleBytes(3000000);
  for (std::string stored : {hostile::gzip(plain), hostile::zstd(plain)}) {
    Result r = readAll(stored);
    EXPECT_EQ(r.plain, plain);
    EXPECT_EQ(r.stored, sha256Of(stored));
    EXPECT_EQ(r.plainDigest, sha256Of(plain));
    EXPECT_EQ(r.storedBytes, static_cast<int64_t>(stored.size()));
    EXPECT_EQ(r.plainBytes, static_cast<int64_t>(plain.size()));
  }
}

// readView hands uncompressed bytes out of the stream's own buffer and compressed ones through
// the caller's; either way the bytes, sizes and digests are those of read().
TEST(BlobStream, ReadViewGivesTheSameBytesWithoutACopy) {
  std::string plain = sampleBytes(3000000, 6);
  for (std::string stored : {plain, hostile::gzip(plain)}) {
    MemoryContainer c(stored, 100000);
    BlobStream b(c, "memory", true, 0);
    std::string got, buf(1 << 16, '\0');
    size_t outside = 0, inside = 0;
    const char* p = nullptr;
    for (size_t n; (n = b.readView(&p, buf.data(), buf.size())) > 0;) {
      got.append(p, n);
      (p >= buf.data() && p < buf.data() + buf.size() ? inside : outside) += 1;
    }
    b.drain();
    EXPECT_TRUE(got == plain);
    EXPECT_EQ(b.plainBytes(), static_cast<int64_t>(plain.size()));
    EXPECT_EQ(b.plainDigest(), sha256Of(plain));
    EXPECT_EQ(b.storedDigest(), sha256Of(stored));
    if (stored == plain) {
      EXPECT_EQ(inside, 0u);  // never copied into the caller's buffer
    } else {
      EXPECT_GT(inside, 0u);
    }
  }
}

TEST(BlobStream, ReadViewKeepsTheCap) {
  MemoryContainer c(std::string(1 << 20, 'x'));
  BlobStream b(c, "memory", false, 100000);
  std::string buf(1 << 16, '\0');
  const char* p = nullptr;
  EXPECT_THROW(
      {
        while (b.readView(&p, buf.data(), buf.size()) > 0) {
        }
      },
      InputError);
}

// Skipping is for bytes nobody needs: never while hashing or inflating, never over bytes
// already buffered; skipped bytes still count in the sizes and the --max-bytes cap.
TEST(BlobStream, SkipsOnlyWhatNothingNeeds) {
  std::string plain = sampleBytes(3000000);
  std::string path = hostile::tempPath("skip-blob.bin");
  hostile::writeFile(path, plain);
  std::string head = plain.substr(0, 4096);
  {
    ExtentReader in(Extent{path, 0, 3000000}, "x", head);
    BlobStream b(in, "x", false, 0);
    EXPECT_EQ(b.skip(100), 0);  // not sniffed yet
    std::string_view h = b.plainHead();
    ASSERT_EQ(h.size(), size_t{1} << 16);
    EXPECT_EQ(b.skip(100), 0);  // the head is still buffered
    std::string buf(1 << 16, '\0');
    ASSERT_EQ(b.read(buf.data(), buf.size()), h.size());
    const char* p = nullptr;
    size_t n = b.readView(&p, buf.data(), buf.size());
    ASSERT_GT(n, 0u);
    EXPECT_EQ(std::string(p, n), plain.substr(1 << 16, n));
    size_t pos = (size_t{1} << 16) + n;
    EXPECT_EQ(b.skip(1000), 1000);
    n = b.readView(&p, buf.data(), buf.size());
    ASSERT_GT(n, 0u);
    EXPECT_EQ(std::string(p, n), plain.substr(pos + 1000, n));
    b.drain();  // skips the rest
    EXPECT_EQ(b.storedBytes(), 3000000);
    EXPECT_EQ(b.plainBytes(), 3000000);
  }
  {
    ExtentReader in(Extent{path, 0, 3000000}, "x", head);
    BlobStream b(in, "x", true, 0);  // hashing: every byte is read
    b.plainHead();
    std::string buf(1 << 16, '\0');
    b.read(buf.data(), buf.size());
    EXPECT_EQ(b.skip(1000), 0);
    b.drain();
    EXPECT_EQ(b.storedDigest(), sha256Of(plain));
  }
  {
    ExtentReader in(Extent{path, 0, 3000000}, "x", head);
    BlobStream b(in, "x", false, 1000000);  // the cap counts skipped bytes
    b.plainHead();
    std::string buf(1 << 16, '\0');
    b.read(buf.data(), buf.size());
    EXPECT_THROW(b.drain(), InputError);
  }
}

TEST(BlobStream, MultiMemberGzipIsOneStream) {
  std::string a = sampleBytes(200000, 2), b = sampleBytes(5000, 3);
  std::string stored = hostile::gzip(a) + hostile::gzip(b) + hostile::gzip("");
  for (size_t chunk : {size_t{1} << 20, size_t{4096}, size_t{13}}) {
    Result r = readAll(stored, chunk, 1000);
    EXPECT_EQ(r.compression, "gzip");
    EXPECT_TRUE(r.plain == a + b);
    EXPECT_EQ(r.plainDigest, sha256Of(a + b));
    EXPECT_EQ(r.stored, sha256Of(stored));
  }
}

// Cut anywhere, or followed by bytes that are not a member, a gzip or zstd blob is an error
// naming the blob, never a short read.
TEST(BlobStream, TruncatedOrTrailingGarbageIsAnError) {
  std::string plain = sampleBytes(200000, 4);
  for (std::string comp : {"gzip", "zstd"}) {
    std::string full = comp == "gzip" ? hostile::gzip(plain) : hostile::zstd(plain);
    std::vector<std::string> bad;
    for (size_t cut : {size_t{4}, size_t{11}, full.size() / 2, full.size() - 4, full.size() - 1})
      bad.push_back(full.substr(0, cut));
    if (comp == "gzip") bad.push_back(full + "garbage!");
    for (const auto& s : bad) {
      SCOPED_TRACE(comp + " of " + std::to_string(s.size()) + " bytes");
      try {
        readAll(s, 4096);
        ADD_FAILURE() << "read without error";
      } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("memory: ", 0), 0u) << e.what();
        std::string m = e.what();
        EXPECT_TRUE(m.find("truncated " + comp + " stream") != std::string::npos ||
                    m.find("corrupt " + comp + " data") != std::string::npos)
            << m;
      }
    }
  }
}

}  // namespace
}  // namespace pd
