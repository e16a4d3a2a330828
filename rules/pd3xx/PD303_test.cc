#include <gtest/gtest.h>

#include <map>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

std::map<std::string, Finding> byPath(const std::vector<Finding>& fs) {
  std::map<std::string, Finding> m;
  for (const auto& f : fs) m[*f.path] = f;
  return m;
}

TEST(PD303, PrivateKeyFiresWithoutPrintingIt) {
  const std::string body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretsecret";
  Image img = shellBase()
                  .layer("COPY certs /app/certs")
                  .file("/app/certs/server.key", 0644, "# tls\n" + pem("PRIVATE KEY", body))
                  .build();
  auto fs = findingsOf(lintImage(img), "PD303");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(*fs[0].path, "/app/certs/server.key");
  EXPECT_EQ(fs[0].layer, 1);
  EXPECT_EQ(fs[0].evidence.json()["kind"], "private key");
  EXPECT_EQ(fs[0].evidence.json()["detail"], "PRIVATE KEY");
  EXPECT_EQ(fs[0].evidence.json()["line"], 2);
  EXPECT_NE(fs[0].message.find("added by layer 1"), std::string::npos);
  EXPECT_EQ(fs[0].message.find("MIIE"), std::string::npos);
  EXPECT_EQ(fs[0].evidence.json().dump().find("MIIE"), std::string::npos);
}

TEST(PD303, KeyInsideJsonWithEscapedNewlinesFires) {
  // A cloud service-account file: the PEM sits in a JSON string with "\n" escapes.
  std::string json =
      "{\"type\": \"service_account\",\n \"private_key\": \"-----BEGIN "
      "PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE "
      "KEY-----\\n\"}\n";
  Image img = shellBase().file("/app/sa.json", 0644, json).build();
  auto fs = findingsOf(lintImage(img), "PD303");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["line"], 2);
}

TEST(PD303, LegacyEncryptedKeyWithHeadersFires) {
  // OpenSSL's traditional encrypted format: RFC 1421 headers before the body (ruby-httpclient
  // ships one as an example; copied into an app it is a key like any other).
  std::string key =
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: "
      "DES-EDE3-CBC,5AC3D1B8F0A2B1C4\n\nb2l0bGVzc2VjcmV0a2V5Ym9keQ==\n-----END RSA PRIVATE "
      "KEY-----\n";
  Image img = shellBase().file("/app/test/0key.pem", 0644, key).build();
  auto fs = findingsOf(lintImage(img), "PD303");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["detail"], "RSA PRIVATE KEY");
}

TEST(PD303, LookAlikesAreQuiet) {
  Image img =
      shellBase()
          .file("/app/certs/server.crt", 0644, pem("CERTIFICATE", "MIIBfixturefixture"))
          .file("/app/certs/jwt.pub.pem", 0644, pem("PUBLIC KEY", "MIIBfixturefixture"))
          .file("/root/.ssh/id_ed25519.pub", 0644, "ssh-ed25519 AAAAC3Nza fixture@example\n")
          .file("/root/.ssh/id_rsa", 0600, "")  // empty
          .file("/home/app/.npmrc", 0644, "registry=https://registry.npmjs.org/\n")
          .file("/app/.npmrc", 0644, "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")
          .file("/root/.docker/config.json", 0600, "{\"credsStore\": \"pass\"}\n")
          .file("/root/.docker2/.docker/config.json", 0600,
                "{\"auths\": {\"r.example.com\": {}}, \"credsStore\": \"pass\"}\n")
          .file("/home/app/.netrc", 0600, "machine mirror.example.com login anonymous\n")
          .file("/root/.pypirc", 0600, "[pypi]\nusername = __token__\n# password = x\n")
          .file("/app/.env.example", 0644, "DATABASE_URL=\n")
          .file("/app/.env", 0644, "")
          .file("/usr/lib/python3/ssl_helpers.py", 0644,
                "MARKER = \"-----BEGIN PRIVATE KEY-----\"\nEND = \"-----END PRIVATE KEY-----\"\n")
          .build();
  auto fs = findingsOf(lintImage(img), "PD303");
  for (const auto& f : fs) ADD_FAILURE() << *f.path << ": " << f.message;
}

