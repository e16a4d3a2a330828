// One image (fixtures/layouts) written by skopeo/podman/umoci in every layout they can write:
// each must give the same merged filesystem, the same findings, and the same report on stdin.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"

namespace pd::testing {
namespace {

using nlohmann::json;

std::string layout(const std::string& name) {
  return fixtureImage("layouts/" + name);
}

json inspect(const std::string& image) {
  RunResult r = runPermdoctor("inspect --json '" + image + "'");
  EXPECT_EQ(r.status, 0) << image << ": " << r.err;
  return json::parse(r.out.empty() ? "{}" : r.out);
}

json lint(const std::string& image, const std::string& extra = "") {
  RunResult r = runPermdoctor("lint '" + image + "' --format json -q --fail-on never " + extra);
  EXPECT_EQ(r.status, 0) << image << ": " << r.err;
  return json::parse(r.out.empty() ? "{}" : r.out);
}

struct Variant {
  const char* file;
  const char* format;
  const char* compression;
};

class Layout : public ::testing::TestWithParam<Variant> {};

TEST_P(Layout, SameTreeAndFindingsAsTheDockerArchive) {
  const Variant& v = GetParam();
  ASSERT_TRUE(fileExists(layout(v.file))) << "fixture layouts not built";
  json base = inspect(layout("docker-archive.tar"));
  json here = inspect(layout(v.file));
  EXPECT_EQ(here["format"], v.format);
  EXPECT_EQ(here["paths"], base["paths"]) << v.file;

  json a = lint(layout("docker-archive.tar")), b = lint(layout(v.file));
  EXPECT_EQ(a["findings"].size(), b["findings"].size());
  for (size_t i = 0; i < std::min(a["findings"].size(), b["findings"].size()); ++i) {
    EXPECT_EQ(a["findings"][i]["rule"], b["findings"][i]["rule"]);
    EXPECT_EQ(a["findings"][i]["paths"], b["findings"][i]["paths"]);
  }
  for (const auto& l : b["image"]["layers"]) {
    if (l["size"] == 0) continue;
    EXPECT_TRUE(l["compression"] == v.compression || l["compression"] == "none") << l.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Layout,
                         ::testing::Values(Variant{"oci-archive-gzip.tar", "oci-archive", "gzip"},
                                           Variant{"oci-archive-zstd.tar", "oci-archive", "zstd"},
                                           Variant{"oci-archive-uncompressed.tar", "oci-archive",
                                                   "none"},
                                           Variant{"oci-dir", "oci-layout", "gzip"}),
                         [](const auto& info) {
                           std::string n = info.param.file;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(Layouts, RuntimeSemanticsOfTheMergedTree) {
  json all = inspect(layout("oci-archive-zstd.tar"));
  json p = json::object();
  for (const auto& e : all["paths"]) p[e["path"].get<std::string>()] = e;
  EXPECT_FALSE(p.contains("/data/doomed.txt"));      // whited out by layer 3
  EXPECT_FALSE(p.contains("/data/opaque/old.txt"));  // hidden by the opaque marker of layer 4
  EXPECT_FALSE(p.contains("/data/opaque/.env"));
  EXPECT_TRUE(p.contains("/data/opaque/new.txt"));
  EXPECT_EQ(p["/data/private.txt"]["mode"], "0600");
  EXPECT_EQ(p["/usr/local/bin/suid-tool"]["mode"], "4755");
  EXPECT_EQ(p["/data/link-rel"]["link"], "hello.txt");
  EXPECT_EQ(p["/data/hardlink.txt"]["size"], p["/data/orig.txt"]["size"]);
  EXPECT_EQ(p["/data/hardlink.txt"]["type"], "file");
}

TEST(Layouts, StdinEqualsFile) {
  for (const char* f : {"docker-archive.tar", "oci-archive-gzip.tar", "oci-archive-zstd.tar"}) {
    RunResult a = runPermdoctor("lint '" + layout(f) + "' --format json -q");
    RunResult b = runPermdoctor("lint - --format json -q", layout(f));
    ASSERT_EQ(a.status, b.status) << f << ": " << b.err;
    json ja = json::parse(a.out), jb = json::parse(b.out);
    ja["image"].erase("source");
    jb["image"].erase("source");
    EXPECT_EQ(ja, jb) << f;
  }
}

TEST(Layouts, TwoImagesInOneArchive) {
  json first = lint(layout("docker-archive-two-images.tar"));
  EXPECT_NE(first["image"]["note"].get<std::string>().find("2 images"), std::string::npos);
  json second = lint(layout("docker-archive-two-images.tar"), "--image 2");
  EXPECT_NE(first["image"]["configDigest"], second["image"]["configDigest"]);
  json byRef = lint(layout("docker-archive-two-images.tar"), "--image localhost/pd-base:latest");
  EXPECT_EQ(byRef["image"]["configDigest"], second["image"]["configDigest"]);
  // The note that only one image was linted reaches every format that has a place for it.
  std::string base = "lint '" + layout("docker-archive-two-images.tar") + "' -q --format ";
  json sarif = json::parse(runPermdoctor(base + "sarif").out);
  ASSERT_EQ(sarif["runs"][0]["properties"]["notes"].size(), 1u);
  EXPECT_NE(sarif["runs"][0]["properties"]["notes"][0].get<std::string>().find("2 images"),
            std::string::npos);
  EXPECT_NE(
      runPermdoctor(base + "junit").out.find("<property name=\"note\" value=\"archive holds 2"),
      std::string::npos);
  EXPECT_NE(runPermdoctor(base + "markdown").out.find("archive holds 2 images"), std::string::npos);
}

TEST(Layouts, NoVerifyGivesTheSameTree) {
  RunResult a = runPermdoctor("inspect --json '" + layout("oci-archive-gzip.tar") + "'");
  RunResult b =
      runPermdoctor("inspect --json --no-verify '" + layout("oci-archive-gzip.tar") + "'");
  EXPECT_EQ(a.out, b.out);
}

}  // namespace
}  // namespace pd::testing
