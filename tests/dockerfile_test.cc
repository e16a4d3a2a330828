// Findings on the Dockerfile line that caused them: fixture images linted with the Dockerfiles
// buildah built them from (fixtures/images/NAME/Dockerfile), in every report format.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;

std::string dockerfileOf(const std::string& fixture) {
  return std::string(PD_SOURCE_DIR) + "/fixtures/images/" + fixture + "/Dockerfile";
}

json lintJson(const std::string& fixture, const std::string& extra, int* status = nullptr) {
  RunResult r =
      runPermdoctor("lint '" + fixtureImage(fixture + ".tar") + "' --format json -q " + extra);
  if (status) *status = r.status;
  EXPECT_TRUE(r.status == 0 || r.status == 1) << r.err;
  return json::parse(r.out);
}

const json* findingOf(const json& report, const std::string& rule) {
  for (const auto& f : report["findings"])
    if (f["rule"] == rule) return &f;
  return nullptr;
}

TEST(Dockerfile, TheCopyThatWroteTheUnreadableHandler) {
  std::string df = dockerfileOf("demo-lambda-unreadable");
  json j = lintJson("demo-lambda-unreadable", "--dockerfile '" + df + "'");
  EXPECT_EQ(j["dockerfile"]["path"], df);
  EXPECT_EQ(j["dockerfile"]["matched"], true);
  EXPECT_EQ(j["dockerfile"]["found"], false);
  const json* f = findingOf(j, "PD401");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE((*f)["source"].is_object()) << f->dump();
  EXPECT_EQ((*f)["source"]["file"], df);
  EXPECT_EQ((*f)["source"]["line"], 5);
  EXPECT_EQ((*f)["source"]["endLine"], 5);
  EXPECT_EQ((*f)["source"]["instruction"], "COPY --chmod=0600 app.py ${LAMBDA_TASK_ROOT}/");
  EXPECT_EQ((*f)["source"]["stage"], "0");
  EXPECT_EQ((*f)["origin"], "image");
}

TEST(Dockerfile, ConfigFindingsPointAtTheInstructionThatSetThem) {
  // USER app in the Dockerfile; the entrypoint is missing its program.
  json j =
      lintJson("pd202-unknown-user", "--dockerfile '" + dockerfileOf("pd202-unknown-user") + "'");
  const json* f = findingOf(j, "PD202");
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE((*f)["source"].is_object()) << f->dump();
  EXPECT_EQ((*f)["source"]["instruction"].get<std::string>().rfind("USER ", 0), 0u);
  EXPECT_EQ((*f)["origin"], "image");
}

TEST(Dockerfile, AnotherImagesDockerfileMapsNothingAndSaysWhy) {
  int status = -1;
  json j =
      lintJson("demo-lambda-unreadable",
               "--dockerfile '" + dockerfileOf("pd105-switched-user-unreadable") + "'", &status);
  EXPECT_EQ(status, 1);  // the findings and the verdict stay
  EXPECT_EQ(j["dockerfile"]["matched"], false);
  EXPECT_FALSE(j["dockerfile"]["reason"].get<std::string>().empty());
  for (const auto& f : j["findings"]) {
    EXPECT_TRUE(f["source"].is_null()) << f.dump();
    EXPECT_TRUE(f["origin"].is_null());
  }
  RunResult t =
      runPermdoctor("lint '" + fixtureImage("demo-lambda-unreadable.tar") + "' -q --dockerfile '" +
                    dockerfileOf("pd105-switched-user-unreadable") + "'");
  EXPECT_NE(t.out.find("is not the Dockerfile this image was built from"), std::string::npos)
      << t.out;
}

