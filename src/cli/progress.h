// A progress line on stderr while blobs are read: only on a TTY, never with --quiet.
#pragma once

#include <chrono>
#include <string>

#include "layout/collector.h"

namespace pd {

class ProgressLine : public Progress {
 public:
  ProgressLine(std::string label, bool wanted);
  bool enabled() const { return enabled_; }
  void blobDone(const std::string& name, int64_t storedBytes) override;
  void finish();  // erases the line

 private:
  std::string label_;
  bool enabled_;
  int blobs_ = 0;
  int64_t bytes_ = 0;
  std::chrono::steady_clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace pd
