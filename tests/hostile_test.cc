// Hostile inputs, built at test time by tests/support/hostile_archive.*: every bad input gets
// either correct findings or one line "permdoctor: <file>: <problem>" with exit status 2, never a
// crash, a hang, a silent partial report or unbounded memory. Each case pins the exact outcome.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/sha256.h"
#include "support/hostile_archive.h"
#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;
namespace h = pd::hostile;

// ---- helpers ----------------------------------------------------------------------------------

// A minimal static x86-64 ELF executable header: the start program of every case, so that a
// healthy case has nothing to report about it.
std::string staticElf() {
  std::string e(64, '\0');
  const unsigned char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  std::memcpy(e.data(), ident, sizeof ident);
  e[16] = 2;   // ET_EXEC
  e[18] = 62;  // EM_X86_64
  e[20] = 1;   // EV_CURRENT
  e[52] = 64;  // e_ehsize
  e[54] = 56;  // e_phentsize
  return e;
}

void baseEntries(h::TarWriter& t) {
  t.dir("etc/");
  t.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  t.file("etc/group", "root:x:0:\n");
  t.file("app", staticElf(), 0755);
}

h::Blob baseLayer(const std::string& compression = "none") {
  return h::layer(baseEntries, compression);
}

// An image of the base layer plus one layer written by `fill`.
h::Image imageWith(const std::function<void(h::TarWriter&)>& fill,
                   const std::string& compression = "none") {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.push_back(h::layer(fill, compression));
  return img;
}

std::string save(const std::string& name, std::string_view bytes) {
  std::string p = h::tempPath(name);
  h::writeFile(p, bytes);
  return p;
}

std::string save(const std::string& name, const h::Image& img) {
  return save(name, h::dockerArchive(img));
}

std::string q(const std::string& path) {
  return "'" + path + "'";
}

struct Outcome {
  int status = -1;
  std::string err;
  json report;
};

Outcome lint(const std::string& file, const std::string& extra = "") {
  RunResult r = runPermdoctor("lint " + q(file) + " --format json -q --fail-on never " + extra);
  Outcome o{r.status, r.err, nullptr};
  if (r.status == 0) {
    EXPECT_TRUE(json::accept(r.out)) << "not JSON: " << r.out.substr(0, 400);
    if (json::accept(r.out)) o.report = json::parse(r.out);
  }
  return o;
}

std::vector<json> findings(const json& report, const std::string& rule) {
  std::vector<json> out;
  if (!report.is_object()) return out;
  for (const auto& f : report["findings"])
    if (f["rule"] == rule) out.push_back(f);
  return out;
}

// Exit 2 and exactly one line "permdoctor: <file>: ...<problem>...".
void expectInputError(const Outcome& o, const std::string& file, const std::string& problem) {
  EXPECT_EQ(o.status, 2) << o.err;
  std::string prefix = "permdoctor: " + file;
  EXPECT_EQ(o.err.rfind(prefix, 0), 0u) << o.err;
  EXPECT_NE(o.err.find(problem), std::string::npos)
      << "expected \"" << problem << "\" in: " << o.err;
  EXPECT_EQ(o.err.find("internal error"), std::string::npos) << o.err;
  ASSERT_FALSE(o.err.empty());
  EXPECT_EQ(o.err.find('\n'), o.err.size() - 1) << "not one line: " << o.err;
}

void expectInputError(const std::string& file, const std::string& problem,
                      const std::string& extra = "") {
  expectInputError(lint(file, extra), file, problem);
}

void expectClean(const Outcome& o) {
  ASSERT_EQ(o.status, 0) << o.err;
  ASSERT_TRUE(o.report.is_object());
}

// Runs the binary under /usr/bin/time (Debian: time; scripts/quickstart installs it) and prints
// wall time and peak RSS. Without it the memory checks cannot be made: that is a failure, not a
// silent pass.
struct Measured {
  RunResult run;
  double seconds = 0;
  long maxRssKb = -1;
};

Measured measure(const std::string& what, const std::string& args) {
  Measured m;
  std::string timeFile = h::tempPath("time.txt");
  bool haveTime = fileExists("/usr/bin/time");
  if (!haveTime) ADD_FAILURE() << "/usr/bin/time is missing (Debian package: time): no peak RSS";
  auto t0 = std::chrono::steady_clock::now();
  if (haveTime) {
    // runPermdoctor prefixes the binary; measure it with a wrapper of our own instead.
    std::string outF = h::tempPath("out"), errF = h::tempPath("err");
    // GNU time writes "Command exited with non-zero status N" first: find our line by its tag.
    std::string cmd = "/usr/bin/time -f 'pd-time %e %M' -o " + q(timeFile) + " " + PD_BINARY + " " +
                      args + " >" + q(outF) + " 2>" + q(errF) + " </dev/null";
    int st = std::system(cmd.c_str());
    m.run.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    auto slurp = [](const std::string& p) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    m.run.out = slurp(outF);
    m.run.err = slurp(errF);
    std::ifstream tf(timeFile);
    for (std::string line; std::getline(tf, line);)
      if (line.rfind("pd-time ", 0) == 0)
        std::sscanf(line.c_str(), "pd-time %lf %ld", &m.seconds, &m.maxRssKb);
    unlink(outF.c_str());
    unlink(errF.c_str());
    unlink(timeFile.c_str());
  } else {
    m.run = runPermdoctor(args);
  }
  auto t1 = std::chrono::steady_clock::now();
  if (m.seconds == 0) m.seconds = std::chrono::duration<double>(t1 - t0).count();
  std::printf("[measure] %s: exit %d, %.1f s, peak RSS %ld KiB\n", what.c_str(), m.run.status,
              m.seconds, m.maxRssKb);
  return m;
}

// ---- healthy baseline -------------------------------------------------------------------------

TEST(Hostile, GeneratedBaselineIsClean) {
  std::string f = save("base.tar", imageWith([](h::TarWriter& t) { t.file("data.txt", "hi\n"); }));
  Outcome o = lint(f);
  expectClean(o);
  EXPECT_EQ(o.report["image"]["layers"].size(), 2u);
  // Only what every root docker-archive gets: runs as root (PD201).
  for (const auto& f : o.report["findings"]) EXPECT_EQ(f["rule"], "PD201") << f.dump(2);
}

// ---- truncation -------------------------------------------------------------------------------

