// Small but well-formed ELF files for tests: the headers, segments and dynamic section a linker
// writes, laid out as GNU ld does (string table early, dynamic section late), so that the reader
// meets them as it meets real binaries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pd::testing {

struct ElfSpec {
  uint16_t machine = 62;  // EM_X86_64
  std::string interp;     // PT_INTERP; "" for none
  std::vector<std::string> needed;
  std::string rpath, runpath;
  bool dynamic = true;       // write PT_DYNAMIC (false: a static program)
  size_t textBytes = 256;    // filler between the string table and the dynamic section
  bool suffixMerge = false;  // store the first needed name as the tail of a longer string
};

// A little-endian ELF64 executable.
std::string writeElf(const ElfSpec& spec);

}  // namespace pd::testing
