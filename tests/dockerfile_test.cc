// Findings on the Dockerfile line that caused them: fixture images linted with the Dockerfiles
// buildah built them from (fixtures/images/NAME/Dockerfile), in every report format.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/rule_table.h"
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
    for (const auto& res : sarif["runs"][0]["results"]) {
      if (res["ruleId"] == "PD401") {
        EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "Dockerfile");
      }
    }
    // Found, but another image's: quiet in text, recorded in JSON.
    RunResult t = runPermdoctor("lint '" + fixtureImage("healthy-generic.tar") + "' -q");
    EXPECT_EQ(t.out.find("Dockerfile"), std::string::npos) << t.out;
    json other = lintJson("healthy-generic", "");
    EXPECT_EQ(other["dockerfile"]["matched"], false);
  }
  std::filesystem::remove_all(dir);
}

TEST(Dockerfile, AStageBuiltOnAnEarlierStageIsTheDockerfilesOwn) {
  // The final stage starts FROM the base stage of the same Dockerfile: the COPY that made the
  // file unreadable is this Dockerfile's line 7, which the user can fix, not a base image's.
  std::string df = dockerfileOf("dockerfile-base-stage-unreadable");
  int status = -1;
  json j = lintJson("dockerfile-base-stage-unreadable", "--dockerfile '" + df + "'", &status);
  EXPECT_EQ(status, 1);
  const json* f = findingOf(j, "PD105");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["origin"], "image");
  EXPECT_EQ((*f)["source"]["line"], 7) << f->dump();
  EXPECT_EQ((*f)["source"]["stage"], "base");
  // --no-fail-on-base leaves the Dockerfile's own findings failing the run.
  RunResult r = runPermdoctor("lint '" + fixtureImage("dockerfile-base-stage-unreadable.tar") +
                              "' -q --dockerfile '" + df + "' --no-fail-on-base");
  EXPECT_EQ(r.status, 1) << r.out;
}

// Third-party archives of one Dockerfile built by Docker's classic builder and by kaniko
// (fixtures/third-party, from wagoodman/dive), which word their history differently. The
// Dockerfile is the one their histories record, instruction by instruction.
TEST(Dockerfile, ClassicBuilderAndKanikoArchivesOfOneDockerfile) {
  std::string df = ::testing::TempDir() + "pd-dive-" + std::to_string(getpid()) + ".Dockerfile";
  {
    std::ofstream out(df);
    out << "FROM busybox:latest\n"
           "ADD README.md /somefile.txt\n"
           "RUN mkdir -p /root/example/really/nested\n"
           "RUN cp /somefile.txt /root/example/somefile1.txt\n"
           "RUN chmod 444 /root/example/somefile1.txt\n"
           "RUN cp /somefile.txt /root/example/somefile2.txt\n"
           "RUN cp /somefile.txt /root/example/somefile3.txt\n"
           "RUN mv /root/example/somefile3.txt /root/saved.txt\n"
           "RUN cp /root/saved.txt /root/.saved.txt\n"
           "RUN rm -rf /root/example/\n"
           "ADD .scripts/ /root/.data/\n"
           "RUN cp /root/saved.txt /tmp/saved.again1.txt\n"
           "RUN cp /root/saved.txt /root/.data/saved.again2.txt\n"
           "RUN chmod +x /root/saved.txt\n";
  }
  for (const char* archive : {"dive-docker-legacy.tar", "dive-kaniko-gzip.tar"}) {
    RunResult r = runPermdoctor("inspect --json '" + thirdPartyImage(archive) + "' --dockerfile '" +
                                df + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    json j = json::parse(r.out);
    EXPECT_EQ(j["dockerfile"]["matched"], true) << archive << ": " << j["dockerfile"].dump();
    const json& layers = j["layers"];
    ASSERT_EQ(layers.size(), 14u) << archive;
    EXPECT_EQ(layers[0]["origin"], "base") << archive;  // busybox's own layer
    EXPECT_TRUE(layers[0]["source"].is_null());
    EXPECT_EQ(layers[1]["origin"], "image");
    EXPECT_EQ(layers[1]["source"]["line"], 2) << archive;
    EXPECT_EQ(layers[13]["source"]["line"], 14) << archive;
    EXPECT_EQ(layers[13]["source"]["instruction"], "RUN chmod +x /root/saved.txt");
  }
  std::remove(df.c_str());
}

TEST(Dockerfile, WithoutOneTheBaseImageTellsItsLayersApart) {
  // The base stage built as an image of its own has the layers that made settings.conf.
  std::string base = fixtureImage("dockerfile-base-stage-base.tar");
  int status = -1;
  json j = lintJson("dockerfile-base-stage-unreadable", "--base '" + base + "'", &status);
  EXPECT_EQ(status, 1);
  const json* f = findingOf(j, "PD105");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["origin"], "base");
  EXPECT_TRUE((*f)["source"].is_null());
  RunResult r = runPermdoctor("lint '" + fixtureImage("dockerfile-base-stage-unreadable.tar") +
                              "' -q --base '" + base + "' --no-fail-on-base");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  // Against an unrelated base, the same finding is the image's own.
  json other = lintJson("dockerfile-base-stage-unreadable",
                        "--base '" + fixtureImage("pd201-user-root.tar") + "'");
  const json* g = findingOf(other, "PD105");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ((*g)["origin"], "image");
}