// The outer archive cut at every interesting offset: inside each header, inside each entry's
// data (a gzip layer, a zstd layer, a plain layer, the config, the manifest), and exactly at a
// header boundary (a tar that just stops: what is missing is named).
TEST(Hostile, OuterArchiveTruncatedEverywhere) {
  h::Image img;
  img.layers.push_back(baseLayer("gzip"));
  img.layers.push_back(
      h::layer([](h::TarWriter& t) { t.file("z.txt", std::string(3000, 'z')); }, "zstd"));
  img.layers.push_back(h::layer([](h::TarWriter& t) { t.file("p.txt", "plain\n"); }));
  h::StringSink s;
  std::vector<int64_t> offsets = h::writeDockerArchive(s, img);
  const std::string& whole = s.bytes;
  // offsets: 3 layers, config, manifest, then the end blocks.
  ASSERT_EQ(offsets.size(), 6u);
  int cases = 0;
  for (size_t i = 0; i + 1 < offsets.size(); ++i) {
    int64_t hdr = offsets[i], next = offsets[i + 1];
    int64_t dataLen = next - hdr - 512;
    for (int64_t cut : {hdr + 1, hdr + 257, hdr + 511, hdr + 512 + dataLen / 2, next - 1}) {
      std::string f = save("cut.tar", std::string_view(whole).substr(0, cut));
      SCOPED_TRACE("cut at " + std::to_string(cut));
      // Less than one header: nothing says it is a tar at all.
      expectInputError(f, cut < 512 ? "not a tar archive (unrecognized format)"
                                    : "truncated archive: Truncated ");
      ++cases;
    }
    // At a header boundary the tar simply ends: the manifest (the last entry) is missing.
    std::string f = save("cut.tar", std::string_view(whole).substr(0, hdr));
    SCOPED_TRACE("cut at " + std::to_string(hdr));
    if (hdr == 0)
      expectInputError(f, "not a tar archive (unrecognized format)");
    else
      expectInputError(f, "no manifest.json or index.json: not an image archive");
  }
  // Cut inside the end-of-archive blocks: libarchive insists on a whole zero block.
  std::string f = save("cut.tar", std::string_view(whole).substr(0, offsets.back() + 100));
  expectInputError(f, "truncated archive");
  // One whole zero block and no second one: everything was read; the report is complete.
  std::string g = save("cut.tar", std::string_view(whole).substr(0, offsets.back() + 512));
  Outcome o = lint(g);
  expectClean(o);
  EXPECT_EQ(o.report["image"]["layers"].size(), 3u);
  EXPECT_GE(cases, 25);
}

// A complete archive holding a layer blob cut inside its compressed stream.
TEST(Hostile, CompressedLayerTruncatedInsideTheStream) {
  std::string plain;
  {
    h::StringSink s;
    h::TarWriter t(s);
    baseEntries(t);
    t.file("noise.bin", std::string(200000, 'n'));
    t.end();
    plain = s.bytes;
  }
  for (std::string comp : {"gzip", "zstd"}) {
    h::Blob full = h::layer(plain, comp);
    size_t n = full.bytes.size();
    for (size_t cut : {size_t{2}, size_t{5}, size_t{12}, n / 3, n / 2, n - 8, n - 4, n - 1}) {
      // zstd's magic is 4 bytes: 2 bytes of it are just a 2-byte blob, not a layer.
      if (comp == "zstd" && cut < 4) continue;
      h::Blob b = full;
      b.bytes = full.bytes.substr(0, cut);
      b.storedDigest = pd::sha256Of(b.bytes);
      b.name = "layer-" + comp + ".tar";
      h::Image img;
      img.layers.push_back(b);
      std::string f = save("trunc-" + comp + ".tar", img);
      SCOPED_TRACE(comp + " cut at " + std::to_string(cut) + " of " + std::to_string(n));
      expectInputError(f, f + ": layer-" + comp + ".tar: truncated " + comp + " stream");
    }
  }
}

// An uncompressed layer cut inside a header, inside file data, and at a header boundary.
TEST(Hostile, PlainLayerTruncated) {
  std::string plain;
  {
    h::StringSink s;
    h::TarWriter t(s);
    baseEntries(t);
    t.file("big.txt", std::string(5000, 'b'));
    t.end();
    plain = s.bytes;
  }
  std::string diffId = pd::sha256Of(plain);
  struct Cut {
    size_t at;
    const char* problem;
  };
  for (Cut c : {Cut{300, "layer blob is not a tar archive"}, Cut{512 + 100, "damaged layer tar"},
                Cut{3 * 512 + 700, "damaged layer tar"}, Cut{7 * 512, "diff_id mismatch"}}) {
    h::Blob b = h::layer(plain.substr(0, c.at));
    b.plainDigest = diffId;  // the config names the whole layer
    b.name = "cut/layer.tar";
    h::Image img;
    img.layers.push_back(b);
    std::string f = save("plain-cut.tar", img);
    SCOPED_TRACE("cut at " + std::to_string(c.at));
    expectInputError(f, c.problem);
  }
}

// `docker save | gzip` cut short: the outer gzip stream ends early.
TEST(Hostile, GzippedOuterArchiveTruncated) {
  std::string whole = h::gzip(
      h::dockerArchive(imageWith([](h::TarWriter& t) { t.file("x", std::string(100000, 'x')); })));
  expectInputError(save("outer-gz.tar.gz", whole.substr(0, 5)), "not a tar archive");
  for (size_t cut : {whole.size() / 2, whole.size() - 3}) {
    std::string f = save("outer-gz.tar.gz", whole.substr(0, cut));
    SCOPED_TRACE(cut);
    expectInputError(f, "truncated");
  }
}

// ---- big blobs, read on several threads --------------------------------------------------------

// Incompressible bytes (splitmix64): a gzip layer of them stays over the 1 MiB from which a blob
// of a seekable archive is read on a pool thread of its own.
std::string noise(size_t n, uint64_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::memcpy(s.data() + i, &z, std::min<size_t>(8, n - i));
  }
  return s;
}

h::Blob bigLayer(const std::string& name, uint64_t seed, const std::string& compression,
                 uint32_t mode = 0644) {
  h::Blob b = h::layer(
      [&](h::TarWriter& t) {
        t.dir("opt/");
        t.file("opt/" + name + ".bin", noise(3 << 20, seed), mode);
      },
      compression);
  b.name = name + "/layer.tar";
  return b;
}

// The base layer, then `layers`.
h::Image baseThen(std::initializer_list<h::Blob> layers) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.insert(img.layers.end(), layers);
  return img;
}

// Cuts a gzip layer's stored bytes to `fraction` of their length; the archive stays whole.
void cutStream(h::Blob& b, double fraction) {
  b.bytes.resize(static_cast<size_t>(static_cast<double>(b.bytes.size()) * fraction));
  b.storedDigest = pd::sha256Of(b.bytes);
}

RunResult lintStdin(const std::string& file) {
  return runPermdoctor("lint - --format json -q --fail-on never", file);
}

// From a file, big layers are read at once on several threads; from stdin, one after the other.
// The report must not tell which.
TEST(Hostile, BigLayersGiveTheSameReportFromAFileAndFromStdin) {
  h::Image img = baseThen({bigLayer("plain", 1, "none", 0666),  // PD106: world-writable
                           bigLayer("gz", 2, "gzip"), bigLayer("zst", 3, "zstd", 0600)});
  std::string f = save("big-layers.tar", img);
  Outcome file = lint(f);
  expectClean(file);
  RunResult in = lintStdin(f);
  ASSERT_EQ(in.status, 0) << in.err;
  json fromStdin = json::parse(in.out);
  ASSERT_EQ(findings(file.report, "PD106").size(), 1u);
  EXPECT_EQ(file.report["findings"], fromStdin["findings"]);
  EXPECT_EQ(file.report["image"]["layers"], fromStdin["image"]["layers"]);
  EXPECT_EQ(file.report["image"]["fileCount"], fromStdin["image"]["fileCount"]);
}

