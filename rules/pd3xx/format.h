// Small text helpers for the PD3xx messages.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace pd {

// "12.0 MiB", "393 bytes".
inline std::string humanBytes(int64_t n) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  if (u == 0) return std::to_string(n) + (n == 1 ? " byte" : " bytes");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

// A layer's history instruction, short enough for a message: without the "/bin/sh -c #(nop)"
// noise, whitespace runs collapsed, cut at 80 characters. The report carries it in full.
inline std::string shortInstruction(const std::string& createdBy) {
  std::string s = createdBy;
  for (const char* p : {"/bin/sh -c ", "#(nop) "})
    if (s.rfind(p, 0) == 0) s.erase(0, std::string(p).size());
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

// " (layer 3: RUN make)" style suffix naming a layer, or " (layer 3)" when it has no history.
inline std::string layerRef(int layer, const std::string& createdBy) {
  std::string s = shortInstruction(createdBy);
  return "layer " + std::to_string(layer) + (s.empty() ? "" : " `" + s + "`");
}

}  // namespace pd
