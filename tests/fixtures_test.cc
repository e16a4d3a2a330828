// Every fixture image under fixtures/images/ (built by buildah from its Dockerfile) is linted by
// the real binary, and its `expect` file is checked: which rules must fire on which paths, which
// must stay quiet. The expectations are written from the catalog, not from the output.
#include <gtest/gtest.h>

#include "engine/rule_table.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/run.h"

namespace pd::testing {
namespace {

std::vector<std::string> fixtureNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& d :
       std::filesystem::directory_iterator(std::string(PD_SOURCE_DIR) + "/fixtures/images", ec))
    if (std::filesystem::exists(d.path() / "expect")) names.push_back(d.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::string shellQuote(const std::string& s) {
  return "'" + s + "'";
}

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, MatchesItsExpectations) {
  const std::string name = GetParam();
  std::ifstream in(std::string(PD_SOURCE_DIR) + "/fixtures/images/" + name + "/expect");
  std::vector<std::string> lines;
  std::string args;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("args:", 0) == 0)
      args = line.substr(5);
    else
      lines.push_back(line);
  }
  std::string image = fixtureImage(name + ".tar");
  ASSERT_TRUE(fileExists(image)) << image << " was not built (see build_fixture_images)";
  RunResult r = runPermdoctor("lint " + shellQuote(image) + " --format json -q " + args);
  ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err;
  nlohmann::json report = nlohmann::json::parse(r.out);
  const auto& findings = report["findings"];
  auto describe = [&] {
    std::string s;
    for (const auto& f : findings)
      s += "  " + f["rule"].get<std::string>() + " " +
           (f["path"].is_null() ? "-" : f["path"].get<std::string>()) + "\n";
    return "findings:\n" + s;
  };
  // "quiet: *" stands for every rule of the table that no "fires:" line names, so a new rule
  // is held to the healthy images without editing them.
  std::vector<std::string> expanded;
  for (const auto& line : lines) {
    if (line != "quiet: *") {
      expanded.push_back(line);
      continue;
    }
    for (const RuleEntry* e : ruleTable()) {
      bool named = false;
      for (const auto& l : lines) named = named || l.rfind("fires: " + std::string(e->id), 0) == 0;
      if (!named) expanded.push_back("quiet: " + std::string(e->id));
    }
  }
  for (const auto& line : expanded) {
    std::istringstream ls(line);
    std::string kind, rule, path;
    ls >> kind >> rule >> path;
    if (kind == "fires:") {
      bool hit = false;
      for (const auto& f : findings)
        hit = hit || (f["rule"] == rule && !f["suppressed"].get<bool>() &&
                      (path.empty() || (!f["path"].is_null() && f["path"] == path)));
      EXPECT_TRUE(hit) << name << ": expected " << rule << " " << path << "\n" << describe();
    } else if (kind == "quiet:") {
      for (const auto& f : findings)
        EXPECT_FALSE(f["rule"] == rule && !f["suppressed"].get<bool>())
            << name << ": " << rule << " must not fire\n"
            << describe();
    } else if (kind == "no-errors") {
      EXPECT_EQ(report["summary"]["error"], 0) << name << "\n" << describe();
    } else if (kind == "exit:") {
      EXPECT_EQ(std::to_string(r.status), rule) << name;
    } else {
      ADD_FAILURE() << name << ": unknown expect line: " << line;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Images, Fixture, ::testing::ValuesIn(fixtureNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
}  // namespace pd::testing
