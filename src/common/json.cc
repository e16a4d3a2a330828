#include "common/json.h"

#include <set>
#include <vector>

#include "common/error.h"

namespace pd {

namespace {
constexpr int kMaxDepth = 256;

// Finds the nesting depth outside strings, stopping early past the limit.
bool depthWithin(const std::string& s, int limit) {
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}
}  // namespace

Json parseJson(const std::string& text, const std::string& where) {
  if (!depthWithin(text, kMaxDepth))
    throw InputError(where, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
  try {
    // Duplicate keys are refused: two readers of one document must not see two meanings.
    std::vector<std::set<std::string>> keys;
    std::string dup;
    Json j = Json::parse(text, [&](int, Json::parse_event_t ev, Json& parsed) {
      using E = Json::parse_event_t;
      if (ev == E::object_start)
        keys.emplace_back();
      else if (ev == E::object_end && !keys.empty())
        keys.pop_back();
      else if (ev == E::key && !keys.empty() &&
               !keys.back().insert(parsed.get<std::string>()).second && dup.empty())
        dup = parsed.get<std::string>();
      return true;
    });
    if (!dup.empty()) throw InputError(where, "duplicate JSON key \"" + dup + "\"");
    return j;
  } catch (const Json::exception& e) {
    std::string m = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] "; keep the readable part.
    auto k = m.find("] ");
    if (k != std::string::npos) m = m.substr(k + 2);
    throw InputError(where, "not valid JSON: " + m);
  }
}

const Json& requireObject(const Json& j, const std::string& where) {
  if (!j.is_object())
    throw InputError(where, std::string("expected a JSON object, found ") + j.type_name());
  return j;
}

std::string getString(const Json& obj, const char* key, const std::string& where, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) throw InputError(where, std::string("missing \"") + key + "\"");
    return "";
  }
  if (!it->is_string()) throw InputError(where, std::string("\"") + key + "\" is not a string");
  return it->get<std::string>();
}

std::vector<std::string> getStringArray(const Json& obj, const char* key,
                                        const std::string& where) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) throw InputError(where, std::string("\"") + key + "\" is not an array");
  for (const auto& v : *it) {
    if (!v.is_string()) throw InputError(where, std::string("\"") + key + "\" holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace pd
