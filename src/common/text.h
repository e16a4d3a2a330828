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

// RFC 3986 percent-encoding: every byte but the unreserved ones (letters, digits, - . _ ~) and
// those in `keep` becomes %XX.
std::string percentEncode(std::string_view s, std::string_view keep = "");

// The non-empty pieces of `s` between `sep`s ("a::b," -> a, b), views into `s`.
std::vector<std::string_view> splitNonEmpty(std::string_view s, char sep);

}  // namespace pd
