#include "engine/embedded.h"

#include "engine/embedded_files.h"

namespace pd {

std::string_view embeddedFile(std::string_view name) {
  for (const auto& f : kEmbeddedFiles)
    if (f.name == name) return f.text;
  return {};
}

std::vector<std::string> dataLines(std::string_view name) {
  std::vector<std::string> out;
  std::string_view t = embeddedFile(name);
  size_t i = 0;
  while (i < t.size()) {
    size_t j = t.find('\n', i);
    if (j == std::string_view::npos) j = t.size();
    std::string_view line = t.substr(i, j - i);
    i = j + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    out.emplace_back(line);
  }
  return out;
}

}  // namespace pd
