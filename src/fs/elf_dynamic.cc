#include "fs/elf_dynamic.h"

#include <algorithm>
#include <cstring>

namespace pd {
namespace {

uint64_t rd(std::string_view b, size_t off, size_t n, bool le) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    auto c = static_cast<uint8_t>(b[off + i]);
    v = le ? v | static_cast<uint64_t>(c) << (8 * i) : (v << 8) | c;
  }
  return v;
}

constexpr uint64_t kPtLoad = 1, kPtDynamic = 2;
constexpr uint64_t kDtNull = 0, kDtNeeded = 1, kDtStrtab = 5, kDtRpath = 15, kDtRunpath = 29;
constexpr size_t kMaxString = 4096;  // longer strings are no names ld.so would open

}  // namespace

std::optional<ElfLayout> elfLayout(std::string_view h, uint64_t fileSize) {
  if (h.size() < 64 || std::memcmp(h.data(),
                                   "\x7f"
                                   "ELF",
                                   4) != 0)
    return std::nullopt;
  ElfLayout l;
  l.is64 = h[4] == 2;
  l.le = h[5] != 2;
  uint64_t phoff = l.is64 ? rd(h, 32, 8, l.le) : rd(h, 28, 4, l.le);
  uint64_t phent = rd(h, l.is64 ? 54 : 42, 2, l.le);
  uint64_t phnum = rd(h, l.is64 ? 56 : 44, 2, l.le);
  if (phent < (l.is64 ? 56u : 32u) || phnum > 256 || phoff > h.size() ||
      phent * phnum > h.size() - phoff)
    return std::nullopt;
  bool haveDynamic = false;
  for (uint64_t i = 0; i < phnum; ++i) {
    size_t p = phoff + i * phent;
    uint64_t type = rd(h, p, 4, l.le);
    uint64_t off = l.is64 ? rd(h, p + 8, 8, l.le) : rd(h, p + 4, 4, l.le);
    uint64_t vaddr = l.is64 ? rd(h, p + 16, 8, l.le) : rd(h, p + 8, 4, l.le);
    uint64_t filesz = l.is64 ? rd(h, p + 32, 8, l.le) : rd(h, p + 16, 4, l.le);
    if (type == kPtLoad) l.loads.push_back({vaddr, off, filesz});
    if (type == kPtDynamic && !haveDynamic) {
      haveDynamic = true;
      l.dynOffset = off;
      l.dynSize = filesz;
    }
  }
  if (!haveDynamic || l.dynSize == 0 || l.dynSize > (64 << 10) || l.dynOffset > fileSize ||
      l.dynSize > fileSize - l.dynOffset)
    return std::nullopt;
  return l;
}

ElfDynamicScan::ElfDynamicScan(ElfLayout layout) : layout_(std::move(layout)) {}

void ElfDynamicScan::keep(uint64_t start, std::string_view s) {
  if (strings_.count(start)) return;
  if (keptBytes_ + s.size() > kMaxKeptBytes) return;  // what is not kept stays unknown
  keptBytes_ += s.size();
  strings_.emplace(start, std::string(s));
}

// Finds, in `data` (file offset `base`), the complete strings that can be library names
// (holding ".so") or search paths (starting with "/" or "$ORIGIN"): cheap searches for those
// marks, not a walk over every NUL, since most of the window is code and zeros. A string that
// runs past the end of `data` is found again in the next call, from the carry.
void ElfDynamicScan::scan(std::string_view data, uint64_t base, bool startsAtString) {
  // The string from `start` to the next NUL, when there is one within reach.
  auto keepFrom = [&](size_t start, size_t hit) {
    const void* e = std::memchr(data.data() + hit, '\0', data.size() - hit);
    if (!e) return;  // runs past `data`: seen again from the carry
    size_t end = static_cast<size_t>(static_cast<const char*>(e) - data.data());
    if (end > start && end - start <= kMaxString)
      keep(base + start, data.substr(start, end - start));
  };
  for (size_t at = data.find(".so"); at != std::string_view::npos; at = data.find(".so", at + 3)) {
    // Its string starts after the NUL before it, or at the start of `data`.
    size_t lo = at > kMaxString ? at - kMaxString : 0;
    const void* z = at > lo ? memrchr(data.data() + lo, '\0', at - lo) : nullptr;
    if (z)
      keepFrom(static_cast<size_t>(static_cast<const char*>(z) - data.data()) + 1, at);
    else if (lo == 0 && startsAtString)
      keepFrom(0, at);
  }
  for (char mark : {'/', '$'}) {
    const char* p = static_cast<const char*>(std::memchr(data.data(), mark, data.size()));
    while (p) {
      size_t at = static_cast<size_t>(p - data.data());
      bool starts = at == 0 ? startsAtString : data[at - 1] == '\0';
      std::string_view rest = data.substr(at);
      if (starts && (mark == '/' || rest.starts_with("$ORIGIN") || rest.starts_with("${ORIGIN}")))
        keepFrom(at, at);
      p = static_cast<const char*>(std::memchr(p + 1, mark, data.size() - at - 1));
    }
  }
}

