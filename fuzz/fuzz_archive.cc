// Bytes -> the whole pipeline as `permdoctor lint FILE` runs it: the outer container (libarchive,
// gzip'd or not), the collector, layer scans, layouts, digest checks, the applier and the rules.
// The bytes go through a file because the container under test is the real one, which opens
// paths; the file lives in /dev/shm when it can.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"

namespace {

const std::string& scratchFile() {
  static const std::string path = std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                                  "/pd-fuzz-archive-" + std::to_string(getpid()) + ".tar";
  return path;
}

void removeScratch() {
  unlink(scratchFile().c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string& path = scratchFile();
  static const bool cleanup = std::atexit(removeScratch) == 0;
  (void)cleanup;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  pd::fuzz::expectOnlyInputErrors([&] {
    pd::Image img = pd::readImage(path, pd::fuzz::fuzzReadOptions());
    pd::fuzz::lintAll(img);
  });
  return 0;
}
