// Real archives written by other tools (fixtures/third-party): every layout is read, verified and
// merged as the runtime would; malformed ones end with one line and exit 2. The expected facts
// come from reading the archives with other tools (tar, Python's tarfile), not from our output.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;

json lintJson(const std::string& image, const std::string& extra = "") {
  RunResult r = runPermdoctor("lint '" + image + "' --format json -q --fail-on never " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return json::parse(r.out);
}

json inspectPaths(const std::string& image) {
  RunResult r = runPermdoctor("inspect --json '" + image + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  json byPath = json::object();
  json all = json::parse(r.out);
  for (const auto& p : all["paths"]) byPath[p["path"].get<std::string>()] = p;
  return byPath;
}

struct Expected {
  const char* file;
  const char* format;
  size_t layers;
  const char* arch;
};

class ThirdPartyImage : public ::testing::TestWithParam<Expected> {};

TEST_P(ThirdPartyImage, IsReadAndVerified) {
  const Expected& e = GetParam();
  json j = lintJson(thirdPartyImage(e.file));
  EXPECT_EQ(j["schemaVersion"], 1);
  EXPECT_EQ(j["image"]["format"], e.format);
  EXPECT_EQ(j["image"]["layers"].size(), e.layers);
  EXPECT_EQ(j["image"]["architecture"], e.arch);
  EXPECT_EQ(j["image"]["user"], "");
  for (const auto& l : j["image"]["layers"]) {
    EXPECT_EQ(l["diffId"].get<std::string>().size(), 71u);
    EXPECT_EQ(l["digest"].get<std::string>().rfind("sha256:", 0), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ThirdPartyImage,
    ::testing::Values(Expected{"dive-docker-legacy.tar", "docker-archive", 14, "amd64"},
                      Expected{"dive-kaniko-gzip.tar", "docker-archive", 14, "amd64"},
                      Expected{"dive-oci-gzip.tar", "oci-archive", 1, "arm64"},
                      Expected{"dive-oci-zstd.tar", "oci-archive", 1, "arm64"},
                      Expected{"dive-oci-uncompressed.tar", "oci-archive", 1, "arm64"},
                      Expected{"ggcr-hello-world-v25.tar", "docker-archive-v25", 1, "arm64"},
                      Expected{"ggcr-layer-symlink.tar", "docker-archive", 1, "amd64"},
                      Expected{"ggcr-whiteout-file.tar", "docker-archive", 3, "amd64"},
                      Expected{"ggcr-whiteout-dir.tar", "docker-archive", 4, "amd64"}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST(ThirdPartyImages, DockerLegacyWhiteoutsHardlinksAndModes) {
  json p = inspectPaths(thirdPartyImage("dive-docker-legacy.tar"));
  EXPECT_EQ(p["/root"]["mode"], "0700");
  // layer 9 whites out /root/example, layer 7 /root/example/somefile3.txt
  EXPECT_FALSE(p.contains("/root/example"));
  EXPECT_FALSE(p.contains("/root/example/somefile1.txt"));
  // layer 13 re-adds saved.txt as 0755
  EXPECT_EQ(p["/root/saved.txt"]["mode"], "0755");
  EXPECT_EQ(p["/root/saved.txt"]["layer"], 13);
  // /bin/sh is a hardlink to /bin/[ in layer 0
  EXPECT_EQ(p["/bin/sh"]["type"], "file");
  EXPECT_EQ(p["/bin/sh"]["size"], p["/bin/["]["size"]);
  EXPECT_EQ(p["/root/.data/tag.sh"]["mode"], "0775");
}

TEST(ThirdPartyImages, KanikoMatchesTheDockerSaveOfTheSameBuild) {
  json a = inspectPaths(thirdPartyImage("dive-kaniko-gzip.tar"));
  EXPECT_FALSE(a.contains("/root/example"));
  EXPECT_EQ(a["/root/saved.txt"]["mode"], "0755");
}

TEST(ThirdPartyImages, FileWhiteout) {
  json p = inspectPaths(thirdPartyImage("ggcr-whiteout-file.tar"));
  EXPECT_TRUE(p.contains("/bar.txt"));
  EXPECT_FALSE(p.contains("/foo.txt"));
}

TEST(ThirdPartyImages, DirectoryWhiteoutThenRecreation) {
  json p = inspectPaths(thirdPartyImage("ggcr-whiteout-dir.tar"));
  EXPECT_FALSE(p.contains("/a/foo"));
  EXPECT_TRUE(p.contains("/a/baz"));
  EXPECT_EQ(p["/a"]["layer"], 3);
  EXPECT_TRUE(p.contains("/b/bar"));
}

TEST(ThirdPartyImages, LayerSymlinksAndSecondImage) {
  json j = lintJson(thirdPartyImage("ggcr-layer-symlink.tar"));
  EXPECT_EQ(j["image"]["references"][0], "bazel/v1/tarball:test_image_1");
  EXPECT_NE(j["image"]["note"].get<std::string>().find("2 images"), std::string::npos);
  json second = lintJson(thirdPartyImage("ggcr-layer-symlink.tar"), "--image 2");
  EXPECT_EQ(second["image"]["references"][0], "bazel/v1/tarball:test_image_3");
  EXPECT_EQ(second["image"]["layers"].size(), 2u);
  json byRef =
      lintJson(thirdPartyImage("ggcr-layer-symlink.tar"), "--image bazel/v1/tarball:test_image_3");
  EXPECT_EQ(byRef["image"]["layers"], second["image"]["layers"]);
  RunResult bad =
      runPermdoctor("lint '" + thirdPartyImage("ggcr-layer-symlink.tar") + "' --image 3");
  EXPECT_EQ(bad.status, 2);
}

TEST(ThirdPartyImages, MalformedArchivesAreInputErrors) {
  RunResult n = runPermdoctor("lint '" + thirdPartyImage("ggcr-null-manifest.tar") + "'");
  EXPECT_EQ(n.status, 2);
  EXPECT_NE(n.err.find("manifest.json: expected an array of images, found null"), std::string::npos)
      << n.err;
  EXPECT_EQ(std::count(n.err.begin(), n.err.end(), '\n'), 1);
  RunResult m = runPermdoctor("lint '" + thirdPartyImage("ggcr-no-manifest.tar") + "'");
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find("no manifest.json"), std::string::npos) << m.err;
  EXPECT_NE(m.err.find("ggcr-no-manifest.tar"), std::string::npos) << m.err;
}

TEST(ThirdPartyImages, StdinGivesTheSameReportAsTheFile) {
  for (const char* f :
       {"dive-docker-legacy.tar", "dive-oci-zstd.tar", "ggcr-hello-world-v25.tar"}) {
    RunResult a = runPermdoctor(std::string("lint '") + thirdPartyImage(f) + "' --format json -q");
    RunResult b = runPermdoctor("lint - --format json -q", thirdPartyImage(f));
    ASSERT_EQ(a.status, b.status) << f << b.err;
    json ja = json::parse(a.out), jb = json::parse(b.out);
    ja["image"].erase("source");
    jb["image"].erase("source");
    EXPECT_EQ(ja, jb) << f;
  }
}

// PD503 on real archives: the digest a deploy pins against the manifest digest the archive
// holds (from `tar -xOf dive-oci-gzip.tar index.json | jq -r .manifests[0].digest`).
TEST(ThirdPartyImages, ExpectDigestAgainstTheArchivesManifest) {
  const std::string oci = thirdPartyImage("dive-oci-gzip.tar");
  const std::string held =
      "sha256:7d255e9e3d216a9a92a5c1ce0563a5ddd92f28a34a9df025d3cf8dfa5ea08366";
  auto pd503 = [](const json& report) {
    size_t n = 0;
    for (const auto& f : report["findings"]) n += f["rule"] == "PD503";
    return n;
  };
  EXPECT_EQ(pd503(lintJson(oci, "--expect-digest " + held)), 0u);
  EXPECT_EQ(pd503(lintJson(oci)), 0u);
  json other = lintJson(oci, "--expect-digest sha256:" + std::string(64, 'a'));
  EXPECT_EQ(pd503(other), 1u);
  // A docker save holds no registry manifest: no pinned digest can be checked against it.
  json legacy = lintJson(thirdPartyImage("dive-docker-legacy.tar"), "--expect-digest " + held);
  EXPECT_EQ(pd503(legacy), 1u);
  RunResult fails =
      runPermdoctor("lint '" + oci + "' -q --expect-digest sha256:" + std::string(64, 'a'));
  EXPECT_EQ(fails.status, 1);
  RunResult bad = runPermdoctor("lint '" + oci + "' -q --expect-digest 7d255e9e");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--expect-digest 7d255e9e: expected sha256:"), std::string::npos)
      << bad.err;
}

// Flips one byte inside a layer blob: verification must refuse it, --no-verify must not.
TEST(ThirdPartyImages, TamperedLayerFailsVerification) {
  std::string src = thirdPartyImage("ggcr-whiteout-file.tar");
  std::string copy = ::testing::TempDir() + "tampered.tar";
  std::ifstream in(src, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // bar.txt's content ("bar\n") follows its 512-byte tar header in the first layer.
  size_t data = bytes.find("./bar.txt") + 512;
  ASSERT_EQ(bytes.substr(data, 4), "bar\n");
  bytes[data] = 'X';
  std::ofstream(copy, std::ios::binary) << bytes;
  RunResult r = runPermdoctor("lint '" + copy + "' -q");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("diff_id mismatch"), std::string::npos) << r.err;
  RunResult nv = runPermdoctor("lint '" + copy + "' -q --no-verify --fail-on never");
  EXPECT_EQ(nv.status, 0) << nv.err;
}

TEST(ThirdPartyImages, MissingFileIsAUsageLevelInputError) {
  RunResult r = runPermdoctor("lint /nonexistent/image.tar");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "permdoctor: /nonexistent/image.tar: no such file or directory\n");
}

}  // namespace
}  // namespace pd::testing
