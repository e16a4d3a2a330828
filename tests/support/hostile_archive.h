// Writes image archives from parts for the hostile-input suite (tests/hostile_test.cc): tar
// headers assembled by hand (so sizes can lie and names can be absolute, climb out with "..",
// be over-long or not UTF-8), gzip via zlib, zstd via libzstd, and a docker-archive assembler
// whose manifest and config carry correct digests unless a case asks for wrong ones.
// Everything big is streamed to a file; nothing big is committed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pd::hostile {

// ---- byte sinks -------------------------------------------------------------------------------

// Where written bytes go. Counts them and (optionally) hashes them with SHA-256.
class Sink {
 public:
  virtual ~Sink();
  void write(std::string_view bytes);
  int64_t written() const { return written_; }
  // "sha256:<hex>" of everything written so far; finishes the hash (call once, at the end).
  std::string digest();

 protected:
  Sink();
  virtual void put(std::string_view bytes) = 0;

 private:
  struct Hash;
  std::unique_ptr<Hash> hash_;
  int64_t written_ = 0;
};

class StringSink : public Sink {
 public:
  std::string bytes;

 protected:
  void put(std::string_view b) override { bytes.append(b); }
};

// Counts and hashes, keeps nothing: the digest of a stream too big to hold.
class DiscardSink : public Sink {
 protected:
  void put(std::string_view) override {}
};

class FileSink : public Sink {
 public:
  explicit FileSink(const std::string& path);
  ~FileSink() override;
  void close();

 protected:
  void put(std::string_view b) override;

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
};

// Compresses into another sink as bytes arrive (level 1: these streams are test data).
class GzipSink : public Sink {
 public:
  explicit GzipSink(Sink& out, int level = 1);
  ~GzipSink() override;
  void finish();

 protected:
  void put(std::string_view b) override;

 private:
  struct State;
  std::unique_ptr<State> s_;
  Sink& out_;
};

// ---- tar headers ------------------------------------------------------------------------------

// One 512-byte header, every field under the caller's control. `size` is what the header
// declares, whatever data follows.
struct Header {
  std::string name;
  std::string prefix;  // ustar prefix field (155 bytes)
  char type = '0';     // '0' file, '1' hardlink, '2' symlink, '5' dir, 'x' pax, 'L' gnu longname
  uint32_t mode = 0644;
  uint32_t uid = 0, gid = 0;
  int64_t size = 0;
  int64_t mtime = 1700000000;
  std::string link;
  bool gnu = false;          // "ustar  \0" magic instead of "ustar\0" "00"
  std::string sizeField;     // when set: the 12 raw bytes of the size field (overflow cases)
  bool badChecksum = false;  // write a wrong checksum
};

std::string header(const Header& h);  // exactly 512 bytes, checksum filled in
std::string padTo512(int64_t n);      // the zero bytes padding n data bytes to a block
std::string paxRecord(const std::string& key, const std::string& value);

// Writes a tar stream into a sink. Names longer than 100 bytes go out as a pax 'path' record.
class TarWriter {
 public:
  explicit TarWriter(Sink& out) : out_(out) {}
  void file(const std::string& name, std::string_view content, uint32_t mode = 0644,
            uint32_t uid = 0, uint32_t gid = 0);
  void dir(const std::string& name, uint32_t mode = 0755, uint32_t uid = 0, uint32_t gid = 0);
  void symlink(const std::string& name, const std::string& target);
  void hardlink(const std::string& name, const std::string& target);
  // A header declaring `declared` bytes, followed by `content` (which may be shorter or longer),
  // padded to a block.
  void lyingFile(const std::string& name, int64_t declared, std::string_view content);
  // A regular-file header of `size` bytes whose content is `size` bytes streamed by `fill`.
  void streamFile(const std::string& name, int64_t size, const std::function<void(Sink&)>& fill,
                  uint32_t mode = 0644);
  void gnuLongName(const std::string& name);       // an 'L' entry for the next header
  void pax(const std::string& records);            // an 'x' entry for the next header
  void entry(Header h, std::string_view content);  // header + content + padding, as given
  void raw(std::string_view bytes) { out_.write(bytes); }
  void end() { out_.write(std::string(1024, '\0')); }
  Sink& sink() { return out_; }

 private:
  void named(Header h, const std::string& name);
  Sink& out_;
};

// ---- compression ------------------------------------------------------------------------------

// `n` compressible but not trivial bytes (a repeated word with one random byte in four), the
// same for the same seed.
std::string sampleBytes(size_t n, uint32_t seed = 1);

std::string gzip(std::string_view plain, int level = 6);
std::string zstd(std::string_view plain, int level = 3);

// A gzip stream of `header` followed by `zeros` zero bytes, built without compressing them one
// by one: a full-flushed deflate block of 1 MiB of zeros repeats. Tens of GiB in a few MiB.
void gzipBomb(Sink& out, std::string_view header, int64_t zeros);

// ---- docker-archive assembler ----------------------------------------------------------------

struct Blob {
  std::string name;          // entry name in the archive ("" = "<hex>/layer.tar" from its digest)
  std::string bytes;         // stored bytes, or
  std::string file;          // a file holding them (large layers)
  std::string storedDigest;  // of the stored bytes
  std::string plainDigest;   // of the uncompressed tar: the diff_id
  int64_t size = 0;
};

// A layer from an uncompressed tar: compression is "none", "gzip" or "zstd".
Blob layer(const std::string& plainTar, const std::string& compression = "none");
// A small layer tar from entries written by `fill`, then end blocks.
Blob layer(const std::function<void(TarWriter&)>& fill, const std::string& compression = "none");

struct Image {
  std::vector<Blob> layers;
  // The config; "rootfs.diff_ids" is filled from the layers unless `keepDiffIds`.
  nlohmann::json config = defaultConfig();
  bool keepDiffIds = false;
  std::optional<std::string> configText;    // raw config bytes instead of `config`
  std::optional<std::string> manifestText;  // raw manifest.json instead of the generated one
  std::string configName;                   // "" = "<hex>.json" from its digest
  // Extra outer entries written first (name, content).
  std::vector<std::pair<std::string, std::string>> extra;
  bool omitManifest = false;

  static nlohmann::json defaultConfig();  // linux/amd64, ENTRYPOINT ["/app"], USER ""
};

// The docker-archive (legacy `docker save`) tar of `img`, written into `out`; returns the offset
// of every outer header in order, for truncation cases.
std::vector<int64_t> writeDockerArchive(Sink& out, const Image& img);
std::string dockerArchive(const Image& img);
void writeFile(const std::string& path, std::string_view bytes);

// A fresh path under ::testing::TempDir(), removed when the test program ends.
std::string tempPath(const std::string& name);

}  // namespace pd::hostile
