// The rule table. Each rule declares its metadata once, in its own file beside its check and
// its doc page (rules/pdNxx/PDnnn.cc defines `extern const RuleEntry kPDnnn`); the table in
// rules/rule_table.cc lists them, one line per rule. The engine reads the metadata (profiles,
// supersession) and names no rule; `rules`, `explain`, the man pages and the completions read
// the same entries, and a test holds every doc page's header to them.
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/identity.h"
#include "engine/rule.h"

namespace pd {

// The profiles a rule runs in, one bit per Profile.
using ProfileSet = unsigned;
constexpr ProfileSet profiles(std::initializer_list<Profile> ps) {
  ProfileSet s = 0;
  for (Profile p : ps) s |= 1u << static_cast<unsigned>(p);
  return s;
}
constexpr ProfileSet kAllProfiles =
    profiles({Profile::Generic, Profile::Lambda, Profile::Kubernetes, Profile::OpenShift});
constexpr ProfileSet kNotLambda =
    profiles({Profile::Generic, Profile::Kubernetes, Profile::OpenShift});
constexpr bool runsIn(ProfileSet s, Profile p) {
  return (s & profiles({p})) != 0;
}

// A rule's factory for RuleEntry::make: `.make = makeRule<PD101>`.
template <class R>
std::unique_ptr<Rule> makeRule() {
  return std::make_unique<R>();
}

// A setting of one rule, declared in its entry beside the check that reads it. Users write
// PDnnn.NAME=VALUE (`lint --rule-option`); RuleOptions validates it against `kind`, and the rule's
// doc page lists it with its default (a test holds the page to the entry).
struct RuleOption {
  enum class Kind { Bytes, Fraction, Digest, Platform };
  std::string_view name;  // "min-wasted-bytes"
  Kind kind;
  std::string_view defaultValue;  // as a user writes it: "10MiB", "0.05"; "" = unset
  std::string_view help;          // one line
};
// "bytes", "fraction", "digest", "platform" (engine/rule_options.cc keeps the one table).
const char* ruleOptionKindName(RuleOption::Kind kind);

struct RuleEntry {
  std::string_view id;                 // "PD101"; never changes meaning once shipped
  Severity severity;                   // default severity
  std::string_view title;              // one line
  std::string_view doc;                // doc page, relative to rules/ ("pd1xx/PD101.md")
  ProfileSet profiles = kAllProfiles;  // the engine runs the rule only in these
  // A more general rule whose findings this one replaces for the paths it reports (PD401 reads
  // what PD105 would, in Lambda's terms); "" for none.
  std::string_view supersedes = {};
  std::span<const RuleOption> options = {};
  std::unique_ptr<Rule> (*make)() = nullptr;
  // The rule's verdict depends on who runs: when the start script switches user (gosu,
  // su-exec, ...), the engine runs it again as that user (Context::Pass::AsSwitchedUser).
  bool alsoAsSwitchedUser = false;
  // The Dockerfile instructions a finding without a layer comes from, for pointing it at its
  // line: "USER", "ENV", "ENTRYPOINT CMD" (the last of them in the final stage); "" for none.
  std::string_view setBy = {};
  // The finding is about its path's mode and owner: its cause is the layer that set them, which
  // may be older than the last layer that wrote the path (a later RUN touch or cp -p).
  bool aboutMode = false;
};

// A rule the catalog retired: its ID is never reused. `explain` prints `why`; a suppression
// naming it is accepted (it suppresses nothing, and says so) so that configs keep working.
struct RetiredRule {
  std::string_view id;
  std::string_view why;
};
std::span<const RetiredRule> retiredRules();
const RetiredRule* findRetired(std::string_view id);  // in any case

// Every rule, in catalog order.
std::span<const RuleEntry* const> ruleTable();
// By id, in any case ("pd401" finds PD401); nullptr when there is no such rule.
const RuleEntry* findRule(std::string_view id);
// "all", or the profiles by name in Profile order ("generic, kubernetes"): as doc pages say it.
std::string profilesText(ProfileSet s);

}  // namespace pd
