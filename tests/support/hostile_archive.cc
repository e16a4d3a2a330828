#include "support/hostile_archive.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <stdexcept>

#include "common/sha256.h"

namespace pd::hostile {

// ---- sinks ------------------------------------------------------------------------------------

struct Sink::Hash {
  pd::Sha256 sha;
};

Sink::Sink() : hash_(std::make_unique<Hash>()) {}
Sink::~Sink() = default;

void Sink::write(std::string_view b) {
  if (b.empty()) return;
  hash_->sha.update(b.data(), b.size());
  written_ += static_cast<int64_t>(b.size());
  put(b);
}

std::string Sink::digest() {
  return hash_->sha.digest();
}

FileSink::FileSink(const std::string& path) : path_(path) {
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) throw std::runtime_error("cannot write " + path);
}
FileSink::~FileSink() {
  if (f_) std::fclose(f_);  // close() reports errors; a destructor must not throw
}
void FileSink::close() {
  if (f_ && std::fclose(f_) != 0) {
    f_ = nullptr;
    throw std::runtime_error("cannot write " + path_);
  }
  f_ = nullptr;
}
void FileSink::put(std::string_view b) {
  if (std::fwrite(b.data(), 1, b.size(), f_) != b.size())
    throw std::runtime_error("cannot write " + path_);
}

struct GzipSink::State {
  z_stream z{};
  std::vector<char> buf = std::vector<char>(1 << 16);
  bool finished = false;
};

GzipSink::GzipSink(Sink& out, int level) : s_(std::make_unique<State>()), out_(out) {
  if (deflateInit2(&s_->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
}
GzipSink::~GzipSink() {
  deflateEnd(&s_->z);
}
void GzipSink::put(std::string_view b) {
  s_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data()));
  s_->z.avail_in = static_cast<uInt>(b.size());
  while (s_->z.avail_in > 0) {
    s_->z.next_out = reinterpret_cast<Bytef*>(s_->buf.data());
    s_->z.avail_out = static_cast<uInt>(s_->buf.size());
    deflate(&s_->z, Z_NO_FLUSH);
    out_.write({s_->buf.data(), s_->buf.size() - s_->z.avail_out});
  }
}
void GzipSink::finish() {
  if (s_->finished) return;
  s_->finished = true;
  int rc;
  do {
    s_->z.next_out = reinterpret_cast<Bytef*>(s_->buf.data());
    s_->z.avail_out = static_cast<uInt>(s_->buf.size());
    rc = deflate(&s_->z, Z_FINISH);
    out_.write({s_->buf.data(), s_->buf.size() - s_->z.avail_out});
  } while (rc == Z_OK);
}

// ---- tar --------------------------------------------------------------------------------------

namespace {

void field(char* h, size_t off, size_t len, std::string_view s) {
  std::memcpy(h + off, s.data(), std::min(len, s.size()));
}

void octal(char* h, size_t off, size_t len, int64_t v) {
  // len-1 digits and a NUL, as GNU tar writes them.
  std::string s(len - 1, '0');
  int64_t left = v;
  for (size_t i = len - 1; i-- > 0 && left > 0; left >>= 3)
    s[i] = static_cast<char>('0' + (left & 7));
  if (left > 0) {
    // Too big for octal: base-256, as GNU and libarchive understand it.
    std::string b(len, '\0');
    b[0] = static_cast<char>(0x80);
    int64_t w = v;
    for (size_t i = len; i-- > 1; w >>= 8) b[i] = static_cast<char>(w & 0xff);
    std::memcpy(h + off, b.data(), len);
    return;
  }
  field(h, off, len, s);
}

}  // namespace

std::string header(const Header& hd) {
  std::string h(512, '\0');
  char* p = h.data();
  field(p, 0, 100, hd.name);
  octal(p, 100, 8, hd.mode);
  octal(p, 108, 8, hd.uid);
  octal(p, 116, 8, hd.gid);
  if (!hd.sizeField.empty())
    field(p, 124, 12, hd.sizeField);
  else
    octal(p, 124, 12, hd.size);
  octal(p, 136, 12, hd.mtime);
  p[156] = hd.type;
  field(p, 157, 100, hd.link);
  if (hd.gnu)
    field(p, 257, 8, std::string_view("ustar  \0", 8));
  else
    field(p, 257, 8,
          std::string_view("ustar\0"
                           "00",
                           8));
  field(p, 265, 32, "root");
  field(p, 297, 32, "root");
  field(p, 345, 155, hd.prefix);
  std::memset(p + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  if (hd.badChecksum) sum += 1;
  char ck[8];
  std::snprintf(ck, sizeof ck, "%06o", sum);
  std::memcpy(p + 148, ck, 7);  // six digits, NUL, and the space already there
  return h;
}

std::string padTo512(int64_t n) {
  return std::string(static_cast<size_t>((512 - n % 512) % 512), '\0');
}

std::string paxRecord(const std::string& key, const std::string& value) {
  // "<len> <key>=<value>\n", where <len> counts itself.
  size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) ++len;
  return std::to_string(len) + " " + key + "=" + value + "\n";
}

