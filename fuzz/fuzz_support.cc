#include "fuzz_support.h"

#include "common/error.h"
#include "engine/engine.h"

namespace pd::fuzz {

ReadOptions fuzzReadOptions() {
  ReadOptions ro;
  ro.limits.verify = true;
  ro.limits.maxBlobBytes = 64 << 20;
  ro.limits.maxEntries = 50000;
  ro.limits.poolMinBytes = 0;  // every blob of a fuzzed file through the parallel read path
  ro.capture = rulesCapturePolicy();
  return ro;
}

void lintAll(const Image& img) {
  LintOptions lo;
  lo.today = "2025-01-01";
  (void)lint(img, ruleTable(), lo);
  lo.profile = "openshift";
  (void)lint(img, ruleTable(), lo);
}

void expectOnlyInputErrors(const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError&) {
  } catch (const UsageError&) {
  }
}

}  // namespace pd::fuzz
