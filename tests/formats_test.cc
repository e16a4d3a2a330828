// Every output format on real images: SARIF as GitHub code scanning requires it, JUnit that a
// CI parser reads, GitLab code quality, Markdown; --output files; several images in one run.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/rule_table.h"
#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;

std::string demo() {
  return fixtureImage("demo-lambda-unreadable.tar");
}
std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Formats, SarifMeetsCodeScanningRules) {
  ASSERT_TRUE(fileExists(demo()));
  RunResult r = runPermdoctor("lint '" + demo() + "' --format sarif -q");
  EXPECT_EQ(r.status, 1) << r.err;  // the demo has an error: the gate still works
  json s = json::parse(r.out);
  EXPECT_EQ(s["version"], "2.1.0");
  ASSERT_EQ(s["runs"].size(), 1u);
  const json& run = s["runs"][0];
  std::set<std::string> ruleIds;
  for (const auto& rule : run["tool"]["driver"]["rules"]) {
    ruleIds.insert(rule["id"].get<std::string>());
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty()) << rule["id"];
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
  }
  EXPECT_GE(ruleIds.size(), 33u);
  ASSERT_FALSE(run["results"].empty());
  bool sawPd401 = false;
  for (const auto& res : run["results"]) {
    EXPECT_TRUE(ruleIds.count(res["ruleId"].get<std::string>())) << res["ruleId"];
    ASSERT_FALSE(res["locations"].empty());
    const json& loc = res["locations"][0];
    EXPECT_FALSE(loc["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().empty());
    EXPECT_TRUE(res["level"] == "error" || res["level"] == "warning" || res["level"] == "note");
    EXPECT_EQ(run["tool"]["driver"]["rules"][res["ruleIndex"].get<int>()]["id"], res["ruleId"]);
    if (res["ruleId"] == "PD401") {
      sawPd401 = true;
      EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"], "var/task/app.py");
      // ... relative to the image's root, which the run describes (no repository file).
      EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uriBaseId"], "IMAGEROOT");
      EXPECT_TRUE(run["originalUriBaseIds"]["IMAGEROOT"]["description"]["text"].is_string());
      EXPECT_EQ(loc["logicalLocations"][0]["kind"], "module");
      EXPECT_EQ(res["level"], "error");
    }
  }
  EXPECT_TRUE(sawPd401);
}

// What GitHub asks of rules and results beyond the schema, and URIs that are RFC 3986 references.
TEST(Formats, SarifRulesResultsAndUrisForCodeScanning) {
  auto validUri = [](const std::string& u) {
    for (size_t i = 0; i < u.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(u[i]);
      if (std::isalnum(c) || std::string_view("-._~/:").find(c) != std::string_view::npos) continue;
      if (c == '%' && i + 2 < u.size() && std::isxdigit(static_cast<unsigned char>(u[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(u[i + 2])))
        continue;
      return false;
    }
    return !u.empty();
  };
  // Through stdin, with the demo's one error suppressed.
  RunResult r = runPermdoctor("lint - --format sarif -q --ignore PD401", demo());
  EXPECT_EQ(r.status, 0) << r.err;
  const json run = json::parse(r.out)["runs"][0];
  std::set<std::string> names;
  for (const auto& rule : run["tool"]["driver"]["rules"]) {
    std::string name = rule["name"];
    EXPECT_NE(name, rule["id"]);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_LE(rule["fullDescription"]["text"].get<std::string>().size(), 1024u) << rule["id"];
    EXPECT_EQ(rule["help"]["text"].get<std::string>().find('`'), std::string::npos) << rule["id"];
    double sev = std::stod(rule["properties"]["security-severity"].get<std::string>());
    EXPECT_TRUE(sev >= 0.0 && sev <= 10.0) << rule["id"];
  }
  for (const auto& res : run["results"]) {
    EXPECT_NE(res["ruleId"], "PD401") << "a suppressed finding is no alert";
    EXPECT_TRUE(validUri(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]))
        << res;
  }
  EXPECT_EQ(run["properties"]["suppressedFindings"], 1);
  // stdin is no file: the image is named by its tag.
  EXPECT_EQ(run["artifacts"][0]["location"]["uri"], "localhost/demo-lambda-unreadable%3Alatest");

  // A file name with spaces and brackets, given by its absolute path under the working
  // directory (a CI checkout): the repository-relative path, percent-encoded.
  namespace fs = std::filesystem;
  std::string odd = (fs::current_path() / "weird generic [1].tar").string();
  std::ofstream(odd, std::ios::binary) << slurp(demo());
  json j = json::parse(runPermdoctor("lint '" + odd + "' --format sarif -q --fail-on never").out);
  fs::remove(odd);
  EXPECT_EQ(j["runs"][0]["artifacts"][0]["location"]["uri"], "weird%20generic%20%5B1%5D.tar");
  // Outside it, no host path: the image's name.
  std::string away = ::testing::TempDir() + "away.tar";
  std::ofstream(away, std::ios::binary) << slurp(demo());
  j = json::parse(runPermdoctor("lint '" + away + "' --format sarif -q --fail-on never").out);
  EXPECT_EQ(j["runs"][0]["artifacts"][0]["location"]["uri"],
            "localhost/demo-lambda-unreadable%3Alatest");
}

// One test case per failing finding, one per other rule, and a skipped one per rule the profile
// rules out; read back by an independent XML parser.
std::string junitSummary(const std::string& xml) {
  std::string file = ::testing::TempDir() + "junit.xml";
  std::ofstream(file) << xml;
  std::string cmd =
      "/usr/bin/python3 -c \"import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); "
      "s=t.getroot().find('testsuite'); f=[c for c in s if c.find('failure') is not None]; "
      "k=[c for c in s if c.find('skipped') is not None]; "
      "print(len(list(s)), s.get('tests'), s.get('failures'), s.get('skipped'), len(k), "
      "'|'.join(c.get('name') for c in f))\" '" +
      file + "'";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  pclose(p);
  return std::string(buf, n);
}

TEST(Formats, JunitTestcasesPerFailingFindingAndSkippedRules) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format junit -q");
  EXPECT_EQ(r.status, 1);
  size_t notLambda = 0;
  for (const RuleEntry* e : ruleTable()) notLambda += !runsIn(e->profiles, Profile::Lambda);
  ASSERT_GT(notLambda, 0u);
  std::string n = std::to_string(ruleTable().size()), k = std::to_string(notLambda);
  // The demo's one error (PD401) is the only failure; its test case names the path.
  EXPECT_EQ(junitSummary(r.out), n + " " + n + " 1 " + k + " " + k + " PD401 " +
                                     std::string(findRule("PD401")->title) + ": /var/task/app.py\n")
      << r.out;

  // Two PD305 findings (two variables) fail as two test cases, not one.
  std::string img = fixtureImage("pd305-env-secret.tar");
  json j = json::parse(runPermdoctor("lint '" + img + "' -q --format json --profile generic").out);
  size_t pd305 = 0;
  for (const auto& f : j["findings"]) pd305 += f["rule"] == "PD305" && !f["suppressed"];
  ASSERT_GE(pd305, 2u);
  std::string s = junitSummary(
      runPermdoctor("lint '" + img + "' -q --format junit --profile generic --fail-on warning")
          .out);
  size_t cases = 0;
  for (size_t at = s.find("PD305 "); at != std::string::npos; at = s.find("PD305 ", at + 1))
    ++cases;
  EXPECT_EQ(cases, pd305) << s;
  // ... each named by its variable: dashboards key a test case by its classname and name.
  for (const char* variable : {"DB_PASSWORD", "GITHUB_TOKEN"})
    EXPECT_NE(s.find(std::string("Env: ") + variable), std::string::npos) << s;
}

TEST(Formats, JunitSuitesOfTwoImagesOfOneNameStayApart) {
  RunResult r = runPermdoctor("lint '" + demo() + "' '" + demo() + "' --format junit -q");
  EXPECT_NE(r.out.find("<testsuite name=\"localhost/demo-lambda-unreadable:latest (image 1, "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("<testsuite name=\"localhost/demo-lambda-unreadable:latest (image 2, "),
            std::string::npos);
}

TEST(Formats, GitlabCodeQuality) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format gitlab -q");
  json issues = json::parse(r.out);
  ASSERT_TRUE(issues.is_array());
  ASSERT_FALSE(issues.empty());
  std::set<std::string> prints;
  for (const auto& i : issues) {
    for (const char* k : {"description", "check_name", "fingerprint", "severity", "location"})
      EXPECT_TRUE(i.contains(k)) << k;
    EXPECT_TRUE(prints.insert(i["fingerprint"].get<std::string>()).second);
    EXPECT_TRUE(i["location"].contains("path"));
  }
  EXPECT_EQ(issues[0]["check_name"], "PD401");
  EXPECT_EQ(issues[0]["severity"], "critical");
}

// Fingerprints match alerts across runs: unique per finding (PD305's four variables are four
// alerts), and the same for the same image whatever archive format carries it.
TEST(Formats, FingerprintsAreUniqueAndIndependentOfTheArchiveFormat) {
  json env = json::parse(
      runPermdoctor("lint '" + fixtureImage("pd305-env-secret.tar") + "' --format gitlab -q").out);
  std::set<std::string> prints;
  size_t pd305 = 0;
  for (const auto& i : env) {
    pd305 += i["check_name"] == "PD305";
    EXPECT_TRUE(prints.insert(i["fingerprint"].get<std::string>()).second) << i.dump();
  }
  EXPECT_EQ(pd305, 4u);

  auto printsOf = [](const std::string& archive) {
    json s = json::parse(runPermdoctor("lint '" + archive + "' --format sarif -q").out);
    std::set<std::string> out;
    for (const auto& r : s["runs"][0]["results"])
      out.insert(r["ruleId"].get<std::string>() + " " +
                 r["partialFingerprints"]["permdoctor/v1"].get<std::string>());
    return out;
  };
  std::string layouts = fixtureImage("layouts/");
  std::set<std::string> docker = printsOf(layouts + "docker-archive.tar");
  EXPECT_FALSE(docker.empty());
  EXPECT_EQ(printsOf(layouts + "oci-archive-gzip.tar"), docker);
  EXPECT_EQ(printsOf(layouts + "oci-archive-zstd.tar"), docker);
}

// Every fixture image, in the two formats whose consumers match alerts by location and
// fingerprint: what code scanning and GitLab require holds for all of them, not only the demo.
TEST(Formats, EveryFixtureImageMeetsSarifAndGitlabRules) {
  namespace fs = std::filesystem;
  size_t images = 0;
  for (const auto& e : fs::directory_iterator(fixtureImage(""))) {
    if (e.path().extension() != ".tar") continue;
    std::string archive = e.path().string();
    std::string base = "lint '" + archive + "' -q --fail-on never --format ";
    RunResult sr = runPermdoctor(base + "sarif");
    if (sr.status == 2) continue;  // an input the reader refuses (hostile fixtures): no report
    ++images;
    json sarif = json::parse(sr.out);
    const json& run = sarif["runs"][0];
    std::set<std::string> prints;
    for (const auto& r : run["results"]) {
      const json& al = r["locations"][0]["physicalLocation"]["artifactLocation"];
      std::string uri = al["uri"];
      // An RFC 3986 reference: no space, no <>, no backslash, no control byte.
      EXPECT_FALSE(uri.empty()) << archive;
      EXPECT_EQ(uri.find_first_of(" <>\\\"`{}|^"), std::string::npos) << archive << ": " << uri;
      for (unsigned char c : uri) EXPECT_GE(c, 0x21) << archive << ": " << uri;
      EXPECT_TRUE(
          prints.insert(r["partialFingerprints"]["permdoctor/v1"].get<std::string>()).second)
          << archive << ": " << r["ruleId"] << " " << uri;
    }
    for (const auto& rule : run["tool"]["driver"]["rules"])
      EXPECT_LE(rule["fullDescription"]["text"].get<std::string>().size(), 1024u) << rule["id"];
    json gitlab = json::parse(runPermdoctor(base + "gitlab").out);
    std::set<std::string> gl;
    for (const auto& i : gitlab) {
      EXPECT_TRUE(gl.insert(i["fingerprint"].get<std::string>()).second)
          << archive << ": " << i["check_name"];
      EXPECT_FALSE(i["location"]["path"].get<std::string>().empty()) << archive;
      EXPECT_GE(i["location"]["lines"]["begin"].get<int>(), 1) << archive;
    }
  }
  EXPECT_GE(images, 150u);
}

TEST(Formats, MarkdownSummary) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format markdown -q");
  EXPECT_NE(r.out.find("| image | profile | errors | warnings | info |"), std::string::npos);
  EXPECT_NE(r.out.find("| lambda | 1 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`/var/task/app.py`"), std::string::npos);
}

