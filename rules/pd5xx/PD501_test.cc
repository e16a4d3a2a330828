#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');
const std::string kConfig = "sha256:" + std::string(64, 'c');

Image image(const std::string& format, const std::string& manifestType,
            std::vector<std::string> layerTypes, const std::string& digest) {
  Image img = ImageBuilder().layer().file("/app", 0644, "x").build();
  img.format = format;
  img.manifestMediaType = manifestType;
  img.layerMediaTypes = layerTypes;
  img.manifestDigest = digest;
  img.configDigest = kConfig;
  return img;
}

TEST(PD501, OciArchiveReportsTypesAndDigest) {
  Image img = image("oci-archive", "application/vnd.oci.image.manifest.v1+json",
                    {"application/vnd.oci.image.layer.v1.tar+gzip",
                     "application/vnd.oci.image.layer.v1.tar+gzip"},
                    kDigest);
  auto fs = findingsOf(lintImage(img), "PD501");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["manifestDigest"], kDigest);
  EXPECT_EQ(fs[0].evidence.json()["configDigest"], kConfig);
  EXPECT_EQ(fs[0].evidence.json()["format"], "oci-archive");
  EXPECT_EQ(fs[0].evidence.json()["manifestMediaType"],
            "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(fs[0].evidence.json()["configMediaType"], "application/vnd.oci.image.config.v1+json");
  EXPECT_EQ(fs[0].evidence.json()["layerMediaTypes"].size(), 2u);
  EXPECT_NE(fs[0].message.find("a registry will see an OCI manifest"), std::string::npos);
  EXPECT_NE(fs[0].message.find(kDigest), std::string::npos);
  EXPECT_EQ(fs[0].message.find("uncompressed"), std::string::npos);
  EXPECT_EQ(fs[0].fix, "");
}

TEST(PD501, LegacyDockerArchiveHasNoDigestYet) {
  Image img = image("docker-archive", "application/vnd.docker.distribution.manifest.v2+json",
                    {"application/vnd.docker.image.rootfs.diff.tar"}, "");
  auto fs = findingsOf(lintImage(img), "PD501");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE(fs[0].evidence.json()["manifestDigest"].is_null());
  EXPECT_EQ(fs[0].evidence.json()["configMediaType"],
            "application/vnd.docker.container.image.v1+json");
  EXPECT_NE(fs[0].message.find("a registry will see a Docker v2 schema 2 manifest"),
            std::string::npos);
  EXPECT_NE(fs[0].message.find("cannot be known before the push"), std::string::npos);
  EXPECT_NE(fs[0].message.find("docker push compresses them"), std::string::npos);

  // A Docker 25+ save whose index.json lists no manifest: no registry manifest either.
  Image v25 = image("docker-archive-v25", "application/vnd.docker.distribution.manifest.v2+json",
                    {"application/vnd.oci.image.layer.v1.tar"}, "");
  fs = findingsOf(lintImage(v25), "PD501");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE(fs[0].evidence.json()["manifestDigest"].is_null());
  EXPECT_NE(fs[0].message.find("the input (docker-archive-v25) holds no registry manifest"),
            std::string::npos);
}

TEST(PD501, UncompressedLayersWarnThatAPushChangesTheDigest) {
  // Docker 25+ `docker save`: an OCI manifest with uncompressed layers.
  Image img = image("docker-archive-v25", "application/vnd.oci.image.manifest.v1+json",
                    {"application/vnd.oci.image.layer.v1.tar"}, kDigest);
  auto fs = findingsOf(lintImage(img), "PD501");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["manifestDigest"], kDigest);
  EXPECT_NE(fs[0].message.find("layers are stored uncompressed"), std::string::npos);
}

TEST(PD501, EveryProfileAndIndexes) {
  Image img = image("oci-layout", "application/vnd.oci.image.manifest.v1+json",
                    {"application/vnd.oci.image.layer.v1.tar+zstd"}, kDigest);
  img.isIndex = true;
  img.indexPlatforms = {"linux/amd64", "linux/arm64"};
  for (std::string p : {"generic", "lambda", "kubernetes", "openshift"}) {
    auto fs = findingsOf(lintImage(img, p), "PD501");
    ASSERT_EQ(fs.size(), 1u) << p;
    EXPECT_NE(fs[0].message.find(
                  "an image index over 2 platform(s) whose linted platform has an OCI manifest"),
              std::string::npos);
    EXPECT_EQ(fs[0].evidence.json()["indexPlatforms"].size(), 2u);
  }
}

}  // namespace
}  // namespace pd::testing