// A big plain layer is hashed by a task of its own, straight from the file: one changed byte in
// a body the scan skips must still fail verification, and --no-verify must still read it.
TEST(Hostile, BigPlainLayerIsStillVerified) {
  h::Image img = baseThen({bigLayer("plain", 1, "none")});
  std::string diffId = img.layers[1].plainDigest;
  h::Blob& b = img.layers[1];
  b.bytes[b.bytes.size() / 2] ^= 0x20;      // inside the 3 MiB file's body
  b.storedDigest = b.plainDigest = diffId;  // the config and name still claim the original
  b.name = "plain/layer.tar";
  std::string f = save("big-plain-flipped.tar", img);
  expectInputError(f, "plain/layer.tar: diff_id mismatch: config says " + diffId);
  expectClean(lint(f, "--no-verify"));
}

// Two big damaged layers: the error names the first, as reading in order would, even though the
// second (cut near its start) fails first on its own thread.
TEST(Hostile, BigDamagedLayersFailInArchiveOrder) {
  h::Image img = baseThen({bigLayer("first", 1, "gzip"), bigLayer("second", 2, "gzip")});
  cutStream(img.layers[1], 0.95);
  cutStream(img.layers[2], 0.05);
  std::string f = save("two-cut.tar", img);
  for (int i = 0; i < 3; ++i) expectInputError(f, f + ": first/layer.tar: truncated gzip stream");
  RunResult in = lintStdin(f);
  EXPECT_EQ(in.status, 2);
  EXPECT_EQ(in.err, "permdoctor: <stdin>: first/layer.tar: truncated gzip stream\n");
}

// A big damaged layer before the point where the archive itself is cut: the layer's error, the
// first thing wrong in the file, is the one reported.
TEST(Hostile, BigDamagedLayerBeforeACutArchive) {
  h::Image img = baseThen({bigLayer("damaged", 1, "gzip"), bigLayer("later", 2, "none")});
  cutStream(img.layers[1], 0.9);
  h::StringSink s;
  std::vector<int64_t> offsets = h::writeDockerArchive(s, img);
  ASSERT_GE(offsets.size(), 3u);
  std::string f =
      save("damaged-then-cut.tar", std::string_view(s.bytes).substr(0, offsets[2] + 4096));
  expectInputError(f, f + ": damaged/layer.tar: truncated gzip stream");
}

// ---- decompression bombs ------------------------------------------------------------------------

// Writes to `path` a docker archive of the base layer plus `big`, a layer streamed from its file.
void writeBaseAnd(const std::string& path, const h::Blob& big) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.push_back(big);
  h::FileSink out(path);
  h::writeDockerArchive(out, img);
  out.close();
}

// Writes to `path` a docker archive of the base layer plus one gzip layer holding a tar header
// `head` followed by `zeros` zero bytes, streamed through a temporary file: the big-layer cases.
void writeZerosImage(const std::string& path, const std::string& head, int64_t zeros,
                     const std::string& plainDigest, const std::string& layerName = "") {
  std::string layerPath = h::tempPath("zeros-layer.gz");
  h::FileSink ls(layerPath);
  h::gzipBomb(ls, head, zeros);
  ls.close();
  h::Blob b;
  b.name = layerName;
  b.file = layerPath;
  b.size = ls.written();
  b.storedDigest = ls.digest();
  b.plainDigest = plainDigest;
  writeBaseAnd(path, b);
  unlink(layerPath.c_str());
}

// A layer whose 20 GiB of zeros compress to ~20 MiB: refused at the --max-bytes cap, in bounded
// memory, without inflating the rest.
TEST(Hostile, GzipBombRefusedAtTheCap) {
  const int64_t kZeros = 20LL << 30;
  std::string path = h::tempPath("bomb.tar");
  {
    h::Header hd;
    hd.name = "big";
    hd.size = kZeros;
    writeZerosImage(path, h::header(hd), kZeros + 1024,
                    "sha256:" + std::string(64, '0') /* never reached */, "bomb/layer.tar");
  }
  Measured m = measure("20 GiB gzip bomb, --max-bytes 1 GiB",
                       "lint " + q(path) + " -q --format json --max-bytes 1073741824");
  Outcome o{m.run.status, m.run.err, nullptr};
  expectInputError(o, path,
                   path + ": bomb/layer.tar: expands past the --max-bytes cap of 1073741824 bytes");
  EXPECT_GT(m.maxRssKb, 0) << "no peak RSS measured";
  EXPECT_LT(m.maxRssKb, 512 * 1024) << "memory must not grow with the bytes";
  unlink(path.c_str());
}

// The cap counts every blob of the input: two layers under it one by one, over it together.
TEST(Hostile, MaxBytesCapsTheWholeInput) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.push_back(h::layer([](h::TarWriter& t) { t.file("a", std::string(60000, 'a')); }));
  img.layers.push_back(h::layer([](h::TarWriter& t) { t.file("b", std::string(60000, 'b')); }));
  std::string f = save("two.tar", img);
  expectInputError(f, "expands past the --max-bytes cap of 100000 bytes", "--max-bytes 100000");
  expectClean(lint(f, "--max-bytes 1000000"));
}

// Without a cap a bomb streams through in fixed memory and the file is reported as it is.
TEST(Hostile, GzipBombWithoutCapStreamsInBoundedMemory) {
  const int64_t kZeros = 1LL << 30;
  std::string path = h::tempPath("bomb-nocap.tar");
  {
    h::Header hd;
    hd.name = "big";
    hd.size = kZeros;
    hd.mode = 0644;
    h::StringSink ls;
    h::gzipBomb(ls, h::header(hd), kZeros + 1024);
    h::Blob b;
    b.name = "bomb/layer.tar";
    b.bytes = ls.bytes;
    b.size = ls.written();
    b.storedDigest = ls.digest();
    b.plainDigest = "sha256:" + std::string(64, '0');
    h::Image img;
    img.layers.push_back(baseLayer());
    img.layers.push_back(b);
    h::writeFile(path, h::dockerArchive(img));
  }
  Measured m = measure("1 GiB gzip bomb, no cap, --no-verify",
                       "lint " + q(path) + " -q --format json --fail-on never --no-verify");
  ASSERT_EQ(m.run.status, 0) << m.run.err;
  json j = json::parse(m.run.out);
  EXPECT_EQ(j["image"]["layers"][1]["uncompressedSize"], kZeros + 1536);
  EXPECT_GT(m.maxRssKb, 0) << "no peak RSS measured";
  EXPECT_LT(m.maxRssKb, 512 * 1024) << "memory must not grow with the bytes";
  unlink(path.c_str());
}

// ---- an image past Lambda's 10 GiB (PD405)
// -------------------------------------------------------

