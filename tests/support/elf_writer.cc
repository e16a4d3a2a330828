#include "support/elf_writer.h"

namespace pd::testing {
namespace {

void put(std::string& b, size_t off, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) b[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

std::string writeElf(const ElfSpec& s) {
  constexpr uint64_t kBase = 0x400000;
  const size_t phnum = 1 + (s.interp.empty() ? 0 : 1) + (s.dynamic ? 1 : 0);
  const size_t phoff = 64, interpOff = phoff + 56 * phnum;
  std::string body;  // everything after the program headers
  body += s.interp.empty() ? "" : s.interp + '\0';
  // .dynstr: a leading NUL, then the strings.
  const size_t strOff = interpOff + body.size();
  std::string strtab(1, '\0');
  std::vector<std::pair<uint64_t, uint64_t>> dyn;  // tag, value
  auto addString = [&](const std::string& v) {
    uint64_t at = strtab.size();
    strtab += v + '\0';
    return at;
  };
  for (size_t i = 0; i < s.needed.size(); ++i) {
    uint64_t at =
        s.suffixMerge && i == 0 ? addString("xx" + s.needed[i]) + 2 : addString(s.needed[i]);
    dyn.emplace_back(1, at);  // DT_NEEDED
  }
  if (!s.rpath.empty()) dyn.emplace_back(15, addString(s.rpath));
  if (!s.runpath.empty()) dyn.emplace_back(29, addString(s.runpath));
  addString("printf");
  addString("GLIBC_2.2.5");
  dyn.emplace_back(5, kBase + strOff);  // DT_STRTAB (an address)
  dyn.emplace_back(10, strtab.size());  // DT_STRSZ
  dyn.emplace_back(0, 0);               // DT_NULL
  body += strtab;
  body += std::string(s.textBytes, '\x90');
  while ((interpOff + body.size()) % 8) body += '\0';
  const size_t dynOff = interpOff + body.size();
  std::string dynamic(16 * dyn.size(), '\0');
  for (size_t i = 0; i < dyn.size(); ++i) {
    put(dynamic, 16 * i, dyn[i].first, 8);
    put(dynamic, 16 * i + 8, dyn[i].second, 8);
  }
  if (s.dynamic) body += dynamic;
  body += std::string(64, '\0');  // section headers would follow

  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = 2, h[5] = 1, h[6] = 1;  // ELFCLASS64, little-endian, version
  put(h, 16, 2, 2);              // ET_EXEC
  put(h, 18, s.machine, 2);
  put(h, 20, 1, 4);
  put(h, 24, kBase + interpOff, 8);  // e_entry
  put(h, 32, phoff, 8);
  put(h, 52, 64, 2);
  put(h, 54, 56, 2);
  put(h, 56, phnum, 2);
  const size_t total = interpOff + body.size();
  std::string ph;
  auto header = [&](uint32_t type, uint64_t off, uint64_t size) {
    std::string p(56, '\0');
    put(p, 0, type, 4);
    put(p, 8, off, 8);
    put(p, 16, kBase + off, 8);  // p_vaddr
    put(p, 24, kBase + off, 8);  // p_paddr
    put(p, 32, size, 8);         // p_filesz
    put(p, 40, size, 8);         // p_memsz
    ph += p;
  };
  header(1, 0, total);  // PT_LOAD: the whole file
  if (!s.interp.empty()) header(3, interpOff, s.interp.size() + 1);
  if (s.dynamic) header(2, dynOff, dynamic.size());
  return h + ph + body;
}

}  // namespace pd::testing