TEST(PD303, CredentialFilesEachMakeAFinding) {
  Image img =
      shellBase()
          .layer("COPY secrets")
          .file("/root/.aws/credentials", 0600,
                "[default]\naws_access_key_id = AKIAFIXTURE\naws_secret_access_key = s3cr3t\n")
          .file("/app/.env", 0644, "A=1\nexport B=2\n# c\n")
          .file("/app/.env.production", 0644, "A=1\n")
          .file("/root/.docker/config.json", 0600,
                "{\n  \"auths\": {\n    \"registry.example.com\": {\"auth\": \"Zm9vOmJhcg==\"}\n  "
                "}\n}\n")
          .file("/home/app/.npmrc", 0600, "; c\n//registry.npmjs.org/:_authToken=npm_fixture\n")
          .file("/home/app/.netrc", 0600, "machine api.example.com\n  login me\n  password pw\n")
          .file("/home/app/.git-credentials", 0600, "https://me:tok@git.example.com\n")
          .file("/root/.pypirc", 0600, "[pypi]\nusername = __token__\npassword = pypi-x\n")
          .file("/root/.ssh/id_ed25519", 0600, "fake key body\n")
          .build();
  auto fs = byPath(findingsOf(lintImage(img), "PD303"));
  ASSERT_EQ(fs.size(), 9u);
  EXPECT_EQ(fs.at("/root/.aws/credentials").evidence.json()["kind"], "AWS credentials");
  EXPECT_EQ(fs.at("/root/.aws/credentials").evidence.json()["line"], 3);
  EXPECT_EQ(fs.at("/app/.env").evidence.json()["detail"], "2 variables");
  EXPECT_EQ(fs.at("/app/.env.production").evidence.json()["kind"], ".env file");
  EXPECT_EQ(fs.at("/root/.docker/config.json").evidence.json()["detail"],
            "registry.example.com auth");
  EXPECT_EQ(fs.at("/root/.docker/config.json").evidence.json()["line"], 3);
  EXPECT_EQ(fs.at("/home/app/.npmrc").evidence.json()["detail"], "_authToken");
  EXPECT_EQ(fs.at("/home/app/.npmrc").evidence.json()["line"], 2);
  EXPECT_EQ(fs.at("/home/app/.npmrc").fix,
            "RUN --mount=type=secret,id=npmrc,target=/home/app/.npmrc <command that needs it>   "
            "(and list .npmrc in .dockerignore)");
  EXPECT_EQ(fs.at("/home/app/.netrc").evidence.json()["line"], 3);
  EXPECT_EQ(fs.at("/home/app/.git-credentials").evidence.json()["line"], 1);
  EXPECT_EQ(fs.at("/root/.pypirc").evidence.json()["line"], 3);
  EXPECT_EQ(fs.at("/root/.ssh/id_ed25519").evidence.json()["kind"], "SSH private key file");
  for (const auto& [p, f] : fs) {
    for (const char* secret : {"s3cr3t", "Zm9vOmJhcg", "npm_fixture", "pypi-x", "tok@", "pw\""}) {
      EXPECT_EQ(f.message.find(secret), std::string::npos) << p;
      EXPECT_EQ(f.evidence.json().dump().find(secret), std::string::npos) << p;
    }
  }
}

TEST(PD303, DeletedSecretIsPD304s) {
  Image img = shellBase()
                  .layer("COPY key")
                  .file("/root/.ssh/id_rsa", 0600, pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXkt"))
                  .layer("RUN rm /root/.ssh/id_rsa")
                  .whiteout("/root/.ssh/id_rsa")
                  .build();
  auto r = lintImage(img);
  EXPECT_TRUE(findingsOf(r, "PD303").empty());
  EXPECT_EQ(findingsOf(r, "PD304").size(), 1u);
}

// Keys a package ships for its own tests and docs are the package's, published with it; the
// same key among the app's own files is the app's.
TEST(PD303, PackageTestAndDocKeysAreQuietTheAppsOwnFire) {
  const std::string key = pem("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIB");
  const std::string sshKey = pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
  Image quiet =
      shellBase()
          .layer("pip install tornado; npm install ssh2; go toolchain")
          .file("/usr/lib/python3/dist-packages/tornado/test/test.key", 0644, key)
          .file("/usr/local/lib/python3.12/site-packages/urllib3/docs/example.pem", 0644, key)
          .file("/app/node_modules/ssh2/test/fixtures/id_rsa", 0644, sshKey)
          .file("/usr/local/bundle/gems/net-ssh-7.0/test/fixtures/key.pem", 0644, key)
          .file("/src/vendor/github.com/x/tls/testdata/server.key", 0644, key)
          .file("/usr/local/go/src/crypto/tls/testdata/example-key.pem", 0644, key)
          .file("/usr/share/doc/libxmlsec1-dev/examples/rsakey.pem", 0644, key)
          .build();
  for (const auto& f : findingsOf(lintImage(quiet), "PD303"))
    ADD_FAILURE() << *f.path << ": " << f.message;

  Image fires = shellBase()
                    .layer("COPY . /app")
                    .file("/app/test/fixtures/server.key", 0644, key)          // the app's tests
                    .file("/app/node_modules/mylib/server.key", 0644, key)     // not tests or docs
                    .file("/usr/local/etc/ssl/private/server.key", 0600, key)  // installed, in use
                    .file("/srv/docs/id_rsa", 0600, sshKey)
                    .build();
  auto m = byPath(findingsOf(lintImage(fires), "PD303"));
  EXPECT_EQ(m.size(), 4u);
  for (const char* p : {"/app/test/fixtures/server.key", "/app/node_modules/mylib/server.key",
                        "/usr/local/etc/ssl/private/server.key", "/srv/docs/id_rsa"})
    EXPECT_TRUE(m.count(p)) << p;
}

TEST(PD303, AwsDocumentationExampleKeysAreQuiet) {
  Image example = shellBase()
                      .file("/root/.aws/credentials", 0600,
                            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
                      .build();
  EXPECT_TRUE(findingsOf(lintImage(example), "PD303").empty());
  // One real key beside the example is a leak.
  Image mixed =
      shellBase()
          .file("/root/.aws/credentials", 0600,
                "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                "[prod]\naws_secret_access_key = Zk9vYmFyYmF6cXV4\n")
          .build();
  EXPECT_EQ(findingsOf(lintImage(mixed), "PD303").size(), 1u);
}

}  // namespace
}  // namespace pd::testing
