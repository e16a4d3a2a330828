// The gzip decoders must agree byte for byte: ISA-L (when built in) against zlib, on single and
// multi-member streams fed in awkward chunk sizes, and both must refuse truncated or corrupt input.
#include "source/decoder.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/error.h"
#include "support/hostile_archive.h"

namespace pd {
namespace {

using hostile::sampleBytes;

struct Decoded {
  std::string plain;
  bool ended = false;  // the last member ended exactly at the end of the input
};

// Drives a decoder the way BlobStream does: input in chunks of `inChunk`, output in chunks of
// `outChunk`, then empty steps at the end of the input until nothing more comes out.
Decoded decodeAll(Decoder& d, const std::string& in, size_t inChunk, size_t outChunk) {
  Decoded r;
  std::string out(outChunk, '\0');
  size_t pos = 0;
  bool finished = false;
  while (pos < in.size()) {
    size_t len = std::min(inChunk, in.size() - pos);
    size_t used = 0;
    size_t made = d.step(in.data() + pos, len, used, out.data(), out.size(), finished);
    r.plain.append(out.data(), made);
    pos += used;
    if (used == 0 && made == 0 && !finished) ADD_FAILURE() << "decoder made no progress";
    if (used == 0 && made == 0) break;
  }
  for (;;) {
    if (finished) break;
    size_t used = 0;
    size_t made = d.step(nullptr, 0, used, out.data(), out.size(), finished);
    r.plain.append(out.data(), made);
    if (made == 0) break;
  }
  r.ended = finished;
  return r;
}

std::vector<std::unique_ptr<Decoder>> gzipDecoders() {
  std::vector<std::unique_ptr<Decoder>> v;
  v.push_back(makeZlibGzipDecoder("t"));
  if (auto d = makeIsalGzipDecoder("t")) v.push_back(std::move(d));
  return v;
}

TEST(GzipDecoders, BuildHasIsal) {
#if PD_HAVE_ISAL
  EXPECT_NE(makeIsalGzipDecoder("t"), nullptr);
#else
  GTEST_SKIP() << "built without ISA-L: zlib only";
#endif
}

TEST(GzipDecoders, AgreeOnSingleAndMultiMemberStreams) {
  const std::string a = sampleBytes(700000, 1), b = sampleBytes(3000, 2), c = sampleBytes(1, 3);
  const std::string zeros(200000, '\0');
  struct Case {
    std::string stored, plain;
  };
  std::vector<Case> cases = {
      {hostile::gzip(a), a},
      {hostile::gzip(a, 1), a},
      {hostile::gzip(a, 9), a},
      {hostile::gzip(""), ""},
      {hostile::gzip(a) + hostile::gzip(b) + hostile::gzip(c), a + b + c},
      {hostile::gzip(b) + hostile::gzip("") + hostile::gzip(zeros), b + zeros},
      {hostile::gzip(b) + hostile::gzip(c) + hostile::gzip(b, 1), b + c + b},
  };
  for (size_t k = 0; k < cases.size(); ++k) {
    for (size_t inChunk : {size_t{1}, size_t{7}, size_t{4096}, size_t{1} << 17}) {
      for (size_t outChunk : {size_t{1}, size_t{1000}, size_t{1} << 16}) {
        // Tiny chunks over the big cases are slow and add nothing beyond the small ones.
        if ((inChunk < 16 || outChunk < 16) && cases[k].plain.size() > 10000) continue;
        for (auto& d : gzipDecoders()) {
          SCOPED_TRACE("case " + std::to_string(k) + " in " + std::to_string(inChunk) + " out " +
                       std::to_string(outChunk));
          Decoded r = decodeAll(*d, cases[k].stored, inChunk, outChunk);
          EXPECT_TRUE(r.ended);
          EXPECT_EQ(r.plain.size(), cases[k].plain.size());
          EXPECT_TRUE(r.plain == cases[k].plain);
        }
      }
    }
  }
}

TEST(GzipDecoders, NeitherEndsATruncatedStream) {
  const std::string a = sampleBytes(300000, 4);
  const std::string gz = hostile::gzip(a);
  const std::string two = gz + hostile::gzip(a);
  for (const std::string* s : {&gz, &two}) {
    for (size_t cut : {size_t{1}, size_t{5}, size_t{10}, size_t{20}, s->size() / 2, s->size() - 8,
                       s->size() - 4, s->size() - 1, gz.size() + 3}) {
      if (cut >= s->size() || cut == gz.size()) continue;  // gz.size(): one whole member
      std::string in = s->substr(0, cut);
      std::vector<std::string> outs;
      for (auto& d : gzipDecoders()) {
        SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(s->size()));
        Decoded r = decodeAll(*d, in, 4096, 1 << 16);
        EXPECT_FALSE(r.ended);
        outs.push_back(r.plain);
      }
      // What each could recover before the cut is a prefix of the real data.
      for (const auto& o : outs) EXPECT_EQ(o, (a + a).substr(0, o.size()));
    }
  }
}

TEST(GzipDecoders, RefuseCorruptData) {
  const std::string a = sampleBytes(100000, 5);
  std::string gz = hostile::gzip(a);
  std::string badCrc = gz;
  badCrc[badCrc.size() - 6] ^= 0x55;  // the CRC-32 in the trailer
  std::string badHeader = gz;
  badHeader[2] = 7;  // compression method
  std::string badData = gz;
  for (size_t i = 20; i < 60; ++i) badData[i] = static_cast<char>(0xff);
  for (const std::string* s : {&badCrc, &badHeader, &badData}) {
    for (auto& d : gzipDecoders()) {
      try {
        decodeAll(*d, *s, 4096, 1 << 16);
        ADD_FAILURE() << "corrupt stream decoded";
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("corrupt gzip data"), std::string::npos) << e.what();
      }
    }
  }
  // Garbage after a complete member is not another member: an error at once (zlib), or a
  // header that never completes, which BlobStream reports as a truncated stream (ISA-L waits
  // for a whole header before judging it).
  auto decoders = gzipDecoders();
  for (size_t k = 0; k < decoders.size(); ++k) {
    for (const char* tail : {"garbage!", "x", "\x1f\x8b\x09"}) {
      SCOPED_TRACE("decoder " + std::to_string(k) + " tail " + tail);
      // Either way, the decoder must say what is wrong, never report a clean end.
      try {
        Decoded r = decodeAll(*decoders[k], gz + tail, 4096, 1 << 16);
        EXPECT_FALSE(r.ended) << "garbage after the member read as a clean end";
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("corrupt gzip data"), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace pd
