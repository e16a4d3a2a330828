#include "fs/capture.h"

#include <cstring>

#include "fs/path.h"

namespace pd {

namespace {
bool hasWildcard(std::string_view g) {
  return g.find_first_of("*?") != std::string_view::npos;
}
}  // namespace

NameGlobs::NameGlobs(const std::vector<std::string>& globs) {
  for (const auto& g : globs) {
    std::string_view v = g;
    if (v.find('/') != std::string_view::npos) {
      if (hasWildcard(v))
        pathGlobs_.push_back("**/" + g);
      else
        pathTails_.push_back("/" + g);
    } else if (!hasWildcard(v)) {
      exactBase_.insert(g);
    } else if (v.size() > 1 && v[0] == '*' && !hasWildcard(v.substr(1))) {
      baseSuffixes_.emplace_back(v.substr(1));
    } else if (v.size() > 1 && v.back() == '*' && !hasWildcard(v.substr(0, v.size() - 1))) {
      basePrefixes_.emplace_back(v.substr(0, v.size() - 1));
    } else {
      baseGlobs_.push_back(g);
    }
  }
}

bool NameGlobs::matches(std::string_view path) const {
  std::string_view base = baseName(path);
  if (exactBase_.find(base) != exactBase_.end()) return true;
  for (const auto& s : baseSuffixes_)
    if (base.ends_with(s)) return true;
  for (const auto& s : basePrefixes_)
    if (base.starts_with(s)) return true;
  for (const auto& g : baseGlobs_)
    if (globMatch(g, base)) return true;
  // "**/" + a literal matches the literal itself or any path ending in "/" + it.
  for (const auto& s : pathTails_)
    if (path.ends_with(s) || path == std::string_view(s).substr(1)) return true;
  for (const auto& g : pathGlobs_)
    if (globMatch(g, path)) return true;
  return false;
}

CapturePolicy::CapturePolicy(std::vector<std::string> wholeFiles,
                             const std::vector<std::string>& secretNames,
                             const std::vector<std::string>& scriptNames)
    : secretNames_(secretNames), scriptNames_(scriptNames) {
  for (auto& w : wholeFiles) {
    size_t literal = w.find_first_of("*?");
    wholeFiles_.push_back({std::move(w), literal});
  }
}

CapturePolicy::Want CapturePolicy::wants(std::string_view path, int64_t size) const {
  for (const auto& w : wholeFiles_) {
    // Every file of the image comes by: the literal head of a pattern rules most out cheaply.
    bool hit = w.literal == std::string::npos
                   ? w.pattern == path
                   : path.starts_with(std::string_view(w.pattern).substr(0, w.literal)) &&
                         globMatch(w.pattern, path);
    if (hit) return size <= maxWholeBytes ? Want::Whole : Want::Head;
  }
  if (secretNames_.matches(path)) return size <= maxSecretBytes ? Want::Whole : Want::Head;
  if (scriptNames_.matches(path)) return size <= maxScriptBytes ? Want::Whole : Want::Head;
  return size > 0 ? Want::Head : Want::Nothing;
}

namespace {
uint64_t rd(std::string_view b, size_t off, size_t n, bool le) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = static_cast<uint8_t>(b[off + i]);
    if (le)
      v |= static_cast<uint64_t>(c) << (8 * i);
    else
      v = (v << 8) | c;
  }
  return v;
}
}  // namespace

