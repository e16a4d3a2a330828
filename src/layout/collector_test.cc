// The collector's result does not depend on how blobs are read: all in order through the
// container (stdin's way), big ones on the pool (the default for files), or every one on the
// pool. Checked on every real image in fixtures/third-party and the fixture layouts.
#include "layout/collector.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <limits>

#include "common/error.h"
#include "common/sha256.h"
#include "engine/engine.h"
#include "source/container.h"
#include "support/hostile_archive.h"
#include "support/run.h"

namespace pd {
namespace {

struct Outcome {
  Collected c;
  std::string error;  // what() of an InputError, if the input is refused
};

Outcome collectWith(const std::string& path, int64_t poolMinBytes,
                    int64_t maxDocumentBytes = ReadLimits{}.maxDocumentBytes) {
  ReadLimits limits;
  limits.poolMinBytes = poolMinBytes;
  limits.maxDocumentBytes = maxDocumentBytes;
  Outcome o;
  try {
    auto container = openContainer(path);
    o.c = collect(*container, rulesCapturePolicy(), limits, nullptr);
  } catch (const InputError& e) {
    o.error = e.what();
  }
  return o;
}

void expectSameRecord(const LayerRecord& a, const LayerRecord& b) {
  EXPECT_EQ(a.blob, b.blob);
  EXPECT_EQ(a.compression, b.compression);
  EXPECT_EQ(a.storedDigest, b.storedDigest);
  EXPECT_EQ(a.plainDigest, b.plainDigest);
  EXPECT_EQ(a.storedBytes, b.storedBytes);
  EXPECT_EQ(a.plainBytes, b.plainBytes);
  ASSERT_EQ(a.entries.size(), b.entries.size());
  for (size_t i = 0; i < a.entries.size(); ++i) {
    EXPECT_EQ(a.entries[i].path, b.entries[i].path);
    EXPECT_EQ(a.entries[i].capture, b.entries[i].capture);
  }
  ASSERT_EQ(a.captures.size(), b.captures.size());
  for (size_t i = 0; i < a.captures.size(); ++i) {
    EXPECT_EQ(a.captures[i].bytes, b.captures[i].bytes);
    EXPECT_EQ(a.captures[i].interp, b.captures[i].interp);
  }
}

void expectSame(const Outcome& a, const Outcome& b) {
  EXPECT_EQ(a.error, b.error);
  ASSERT_EQ(a.c.layers.size(), b.c.layers.size());
  for (const auto& [name, rec] : a.c.layers) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(b.c.layers.count(name));
    expectSameRecord(rec, b.c.layers.at(name));
  }
  ASSERT_EQ(a.c.docs.size(), b.c.docs.size());
  for (const auto& [name, doc] : a.c.docs) {
    ASSERT_TRUE(b.c.docs.count(name)) << name;
    EXPECT_EQ(doc.text, b.c.docs.at(name).text);
    EXPECT_EQ(doc.digest, b.c.docs.at(name).digest);
  }
  EXPECT_EQ(a.c.otherBlobs, b.c.otherBlobs);
  EXPECT_EQ(a.c.aliases, b.c.aliases);
}

std::vector<std::string> realImages() {
  std::vector<std::string> out;
  namespace fs = std::filesystem;
  for (const auto& dir : {std::string(PD_THIRD_PARTY_IMAGES), testing::fixtureImage("layouts")}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".tar" || fs::is_directory(e.path()))
        out.push_back(e.path().string());
  }
  return out;
}

TEST(Collector, SameResultHoweverBlobsAreRead) {
  std::vector<std::string> images = realImages();
  ASSERT_GE(images.size(), 15u) << "shared images or fixture layouts missing";
  int pooled = 0;
  for (const std::string& path : images) {
    SCOPED_TRACE(path);
    Outcome inOrder = collectWith(path, std::numeric_limits<int64_t>::max());
    Outcome byDefault = collectWith(path, ReadLimits{}.poolMinBytes);
    Outcome allPooled = collectWith(path, 0);
    expectSame(inOrder, byDefault);
    expectSame(inOrder, allPooled);
    if (inOrder.error.empty() && !inOrder.c.layers.empty()) ++pooled;
  }
  EXPECT_GE(pooled, 12);  // most of them are whole images with layers
}

// Blobs that are neither layers nor documents keep their stored digest on every path.
TEST(Collector, OtherBlobsKeepTheirDigest) {
  std::string plain = hostile::sampleBytes(3 << 20);
  std::string packed = hostile::gzip(plain);
  hostile::StringSink s;
  hostile::TarWriter t(s);
  t.file("plain.bin", plain);
  t.file("packed.bin.gz", packed);
  t.end();
  std::string path = hostile::tempPath("other-blobs.tar");
  hostile::writeFile(path, s.bytes);
  for (int64_t pool : {std::numeric_limits<int64_t>::max(), int64_t{0}}) {
    SCOPED_TRACE(pool);
    Outcome o = collectWith(path, pool, 1 << 20);
    ASSERT_EQ(o.error, "");
    EXPECT_EQ(o.c.otherBlobs["plain.bin"], sha256Of(plain));
    EXPECT_EQ(o.c.otherBlobs["packed.bin.gz"], sha256Of(packed));
  }
}

}  // namespace
}  // namespace pd