TEST(Dockerfile, TextSarifGitlabMarkdownAndJunitShowTheLine) {
  std::string df = dockerfileOf("demo-lambda-unreadable");
  std::string base = "lint '" + fixtureImage("demo-lambda-unreadable.tar") + "' -q --dockerfile '" +
                     df + "' --format ";
  RunResult text = runPermdoctor(base + "text");
  EXPECT_NE(text.out.find(df + ":5  COPY --chmod=0600 app.py ${LAMBDA_TASK_ROOT}/"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  Dockerfile: " + df + "\n"), std::string::npos);

  json sarif = json::parse(runPermdoctor(base + "sarif").out);
  bool saw = false;
  for (const auto& res : sarif["runs"][0]["results"]) {
    if (res["ruleId"] != "PD401") continue;
    saw = true;
    const json& pl = res["locations"][0]["physicalLocation"];
    EXPECT_EQ(pl["artifactLocation"]["uri"], "file://" + df);
    EXPECT_EQ(pl["region"]["startLine"], 5);
    EXPECT_EQ(pl["region"]["endLine"], 5);
    EXPECT_EQ(res["properties"]["origin"], "image");
  }
  EXPECT_TRUE(saw);

  json gitlab = json::parse(runPermdoctor(base + "gitlab").out);
  saw = false;
  for (const auto& i : gitlab) {
    if (i["check_name"] != "PD401") continue;
    saw = true;
    EXPECT_EQ(i["location"]["path"], df);
    EXPECT_EQ(i["location"]["lines"]["begin"], 5);
  }
  EXPECT_TRUE(saw);

  EXPECT_NE(runPermdoctor(base + "markdown").out.find(":5  COPY --chmod=0600"), std::string::npos);
  EXPECT_NE(runPermdoctor(base + "junit").out.find(":5  COPY --chmod=0600"), std::string::npos);
}

// Runs in a directory of its own, restoring the working directory after.
class InDirectory {
 public:
  explicit InDirectory(const std::string& dir) : old_(std::filesystem::current_path()) {
    std::filesystem::create_directories(dir);
    std::filesystem::current_path(dir);
  }
  ~InDirectory() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

TEST(Dockerfile, OneInTheCurrentDirectoryIsUsedWhenItMatches) {
  std::string dir = ::testing::TempDir() + "pd-dockerfile-" + std::to_string(getpid());
  {
    InDirectory in(dir);
    std::filesystem::copy_file(dockerfileOf("demo-lambda-unreadable"), "Dockerfile");
    json j = lintJson("demo-lambda-unreadable", "");
    EXPECT_EQ(j["dockerfile"]["path"], "Dockerfile");
    EXPECT_EQ(j["dockerfile"]["found"], true);
    EXPECT_EQ(j["dockerfile"]["matched"], true);
    const json* f = findingOf(j, "PD401");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ((*f)["source"]["file"], "Dockerfile");
    // The relative path is what SARIF needs: a file of the repository.
    json sarif = json::parse(
        runPermdoctor("lint '" + fixtureImage("demo-lambda-unreadable.tar") + "' -q --format sarif")
            .out);
    for (const auto& res : sarif["runs"][0]["results"])
      if (res["ruleId"] == "PD401")
        EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "Dockerfile");
    // Found, but another image's: quiet in text, recorded in JSON.
    RunResult t = runPermdoctor("lint '" + fixtureImage("healthy-generic.tar") + "' -q");
    EXPECT_EQ(t.out.find("Dockerfile"), std::string::npos) << t.out;
    json other = lintJson("healthy-generic", "");
    EXPECT_EQ(other["dockerfile"]["matched"], false);
  }
  std::filesystem::remove_all(dir);
}

TEST(Dockerfile, BaseImageFindingsCanStayOutOfTheExitStatus) {
  // pd-base's own /etc/shadow is 0640 root:shadow; here the base stage of the fixture makes a
  // file unreadable, so the finding is the base image's.
  std::string df = dockerfileOf("dockerfile-base-stage-unreadable");
  int status = -1;
  json j = lintJson("dockerfile-base-stage-unreadable", "--dockerfile '" + df + "'", &status);
  EXPECT_EQ(status, 1);
  const json* f = findingOf(j, "PD105");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["origin"], "base");
  EXPECT_TRUE((*f)["source"].is_null()) << f->dump();
  RunResult r = runPermdoctor("lint '" + fixtureImage("dockerfile-base-stage-unreadable.tar") +
                              "' -q --dockerfile '" + df + "' --no-fail-on-base");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("PD105"), std::string::npos);  // still reported
}

TEST(Dockerfile, UnreadableOrBinaryDockerfileIsAUsageOrInputError) {
  RunResult missing = runPermdoctor("lint '" + fixtureImage("demo-lambda-unreadable.tar") +
                                    "' -q --dockerfile /nonexistent/Dockerfile");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--dockerfile /nonexistent/Dockerfile: No such file or directory"),
            std::string::npos)
      << missing.err;
  RunResult binary =
      runPermdoctor("lint '" + fixtureImage("demo-lambda-unreadable.tar") + "' -q --dockerfile '" +
                    fixtureImage("healthy-generic.tar") + "'");
  EXPECT_EQ(binary.status, 2);
  EXPECT_NE(binary.err.find("not a Dockerfile"), std::string::npos) << binary.err;
}

}  // namespace
}  // namespace pd::testing
