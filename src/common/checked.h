// Checked arithmetic for sizes that come from untrusted archives.
#pragma once

#include <cstdint>
#include <limits>

namespace pd {

// Adds without wrapping: saturates at INT64_MAX so a lying header cannot make a total go negative.
inline int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<int64_t>::max();
  return r;
}

// `out` = a * b (a + b); false, and `out` unspecified, when the result does not fit.
inline bool checkedMul(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}
inline bool checkedAdd(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
}

}  // namespace pd
