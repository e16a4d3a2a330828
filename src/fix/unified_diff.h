// A unified diff of two texts, as `diff -u` writes it and `patch -p0` applies it.
#pragma once

#include <string>
#include <string_view>

namespace pd {

// "" when the texts are equal. Both files are named `path` in the headers (--- path / +++ path),
// so that `patch -p0` edits that file. Three lines of context; a text without a final newline
// gets "\ No newline at end of file" after its last line.
std::string unifiedDiff(std::string_view before, std::string_view after, const std::string& path);

}  // namespace pd