// The only way to exceed 10 GiB uncompressed in a test: a file of zeros that gzips to ~10 MiB.
// Unlike the bombs above the image is honest (real diff_id, verified), so this is the image that
// fires PD405 end to end; healthy-lambda's expect file is the one that must not.
TEST(Hostile, LambdaImagePast10GiBFiresPD405) {
  const int64_t kFile = (10LL << 30) + (64LL << 20);
  const int64_t kZeros = kFile + 1024;  // contents (a multiple of 512) and the end blocks
  std::string path = h::tempPath("pd405.tar");
  {
    h::Header hd;
    hd.name = "opt/model.bin";
    hd.size = kFile;
    hd.mode = 0644;
    std::string head = h::header(hd);
    // The diff_id, SHA-256 of the whole uncompressed tar (this header, then kZeros zero bytes),
    // is a constant: hashing 10 GiB here took half a minute of every run. PD_HOSTILE_RECOMPUTE=1
    // hashes it again, and the test fails if the constant is stale (permdoctor verifies it, so a
    // stale one also fails as a diff_id mismatch).
    std::string diffId = "sha256:ae0a6b724933cc9d304247f1a4499e1d0a8db4720e5d9b27132c462fbbc3cf6b";
    if (std::getenv("PD_HOSTILE_RECOMPUTE")) {
      h::DiscardSink plain;
      plain.write(head);
      const std::string chunk(1 << 20, '\0');
      for (int64_t left = kZeros; left > 0; left -= static_cast<int64_t>(chunk.size()))
        plain.write(std::string_view(chunk.data(),
                                     static_cast<size_t>(std::min<int64_t>(left, chunk.size()))));
      EXPECT_EQ(plain.digest(), diffId);
    }
    writeZerosImage(path, head, kZeros, diffId);
  }
  Outcome o = lint(path, "--profile lambda");
  unlink(path.c_str());
  ASSERT_EQ(o.status, 0) << o.err;
  std::vector<json> f = findings(o.report, "PD405");
  ASSERT_EQ(f.size(), 1u) << o.report.dump().substr(0, 2000);
  EXPECT_GT(f[0]["evidence"]["uncompressedSize"].get<int64_t>(), 10LL << 30);
  EXPECT_EQ(f[0]["evidence"]["largestLayers"][0]["index"], 1);
  EXPECT_NE(f[0]["message"].get<std::string>().find("exceeds Lambda's limit"), std::string::npos);
}

// ---- a million entries --------------------------------------------------------------------------

// 1000 directories of 1000 empty files, streamed through gzip to a file (9 MiB), never held in
// memory. PD_HOSTILE_DIRS=N scales it to N directories (for measuring memory against entries).
TEST(Hostile, MillionEntryLayer) {
  const char* scale = std::getenv("PD_HOSTILE_DIRS");
  const int kDirs = scale ? std::atoi(scale) : 1000, kFiles = 1000;
  std::string layerPath = h::tempPath("million.tar.gz");
  h::Blob b;
  {
    h::FileSink fs(layerPath);
    h::GzipSink gz(fs, 1);
    h::TarWriter t(gz);
    char name[32];
    for (int d = 0; d < kDirs; ++d) {
      std::snprintf(name, sizeof name, "d%03d/", d);
      t.dir(name);
      for (int f = 0; f < kFiles; ++f) {
        std::snprintf(name, sizeof name, "d%03d/f%03d", d, f);
        t.file(name, "");
      }
    }
    t.end();
    gz.finish();
    fs.close();
    b.name = "million/layer.tar";
    b.file = layerPath;
    b.size = fs.written();
    b.storedDigest = fs.digest();
    b.plainDigest = gz.digest();
  }
  std::string path = h::tempPath("million.tar");
  writeBaseAnd(path, b);
  unlink(layerPath.c_str());
  Measured m = measure(std::to_string(kDirs + kDirs * kFiles) + "-entry layer (" +
                           std::to_string(b.size >> 20) + " MiB gzip)",
                       "lint " + q(path) + " -q --format json --fail-on never");
  ASSERT_EQ(m.run.status, 0) << m.run.err;
  json j = json::parse(m.run.out);
  EXPECT_EQ(j["image"]["layers"][1]["entries"], kDirs + kDirs * kFiles);
  // root, /etc, /etc/passwd, /etc/group, /app, then the layer's dirs and files
  EXPECT_EQ(j["image"]["fileCount"], 5 + kDirs + kDirs * kFiles);
  // The entry cap refuses it early.
  Outcome o = lint(path, "--max-entries 1000");
  expectInputError(o, path, "million/layer.tar: layer has more than 1000 entries");
  unlink(path.c_str());
}

// ---- names -------------------------------------------------------------------------------------

TEST(Hostile, AbsoluteAndClimbingNamesArePD502) {
  std::string f = save("names.tar", imageWith([](h::TarWriter& t) {
                         t.file("/etc/abs.conf", "x");
                         t.file("app2/../../../etc/cron.d/job", "* * * * * root true\n");
                         t.file("./ok/./fine", "x");
                       }));
  Outcome o = lint(f);
  expectClean(o);
  auto f502 = findings(o.report, "PD502");
  ASSERT_EQ(f502.size(), 1u);
  EXPECT_EQ(f502[0]["evidence"]["rawNames"],
            json({"/etc/abs.conf", "app2/../../../etc/cron.d/job"}));
  EXPECT_EQ(f502[0]["paths"], json({"/etc/abs.conf", "/etc/cron.d/job"}));
}

// Names the kernel would refuse are PD504, and the rest of the layer is still linted.
TEST(Hostile, NamesLongerThanPathMaxArePD504) {
  std::string longName = "app-data/" + std::string(5000, 'n');
  auto expect504 = [](const std::string& file, const std::string& reason, int64_t bytes) {
    SCOPED_TRACE(file);
    Outcome o = lint(file);
    expectClean(o);
    auto f504 = findings(o.report, "PD504");
    ASSERT_EQ(f504.size(), 1u);
    EXPECT_EQ(f504[0]["evidence"]["count"], 1);
    EXPECT_EQ(f504[0]["evidence"]["entries"][0]["reason"], reason);
    EXPECT_EQ(f504[0]["evidence"]["entries"][0]["bytes"], bytes);
  };
  std::string f = save("long.tar", imageWith([&](h::TarWriter& t) {
                         t.file(longName, "x");
                         t.file("app-data/ok", "x");
                       }));
  expect504(f, "name", 5010);
  // The rest of the layer is applied: the image is linted, not refused.
  RunResult r = runPermdoctor("inspect --json " + q(f));
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);  // kept: a range over a temporary's member would dangle
  bool found = false;
  for (const auto& p : j["paths"]) found = found || p["path"] == "/app-data/ok";
  EXPECT_TRUE(found);
  // A GNU long-name entry, and a symlink whose target is over-long, likewise.
  expect504(save("long-gnu.tar", imageWith([&](h::TarWriter& t) {
                   t.gnuLongName(longName);
                   h::Header hd;
                   hd.name = "placeholder";
                   t.entry(hd, "");
                 })),
            "name", 5010);
  expect504(save("long-link.tar", imageWith([&](h::TarWriter& t) {
                   t.symlink("link", std::string(3000, 'a') + "/" + std::string(3000, 'b'));
                 })),
            "symlinkTarget", 6001);
  expect504(save("long-component.tar",
                 imageWith([&](h::TarWriter& t) { t.file("app/" + std::string(256, 'c'), "x"); })),
            "component", 256);
}

