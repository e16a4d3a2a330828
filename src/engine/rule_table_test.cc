// Every rule's metadata has one source, its entry; these hold the rest of the project to it:
// the doc page's header, the files beside the rule, and the table's own consistency.
#include "engine/rule_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "engine/embedded.h"

namespace pd {
namespace {

std::string line(std::string_view text, int n) {
  size_t b = 0;
  for (int i = 0; i < n && b != std::string_view::npos; ++i) {
    b = text.find('\n', b);
    if (b != std::string_view::npos) ++b;
  }
  if (b == std::string_view::npos) return "";
  return std::string(text.substr(b, text.find('\n', b) - b));
}

TEST(RuleTable, IdsAreUniqueInCatalogOrderAndFindable) {
  std::string last;
  for (const RuleEntry* r : ruleTable()) {
    std::string id(r->id);
    EXPECT_LT(last, id) << "out of order or repeated";
    last = id;
    EXPECT_EQ(findRule(r->id), r);
    ASSERT_NE(r->make, nullptr) << id;
    EXPECT_NE(r->make(), nullptr) << id;
    EXPECT_NE(r->profiles & kAllProfiles, 0u) << id << " runs in no profile";
    if (!r->supersedes.empty()) {
      const RuleEntry* general = findRule(r->supersedes);
      ASSERT_NE(general, nullptr) << id << " supersedes an unknown rule";
      EXPECT_EQ(general->profiles & r->profiles, r->profiles)
          << id << " runs where the rule it supersedes does not";
    }
  }
  EXPECT_EQ(findRule("PD999"), nullptr);
}

TEST(RuleTable, DocHeaderSaysWhatTheEntrySays) {
  for (const RuleEntry* r : ruleTable()) {
    std::string_view doc = embeddedFile(r->doc);
    ASSERT_FALSE(doc.empty()) << r->doc;
    EXPECT_EQ(line(doc, 0), "# " + std::string(r->id) + ": " + std::string(r->title));
    std::string header = line(doc, 2);
    std::string sev = severityName(r->severity);
    EXPECT_EQ(header.rfind("Severity: " + sev + " ", 0), 0u) << r->id << ": " << header;
    std::string want = "Profiles: " + profilesText(r->profiles);
    EXPECT_TRUE(header.size() >= want.size() &&
                header.compare(header.size() - want.size(), want.size(), want) == 0)
        << r->id << ": " << header << " (want " << want << ")";
  }
}

// `rules`, the man pages' RULES list ("   PDnnn - title") and SARIF's short descriptions stay
// within 80 columns (man renders the list 3 columns in, at 78).
TEST(RuleTable, TitlesFitOneLine) {
  for (const RuleEntry* r : ruleTable())
    EXPECT_LE(r->title.size(), 65u) << r->id << ": " << r->title;
}

// Each option appears on the page as "- `PDnnn.name` (default `X`): help." and nothing else does.
TEST(RuleTable, DocPageListsTheOptionsTheEntryDeclares) {
  for (const RuleEntry* r : ruleTable()) {
    std::string doc(embeddedFile(r->doc));
    std::string prefix = "- `" + std::string(r->id) + ".";
    size_t listed = 0;
    for (size_t at = doc.find("\n" + prefix); at != std::string::npos;
         at = doc.find("\n" + prefix, at + 1))
      ++listed;
    EXPECT_EQ(listed, r->options.size()) << r->id;
    EXPECT_EQ(doc.find("## Options") != std::string::npos, !r->options.empty()) << r->id;
    for (const RuleOption& o : r->options) {
      std::string def = o.defaultValue.empty() ? std::string("no default")
                                               : "default `" + std::string(o.defaultValue) + "`";
      std::string want =
          prefix + std::string(o.name) + "` (" + def + "): " + std::string(o.help) + ".";
      EXPECT_NE(doc.find("\n" + want + "\n"), std::string::npos) << r->id << ": want " << want;
    }
  }
}

// A rule is its source, its doc page and its unit test side by side, and a row in the table: a
// source under rules/ that the table forgot would never run.
TEST(RuleTable, EveryRuleFileIsInTheTableAndHasItsDocBeside) {
  namespace fs = std::filesystem;
  std::set<std::string> inTable;
  for (const RuleEntry* r : ruleTable()) {
    inTable.insert(std::string(r->id));
    fs::path src = fs::path(PD_SOURCE_DIR) / "rules" / r->doc;
    EXPECT_TRUE(fs::exists(src.replace_extension(".cc"))) << src;
  }
  for (const auto& e : fs::recursive_directory_iterator(fs::path(PD_SOURCE_DIR) / "rules")) {
    std::string name = e.path().filename().string();
    if (name.rfind("PD", 0) != 0 || e.path().extension() != ".cc" ||
        name.find("_test") != std::string::npos)
      continue;
    EXPECT_TRUE(inTable.count(e.path().stem().string()))
        << name << " is not in rules/rule_table.cc";
  }
}

TEST(RuleTable, ProfilesText) {
  EXPECT_EQ(profilesText(kAllProfiles), "all");
  EXPECT_EQ(profilesText(kNotLambda), "generic, kubernetes, openshift");
  EXPECT_EQ(profilesText(profiles({Profile::Lambda})), "lambda");
  EXPECT_TRUE(runsIn(kNotLambda, Profile::OpenShift));
  EXPECT_FALSE(runsIn(kNotLambda, Profile::Lambda));
}

}  // namespace
}  // namespace pd
