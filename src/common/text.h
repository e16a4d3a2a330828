// Text from an image, made safe to show or to put in a URI.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pd {

// Names and history lines from an image may carry terminal escape sequences or newlines: text
// for people shows every control byte (below 0x20, and 0x7f) as \xNN, so a report can neither
// repaint the terminal nor forge lines.
std::string escapeControl(std::string_view s);

// The length of the valid UTF-8 sequence at s[i] (no overlong forms, surrogates or code points
// past U+10FFFF), or 0 when the bytes there are not one.
size_t utf8Length(std::string_view s, size_t i);

// escapeControl, and every byte that is not part of valid UTF-8 as \xNN too: for documents that
// must be UTF-8 (markdown), where a renderer may drop or break on such a byte.
std::string escapeControlAndNonUtf8(std::string_view s);

// RFC 3986 percent-encoding: every byte but the unreserved ones (letters, digits, - . _ ~) and
// those in `keep` becomes %XX.
std::string percentEncode(std::string_view s, std::string_view keep = "");

// `s` as one shell word: unchanged when it holds only characters no shell treats specially
// (letters, digits, _ @ % + = : , . / -), else in single quotes ('it'\''s').
std::string shellQuote(std::string_view s);

// A COPY line to paste: shell form when the paths are plain words, else the JSON form, which
// is the Dockerfile's only way to name a path with spaces. `flags` ("--chmod=0644") may be "".
std::string dockerCopy(std::string_view flags, std::string_view src, std::string_view dest);

// The non-empty pieces of `s` between `sep`s ("a::b," -> a, b), views into `s`.
std::vector<std::string_view> splitNonEmpty(std::string_view s, char sep);

}  // namespace pd