TEST(Formats, SeveralFormatsAndOutputsInOneRun) {
  std::string dir = ::testing::TempDir();
  RunResult r = runPermdoctor("lint '" + demo() + "' -q --format json -o '" + dir +
                              "r.json' --format sarif -o '" + dir + "r.sarif' --format text");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("PD401"), std::string::npos);  // text on stdout
  EXPECT_EQ(json::parse(slurp(dir + "r.json"))["findings"][0]["rule"], "PD401");
  EXPECT_EQ(json::parse(slurp(dir + "r.sarif"))["version"], "2.1.0");
  RunResult bad = runPermdoctor("lint '" + demo() + "' --format json --format sarif");
  EXPECT_EQ(bad.status, 2);
  RunResult unknown = runPermdoctor("lint '" + demo() + "' --format yaml");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("yaml"), std::string::npos);
}

TEST(Formats, NoColourUnlessATerminal) {
  RunResult r = runPermdoctor("lint '" + demo() + "'");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.find("\033["), std::string::npos);
  EXPECT_EQ(r.err.find("\033["), std::string::npos) << "progress line on a pipe";
}

// The same run on a terminal: colours and a progress line that erases itself; NO_COLOR and
// --quiet each turn off exactly their part.
TEST(Formats, ColourAndProgressOnATerminal) {
  const std::string progress = "\r\033[Kreading ";
  RunResult tty = runPermdoctorOnTerminal("lint '" + demo() + "'");
  EXPECT_EQ(tty.status, 1);
  EXPECT_NE(tty.out.find("\033[0m"), std::string::npos) << tty.out;
  size_t shown = tty.out.find(progress);
  ASSERT_NE(shown, std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("demo-lambda-unreadable.tar: ", shown), std::string::npos);
  size_t erased = tty.out.find("\r\033[K", shown + 1);
  ASSERT_NE(erased, std::string::npos) << "progress line left on the screen";
  EXPECT_LT(erased, tty.out.find("PD401")) << "report printed before the line was erased";

  RunResult noColour = runPermdoctorOnTerminal("lint '" + demo() + "'", "NO_COLOR=1");
  EXPECT_EQ(noColour.status, 1);
  EXPECT_EQ(noColour.out.find("\033[0m"), std::string::npos);
  EXPECT_NE(noColour.out.find(progress), std::string::npos);

  RunResult quiet = runPermdoctorOnTerminal("lint -q '" + demo() + "'");
  EXPECT_EQ(quiet.status, 1);
  EXPECT_NE(quiet.out.find("\033[0m"), std::string::npos);
  EXPECT_EQ(quiet.out.find("reading "), std::string::npos) << quiet.out;
}

