#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

const char* kDockerTar = "application/vnd.docker.image.rootfs.diff.tar";
const char* kDockerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

Image pushed(const std::string& format, const std::string& type0, const std::string& type1) {
  Image img = ImageBuilder()
                  .layer("base")
                  .file("/var/task/app.py", 0644, "x")
                  .layer("app")
                  .file("/var/task/b.py", 0644, "x")
                  .config([](ImageConfig& c) { c.env = {"LAMBDA_TASK_ROOT=/var/task"}; })
                  .build();
  img.format = format;
  img.layers[0].mediaType = type0;
  img.layers[1].mediaType = type1;
  return img;
}

TEST(PD411, UncompressedDockerLayersInARegistryManifestFire) {
  auto fs = findingsOf(lintImage(pushed("registry", kDockerGzip, kDockerTar)), "PD411");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["layers"], std::vector<int>{1});
  EXPECT_NE(fs[0].message.find("1 of 2 layers have media type " + std::string(kDockerTar)),
            std::string::npos)
      << fs[0].message;
  EXPECT_NE(fs[0].message.find("UnsupportedImageLayerDetected"), std::string::npos);
  EXPECT_EQ(findingsOf(lintImage(pushed("oci-layout", kDockerTar, kDockerTar)), "PD411").size(),
            1u);
  EXPECT_EQ(findingsOf(lintImage(pushed("oci-archive", kDockerTar, kDockerGzip)), "PD411").size(),
            1u);
}

TEST(PD411, DockerSaveArchivesCompressedAndOciTypesAreQuiet) {
  // docker push compresses what docker save holds uncompressed.
  EXPECT_TRUE(
      findingsOf(lintImage(pushed("docker-archive", kDockerTar, kDockerTar)), "PD411").empty());
  EXPECT_TRUE(
      findingsOf(lintImage(pushed("docker-daemon", kDockerTar, kDockerTar)), "PD411").empty());
  EXPECT_TRUE(findingsOf(lintImage(pushed("registry", kDockerGzip, kDockerGzip)), "PD411").empty());
  EXPECT_TRUE(findingsOf(lintImage(pushed("registry", "application/vnd.oci.image.layer.v1.tar",
                                          "application/vnd.oci.image.layer.v1.tar+zstd")),
                         "PD411")
                  .empty());
  EXPECT_TRUE(findingsOf(lintImage(pushed("registry", kDockerTar, kDockerTar), "generic"), "PD411")
                  .empty());
}

}  // namespace
}  // namespace pd::testing
