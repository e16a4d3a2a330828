#include <gtest/gtest.h>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

TEST(PD304, WhitedOutKeyFiresOnTheLayerHoldingIt) {
  Image img = shellBase()
                  .layer("COPY id_rsa /root/.ssh/id_rsa")
                  .file("/root/.ssh/id_rsa", 0600,
                        pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"))
                  .layer("RUN git clone")
                  .file("/tmp/clone.log", 0644, "ok\n")
                  .layer("RUN rm -f /root/.ssh/id_rsa")
                  .whiteout("/root/.ssh/id_rsa")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD304");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/root/.ssh/id_rsa");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["deletedBy"], 3);
  EXPECT_EQ(fs[0].evidence.json()["deletedByCreatedBy"], "RUN rm -f /root/.ssh/id_rsa");
  EXPECT_EQ(fs[0].evidence.json()["kind"], "SSH private key file");
  EXPECT_EQ(fs[0].evidence.json()["detail"], "OPENSSH PRIVATE KEY");
  EXPECT_NE(fs[0].message.find("COPY id_rsa /root/.ssh/id_rsa"), std::string::npos);
  EXPECT_EQ(fs[0].message.find("b3Bl"), std::string::npos);
}

TEST(PD304, WhiteoutOfParentDirectoryAndOpaqueDirFire) {
  Image img = shellBase()
                  .layer("COPY credentials /root/.aws/credentials")
                  .file("/root/.aws/credentials", 0600, "[default]\naws_secret_access_key = x\n")
                  .file("/app/.env", 0644, "A=1\n")
                  .layer("RUN rm -rf /root/.aws")
                  .whiteout("/root/.aws")
                  .layer("RUN rm -rf /app && mkdir /app")
                  .opaque("/app")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD304");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_EQ(*fs[0].path, "/app/.env");
  EXPECT_EQ(fs[0].evidence.json()["deletedBy"], 3);
  EXPECT_EQ(*fs[1].path, "/root/.aws/credentials");
  EXPECT_EQ(fs[1].evidence.json()["deletedBy"], 2);
  EXPECT_EQ(fs[1].layer, 1);
  EXPECT_TRUE(findingsOf(lintImage(img), "PD303").empty());
}

TEST(PD304, DeletedHarmlessFilesAndOverwritesAreQuiet) {
  Image img = shellBase()
                  .layer("COPY")
                  .file("/root/.ssh/id_ed25519.pub", 0644, "ssh-ed25519 AAAA x\n")
                  .file("/app/.npmrc", 0644, "registry=https://r.example.com/\n")
                  .file("/app/config.json", 0644, "{}\n")
                  .layer("RUN rm")
                  .whiteout("/root/.ssh/id_ed25519.pub")
                  .whiteout("/app/.npmrc")
                  .whiteout("/app/config.json")
                  .build();
  EXPECT_TRUE(findingsOf(lintImage(img), "PD304").empty());
}

// Removing a package's own test key (pip uninstall, npm prune) removes no leaked secret.
TEST(PD304, DeletedPackageTestKeyIsQuiet) {
  const std::string key = pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIB");
  Image img = shellBase()
                  .layer("RUN pip install tornado")
                  .file("/usr/lib/python3/dist-packages/tornado/test/test.key", 0644, key)
                  .file("/app/certs/dev.key", 0644, key)
                  .layer("RUN pip uninstall -y tornado && rm /app/certs/dev.key")
                  .whiteout("/usr/lib/python3/dist-packages/tornado")
                  .whiteout("/app/certs/dev.key")
                  .build();
  auto fs = findingsOf(lintImage(img), "PD304");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/app/certs/dev.key");
}

}  // namespace
}  // namespace pd::testing
