#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/text.h"

namespace pd {

ProgressLine::ProgressLine(std::string label, bool wanted)
    : label_(escapeControl(label)), enabled_(wanted && isatty(2)) {}

void ProgressLine::blobDone(const std::string&, int64_t storedBytes) {
  ++blobs_;
  bytes_ += storedBytes;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::fprintf(stderr, "\r\033[Kreading %s: %d blobs, %.1f MiB", label_.c_str(), blobs_,
               static_cast<double>(bytes_) / (1 << 20));
  shown_ = true;
}

void ProgressLine::finish() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

}  // namespace pd
