// What ld.so reads from an ELF file's dynamic section (DT_NEEDED, DT_RPATH, DT_RUNPATH), taken
// from the file's bytes as they stream past, once and in bounded memory.
//
// The dynamic section lies late in the file (in the data segment), its string table early (in
// the first load segment), and which part of the string table matters is only known once the
// section is read. So while the bytes go by, the scan keeps the strings before the dynamic
// section (in the first 16 MiB) that can be library names (".so") or search paths ("/...",
// "$ORIGIN..."), each with its file offset, and then the section itself.
// A name or path it did not keep leaves the result unknown (`Captured::dynamic` null): a
// rule then says nothing rather than guess.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fs/capture.h"

namespace pd {

// Where an ELF file's dynamic section and load segments lie, from its program headers.
struct ElfLayout {
  bool le = true, is64 = true;
  uint64_t dynOffset = 0, dynSize = 0;  // PT_DYNAMIC in the file
  struct Load {
    uint64_t vaddr = 0, offset = 0, fileSize = 0;
  };
  std::vector<Load> loads;  // PT_LOAD, to turn DT_STRTAB's address into a file offset
};

// The layout, when `head` (the file's first bytes, program headers included) is an ELF file with
// a dynamic section small enough to read (64 KiB) inside a file of `fileSize` bytes.
std::optional<ElfLayout> elfLayout(std::string_view head, uint64_t fileSize);

class ElfDynamicScan {
 public:
  explicit ElfDynamicScan(ElfLayout layout);
  // The next bytes of the file, in order from offset 0.
  void feed(std::string_view bytes);
  // The offset up to which the file must be fed.
  uint64_t end() const { return layout_.dynOffset + layout_.dynSize; }
  // Sets out.dynamic (null when unknown).
  void finish(Captured& out) const;

  static constexpr uint64_t kStringWindow = 16 << 20;  // strings are kept from this prefix
  static constexpr size_t kMaxKeptBytes = 256 << 10;   // and at most this much of them

 private:
  void keep(uint64_t start, std::string_view s);
  void scan(std::string_view data, uint64_t base, bool startsAtString);
  // The NUL-terminated string at file offset `off`, from the kept ones (it may be the tail of
  // one: linkers merge suffixes).
  std::optional<std::string> stringAt(uint64_t off) const;

  ElfLayout layout_;
  uint64_t pos_ = 0;
  std::string carry_;                        // the string still open at the end of the last chunk
  bool carryTooLong_ = false;                // ... or it was too long to be a name
  std::map<uint64_t, std::string> strings_;  // file offset -> kept string
  size_t keptBytes_ = 0;
  std::string dynamic_;
};

}  // namespace pd
