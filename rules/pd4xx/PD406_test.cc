#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image lambdaImage() {
  return ImageBuilder()
      .layer()
      .file("/var/task/app.py", 0644, "x")
      .config([](ImageConfig& c) { c.env = {"LAMBDA_TASK_ROOT=/var/task"}; })
      .build();
}

TEST(PD406, ImageIndexFires) {
  Image img = lambdaImage();
  img.isIndex = true;
  img.indexPlatforms = {"linux/amd64", "linux/arm64"};
  img.manifestMediaType = "application/vnd.oci.image.manifest.v1+json";
  auto fs = findingsOf(lintImage(img), "PD406");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_FALSE(fs[0].path.has_value());
  EXPECT_EQ(fs[0].evidence.json()["isIndex"], true);
  EXPECT_EQ(fs[0].evidence.json()["hasAttestations"], false);
  EXPECT_EQ(fs[0].evidence.json()["indexPlatforms"],
            nlohmann::json::array({"linux/amd64", "linux/arm64"}));
  EXPECT_NE(fs[0].message.find("(linux/amd64, linux/arm64)"), std::string::npos);
  EXPECT_NE(fs[0].message.find("is not supported"), std::string::npos);
  EXPECT_EQ(fs[0].fix,
            "docker buildx build --provenance=false --sbom=false --platform linux/amd64");
}

TEST(PD406, AttestationsFire) {
  Image img = lambdaImage();
  img.isIndex = true;
  img.hasAttestations = true;
  img.indexPlatforms = {"linux/amd64"};
  auto fs = findingsOf(lintImage(img), "PD406");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["hasAttestations"], true);
  EXPECT_NE(fs[0].message.find("attestation manifests"), std::string::npos);
}

TEST(PD406, SingleManifestIsQuiet) {
  Image img = lambdaImage();
  img.manifestMediaType = "application/vnd.oci.image.manifest.v1+json";
  img.format = "oci-archive";
  EXPECT_TRUE(findingsOf(lintImage(img), "PD406").empty());
  img.isIndex = true;  // an index, but not a Lambda image
  EXPECT_TRUE(findingsOf(lintImage(img, "generic"), "PD406").empty());
}

}  // namespace
}  // namespace pd::testing
