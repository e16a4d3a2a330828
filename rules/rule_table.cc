// The rule table: the one place rules are registered, in catalog order. Each rule's metadata
// and factory live in its own file (rules/pdNxx/PDnnn.cc defines kPDnnn); adding a rule is its
// source, doc page, test and fixtures, and one X(...) line here.
#include "engine/rule_table.h"

#include <cctype>

#include <array>

namespace pd {

#define PD_RULES(X)                       \
  /* PD1xx: file modes on the run path */ \
  X(PD101)                                \
  X(PD102)                                \
  X(PD103)                                \
  X(PD104)                                \
  X(PD105)                                \
  X(PD106)                                \
  X(PD107)                                \
  X(PD108)                                \
  X(PD109)                                \
  X(PD110)                                \
  /* PD2xx: the USER */                   \
  X(PD201)                                \
  X(PD202)                                \
  X(PD203)                                \
  X(PD204)                                \
  X(PD205)                                \
  X(PD206)                                \
  X(PD207)                                \
  /* PD3xx: leftovers */                  \
  X(PD301)                                \
  X(PD302)                                \
  X(PD303)                                \
  X(PD304)                                \
  X(PD305)                                \
  X(PD306)                                \
  X(PD307)                                \
  /* PD4xx: AWS Lambda */                 \
  X(PD401)                                \
  X(PD402)                                \
  X(PD403)                                \
  X(PD404)                                \
  X(PD405)                                \
  X(PD406)                                \
  X(PD407)                                \
  X(PD408)                                \
  X(PD409)                                \
  X(PD410)                                \
  X(PD411)                                \
  X(PD412)                                \
  X(PD413)                                \
  /* PD5xx: image format */               \
  X(PD502)                                \
  X(PD503)                                \
  X(PD504)                                \
  X(PD505)

#define PD_DECLARE(id) extern const RuleEntry k##id;
PD_RULES(PD_DECLARE)
#undef PD_DECLARE

namespace {
#define PD_ENTRY(id) &k##id,
const RuleEntry* const kRules[] = {PD_RULES(PD_ENTRY)};
#undef PD_ENTRY

// `typed` names the catalog's `id` in any case ("pd401" is PD401).
bool sameId(std::string_view typed, std::string_view id) {
  if (typed.size() != id.size()) return false;
  for (size_t i = 0; i < id.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(typed[i])) != id[i]) return false;
  return true;
}

// Retired IDs, never reused.
constexpr RetiredRule kRetired[] = {
    {"PD501",
     "PD501 (manifest media types and manifest digest) was retired in catalog v2: it fired on "
     "every image as an info finding. What it reported is now part of the report's image "
     "section: the text report's \"manifest:\" line, and image.manifest and "
     "image.manifestDigest in JSON."},
};

}  // namespace

std::span<const RetiredRule> retiredRules() {
  return kRetired;
}

const RetiredRule* findRetired(std::string_view id) {
  for (const RetiredRule& r : kRetired)
    if (sameId(id, r.id)) return &r;
  return nullptr;
}

std::span<const RuleEntry* const> ruleTable() {
  return kRules;
}

const RuleEntry* findRule(std::string_view id) {
  for (const RuleEntry* r : kRules)
    if (sameId(id, r->id)) return r;
  return nullptr;
}

std::string profilesText(ProfileSet s) {
  if (s == kAllProfiles) return "all";
  std::string out;
  for (Profile p : {Profile::Generic, Profile::Lambda, Profile::Kubernetes, Profile::OpenShift})
    if (runsIn(s, p)) out += (out.empty() ? "" : ", ") + std::string(profileName(p));
  return out;
}

}  // namespace pd
