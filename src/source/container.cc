#include "source/container.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace pd {
namespace {

std::string stripDotSlash(std::string s) {
  while (s.rfind("./", 0) == 0) s.erase(0, 2);
  return s;
}

class TarContainer : public Container {
 public:
  explicit TarContainer(const std::string& path) : label_(path == "-" ? "<stdin>" : path) {
    a_ = newReader();
    int rc = path == "-" ? archive_read_open_fd(a_, 0, 1 << 16)
                         : archive_read_open_filename(a_, path.c_str(), 1 << 16);
    struct stat st {};
    if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      path_ = path;
      fileSize_ = st.st_size;
    }
    checkOpen(rc);
  }
  // A tar stream from another source (an engine's export over HTTP), read once.
  TarContainer(std::unique_ptr<ByteReader> in, std::string label, SourceInfo info)
      : label_(std::move(label)), in_(std::move(in)), info_(std::move(info)) {
    a_ = newReader();
    checkOpen(archive_read_open(a_, this, nullptr, &TarContainer::readSource, nullptr));
  }
  SourceInfo info() const override { return info_; }

  static archive* newReader() {
    archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_filter_all(a);
    return a;
  }

  // Never lets an exception cross libarchive's C frames: kept and rethrown by fail().
  static la_ssize_t readSource(archive* a, void* self, const void** out) {
    auto* t = static_cast<TarContainer*>(self);
    try {
      *out = t->inBuf_.data();
      return static_cast<la_ssize_t>(t->in_->read(t->inBuf_.data(), t->inBuf_.size()));
    } catch (...) {
      t->inError_ = std::current_exception();
      archive_set_error(a, EIO, "source failed");
      return -1;
    }
  }

  void checkOpen(int rc) {
    if (rc != ARCHIVE_OK) {
      // The destructor does not run when the constructor throws: free the reader here.
      try {
        fail();
      } catch (...) {
        archive_read_free(a_);
        throw;
      }
    }
  }

  ~TarContainer() override { archive_read_free(a_); }

  bool next(OuterEntry& e) override {
    archive_entry* ae = nullptr;
    int rc = archive_read_next_header(a_, &ae);
    if (rc == ARCHIVE_EOF) {
      if (count_ == 0) throw InputError(label_, "empty archive (no entries)");
      return false;
    }
    // ARCHIVE_RETRY is a header that failed its checksum: damage, not an entry to use.
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) fail();
    ++count_;
    extent_.reset();
    // libarchive's position after a header is where that entry's data begins (pax and GNU long
    // name headers included). Only trusted without a compression filter, for plain entries
    // whose whole body is inside the file; a lying size goes the streaming way and fails there.
    if (!path_.empty() && archive_filter_count(a_) == 1 &&
        archive_filter_code(a_, 0) == ARCHIVE_FILTER_NONE && archive_entry_size_is_set(ae) &&
        archive_entry_sparse_count(ae) == 0 && archive_entry_filetype(ae) == AE_IFREG &&
        !archive_entry_hardlink(ae)) {
      int64_t off = archive_filter_bytes(a_, 0), size = archive_entry_size(ae);
      if (off >= 0 && size >= 0 && size <= fileSize_ && off <= fileSize_ - size)
        extent_ = Extent{path_, off, size};
    }
    const char* n = archive_entry_pathname(ae);
    if (!n) n = archive_entry_pathname_utf8(ae);
    e.name = stripDotSlash(n ? n : "");
    e.link.clear();
    if (const char* h = archive_entry_hardlink(ae)) {
      e.kind = OuterEntry::Kind::Hardlink;
      e.link = stripDotSlash(h);
    } else if (archive_entry_filetype(ae) == AE_IFLNK) {
      e.kind = OuterEntry::Kind::Symlink;
      const char* t = archive_entry_symlink(ae);
      e.link = t ? t : "";
    } else if (archive_entry_filetype(ae) == AE_IFREG) {
      e.kind = OuterEntry::Kind::File;
    } else {
      e.kind = OuterEntry::Kind::Other;
    }
    return true;
  }

  size_t read(char* buf, size_t n) override {
    la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) fail();
    return static_cast<size_t>(got);
  }

  const std::string& label() const override { return label_; }
  std::optional<Extent> extent() const override { return extent_; }

 private:
  [[noreturn]] void fail() {
    if (inError_) std::rethrow_exception(inError_);
    const char* msg = archive_error_string(a_);
    std::string m = msg ? msg : "damaged or truncated archive";
    if (m.find("Unrecognized archive format") != std::string::npos)
      m = "not a tar archive (unrecognized format)";
    else if (m.find("Truncated") != std::string::npos || m.find("truncated") != std::string::npos)
      m = "truncated archive: " + m;
    throw InputError(label_, m);
  }

  archive* a_;
  std::string label_;
  size_t count_ = 0;
  std::string path_;  // set when the input is a regular file
  int64_t fileSize_ = 0;
  std::optional<Extent> extent_;
  std::unique_ptr<ByteReader> in_;  // the source when not a file or stdin
  std::vector<char> inBuf_ = std::vector<char>(1 << 16);
  std::exception_ptr inError_;
  SourceInfo info_;
};

// An OCI image layout directory, presented as if it were the tar `oci-archive:` would write.
class DirContainer : public Container {
 public:
  explicit DirContainer(const std::string& path) : label_(path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file(ec)) files_.push_back(fs::relative(it->path(), path, ec).string());
    }
    if (ec) throw InputError(path, "cannot list directory: " + ec.message());
    std::sort(files_.begin(), files_.end());
  }
  ~DirContainer() override { close(); }

  bool next(OuterEntry& e) override {
    close();
    if (pos_ >= files_.size()) return false;
    e.name = files_[pos_++];
    e.kind = OuterEntry::Kind::File;
    e.link.clear();
    std::string full = label_ + "/" + e.name;
    f_ = std::fopen(full.c_str(), "rb");
    if (!f_) throw InputError(full, "cannot open");
    current_ = full;
    struct stat st {};
    extent_.reset();
    if (fstat(fileno(f_), &st) == 0 && S_ISREG(st.st_mode))
      extent_ = Extent{full, 0, static_cast<int64_t>(st.st_size)};
    return true;
  }

  size_t read(char* buf, size_t n) override {
    size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) throw InputError(current_, "read error");
    return got;
  }

  const std::string& label() const override { return label_; }
  bool isDirectory() const override { return true; }
  std::optional<Extent> extent() const override { return extent_; }

 private:
  void close() {
    if (f_) std::fclose(f_);
    f_ = nullptr;
  }
  std::string label_, current_;
  std::vector<std::string> files_;
  size_t pos_ = 0;
  FILE* f_ = nullptr;
  std::optional<Extent> extent_;
};

}  // namespace

std::unique_ptr<Container> openContainer(const std::string& path) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec))
    return std::make_unique<DirContainer>(path);
  if (path != "-" && !std::filesystem::exists(path, ec))
    throw InputError(path, "no such file or directory");
  return std::make_unique<TarContainer>(path);
}

std::unique_ptr<Container> openTarStream(std::unique_ptr<ByteReader> in, const std::string& label,
                                         const SourceInfo& info) {
  return std::make_unique<TarContainer>(std::move(in), label, info);
}

}  // namespace pd
