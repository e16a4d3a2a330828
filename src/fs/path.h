// Image paths: always absolute, "/"-separated, no trailing slash ("/" is the root), never above /.
#pragma once

#include <string>
#include <string_view>

namespace pd {

// Cleans a name from a tar entry or a link target into an image path. Sets `escaped` when the
// raw name was absolute or climbed above the root with "..": the runtime keeps such names inside
// the root too, and PD502 reports them.
std::string cleanPath(std::string_view raw, bool* escaped = nullptr);

// Joins a relative link target onto the directory holding the link, then cleans.
std::string resolveRelative(const std::string& dir, std::string_view target, bool* escaped);

std::string parentOf(const std::string& path);                  // "/a/b" -> "/a"; "/" -> "/"
std::string_view baseName(std::string_view path);               // "/a/b" -> "b"
bool isUnder(const std::string& path, const std::string& dir);  // dir itself counts

// Shell-style glob over image paths: `*` stays within one component, `**` crosses components,
// `?` is one character. Used by suppressions and rule data tables.
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace pd