void TarWriter::entry(Header h, std::string_view content) {
  out_.write(header(h));
  out_.write(content);
  out_.write(padTo512(static_cast<int64_t>(content.size())));
}

void TarWriter::pax(const std::string& records) {
  Header h;
  h.name = "PaxHeader";
  h.type = 'x';
  h.size = static_cast<int64_t>(records.size());
  entry(h, records);
}

void TarWriter::gnuLongName(const std::string& name) {
  Header h;
  h.name = "././@LongLink";
  h.type = 'L';
  h.gnu = true;
  std::string body = name + '\0';
  h.size = static_cast<int64_t>(body.size());
  entry(h, body);
}

void TarWriter::named(Header h, const std::string& name) {
  if (name.size() > 100) {
    pax(paxRecord("path", name));
    h.name = name.substr(0, 100);
  } else {
    h.name = name;
  }
  if (h.link.size() > 100) {
    pax(paxRecord("linkpath", h.link));
    h.link.resize(100);
  }
  out_.write(header(h));
}

void TarWriter::file(const std::string& name, std::string_view content, uint32_t mode, uint32_t uid,
                     uint32_t gid) {
  Header h;
  h.mode = mode;
  h.uid = uid;
  h.gid = gid;
  h.size = static_cast<int64_t>(content.size());
  named(h, name);
  out_.write(content);
  out_.write(padTo512(h.size));
}

void TarWriter::dir(const std::string& name, uint32_t mode, uint32_t uid, uint32_t gid) {
  Header h;
  h.type = '5';
  h.mode = mode;
  h.uid = uid;
  h.gid = gid;
  named(h, name);
}

void TarWriter::symlink(const std::string& name, const std::string& target) {
  Header h;
  h.type = '2';
  h.mode = 0777;
  h.link = target;
  named(h, name);
}

void TarWriter::hardlink(const std::string& name, const std::string& target) {
  Header h;
  h.type = '1';
  h.link = target;
  named(h, name);
}

void TarWriter::lyingFile(const std::string& name, int64_t declared, std::string_view content) {
  Header h;
  h.size = declared;
  named(h, name);
  out_.write(content);
  out_.write(padTo512(static_cast<int64_t>(content.size())));
}

void TarWriter::streamFile(const std::string& name, int64_t size,
                           const std::function<void(Sink&)>& fill, uint32_t mode) {
  Header h;
  h.size = size;
  h.mode = mode;
  named(h, name);
  int64_t before = out_.written();
  fill(out_);
  if (out_.written() - before != size) throw std::logic_error("streamFile: fill wrote wrong size");
  out_.write(padTo512(size));
}

// ---- compression ------------------------------------------------------------------------------

std::string sampleBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>(rng() % 4 == 0 ? rng() & 0xff : "permdoctor"[i % 10]);
  return s;
}

std::string gzip(std::string_view plain, int level) {
  StringSink s;
  {
    GzipSink g(s, level);
    g.write(plain);
    g.finish();
  }
  return s.bytes;
}

std::string zstd(std::string_view plain, int level) {
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress");
  out.resize(n);
  return out;
}

