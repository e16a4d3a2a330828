#include "engine/rule_options.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "common/checked.h"
#include "common/error.h"
#include "engine/rule_table.h"
#include "source/descriptor.h"

namespace pd {
namespace {

struct KindInfo {
  RuleOption::Kind kind;
  const char* name;      // for tools (`rules --format json`)
  const char* expected;  // for people, in a refusal
};
constexpr KindInfo kKinds[] = {
    {RuleOption::Kind::Bytes, "bytes", "a byte count such as 4096, 512KiB or 10MiB"},
    {RuleOption::Kind::Fraction, "fraction", "a fraction from 0 to 1, such as 0.05"},
    {RuleOption::Kind::Digest, "digest", "sha256:<64 hex digits>"},
    {RuleOption::Kind::Platform, "platform",
     "OS/ARCH[/VARIANT], such as linux/amd64 or linux/arm/v7"},
};

const KindInfo& infoOf(RuleOption::Kind k) {
  for (const KindInfo& i : kKinds)
    if (i.kind == k) return i;
  throw std::logic_error("a rule option kind without a row in kKinds");
}

std::string kindText(RuleOption::Kind k) {
  return infoOf(k).expected;
}

bool parseFraction(const std::string& s, double& out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v < 0 || v > 1) return false;
  out = v;
  return true;
}

}  // namespace

const char* ruleOptionKindName(RuleOption::Kind k) {
  return infoOf(k).name;
}

bool validPlatform(std::string_view p) {
  size_t parts = 0;
  for (size_t from = 0;; ++parts) {
    size_t to = std::min(p.find('/', from), p.size());
    if (to == from) return false;
    for (size_t i = from; i < to; ++i) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      if (!(std::islower(c) || std::isdigit(c) || c == '_' || c == '.' || c == '-')) return false;
    }
    if (to == p.size()) return parts + 1 >= 2 && parts + 1 <= 3;
    from = to + 1;
  }
}

bool parseByteCount(std::string_view text, int64_t& out) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 19) return false;
  int64_t n = 0;
  for (size_t i = 0; i < digits; ++i)
    if (!checkedMul(n, 10, n) || !checkedAdd(n, text[i] - '0', n)) return false;
  static const std::pair<std::string_view, int64_t> kUnits[] = {{"", 1},
                                                                {"B", 1},
                                                                {"KiB", 1LL << 10},
                                                                {"MiB", 1LL << 20},
                                                                {"GiB", 1LL << 30},
                                                                {"TiB", 1LL << 40},
                                                                {"kB", 1000},
                                                                {"KB", 1000},
                                                                {"MB", 1000000},
                                                                {"GB", 1000000000},
                                                                {"TB", 1000000000000}};
  std::string_view unit = text.substr(digits);
  for (const auto& [name, scale] : kUnits)
    if (unit == name) return checkedMul(n, scale, out);
  return false;
}

RuleOptions RuleOptions::resolve(std::span<const RuleEntry* const> rules,
                                 const std::vector<std::string>& settings) {
  RuleOptions o;
  std::map<std::string, RuleOption::Kind, std::less<>> kinds;
  auto set = [&](const std::string& key, const std::string& value, const std::string& said) {
    Value v;
    v.text = value;
    RuleOption::Kind k = kinds.at(key);
    bool ok = k == RuleOption::Kind::Bytes      ? parseByteCount(value, v.bytes)
              : k == RuleOption::Kind::Fraction ? parseFraction(value, v.fraction)
              : k == RuleOption::Kind::Platform ? value.empty() || validPlatform(value)
                                                : value.empty() || validDigest(value);
    if (ok && k == RuleOption::Kind::Digest && value.rfind("sha256:", 0) != 0 && !value.empty())
      ok = false;
    if (!ok) throw UsageError(said + ": expected " + kindText(k));
    o.values_[key] = std::move(v);
  };
  for (const RuleEntry* r : rules)
    for (const RuleOption& opt : r->options) {
      std::string key = std::string(r->id) + "." + std::string(opt.name);
      kinds[key] = opt.kind;
      set(key, std::string(opt.defaultValue), key + " default");
    }
  for (const std::string& s : settings) {
    std::string said = "--rule-option " + s;
    auto eq = s.find('=');
    auto dot = s.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq)
      throw UsageError(said + ": expected RULE.OPTION=VALUE (PD306.min-wasted-bytes=20MiB)");
    std::string id = s.substr(0, dot), name = s.substr(dot + 1, eq - dot - 1);
    const RuleEntry* rule = nullptr;
    for (const RuleEntry* r : rules)
      if (findRule(id) == r) rule = r;
    if (!rule) throw UsageError(said + ": no rule " + id);
    std::string known;
    for (const RuleOption& opt : rule->options)
      known += (known.empty() ? "" : ", ") + std::string(opt.name);
    std::string key = std::string(rule->id) + "." + name;
    if (!kinds.count(key))
      throw UsageError(
          said + ": " + std::string(rule->id) + " has " +
          (known.empty() ? "no options" : "no option \"" + name + "\" (it has " + known + ")"));
    set(key, s.substr(eq + 1), said);
  }
  return o;
}

const RuleOptions::Value& RuleOptions::at(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end())
    throw std::logic_error("rule option " + std::string(key) + " is declared by no rule");
  return it->second;
}

int64_t RuleOptions::bytes(std::string_view key) const {
  return at(key).bytes;
}
double RuleOptions::fraction(std::string_view key) const {
  return at(key).fraction;
}
const std::string& RuleOptions::text(std::string_view key) const {
  return at(key).text;
}

}  // namespace pd