TEST(Dockerfile, MultiStageLeftoversNameTheStageTheyCameFrom) {
  json j = lintJson("dockerfile-copy-from-leftover",
                    "--dockerfile '" + dockerfileOf("dockerfile-copy-from-leftover") + "'");
  const json* f = findingOf(j, "PD302");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["source"]["instruction"], "COPY --from=build /src/app /app");
  EXPECT_EQ((*f)["source"]["line"], 11);
  EXPECT_EQ((*f)["source"]["stage"], "1");
  EXPECT_EQ((*f)["source"]["fromStage"], "build");
  EXPECT_EQ((*f)["origin"], "image");
}

// Every fixture buildah built from its Dockerfile: the Dockerfile matches, and each finding from
// a layer sits on an instruction of the keyword that layer's history records.
TEST(Dockerfile, EveryFixtureMapsOntoItsOwnDockerfile) {
  namespace fs = std::filesystem;
  size_t images = 0, placed = 0;
  for (const auto& dir : fs::directory_iterator(std::string(PD_SOURCE_DIR) + "/fixtures/images")) {
    std::string name = dir.path().filename();
    // Images assembled by a build script (hand-made manifests, pushes) have no Dockerfile map.
    if (!fs::exists(dir.path() / "Dockerfile") || fs::exists(dir.path() / "build")) continue;
    if (!fileExists(fixtureImage(name + ".tar"))) continue;
    RunResult r = runPermdoctor("lint '" + fixtureImage(name + ".tar") +
                                "' --format json -q --fail-on never --dockerfile '" +
                                (dir.path() / "Dockerfile").string() + "'");
    ASSERT_EQ(r.status, 0) << name << ": " << r.err;
    json j = json::parse(r.out);
    ++images;
    EXPECT_EQ(j["dockerfile"]["matched"], true) << name << ": " << j["dockerfile"].dump();
    for (const auto& f : j["findings"]) {
      if (f["layer"].is_null()) continue;
      EXPECT_FALSE(f["origin"].is_null()) << name << " " << f["rule"];
      if (f["origin"] != "image" || f["source"].is_null()) continue;
      ++placed;
      std::string created = f["layer"]["createdBy"], instruction = f["source"]["instruction"];
      std::string keyword = instruction.substr(0, instruction.find(' '));
      // buildah writes "#(nop) COPY ..." for COPY/ADD and the bare command for RUN.
      bool nop = created.find("#(nop) ") != std::string::npos;
      std::string recorded =
          nop ? created.substr(created.find("#(nop) ") + 7, keyword.size()) : "RUN";
      // A finding about a mode may sit on an older layer than the last writer, and one about a
      // config value on the instruction that set it.
      const RuleEntry* rule = findRule(f["rule"].get<std::string>());
      if (rule && (rule->aboutMode || !rule->setBy.empty())) continue;
      EXPECT_EQ(recorded, keyword)
          << name << " " << f["rule"] << ": layer '" << created << "' on '" << instruction << "'";
    }
  }
  EXPECT_GE(images, 150u);
  EXPECT_GE(placed, 50u);
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
