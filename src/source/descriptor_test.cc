#include "source/descriptor.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/json.h"

namespace pd {
namespace {

std::string hex(char c, size_t n = 64) {
  return std::string(n, c);
}

Json entry(const std::string& platform, char digit, const char* refType = nullptr) {
  auto slash = platform.find('/');
  Json d = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"digest", "sha256:" + hex(digit)},
            {"size", 1},
            {"platform",
             {{"os", platform.substr(0, slash)}, {"architecture", platform.substr(slash + 1)}}}};
  if (refType) d["annotations"] = {{"vnd.docker.reference.type", refType}};
  return d;
}

TEST(Descriptor, DigestsAreLowerCaseHexOfTheAlgorithmsLength) {
  EXPECT_TRUE(validDigest("sha256:" + hex('a')));
  EXPECT_TRUE(validDigest("sha512:" + hex('0', 128)));
  EXPECT_FALSE(validDigest("sha256:" + hex('A')));
  EXPECT_FALSE(validDigest("sha256:" + hex('a', 63)));
  EXPECT_FALSE(validDigest("sha256:" + hex('g')));
  EXPECT_FALSE(validDigest("md5:" + hex('a', 32)));
  EXPECT_FALSE(validDigest(hex('a')));
}

TEST(Descriptor, ContentAddressedNamesGiveTheirDigest) {
  std::string d = "sha256:" + hex('b');
  EXPECT_EQ(blobName(d), "blobs/sha256/" + hex('b'));
  EXPECT_EQ(digestFromName(blobName(d)), d);
  EXPECT_EQ(digestFromName(hex('b') + ".json"), d);
  EXPECT_EQ(digestFromName(d), d);
  EXPECT_EQ(digestFromName("config.json"), "");
  EXPECT_EQ(digestFromName("blobs/sha256/../x"), "");
}

TEST(Descriptor, MalformedDigestIsAnInputErrorNamingTheDocument) {
  Json d = entry("linux/amd64", 'a');
  d["digest"] = "sha256:short";
  try {
    readDescriptor(d, "img.tar: index.json");
    FAIL() << "accepted a malformed digest";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("img.tar: index.json"), std::string::npos) << e.what();
  }
}

TEST(Descriptor, IndexChoosesAskedPlatformElseAmd64ElseTheOnlyOne) {
  Json index = {{"manifests",
                 {entry("linux/arm64", '1'), entry("linux/amd64", '2'),
                  entry("unknown/unknown", '3', "attestation-manifest")}}};
  EXPECT_EQ(chooseFromIndex(index, "", "img", "w").digest, "sha256:" + hex('2'));
  EXPECT_EQ(chooseFromIndex(index, "linux/arm64", "img", "w").digest, "sha256:" + hex('1'));
  EXPECT_THROW(chooseFromIndex(index, "linux/s390x", "img", "w"), UsageError);

  Json one = {{"manifests", {entry("linux/arm64", '1')}}};
  EXPECT_EQ(chooseFromIndex(one, "", "img", "w").digest, "sha256:" + hex('1'));
  Json two = {{"manifests", {entry("linux/arm64", '1'), entry("linux/ppc64le", '4')}}};
  EXPECT_THROW(chooseFromIndex(two, "", "img", "w"), UsageError);
}

TEST(Descriptor, PickPlatformReportsPlatformsAndAttestations) {
  std::vector<Descriptor> ds;
  for (const Json& j : {entry("linux/arm64", '1'), entry("linux/amd64", '2'),
                        entry("unknown/unknown", '3', "attestation-manifest")})
    ds.push_back(readDescriptor(j, "w"));
  IndexFacts facts;
  pickPlatform(ds, "", "img", facts, "w");
  EXPECT_EQ(facts.platforms, (std::vector<std::string>{"linux/arm64", "linux/amd64"}));
  EXPECT_TRUE(facts.hasAttestations);
}

TEST(Descriptor, IndexKnownByMediaTypeOrShape) {
  EXPECT_TRUE(isIndexManifest("application/vnd.oci.image.index.v1+json", Json::object()));
  EXPECT_TRUE(
      isIndexManifest("application/vnd.docker.distribution.manifest.list.v2+json", Json::object()));
  EXPECT_TRUE(isIndexManifest("", Json{{"manifests", Json::array()}}));
  EXPECT_FALSE(isIndexManifest("application/vnd.oci.image.manifest.v1+json",
                               Json{{"manifests", Json::array()}}));
}

}  // namespace
}  // namespace pd
