#include "source/extent_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace pd {

ExtentReader::ExtentReader(const Extent& extent, std::string label, std::string expectedHead)
    : pos_(extent.offset),
      end_(extent.offset + extent.size),
      label_(std::move(label)),
      head_(std::move(expectedHead)) {
  fd_ = ::open(extent.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(extent.path, std::string("cannot open: ") + std::strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise(fd_, extent.offset, extent.size, POSIX_FADV_SEQUENTIAL);
#endif
}

ExtentReader::~ExtentReader() {
  if (fd_ >= 0) ::close(fd_);
}

size_t ExtentReader::read(char* buf, size_t n) {
  n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), end_ - pos_));
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd_, buf + done, n - done, pos_ + static_cast<int64_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(label_, std::string("read error: ") + std::strerror(errno));
    if (got == 0) throw InputError(label_, "the file got shorter while it was being read");
    done += static_cast<size_t>(got);
  }
  if (headPos_ < head_.size()) {
    // The container and the extent must agree on the entry's first bytes.
    size_t k = std::min(head_.size() - headPos_, done);
    if (std::memcmp(buf, head_.data() + headPos_, k) != 0)
      throw InputError(label_, "the archive's entry offsets are inconsistent");
    headPos_ += k;
  }
  pos_ += static_cast<int64_t>(done);
  return done;
}

int64_t ExtentReader::skip(int64_t n) {
  if (headPos_ < head_.size() || n <= 0) return 0;
  int64_t k = std::min(n, end_ - pos_);
  pos_ += k;
  return k;
}

}  // namespace pd
