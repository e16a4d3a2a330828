// The command line as users drive it: suppressions (flag and config file, with expiry),
// explain/rules, version, and usage errors that exit 2 with one line.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;

std::string demo() {
  return fixtureImage("demo-lambda-unreadable.tar");
}

TEST(Cli, IgnoreFlagSuppressesButKeepsTheFindingCountable) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format json -q --ignore PD401");
  EXPECT_EQ(r.status, 0) << r.err;  // the only error is suppressed
  json j = json::parse(r.out);
  EXPECT_EQ(j["summary"]["error"], 0);
  EXPECT_EQ(j["summary"]["suppressed"], 1);
  EXPECT_EQ(j["findings"][0]["rule"], "PD401");
  EXPECT_TRUE(j["findings"][0]["suppressed"].get<bool>());
}

TEST(Cli, ConfigFileSuppressesByPathGlobUntilItExpires) {
  std::string cfg = ::testing::TempDir() + "pd-live.json";
  std::ofstream(cfg) << R"({"ignore": [{"rule": "PD401", "path": "/var/task/**",
                            "reason": "vendored", "expires": "2999-01-01"}]})";
  RunResult live = runPermdoctor("lint '" + demo() + "' --format json -q --config '" + cfg + "'");
  EXPECT_EQ(live.status, 0) << live.err;
  EXPECT_EQ(json::parse(live.out)["findings"][0]["suppressedBy"], "vendored");

  std::string old = ::testing::TempDir() + "pd-old.json";
  std::ofstream(old)
      << R"({"ignore": [{"rule": "PD401", "reason": "x", "expires": "2001-01-01"}]})";
  RunResult expired =
      runPermdoctor("lint '" + demo() + "' --format json -q --config '" + old + "'");
  EXPECT_EQ(expired.status, 1);
  json j = json::parse(expired.out);
  EXPECT_FALSE(j["findings"][0]["suppressed"].get<bool>());
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_NE(j["notes"][0].get<std::string>().find("expired on 2001-01-01"), std::string::npos);

  std::string other = ::testing::TempDir() + "pd-other.json";
  std::ofstream(other) << R"({"ignore": [{"rule": "PD401", "path": "/opt/**"}]})";
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' -q --config '" + other + "'").status, 1);
}

TEST(Cli, BadConfigIsOneLineExitTwo) {
  std::string cfg = ::testing::TempDir() + "pd-bad.json";
  std::ofstream(cfg) << R"({"ignore": [{"rule": "PD999"}]})";
  RunResult r = runPermdoctor("lint '" + demo() + "' -q --config '" + cfg + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown rule \"PD999\""), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  std::ofstream(cfg) << R"({"ignore": [{"rule": "PD401", "expires": "tomorrow"}]})";
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' -q --config '" + cfg + "'").status, 2);
}

// healthy-generic's useradd rewrites /etc/passwd: a few hidden bytes, below PD306's defaults.
TEST(Cli, RuleOptionsTuneARuleOnARealImage) {
  std::string img = fixtureImage("healthy-generic.tar");
  auto pd306 = [&](const std::string& opts) {
    RunResult r = runPermdoctor("lint '" + img + "' --format json -q --fail-on never " + opts);
    EXPECT_EQ(r.status, 0) << r.err;
    json j = json::parse(r.out);
    size_t n = 0;
    for (const auto& f : j["findings"]) n += f["rule"] == "PD306";
    return n;
  };
  EXPECT_EQ(pd306(""), 0u);
  EXPECT_EQ(pd306("--rule-option PD306.min-wasted-bytes=0"), 0u);  // the fraction still holds
  EXPECT_EQ(pd306("--rule-option PD306.min-wasted-bytes=0 --rule-option "
                  "pd306.min-wasted-fraction=0"),
            1u);
  // A bad setting is refused before the input is read: the missing file is never opened.
  RunResult bad = runPermdoctor("lint /nonexistent.tar -q --rule-option PD306.min-wasted-bytes=x");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "permdoctor: --rule-option PD306.min-wasted-bytes=x: expected a byte count such as "
            "4096, 512KiB or 10MiB\n");
}

// --platform is checked for every input, not only where an index makes it choose, and names the
// deploy target that PD505 holds a single-platform image to.
TEST(Cli, PlatformIsValidatedAndIsTheDeployTarget) {
  RunResult bad = runPermdoctor("lint '" + demo() + "' -q --platform foo");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err,
            "permdoctor: --platform foo: expected OS/ARCH[/VARIANT], such as linux/amd64 or "
            "linux/arm64\n");
  EXPECT_EQ(runPermdoctor("inspect '" + demo() + "' --platform linux").status, 2);
  RunResult arm = runPermdoctor("lint '" + demo() + "' --format json -q --platform linux/arm64");
  EXPECT_EQ(arm.status, 1) << arm.err;
  json j = json::parse(arm.out);
  size_t n = 0;
  for (const auto& f : j["findings"]) n += f["rule"] == "PD505";
  EXPECT_EQ(n, 1u);
  RunResult amd = runPermdoctor("lint '" + demo() + "' --format json -q --platform linux/amd64");
  j = json::parse(amd.out);
  for (const auto& f : j["findings"]) EXPECT_NE(f["rule"], "PD505");
}

// PD501 was retired in catalog v2: its facts are the image's, and an old suppression of it still
// loads (and says it suppresses nothing).
TEST(Cli, RetiredPD501IsExplainedAndItsFactsAreInTheImageSection) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format json -q --ignore PD501");
  json j = json::parse(r.out);
  for (const auto& f : j["findings"]) EXPECT_NE(f["rule"], "PD501");
  const json& m = j["image"]["manifest"];
  EXPECT_EQ(m["mediaType"], "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(m["inInput"], false);
  EXPECT_EQ(m["uncompressedLayers"], true);
  EXPECT_TRUE(j["image"]["manifestDigest"].is_null());
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_NE(j["notes"][0].get<std::string>().find("suppresses nothing: PD501 was retired"),
            std::string::npos);
  RunResult oci = runPermdoctor("lint '" + thirdPartyImage("dive-oci-gzip.tar") +
                                "' --format json -q --fail-on never");
  json o = json::parse(oci.out);
  EXPECT_EQ(o["image"]["manifest"]["inInput"], true);
  EXPECT_EQ(o["image"]["manifest"]["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  RunResult text = runPermdoctor("lint '" + thirdPartyImage("dive-oci-gzip.tar") +
                                 "' -q --fail-on never --color never");
  EXPECT_NE(
      text.out.find("  manifest: OCI, digest " + o["image"]["manifestDigest"].get<std::string>()),
      std::string::npos)
      << text.out;
  RunResult explain = runPermdoctor("explain pd501");
  EXPECT_EQ(explain.status, 0);
  EXPECT_NE(explain.out.find("retired in catalog v2"), std::string::npos);
  EXPECT_EQ(runPermdoctor("rules").out.find("PD501"), std::string::npos);
}

// `rules --format json` is the table for tools: the same rules as `rules`, in order, with what
// only the entries know.
TEST(Cli, RulesAsJson) {
  RunResult r = runPermdoctor("rules --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["schemaVersion"], 1);
  ASSERT_EQ(j["rules"].size(), ruleTable().size());
  for (size_t i = 0; i < ruleTable().size(); ++i)
    EXPECT_EQ(j["rules"][i]["id"], std::string(ruleTable()[i]->id));
  for (const auto& rule : j["rules"]) {
    if (rule["id"] == "PD401") {
      EXPECT_EQ(rule["profiles"], json::array({"lambda"}));
      EXPECT_EQ(rule["supersedes"], "PD105");
    }
    if (rule["id"] == "PD306") {
      ASSERT_EQ(rule["options"].size(), 2u);
      EXPECT_EQ(rule["options"][0]["name"], "PD306.min-wasted-bytes");
      EXPECT_EQ(rule["options"][0]["default"], "10MiB");
    }
  }
  EXPECT_EQ(j["retired"][0]["id"], "PD501");
  EXPECT_EQ(runPermdoctor("rules --format xml").status, 2);
}

TEST(Cli, FailOnThresholds) {
  std::string img = thirdPartyImage("ggcr-hello-world-v25.tar");  // only warnings and info
  EXPECT_EQ(runPermdoctor("lint '" + img + "' -q").status, 0);
  EXPECT_EQ(runPermdoctor("lint '" + img + "' -q --fail-on warning").status, 1);
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' -q --fail-on never").status, 0);
  EXPECT_EQ(runPermdoctor("lint '" + img + "' -q --fail-on sometimes").status, 2);
}

TEST(Cli, RulesAndExplain) {
  RunResult rules = runPermdoctor("rules");
  EXPECT_EQ(rules.status, 0);
  EXPECT_EQ(static_cast<size_t>(std::count(rules.out.begin(), rules.out.end(), '\n')),
            ruleTable().size());
  RunResult ex = runPermdoctor("explain PD401");
  EXPECT_EQ(ex.status, 0);
  EXPECT_EQ(ex.out.rfind("# PD401", 0), 0u) << ex.out.substr(0, 80);
  EXPECT_NE(ex.out.find("## Suppress"), std::string::npos);
  EXPECT_EQ(runPermdoctor("explain PD999").status, 2);
}

TEST(Cli, VersionHelpAndUsageErrors) {
  EXPECT_NE(runPermdoctor("--version").out.find("permdoctor 0.1.0"), std::string::npos);
  RunResult help = runPermdoctor("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("docker save"), std::string::npos);
  EXPECT_EQ(runPermdoctor("").status, 2);
  RunResult none = runPermdoctor("lint");
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("no image to lint"), std::string::npos) << none.err;
  // On a real image, so that the exit status is the profile's fault and nothing else's.
  RunResult cloud = runPermdoctor("lint '" + demo() + "' --profile cloud");
  EXPECT_EQ(cloud.status, 2);
  EXPECT_NE(cloud.err.find("--profile cloud"), std::string::npos) << cloud.err;
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' --user abc").status, 2);
}

TEST(Cli, ProfilesAndUserOverride) {
  json generic =
      json::parse(runPermdoctor("lint '" + demo() + "' --format json -q --profile generic").out);
  EXPECT_EQ(generic["profile"]["name"], "generic");
  EXPECT_EQ(generic["identity"]["uid"], 0);
  json k8s = json::parse(
      runPermdoctor("lint '" + demo() + "' --format json -q --profile kubernetes --user 1000:1000")
          .out);
  EXPECT_EQ(k8s["identity"]["uid"], 1000);
  EXPECT_EQ(k8s["identity"]["gid"], 1000);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Without --format, each --output's name says its format.
TEST(Cli, OutputNameSaysTheFormat) {
  std::string dir = ::testing::TempDir();
  RunResult r = runPermdoctor("lint '" + demo() + "' -q -o '" + dir + "pd-r.json' -o '" + dir +
                              "pd-r.sarif' -o '" + dir + "pd-junit.xml' -o '" + dir + "pd-r.md'");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;  // every format went to its file
  EXPECT_EQ(json::parse(slurp(dir + "pd-r.json"))["findings"][0]["rule"], "PD401");
  EXPECT_EQ(json::parse(slurp(dir + "pd-r.sarif"))["version"], "2.1.0");
  EXPECT_EQ(slurp(dir + "pd-junit.xml").rfind("<?xml", 0), 0u);
  EXPECT_NE(slurp(dir + "pd-r.md").find("PD401"), std::string::npos);

  RunResult unknown = runPermdoctor("lint '" + demo() + "' -q -o '" + dir + "pd-r.out'");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("does not say the format"), std::string::npos) << unknown.err;
}

TEST(Cli, OutputMistakesAreOneLineWithTheReason) {
  std::string f = ::testing::TempDir() + "pd-twice.json";
  RunResult twice = runPermdoctor("lint '" + demo() + "' -q --format json -o '" + f +
                                  "' --format sarif -o '" + f + "'");
  EXPECT_EQ(twice.status, 2);
  EXPECT_NE(twice.err.find("given twice"), std::string::npos) << twice.err;
  RunResult noDir = runPermdoctor("lint '" + demo() + "' -q -o /nonexistent-pd/r.json");
  EXPECT_EQ(noDir.status, 2);
  EXPECT_NE(noDir.err.find("No such file or directory"), std::string::npos) << noDir.err;
  EXPECT_EQ(std::count(noDir.err.begin(), noDir.err.end(), '\n'), 1);
}

// GitHub documents $GITHUB_STEP_SUMMARY as a file each step appends to.
TEST(Cli, StepSummaryIsAppendedTo) {
  std::string f = ::testing::TempDir() + "pd-step-summary.md";
  std::ofstream(f) << "# earlier step\n";
  setenv("GITHUB_STEP_SUMMARY", f.c_str(), 1);
  RunResult r = runPermdoctor("lint '" + demo() + "' -q --format markdown -o '" + f + "'");
  unsetenv("GITHUB_STEP_SUMMARY");
  EXPECT_EQ(r.status, 1) << r.err;
  std::string text = slurp(f);
  EXPECT_EQ(text.rfind("# earlier step\n", 0), 0u) << text;
  EXPECT_NE(text.find("PD401"), std::string::npos);
  // Any other file is replaced, as before.
  RunResult again = runPermdoctor("lint '" + demo() + "' -q --format markdown -o '" + f + "'");
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(slurp(f).find("# earlier step"), std::string::npos);
}

TEST(Cli, IgnoreTakesListsAndAnyCase) {
  RunResult r = runPermdoctor("lint '" + demo() + "' --format json -q --ignore pd401,PD105");
  EXPECT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["findings"][0]["rule"], "PD401");  // canonical id in the report
  EXPECT_TRUE(j["findings"][0]["suppressed"].get<bool>());
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' -q --ignore PD401,PD999").status, 2);
}

TEST(Cli, ConfigMistakesAreNamed) {
  std::string cfg = ::testing::TempDir() + "pd-typo.json";
  std::ofstream(cfg) << R"({"ignores": [{"rule": "PD401"}]})";
  RunResult typo = runPermdoctor("lint '" + demo() + "' -q --config '" + cfg + "'");
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("unknown key \"ignores\""), std::string::npos) << typo.err;
  RunResult dir = runPermdoctor("lint '" + demo() + "' -q --config .");
  EXPECT_EQ(dir.status, 2);
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
}

TEST(Cli, NegativeCapsAndUnknownCommandsAreUsageErrors) {
  RunResult bytes = runPermdoctor("lint '" + demo() + "' -q --max-bytes -5");
  EXPECT_EQ(bytes.status, 2);
  EXPECT_NE(bytes.err.find("--max-bytes -5"), std::string::npos) << bytes.err;
  EXPECT_EQ(runPermdoctor("lint '" + demo() + "' -q --max-entries -1").status, 2);
  RunResult bogus = runPermdoctor("bogus");
  EXPECT_EQ(bogus.status, 2);
  EXPECT_NE(bogus.err.find("unknown command \"bogus\""), std::string::npos) << bogus.err;
  RunResult bare = runPermdoctor("lint '" + demo() + "' --format");
  EXPECT_EQ(bare.status, 2);
  EXPECT_NE(bare.err.find("permdoctor: --format needs a value"), std::string::npos) << bare.err;
}

TEST(Cli, EachCommandsHelpShowsItsOwnExamples) {
  RunResult inspect = runPermdoctor("inspect --help");
  EXPECT_EQ(inspect.status, 0);
  EXPECT_NE(inspect.out.find("  permdoctor inspect image.tar\n"), std::string::npos) << inspect.out;
  EXPECT_EQ(inspect.out.find("permdoctor lint"), std::string::npos) << inspect.out;
  EXPECT_EQ(inspect.out.find("--fail-on, 1 at least one"), std::string::npos);
  RunResult lint = runPermdoctor("lint --help");
  EXPECT_NE(lint.out.find("docker save app:latest | permdoctor lint -"), std::string::npos);
  EXPECT_EQ(lint.out.find("permdoctor inspect image.tar"), std::string::npos);
  EXPECT_NE(lint.out.find("1 at least one"), std::string::npos);
  RunResult fix = runPermdoctor("fix --help");
  EXPECT_NE(fix.out.find("permdoctor fix image.tar --dockerfile Dockerfile | patch -p0"),
            std::string::npos)
      << fix.out;
  // The top level shows them all.
  RunResult top = runPermdoctor("--help");
  EXPECT_NE(top.out.find("permdoctor inspect image.tar"), std::string::npos);
  EXPECT_NE(top.out.find("permdoctor lint oci-dir/"), std::string::npos);
}

}  // namespace
}  // namespace pd::testing
