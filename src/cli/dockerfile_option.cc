#include "cli/dockerfile_option.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace pd {

std::optional<Dockerfile> loadDockerfile(const std::string& given, bool& found, std::string* text) {
  std::string path = given.empty() ? "Dockerfile" : given;
  found = given.empty();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (found) return std::nullopt;
    throw UsageError("--dockerfile " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    if (found) return std::nullopt;
    throw UsageError("--dockerfile " + path + ": not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--dockerfile " + path + ": " + std::strerror(errno));
  std::string bytes;
  bytes.resize(static_cast<size_t>(std::min<off_t>(st.st_size, 4 << 20) + 1));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  std::optional<Dockerfile> df;
  if (!found) {
    df = parseDockerfile(bytes, path);
  } else {
    try {
      df = parseDockerfile(bytes, path);
    } catch (const InputError&) {
      return std::nullopt;  // a file that merely has the name is not worth failing the run for
    }
  }
  if (text) *text = std::move(bytes);
  return df;
}

}  // namespace pd
