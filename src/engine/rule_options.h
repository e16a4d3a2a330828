// The rules' settings for one lint. Each rule declares its options in its own entry
// (RuleEntry::options); a user sets them as PDnnn.NAME=VALUE. Every value is parsed and checked
// against its kind before any rule runs, so a rule reads a valid value or its default.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pd {

struct RuleEntry;

class RuleOptions {
 public:
  // The defaults of every option of `rules`, then `settings` ("PD306.min-wasted-bytes=20MiB")
  // in order. Throws UsageError naming the setting: no such rule, no such option, no "=", or a
  // value of the wrong kind.
  static RuleOptions resolve(std::span<const RuleEntry* const> rules,
                             const std::vector<std::string>& settings);

  // The value of "PDnnn.name" as the kind its rule declared; a key no rule declared is a bug
  // (std::logic_error).
  int64_t bytes(std::string_view key) const;
  double fraction(std::string_view key) const;
  const std::string& text(std::string_view key) const;

 private:
  struct Value {
    int64_t bytes = 0;
    double fraction = 0;
    std::string text;
  };
  const Value& at(std::string_view key) const;
  std::map<std::string, Value, std::less<>> values_;
};

// "10MiB", "512KiB", "1GB", "4096": a byte count, binary (KiB, MiB, GiB, TiB) or decimal (kB,
// MB, GB, TB) units; false when malformed, negative or past int64_t.
bool parseByteCount(std::string_view text, int64_t& out);
// "os/arch" or "os/arch/variant", lower case: what --platform and an index's platforms say.
bool validPlatform(std::string_view platform);

}  // namespace pd
