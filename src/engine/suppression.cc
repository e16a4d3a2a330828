#include "engine/suppression.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "engine/rule_table.h"
#include "fs/path.h"

namespace pd {

namespace {
bool validDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  int m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}
}  // namespace

std::string todayUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

Suppressions Suppressions::load(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw UsageError(file + ": is a directory, not a config file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError(file + ": cannot read config file: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  Json j;
  try {
    j = parseJson(ss.str(), file);
  } catch (const InputError& e) {
    throw UsageError(e.what());
  }
  if (!j.is_object()) throw UsageError(file + ": expected a JSON object with \"ignore\"");
  // A misspelt key ("ignores") would silently disable every suppression.
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "ignore")
      throw UsageError(file + ": unknown key \"" + it.key() + "\" (expected \"ignore\")");
  Suppressions s;
  auto ig = j.find("ignore");
  if (ig == j.end()) return s;
  if (!ig->is_array()) throw UsageError(file + ": \"ignore\" must be an array");
  int n = 0;
  for (const auto& e : *ig) {
    ++n;
    std::string where = file + ": ignore[" + std::to_string(n - 1) + "]";
    if (!e.is_object()) throw UsageError(where + " is not an object");
    auto str = [&](const char* k) -> std::string {
      auto it = e.find(k);
      if (it == e.end() || it->is_null()) return "";
      if (!it->is_string()) throw UsageError(where + ": \"" + k + "\" must be a string");
      return it->get<std::string>();
    };
    for (auto it = e.begin(); it != e.end(); ++it)
      if (it.key() != "rule" && it.key() != "path" && it.key() != "reason" && it.key() != "expires")
        throw UsageError(where + ": unknown key \"" + it.key() + "\"");
    Suppression sup{str("rule"), str("path"), str("reason"), str("expires"), file};
    const RuleEntry* rule = findRule(sup.rule);
    const RetiredRule* retired = rule ? nullptr : findRetired(sup.rule);
    if (!rule && !retired) throw UsageError(where + ": unknown rule \"" + sup.rule + "\"");
    sup.rule = std::string(rule ? rule->id : retired->id);  // "pd401" means PD401
    if (!sup.expires.empty() && !validDate(sup.expires))
      throw UsageError(where + ": \"expires\" must be YYYY-MM-DD, not \"" + sup.expires + "\"");
    s.entries.push_back(std::move(sup));
  }
  return s;
}

std::vector<std::string> Suppressions::apply(std::vector<Finding>& findings,
                                             const std::string& today) const {
  std::vector<std::string> notes;
  for (const auto& s : entries) {
    if (findRetired(s.rule)) {
      notes.push_back("suppression of " + s.rule + " in " + s.origin + " suppresses nothing: " +
                      s.rule + " was retired (permdoctor explain " + s.rule + ")");
      continue;
    }
    bool expired = !s.expires.empty() && s.expires < today;
    bool used = false;
    for (auto& f : findings) {
      if (f.suppressed || f.rule != s.rule) continue;
      if (!s.pathGlob.empty() && !(f.path && globMatch(s.pathGlob, *f.path))) continue;
      used = true;
      if (expired) continue;
      f.suppressed = true;
      f.suppressedBy = s.origin == "--ignore" ? "--ignore" : s.reason.empty() ? s.origin : s.reason;
    }
    if (expired && used)
      notes.push_back("suppression of " + s.rule + (s.pathGlob.empty() ? "" : " " + s.pathGlob) +
                      " in " + s.origin + " expired on " + s.expires + " and no longer applies");
  }
  return notes;
}

}  // namespace pd