// --color decides; with auto, FORCE_COLOR turns colour on even on a pipe and TERM=dumb off.
TEST(Formats, ColourFlagAndEnvironment) {
  RunResult dumb = runPermdoctorOnTerminal("lint -q '" + demo() + "'", "TERM=dumb");
  EXPECT_EQ(dumb.out.find("\033[0m"), std::string::npos) << dumb.out;
  RunResult never = runPermdoctorOnTerminal("lint -q --color never '" + demo() + "'");
  EXPECT_EQ(never.out.find("\033[0m"), std::string::npos);
  RunResult always = runPermdoctor("lint -q --color always '" + demo() + "'");
  EXPECT_NE(always.out.find("\033[0m"), std::string::npos);
  setenv("FORCE_COLOR", "1", 1);
  RunResult forced = runPermdoctor("lint -q '" + demo() + "'");
  unsetenv("FORCE_COLOR");
  EXPECT_NE(forced.out.find("\033[0m"), std::string::npos);
  EXPECT_EQ(runPermdoctor("lint -q --color sometimes '" + demo() + "'").status, 2);
}

TEST(MultiImage, OneReportWorstExitStatus) {
  RunResult r = runPermdoctor("lint '" + thirdPartyImage("ggcr-hello-world-v25.tar") + "' '" +
                              demo() + "' --format json -q");
  EXPECT_EQ(r.status, 1);  // the worst of 0 and 1
  json j = json::parse(r.out);
  ASSERT_EQ(j["images"].size(), 2u);
  EXPECT_EQ(j["images"][1]["findings"][0]["rule"], "PD401");
}

TEST(MultiImage, AllImagesOfOneArchive) {
  RunResult r = runPermdoctor("lint '" + thirdPartyImage("ggcr-layer-symlink.tar") +
                              "' --all-images --format json -q --fail-on never");
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["images"].size(), 2u);
  EXPECT_EQ(j["images"][0]["image"]["references"][0], "bazel/v1/tarball:test_image_1");
  EXPECT_EQ(j["images"][1]["image"]["references"][0], "bazel/v1/tarball:test_image_3");
}

}  // namespace
}  // namespace pd::testing