bool parseHead(std::string_view h, Captured& out, size_t* needMore) {
  if (needMore) *needMore = 0;
  if (h.size() >= 2 && h[0] == '#' && h[1] == '!') {
    out.head = Captured::Head::Script;
    size_t end = h.find('\n');
    std::string_view line = h.substr(2, end == std::string_view::npos ? 254 : end - 2);
    if (line.size() > 254) line = line.substr(0, 254);
    out.interpCr = !line.empty() && line.back() == '\r';
    if (out.interpCr) line.remove_suffix(1);
    out.interp.assign(line);
    return true;
  }
  if (h.size() < 20 || std::memcmp(h.data(),
                                   "\x7f"
                                   "ELF",
                                   4) != 0)
    return false;
  out.head = Captured::Head::Elf;
  out.elfClass = static_cast<uint8_t>(h[4]);
  bool le = h[5] != 2;
  out.elfMachine = static_cast<uint16_t>(rd(h, 18, 2, le));
  bool is64 = out.elfClass == 2;
  size_t need = is64 ? 64 : 52;
  if (h.size() < need) return true;
  uint64_t phoff = is64 ? rd(h, 32, 8, le) : rd(h, 28, 4, le);
  uint64_t phent = rd(h, is64 ? 54 : 42, 2, le);
  uint64_t phnum = rd(h, is64 ? 56 : 44, 2, le);
  if (phent < (is64 ? 56u : 32u) || phnum > 256 || phoff > (1u << 20)) return true;
  uint64_t phEnd = phoff + phent * phnum;
  if (phEnd > h.size()) {
    if (needMore && phEnd <= (1u << 16)) *needMore = phEnd;
    return true;
  }
  for (uint64_t i = 0; i < phnum; ++i) {
    size_t p = phoff + i * phent;
    if (rd(h, p, 4, le) != 3) continue;  // PT_INTERP
    uint64_t off = is64 ? rd(h, p + 8, 8, le) : rd(h, p + 4, 4, le);
    uint64_t sz = is64 ? rd(h, p + 32, 8, le) : rd(h, p + 16, 4, le);
    if (sz == 0 || sz > 4096 || off > (1u << 16)) return true;
    if (off + sz > h.size()) {
      if (needMore) *needMore = off + sz;
      return true;
    }
    std::string_view s = h.substr(off, sz);
    size_t nul = s.find('\0');
    out.interp.assign(s.substr(0, nul));
    return true;
  }
  return true;
}

bool looksLikePrivateKey(std::string_view b) {
  size_t k = b.find("-----BEGIN ");
  while (k != std::string_view::npos) {
    size_t e = b.find("-----", k + 11);
    if (e == std::string_view::npos) return false;
    std::string_view label = b.substr(k + 11, e - k - 11);
    if (label.size() >= 11 && label.substr(label.size() - 11) == "PRIVATE KEY") return true;
    k = b.find("-----BEGIN ", e);
  }
  return false;
}

std::string goArch(std::string a) {
  for (char& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (a == "x86_64" || a == "x86-64" || a == "x64") return "amd64";
  if (a == "aarch64" || a == "arm64v8" || a == "armv8") return "arm64";
  if (a == "i386" || a == "i486" || a == "i586" || a == "i686" || a == "x86") return "386";
  return a;
}

namespace {
// e_machine values (with the ELF class where one value covers both widths), the architecture
// in GOARCH spelling, and Debian's multiarch triplet.
struct ElfMachine {
  uint16_t machine;
  uint8_t elfClass;  // 0: either
  const char* arch;
  const char* triplet;
};
constexpr ElfMachine kMachines[] = {
    {3, 0, "386", "i386-linux-gnu"},
    {62, 0, "amd64", "x86_64-linux-gnu"},
    {40, 0, "arm", "arm-linux-gnueabihf"},
    {183, 0, "arm64", "aarch64-linux-gnu"},
    {8, 2, "mips64", "mips64el-linux-gnuabi64"},
    {8, 0, "mips", "mipsel-linux-gnu"},
    {20, 0, "ppc", "powerpc-linux-gnu"},
    {21, 0, "ppc64le", "powerpc64le-linux-gnu"},
    {22, 0, "s390x", "s390x-linux-gnu"},
    {243, 0, "riscv64", "riscv64-linux-gnu"},
    {258, 0, "loong64", "loongarch64-linux-gnu"},
};

const ElfMachine* findMachine(uint16_t m, uint8_t cls) {
  for (const ElfMachine& e : kMachines)
    if (e.machine == m && (e.elfClass == 0 || e.elfClass == cls)) return &e;
  return nullptr;
}
}  // namespace

const char* elfMachineArch(uint16_t m, uint8_t cls) {
  const ElfMachine* e = findMachine(m, cls);
  return e ? e->arch : "unknown";
}

const char* multiarchTriplet(uint16_t m, uint8_t cls) {
  const ElfMachine* e = findMachine(m, cls);
  return e ? e->triplet : nullptr;
}

Shebang splitShebang(std::string_view line) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  size_t i = 0;
  while (i < line.size() && blank(line[i])) ++i;
  size_t j = i;
  while (j < line.size() && !blank(line[j])) ++j;
  Shebang s;
  s.interp = line.substr(i, j - i);
  while (j < line.size() && blank(line[j])) ++j;
  size_t e = line.size();
  while (e > j && blank(line[e - 1])) --e;
  s.arg = line.substr(j, e - j);
  return s;
}

}  // namespace pd
