// Files from rules/ (doc pages and data tables) compiled into the binary, so that it needs
// nothing beside it. Generated at build time by cmake/embed.cmake.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pd {

// The file's text, or an empty view when there is no such file. `name` is relative to rules/.
std::string_view embeddedFile(std::string_view name);

// The non-empty, non-comment lines of an embedded data table ("data/toolchains.txt").
std::vector<std::string> dataLines(std::string_view name);

}  // namespace pd
