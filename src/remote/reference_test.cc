#include "remote/reference.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

TEST(Reference, DockerHubShortFormsReadAsDockerPullReadsThem) {
  auto r = parseReference("alpine");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->registry, "docker.io");
  EXPECT_EQ(r->apiHost(), "registry-1.docker.io");
  EXPECT_EQ(r->repository, "library/alpine");
  EXPECT_EQ(r->tag, "latest");
  EXPECT_EQ(r->str(), "docker.io/library/alpine:latest");
  r = parseReference("bitnami/redis:7.2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->repository, "bitnami/redis");
  EXPECT_EQ(r->tag, "7.2");
  r = parseReference("index.docker.io/library/alpine:3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->registry, "docker.io");
}

TEST(Reference, HostPortTagAndDigest) {
  std::string d = "sha256:" + std::string(64, 'a');
  auto r = parseReference("127.0.0.1:5000/team/app:1.0@" + d);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->registry, "127.0.0.1:5000");
  EXPECT_EQ(r->repository, "team/app");
  EXPECT_EQ(r->tag, "1.0");
  EXPECT_EQ(r->digest, d);
  EXPECT_EQ(r->manifestRef(), d);
  EXPECT_EQ(r->name(), "127.0.0.1:5000/team/app");
  r = parseReference("localhost/app");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->registry, "localhost");
  EXPECT_EQ(r->repository, "app");  // no library/ outside Docker Hub
  r = parseReference("123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn@" + d);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->registry, "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  EXPECT_TRUE(r->tag.empty());
  EXPECT_EQ(r->manifestRef(), d);
}

TEST(Reference, RefusesWhatIsNoReference) {
  for (const char* bad : {"", "App", "a//b", "a/", ":tag", "app:", "app:-x", "app@sha256:12",
                          "app@md5:"
                          "0123456789abcdef0123456789abcdef",
                          "a..b", "a___b", "-a", "host:5000/", "app:has space"})
    EXPECT_FALSE(parseReference(bad)) << bad;
  for (const char* good : {"a__b", "a-b_c.d", "a--b", "my.registry:443/x/y/z:v1.2-rc_3"})
    EXPECT_TRUE(parseReference(good)) << good;
}

}  // namespace
}  // namespace pd