TEST(Hostile, NamesUpToPathMaxAreKept) {
  std::string name = "keep";
  while (name.size() + 1 + 255 < 4095) name += "/" + std::string(255, 'k');
  name += "/" + std::string(4095 - name.size() - 1, 'm');
  ASSERT_EQ(name.size(), 4095u);  // "/" + name is exactly PATH_MAX
  std::string f = save("long-ok.tar", imageWith([&](h::TarWriter& t) { t.file(name, "x"); }));
  RunResult r = runPermdoctor("inspect --json " + q(f));
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  bool found = false;
  for (const auto& p : j["paths"]) found = found || p["path"] == "/" + name;
  EXPECT_TRUE(found);
  EXPECT_TRUE(findings(lint(f).report, "PD504").empty());
}

std::string base64Decode(const std::string& in) {
  static const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    if (c == '=') break;
    val = (val << 6) + static_cast<int>(abc.find(c));
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

// A name that is not UTF-8: the JSON stays valid and the bytes are recoverable from pathBytes.
TEST(Hostile, NonUtf8NamesKeepValidJsonAndRecoverableBytes) {
  const std::string bad = "/srv/\xff\xfe-caf\xe9";
  std::string f = save("latin1.tar", imageWith([&](h::TarWriter& t) {
                         t.file(bad, "x");  // absolute: PD502 names it
                         t.symlink("srv/link-\xc3", "/srv/\xff\xfe-caf\xe9");
                       }));
  Outcome o = lint(f);
  expectClean(o);
  auto f502 = findings(o.report, "PD502");
  ASSERT_EQ(f502.size(), 1u);
  ASSERT_TRUE(f502[0].contains("pathBytes")) << f502[0].dump(2);
  EXPECT_EQ(base64Decode(f502[0]["pathBytes"]), bad);
  EXPECT_FALSE(f502[0]["path"].get<std::string>().empty());
  // A valid UTF-8 path carries no pathBytes.
  std::string g = save("utf8.tar", imageWith([](h::TarWriter& t) { t.file("/srv/café", "x"); }));
  Outcome u = lint(g);
  expectClean(u);
  ASSERT_EQ(findings(u.report, "PD502").size(), 1u);
  EXPECT_FALSE(findings(u.report, "PD502")[0].contains("pathBytes"));
  // inspect --json and the other JSON formats stay valid too.
  RunResult r = runPermdoctor("inspect --json " + q(f));
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_TRUE(json::accept(r.out));
  json paths = json::parse(r.out)["paths"];
  bool sawPath = false, sawLink = false;
  for (const auto& p : paths) {
    if (p.contains("pathBytes") && base64Decode(p["pathBytes"]) == bad) sawPath = true;
    if (p.contains("linkBytes") && base64Decode(p["linkBytes"]) == bad) sawLink = true;
  }
  EXPECT_TRUE(sawPath && sawLink) << paths.dump(2);
  for (const char* fmt : {"sarif", "gitlab"}) {
    RunResult s = runPermdoctor("lint " + q(f) + " -q --fail-on never --format " + fmt);
    ASSERT_EQ(s.status, 0) << s.err;
    EXPECT_TRUE(json::accept(s.out)) << fmt;
  }
  // The report still validates against the published schema, and JUnit stays well-formed XML
  // (both checked by Python, an independent reader).
  std::string report = h::tempPath("report.json"), junit = h::tempPath("report.xml");
  RunResult s = runPermdoctor("lint " + q(f) + " -q --fail-on never --format json -o " + q(report) +
                              " --format junit -o " + q(junit));
  ASSERT_EQ(s.status, 0) << s.err;
  std::string check =
      "/usr/bin/python3 -c 'import json,sys,jsonschema,xml.dom.minidom; "
      "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1]))); "
      "xml.dom.minidom.parse(sys.argv[3])' '" +
      std::string(PD_SOURCE_DIR) + "/docs/report.schema.json' " + q(report) + " " + q(junit);
  EXPECT_EQ(std::system(check.c_str()), 0);
}

// A name that clears the screen, retitles the window and forges a report line: the output for
// people shows its control bytes as \xNN, never raw, and JSON keeps the real name.
TEST(Hostile, EscapeSequencesInNamesNeverReachTheTerminal) {
  const std::string evil = "/srv/\x1b[2J\x1b]0;owned\x07x\nPD000 all clear";
  std::string f = save("escapes.tar", imageWith([&](h::TarWriter& t) { t.file(evil, "x"); }));
  Outcome o = lint(f);
  expectClean(o);
  auto f502 = findings(o.report, "PD502");
  ASSERT_EQ(f502.size(), 1u);
  EXPECT_EQ(f502[0]["path"], evil);
  for (const std::string& cmd : std::vector<std::string>{
           "lint " + q(f) + " -q --fail-on never --format text",
           "lint " + q(f) + " -q --fail-on never --format markdown", "inspect " + q(f)}) {
    SCOPED_TRACE(cmd);
    RunResult r = runPermdoctor(cmd);
    ASSERT_EQ(r.status, 0) << r.err;
    for (char c : r.out) {
      unsigned char u = static_cast<unsigned char>(c);
      ASSERT_TRUE(c == '\n' || (u >= 0x20 && u != 0x7f)) << "raw control byte " << int(u);
    }
    EXPECT_NE(r.out.find("\\x1b[2J\\x1b]0;owned\\x07x\\x0aPD000 all clear"), std::string::npos)
        << r.out;
  }
}

// Names that are Markdown syntax render as themselves where the markdown report lands: checked
// with `marked` (Debian's node-marked, the renderer consumers use), in GFM mode.
TEST(Hostile, MarkdownSyntaxInNamesRendersAsText) {
  if (std::system("command -v marked >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "marked is not installed (Debian: node-marked; scripts/quickstart installs it)";
  std::string f = save("markdown.tar", imageWith([&](h::TarWriter& t) {
                         t.file("srv/app/__init__<b>|`x.py", "x", 0666);  // PD106: world-writable
                       }));
  std::string md = ::testing::TempDir() + "pd-hostile.md";
  RunResult r = runPermdoctor("lint " + q(f) + " -q --fail-on never --format markdown -o " + q(md));
  ASSERT_EQ(r.status, 0) << r.err;
  std::string out = ::testing::TempDir() + "pd-hostile.html";
  ASSERT_EQ(std::system(("marked --gfm -i " + q(md) + " -o " + q(out)).c_str()), 0);
  std::ifstream in(out);
  std::string html(std::istreambuf_iterator<char>(in), {});
  EXPECT_NE(html.find("<code>/srv/app/__init__&lt;b&gt;|`x.py</code>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<strong>"), std::string::npos) << html;
}

// ---- symlinks ----------------------------------------------------------------------------------

TEST(Hostile, SymlinkLoopOnTheStartPath) {
  h::Image img;
  img.layers.push_back(h::layer([](h::TarWriter& t) {
    t.symlink("app", "/loop-a");
    t.symlink("loop-a", "loop-b");
    t.symlink("loop-b", "/app");
  }));
  Outcome o = lint(save("loop.tar", img));
  expectClean(o);
  auto f101 = findings(o.report, "PD101");
  ASSERT_EQ(f101.size(), 1u);
  EXPECT_NE(f101[0]["message"].get<std::string>().find("loop"), std::string::npos)
      << f101[0]["message"];
  EXPECT_EQ(findings(o.report, "PD108").size(), 1u);
}

TEST(Hostile, ChainOfAThousandLinks) {
  h::Image img;
  img.layers.push_back(h::layer([](h::TarWriter& t) {
    t.file("real", staticElf(), 0755);
    t.symlink("app", "/l1");
    for (int i = 1; i < 1000; ++i) t.symlink("l" + std::to_string(i), "l" + std::to_string(i + 1));
    t.symlink("l1000", "real");
    // The same under /opt, where PD108 walks every link.
    t.dir("opt/");
    for (int i = 1; i < 1000; ++i)
      t.symlink("opt/c" + std::to_string(i), "c" + std::to_string(i + 1));
    t.symlink("opt/c1000", "/real");
  }));
  Outcome o = lint(save("chain.tar", img));
  expectClean(o);
  auto f101 = findings(o.report, "PD101");
  ASSERT_EQ(f101.size(), 1u);
  EXPECT_NE(f101[0]["message"].get<std::string>().find("40"), std::string::npos)
      << f101[0]["message"];
  EXPECT_GE(findings(o.report, "PD108").size(), 1u);
}

// Thousands of links whose targets are thousands of components, each starting with a link to
// such a target again: every resolution stops at 40 links, and costs only what it walks (this
// took minutes when the walk copied every component left at every link).
TEST(Hostile, SymlinkFanOutStaysCheap) {
  std::string fan;
  for (int i = 0; i < 2000; ++i) fan += "x/";
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.push_back(h::layer([&](h::TarWriter& t) {
    t.dir("opt/");
    t.symlink("opt/x", fan + "x");
    for (int i = 0; i < 2000; ++i) t.symlink("opt/l" + std::to_string(i), fan + "y");
  }));
  std::string f = save("fan.tar", img);
  Measured m = measure("2000 links of 2000 components under /opt",
                       "lint " + q(f) + " -q --format json --fail-on never");
  ASSERT_EQ(m.run.status, 0) << m.run.err;
  json j = json::parse(m.run.out);
  auto f108 = findings(j, "PD108");
  ASSERT_EQ(f108.size(), 1u);
  EXPECT_NE(f108[0]["message"].get<std::string>().find("more than 40 symlinks"), std::string::npos);
}

// ---- hardlinks ---------------------------------------------------------------------------------

TEST(Hostile, ErrorNamingANewlineStaysOneLine) {
  std::string f = save("hl-newline.tar",
                       imageWith([](h::TarWriter& t) { t.hardlink("bin/a\nb\x1b[31m", "gone"); }));
  expectInputError(f, "hardlink /bin/a\\x0ab\\x1b[31m points to missing path /gone");
}

TEST(Hostile, HardlinkNamedRootLeavesTheRootADirectory) {
  std::string f = save("hl-root.tar", imageWith([](h::TarWriter& t) {
                         t.hardlink("./", "app");
                         t.file("after", "x");
                       }));
  RunResult r = runPermdoctor("inspect --json " + q(f));
  ASSERT_EQ(r.status, 0) << r.err;
  json paths = json::parse(r.out)["paths"];
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths[0]["path"], "/");
  EXPECT_EQ(paths[0]["type"], "directory");
  expectClean(lint(f));
}

TEST(Hostile, HardlinkToMissingPathIsRefused) {
  std::string f = save("hl-missing.tar",
                       imageWith([](h::TarWriter& t) { t.hardlink("bin/tool", "nowhere/tool"); }));
  expectInputError(f, "hardlink /bin/tool points to missing path /nowhere/tool");
}

TEST(Hostile, HardlinkToALaterFileIsRefused) {
  std::string f = save("hl-later.tar", imageWith([](h::TarWriter& t) {
                         t.hardlink("first", "second");
                         t.file("second", "x");
                       }));
  expectInputError(f, "hardlink /first points to missing path /second");
}

TEST(Hostile, HardlinkCyclesAndSelfLinksEndQuietly) {
  std::string f = save("hl-cycle.tar", imageWith([](h::TarWriter& t) {
                         t.file("a", "A");
                         t.file("b", "B");
                         t.hardlink("a", "b");
                         t.hardlink("b", "a");
                         t.hardlink("a", "a");
                       }));
  Outcome o = lint(f);
  expectClean(o);
  for (const auto& x : o.report["findings"]) EXPECT_EQ(x["rule"], "PD201") << x.dump(2);
}

TEST(Hostile, HardlinkClimbingOutIsPD502) {
  std::string f =
      save("hl-climb.tar",
           imageWith([](h::TarWriter& t) { t.hardlink("shadow-copy", "../../etc/passwd"); }));
  Outcome o = lint(f);
  expectClean(o);
  auto f502 = findings(o.report, "PD502");
  ASSERT_EQ(f502.size(), 1u);
  EXPECT_EQ(f502[0]["evidence"]["rawNames"], json({"shadow-copy => ../../etc/passwd"}));
}

// ---- whiteouts ---------------------------------------------------------------------------------

TEST(Hostile, WhiteoutOfAPathThatNeverExisted) {
  Outcome o =
      lint(save("wh-ghost.tar", imageWith([](h::TarWriter& t) {
                  t.file("ghost/.wh.never", "");
                  t.file(".wh.nothing-here", "");
                  t.file("etc/.wh..wh..opq", "");  // opaque dir over /etc: removes passwd and group
                })));
  expectClean(o);
  EXPECT_TRUE(findings(o.report, "PD502").empty());
  EXPECT_EQ(o.report["image"]["fileCount"], 4);  // /, /app, /etc, /ghost
}

TEST(Hostile, WhiteoutsThatClimbOutArePD502) {
  Outcome o = lint(save("wh-climb.tar", imageWith([](h::TarWriter& t) {
                          t.file("../.wh.app", "");
                          t.file("etc/.wh...", "");
                        })));
  expectClean(o);
  auto f502 = findings(o.report, "PD502");
  ASSERT_EQ(f502.size(), 1u);
  EXPECT_EQ(f502[0]["evidence"]["rawNames"], json({"../.wh.app", "etc/.wh..."}));
}

// ---- depth -------------------------------------------------------------------------------------

std::string deepName(int levels, const std::string& leaf) {
  std::string n;
  for (int i = 0; i < levels; ++i) n += "d/";
  return n + leaf;
}

TEST(Hostile, DirectoriesTwoThousandLevelsDeep) {
  std::string f = save("deep2000.tar", imageWith([](h::TarWriter& t) {
                         t.file(deepName(2000, "leaf"), "x");
                         t.symlink(deepName(1000, "up"), "/app");
                       }));
  Outcome o = lint(f);
  expectClean(o);
  // the base's 5 paths, 2000 implicit directories, the leaf and the link
  EXPECT_EQ(o.report["image"]["fileCount"], 5 + 2000 + 1 + 1);
}

TEST(Hostile, DirectoriesFiveThousandLevelsDeep) {
  // 5000 levels of "d/" is 10000 bytes: no runtime can create the levels beyond PATH_MAX, which
  // are PD504 (counted, a few kept); the 2048 levels within it are linted.
  std::string f = save("deep5000.tar", imageWith([](h::TarWriter& t) {
                         std::string n;
                         for (int i = 0; i < 5000; ++i) {
                           n += "d/";
                           t.dir(n);
                         }
                       }));
  Outcome o = lint(f);
  expectClean(o);
  auto f504 = findings(o.report, "PD504");
  ASSERT_EQ(f504.size(), 1u);
  EXPECT_EQ(f504[0]["evidence"]["count"], 5000 - 2048);
  EXPECT_EQ(f504[0]["evidence"]["entries"].size(), 64u);
}

// ---- documents ---------------------------------------------------------------------------------

TEST(Hostile, ManifestNamingAMissingBlob) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.manifestText = R"([{"Config":"missing.json","RepoTags":[],"Layers":[]}])";
  std::string f = save("no-config.tar", img);
  expectInputError(f, "missing config blob missing.json");
  h::Image img2;
  img2.layers.push_back(baseLayer());
  img2.configName = "config.json";
  img2.manifestText = R"([{"Config":"config.json","RepoTags":[],"Layers":["nope/layer.tar"]}])";
  img2.config["rootfs"]["diff_ids"] = {"sha256:" + std::string(64, 'a')};
  img2.keepDiffIds = true;
  std::string g = save("no-layer.tar", img2);
  expectInputError(g, "missing layer blob nope/layer.tar");
}

TEST(Hostile, ConfigThatIsNotJson) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.configText = "{\"architecture\": \"amd64\", oops";
  expectInputError(save("bad-config.tar", img), "not valid JSON");
}

