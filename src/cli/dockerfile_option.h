// `--dockerfile PATH` of lint and inspect.
#pragma once

#include <optional>
#include <string>

#include "dockerfile/dockerfile.h"

namespace pd {

// The Dockerfile to map findings to: `given` (--dockerfile), else ./Dockerfile when there is one
// (`found` is then set: the caller uses it only if it matches the image, and a file there that
// is no Dockerfile is ignored). Nothing when neither. Throws UsageError when `given` cannot be
// read, InputError when it is no Dockerfile. `text`, when given, receives the bytes parsed.
std::optional<Dockerfile> loadDockerfile(const std::string& given, bool& found,
                                         std::string* text = nullptr);

}  // namespace pd