void ElfDynamicScan::feed(std::string_view b) {
  const uint64_t start = pos_;
  pos_ += b.size();
  uint64_t at = start;
  // The string table precedes the dynamic section in every usual link; the window ends there.
  const uint64_t windowEnd = std::min<uint64_t>(kStringWindow, layout_.dynOffset);
  if (at < windowEnd) {
    std::string_view w =
        b.substr(0, static_cast<size_t>(std::min<uint64_t>(b.size(), windowEnd - at)));
    // The string the last chunk left open ends at this chunk's first NUL: only that much is
    // joined to it; the rest of the chunk is scanned where it lies.
    bool startsAtString = !carryTooLong_;
    if (!carry_.empty()) {
      size_t nul = w.find('\0');
      size_t head = nul == std::string_view::npos ? w.size() : nul + 1;
      std::string joined = carry_ + std::string(w.substr(0, head));
      scan(joined, at - carry_.size(), true);
      if (nul == std::string_view::npos) {  // still open
        carryTooLong_ = joined.size() > kMaxString;
        carry_ = carryTooLong_ ? std::string() : std::move(joined);
        w = {};
      } else {
        w = w.substr(head);
        at += head;
        carry_.clear();
      }
    }
    if (!w.empty()) {
      scan(w, at, startsAtString);
      // Carry the string still open at the end (from the last NUL on), unless it is too long.
      size_t nul = w.rfind('\0');
      size_t open = nul == std::string_view::npos ? 0 : nul + 1;
      carryTooLong_ =
          w.size() - open > kMaxString || (nul == std::string_view::npos && !startsAtString);
      if (carryTooLong_)
        carry_.clear();
      else
        carry_.assign(w.substr(open));
    }
  }
  // The dynamic section.
  uint64_t dynEnd = end();
  if (pos_ > layout_.dynOffset && start < dynEnd) {
    uint64_t from = std::max(start, layout_.dynOffset), to = std::min(pos_, dynEnd);
    dynamic_.append(b.substr(static_cast<size_t>(from - start), static_cast<size_t>(to - from)));
  }
}

std::optional<std::string> ElfDynamicScan::stringAt(uint64_t off) const {
  auto it = strings_.upper_bound(off);
  if (it == strings_.begin()) return std::nullopt;
  --it;
  if (off - it->first >= it->second.size()) return std::nullopt;
  return it->second.substr(static_cast<size_t>(off - it->first));
}

void ElfDynamicScan::finish(Captured& out) const {
  out.dynamic.reset();
  if (dynamic_.size() != layout_.dynSize) return;  // the file ended early
  const size_t word = layout_.is64 ? 8 : 4;
  std::optional<uint64_t> strtab;
  std::vector<std::pair<uint64_t, uint64_t>> refs;  // (tag, string offset)
  for (size_t p = 0; p + 2 * word <= dynamic_.size(); p += 2 * word) {
    uint64_t tag = rd(dynamic_, p, word, layout_.le),
             val = rd(dynamic_, p + word, word, layout_.le);
    if (tag == kDtNull) break;
    if (tag == kDtStrtab) strtab = val;
    if (tag == kDtNeeded || tag == kDtRpath || tag == kDtRunpath) refs.emplace_back(tag, val);
  }
  if (refs.empty()) {
    out.dynamic = std::make_shared<const ElfDynamic>();  // a dynamic section that needs nothing
    return;
  }
  if (!strtab) return;
  // DT_STRTAB is an address: the load segment holding it gives its file offset.
  std::optional<uint64_t> strOff;
  for (const auto& l : layout_.loads)
    if (*strtab >= l.vaddr && *strtab - l.vaddr < l.fileSize)
      strOff = l.offset + (*strtab - l.vaddr);
  if (!strOff) return;
  ElfDynamic d;
  for (const auto& [tag, val] : refs) {
    if (val > kStringWindow) return;
    std::optional<std::string> s = stringAt(*strOff + val);
    if (!s) return;  // not kept: unknown, not empty
    if (tag == kDtNeeded) d.needed.push_back(std::move(*s));
    if (tag == kDtRpath) d.rpath = std::move(*s);
    if (tag == kDtRunpath) d.runpath = std::move(*s);
  }
  out.dynamic = std::make_shared<const ElfDynamic>(std::move(d));
}

}  // namespace pd