TEST(Hostile, JsonNestedAHundredThousandDeep) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  h::Image img;
  img.layers.push_back(baseLayer());
  img.configText = "{\"x\":" + deep + "}";
  std::string f = save("deep-config.tar", img);
  expectInputError(f, "JSON nested deeper than 256 levels");
  h::Image img2;
  img2.layers.push_back(baseLayer());
  img2.manifestText = deep;
  std::string g = save("deep-manifest.tar", img2);
  expectInputError(g, g + ": manifest.json: JSON nested deeper than 256 levels");
  // Brackets inside strings do not count; unbalanced closers do not underflow the check.
  h::Image img3;
  img3.layers.push_back(baseLayer());
  json c = h::Image::defaultConfig();
  c["comment"] = std::string(100000, '[');
  img3.config = c;
  expectClean(lint(save("brackets-in-string.tar", img3)));
}

TEST(Hostile, NumbersThatOverflow) {
  // Beyond double: refused by the parser.
  h::Image img;
  img.layers.push_back(baseLayer());
  img.configText = R"({"architecture": 1e999999, "os": "linux", "rootfs": {"diff_ids": []}})";
  expectInputError(save("overflow-config.tar", img),
                   "not valid JSON: number overflow parsing '1e999999'");
  // Where nothing reads them: ignored.
  h::Image img2;
  img2.layers.push_back(baseLayer());
  json withIds = h::Image::defaultConfig();
  withIds["rootfs"]["diff_ids"] = {img2.layers[0].plainDigest};
  std::string t = withIds.dump();
  t.insert(t.size() - 1,
           R"(,"size":123456789012345678901234567890,"neg":-99999999999999999999999)");
  img2.configText = t;
  expectClean(lint(save("overflow-ignored.tar", img2)));
}

