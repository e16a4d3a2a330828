// Parsing JSON documents from untrusted archives: nesting depth is checked before the recursive
// parser sees the text, and every failure is an InputError naming the document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace pd {

using Json = nlohmann::json;

// Parses `text`; `where` names it in errors ("image.tar: manifest.json").
Json parseJson(const std::string& text, const std::string& where);

// Typed accessors that throw InputError("<where>: <key> ...") instead of nlohmann's exceptions.
const Json& requireObject(const Json& j, const std::string& where);
std::string getString(const Json& obj, const char* key, const std::string& where,
                      bool required = false);
std::vector<std::string> getStringArray(const Json& obj, const char* key, const std::string& where);

}  // namespace pd