namespace {
std::string deflateStep(z_stream& z, std::string_view in, int flush) {
  std::string out;
  std::vector<char> buf(1 << 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    rc = deflate(&z, flush);
    out.append(buf.data(), buf.size() - z.avail_out);
  } while (z.avail_in > 0 || z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  return out;
}
}  // namespace

void gzipBomb(Sink& out, std::string_view head, int64_t zeros) {
  const int64_t kChunk = 1 << 20;
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string chunk(kChunk, '\0');
  // gzip header: magic, deflate, no flags, no mtime, no extra flags, unknown OS.
  out.write(std::string_view("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10));
  out.write(deflateStep(z, head, Z_FULL_FLUSH));
  int64_t full = zeros / kChunk, rest = zeros % kChunk;
  std::string block;
  for (int64_t i = 0; i < full; ++i) {
    if (i < 3) {
      std::string b = deflateStep(z, chunk, Z_FULL_FLUSH);
      if (i == 2 && b != block) throw std::logic_error("gzipBomb: full-flushed blocks differ");
      block = std::move(b);
    }
    out.write(block);
  }
  out.write(deflateStep(z, std::string_view(chunk.data(), static_cast<size_t>(rest)), Z_FINISH));
  deflateEnd(&z);
  // Trailer: CRC-32 and size mod 2^32 of the plain bytes.
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(head.data()), static_cast<uInt>(head.size()));
  uLong chunkCrc = crc32(0, reinterpret_cast<const Bytef*>(chunk.data()), kChunk);
  for (int64_t i = 0; i < full; ++i) crc = crc32_combine(crc, chunkCrc, kChunk);
  uLong restCrc = crc32(0, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(rest));
  crc = crc32_combine(crc, restCrc, rest);
  uint64_t total = head.size() + static_cast<uint64_t>(zeros);
  char trailer[8];
  for (int i = 0; i < 4; ++i) trailer[i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<char>((total >> (8 * i)) & 0xff);
  out.write(std::string_view(trailer, 8));
}

// ---- docker archive ---------------------------------------------------------------------------

Blob layer(const std::string& plainTar, const std::string& compression) {
  Blob b;
  if (compression == "gzip")
    b.bytes = gzip(plainTar);
  else if (compression == "zstd")
    b.bytes = zstd(plainTar);
  else
    b.bytes = plainTar;
  b.plainDigest = pd::sha256Of(plainTar);
  b.storedDigest = pd::sha256Of(b.bytes);
  b.size = static_cast<int64_t>(b.bytes.size());
  return b;
}

Blob layer(const std::function<void(TarWriter&)>& fill, const std::string& compression) {
  StringSink s;
  TarWriter t(s);
  fill(t);
  t.end();
  return layer(s.bytes, compression);
}

nlohmann::json Image::defaultConfig() {
  return {{"architecture", "amd64"},
          {"os", "linux"},
          {"config", {{"Entrypoint", {"/app"}}, {"Env", {"PATH=/usr/bin:/bin"}}}},
          {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}},
          {"history", nlohmann::json::array()}};
}

namespace {
std::string hexOf(const std::string& digest) {
  return digest.substr(digest.find(':') + 1);
}
}  // namespace

std::vector<int64_t> writeDockerArchive(Sink& out, const Image& img) {
  std::vector<int64_t> offsets;
  TarWriter t(out);
  auto put = [&](const std::string& name, std::string_view bytes) {
    offsets.push_back(out.written());
    t.file(name, bytes);
  };
  for (const auto& [name, bytes] : img.extra) put(name, bytes);
  std::vector<std::string> layerNames;
  nlohmann::json diffIds = nlohmann::json::array();
  for (const auto& b : img.layers) {
    std::string name = b.name.empty() ? hexOf(b.storedDigest) + "/layer.tar" : b.name;
    layerNames.push_back(name);
    diffIds.push_back(b.plainDigest);
    offsets.push_back(out.written());
    if (b.file.empty()) {
      t.file(name, b.bytes);
      continue;
    }
    std::FILE* f = std::fopen(b.file.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot read " + b.file);
    t.streamFile(name, b.size, [&](Sink& s) {
      std::vector<char> buf(1 << 20);
      for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), f)) > 0;) s.write({buf.data(), n});
    });
    std::fclose(f);
  }
  std::string configText;
  if (img.configText) {
    configText = *img.configText;
  } else {
    nlohmann::json c = img.config;
    if (!img.keepDiffIds) c["rootfs"]["diff_ids"] = diffIds;
    configText = c.dump();
  }
  std::string configName =
      img.configName.empty() ? hexOf(pd::sha256Of(configText)) + ".json" : img.configName;
  put(configName, configText);
  if (!img.omitManifest) {
    std::string manifest = img.manifestText
                               ? *img.manifestText
                               : nlohmann::json::array({{{"Config", configName},
                                                         {"RepoTags", {"hostile:latest"}},
                                                         {"Layers", layerNames}}})
                                     .dump();
    put("manifest.json", manifest);
  }
  offsets.push_back(out.written());
  t.end();
  return offsets;
}

std::string dockerArchive(const Image& img) {
  StringSink s;
  writeDockerArchive(s, img);
  return s.bytes;
}

void writeFile(const std::string& path, std::string_view bytes) {
  FileSink f(path);
  f.write(bytes);
  f.close();
}

namespace {
// Every path handed out is removed when the test program ends: remove_all, not unlink, since
// a test may make the path a directory (an OCI layout), which unlink leaves behind.
struct TempFiles {
  std::mutex m;
  std::vector<std::string> paths;
  ~TempFiles() {
    std::error_code ec;
    for (const auto& p : paths) std::filesystem::remove_all(p, ec);
  }
};
TempFiles& tempFiles() {
  static TempFiles t;
  return t;
}
}  // namespace

std::string tempPath(const std::string& name) {
  static std::atomic<int> n{0};
  std::string p = ::testing::TempDir() + "pd-hostile-" + std::to_string(getpid()) + "-" +
                  std::to_string(n++) + "-" + name;
  TempFiles& t = tempFiles();
  std::lock_guard<std::mutex> lock(t.m);
  t.paths.push_back(p);
  return p;
}

}  // namespace pd::hostile