TEST(Hostile, DuplicateKeysAreRefused) {
  h::Image img;
  img.layers.push_back(baseLayer());
  std::string ids = json({img.layers[0].plainDigest}).dump();
  img.configText = R"({"os":"linux","os":"windows","rootfs":{"diff_ids":)" + ids + "}}";
  expectInputError(save("dup-config.tar", img), "duplicate JSON key \"os\"");
  h::Image img2;
  img2.layers.push_back(baseLayer());
  img2.manifestText = R"([{"Config":"a.json","Config":"b.json","Layers":[]}])";
  expectInputError(save("dup-manifest.tar", img2), "duplicate JSON key \"Config\"");
}

// ---- sizes that lie ----------------------------------------------------------------------------

TEST(Hostile, LayerEntrySizeLargerThanItsData) {
  std::string f =
      save("lie-large.tar",
           imageWith([](h::TarWriter& t) { t.lyingFile("liar", 1 << 20, "only a few bytes"); }));
  expectInputError(f, "damaged layer tar");
}

TEST(Hostile, LayerEntrySizeSmallerThanItsData) {
  std::string f = save("lie-small.tar", imageWith([](h::TarWriter& t) {
                         t.lyingFile("liar", 10, std::string(2000, 'q'));
                         t.file("after", "x");
                       }));
  expectInputError(f, "damaged layer tar");
}

TEST(Hostile, CapturedFileDeclaringAHugeSize) {
  // /etc/passwd is captured whole when small: a header declaring 8 EiB must not size a buffer.
  h::Image img;
  img.layers.push_back(baseLayer());
  img.layers.push_back(h::layer([](h::TarWriter& t) {
    h::Header hd;
    hd.name = "etc/passwd";
    hd.sizeField = std::string("\x80\0\0\0\x7f\xff\xff\xff\xff\xff\xff\xff", 12);
    t.entry(hd, "root:x:0:0::/:/bin/sh\n");
  }));
  expectInputError(save("lie-huge.tar", img), "damaged layer tar");
}

TEST(Hostile, OuterEntrySizeLies) {
  std::string whole = h::dockerArchive(imageWith([](h::TarWriter& t) { t.file("x", "y"); }));
  // Declare the first entry (the base layer) 1 MiB larger than it is.
  std::string bigger = whole;
  {
    h::Header hd;
    hd.name = bigger.substr(0, bigger.find('\0'));
    std::string size(bigger.data() + 124, 11);
    hd.size = std::stoll(size, nullptr, 8) + (1 << 20);
    bigger.replace(0, 512, h::header(hd));
  }
  std::string f = save("outer-lie.tar", bigger);
  expectInputError(f, "truncated archive");
  // Declare it smaller: the rest of the layer is read as the next header.
  std::string smaller = whole;
  {
    h::Header hd;
    hd.name = smaller.substr(0, smaller.find('\0'));
    hd.size = 1024;
    smaller.replace(0, 512, h::header(hd));
  }
  std::string g = save("outer-lie-small.tar", smaller);
  // The layer is cut at 1024 bytes: its own tar ends inside an entry.
  expectInputError(g, "/layer.tar: damaged layer tar: Truncated tar archive");
}

// ---- digests -----------------------------------------------------------------------------------

TEST(Hostile, BlobDigestMismatch) {
  // diff_id of the config does not match the layer.
  h::Image img;
  img.layers.push_back(baseLayer());
  img.config["rootfs"]["diff_ids"] = {"sha256:" + std::string(64, 'b')};
  img.keepDiffIds = true;
  std::string f = save("bad-diffid.tar", img);
  expectInputError(f, "diff_id mismatch: config says sha256:" + std::string(64, 'b'));
  // A content-addressed layer name whose content hashes to something else.
  h::Image img2;
  img2.layers.push_back(baseLayer());
  img2.layers[0].name = "blobs/sha256/" + std::string(64, 'c');
  std::string g = save("bad-digest.tar", img2);
  expectInputError(g, "digest mismatch: manifest says sha256:" + std::string(64, 'c'));
  // A Docker 25+ config blob (content-addressed) whose content hashes to something else.
  h::Image img3;
  img3.layers.push_back(baseLayer());
  img3.configName = "blobs/sha256/" + std::string(64, 'd');
  expectInputError(save("bad-config-digest.tar", img3), "config digest mismatch");
}

// A legacy `docker save` config name is only a name: docker load hashes the content and never
// compares, so an archive whose config is named by another digest loads, and is linted with a
// note.
TEST(Hostile, LegacyConfigNamedByAnotherDigestIsANote) {
  h::Image img;
  img.layers.push_back(baseLayer());
  img.configName = std::string(64, 'd') + ".json";
  std::string f = save("renamed-config.tar", img);
  RunResult r = runPermdoctor("lint '" + f + "' --format json -q --fail-on never");
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["image"]["note"].is_string()) << j["image"].dump();
  std::string note = j["image"]["note"];
  EXPECT_NE(note.find("config " + std::string(64, 'd') + ".json is not named by its digest"),
            std::string::npos)
      << j["image"].dump();
  EXPECT_EQ(j["image"]["configDigest"].get<std::string>().substr(0, 7), "sha256:");
}

// ---- odd containers ----------------------------------------------------------------------------

TEST(Hostile, NotAnArchiveAtAll) {
  expectInputError(save("empty.tar", ""), "not a tar archive (unrecognized format)");
  expectInputError(save("zeros.tar", std::string(10240, '\0')), "empty archive");
  expectInputError(save("garbage.tar", std::string(3000, 'g')), "not a tar archive");
  std::string badSum = h::dockerArchive(imageWith([](h::TarWriter&) {}));
  badSum[148] = badSum[148] == '1' ? '2' : '1';
  // The first header's checksum is what libarchive recognizes a tar by.
  expectInputError(save("bad-checksum.tar", badSum), "not a tar archive (unrecognized format)");
}

// A header failing its checksum after the first is damage (libarchive's ARCHIVE_RETRY), never an
// entry to use or skip silently: in the outer archive and inside a layer.
TEST(Hostile, LaterHeaderWithBadChecksum) {
  h::Image img = imageWith([](h::TarWriter& t) { t.file("x", "y"); });
  h::StringSink s;
  std::vector<int64_t> offsets = h::writeDockerArchive(s, img);
  std::string outer = s.bytes;
  outer[offsets[1] + 148] ^= 1;  // the second layer's header
  expectInputError(save("outer-badsum.tar", outer), "Damaged tar archive");
  h::Image img2;
  img2.layers.push_back(h::layer([](h::TarWriter& t) {
    baseEntries(t);
    h::Header hd;
    hd.name = "broken";
    hd.badChecksum = true;
    t.entry(hd, "");
    t.file("after", "z");
  }));
  expectInputError(save("layer-badsum.tar", img2), "damaged layer tar: Damaged tar archive");
}

TEST(Hostile, OuterLinkCycles) {
  // manifest.json is a symlink to itself; a layer name resolves through a hardlink cycle.
  h::StringSink s;
  h::TarWriter t(s);
  t.symlink("manifest.json", "manifest.json");
  t.hardlink("x/layer.tar", "y/layer.tar");
  t.hardlink("y/layer.tar", "x/layer.tar");
  t.end();
  std::string f = save("outer-cycle.tar", s.bytes);
  expectInputError(f, "no manifest.json or index.json: not an image archive");
}

// ---- fuzzer finds ------------------------------------------------------------------------------

// Every input a fuzz target once crashed on (tests/hostile/regressions/, named by target:
// archive-*, layer-*, json-*) is replayed through the real binary: an archive as it is, a layer
// inside a docker archive with correct digests, a JSON document in the role the first byte
// names (as fuzz/fuzz_json.cc reads it). Each must end in a report or a one-line input error.
void expectGraceful(const std::string& file, const std::string& what) {
  Outcome o = lint(file);
  SCOPED_TRACE(what);
  EXPECT_TRUE(o.status == 0 || o.status == 2) << "exit " << o.status << ": " << o.err;
  if (o.status == 2) expectInputError(o, file, "");
}

TEST(Hostile, FuzzRegressionsReplay) {
  std::string dir = std::string(PD_SOURCE_DIR) + "/tests/hostile/regressions";
  std::vector<std::string> files;
  if (FILE* p = popen(("ls '" + dir + "' 2>/dev/null").c_str(), "r")) {
    char line[4096];
    while (std::fgets(line, sizeof line, p)) {
      std::string n(line);
      if (!n.empty() && n.back() == '\n') n.pop_back();
      if (!n.empty() && n != "README.md") files.push_back(n);
    }
    pclose(p);
  }
  for (const auto& name : files) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    if (name.rfind("archive-", 0) == 0) {
      expectGraceful(save("regression.tar", bytes), name);
    } else if (name.rfind("layer-", 0) == 0) {
      h::Image img;
      h::Blob b;
      b.bytes = bytes;
      b.name = "fuzz/layer.tar";
      b.storedDigest = pd::sha256Of(bytes);
      b.plainDigest = "sha256:" + std::string(64, '0');
      img.layers.push_back(b);
      expectGraceful(save("regression.tar", img), name);
      Outcome o = lint(save("regression.tar", img), "--no-verify");
      EXPECT_TRUE(o.status == 0 || o.status == 2) << name << ": " << o.err;
    } else if (name.rfind("json-", 0) == 0 && !bytes.empty()) {
      int role = static_cast<unsigned char>(bytes[0]) % 5;
      std::string doc = bytes.substr(1);
      h::Image img;
      img.layers.push_back(baseLayer());
      if (role == 1)
        img.manifestText = doc;
      else if (role == 0 || role == 4)
        img.configText = doc;
      else
        img.extra.push_back({"index.json", doc});
      expectGraceful(save("regression.tar", img), name);
    }
  }
}

}  // namespace
}  // namespace pd::testing
