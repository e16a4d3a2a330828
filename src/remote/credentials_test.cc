#include "remote/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace pd {
namespace {

class Credentials : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pd-creds-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text, bool exec = false) {
    std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    if (exec) chmod(p.c_str(), 0755);
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(Credentials, CredsFlagWinsAndSplitsAtTheFirstColon) {
  CredentialSources s;
  s.creds = "AWS:pa:ss";
  s.files = {write("config.json", R"({"auths":{"r.example":{"auth":"dTpw"}}})")};
  Credential c = findCredential("r.example", s);
  EXPECT_EQ(c.username, "AWS");
  EXPECT_EQ(c.password, "pa:ss");
  EXPECT_EQ(c.source, "--creds");
}

TEST_F(Credentials, AuthsByHostAndDockerHubAliases) {
  CredentialSources s;
  // base64("tester:s3cret") and base64("hub:pw")
  s.files = {
      write("auth.json", R"({"auths":{"https://127.0.0.1:5000/v2/":{"auth":"dGVzdGVyOnMzY3JldA=="},
                                           "https://index.docker.io/v1/":{"auth":"aHViOnB3"}}})")};
  Credential c = findCredential("127.0.0.1:5000", s);
  EXPECT_EQ(c.username, "tester");
  EXPECT_EQ(c.password, "s3cret");
  EXPECT_EQ(c.source, s.files[0]);
  c = findCredential("docker.io", s);
  EXPECT_EQ(c.username, "hub");
  EXPECT_TRUE(findCredential("other:5000", s).empty());
}

TEST_F(Credentials, FilesInOrderMissingOnesSkipped) {
  CredentialSources s;
  s.files = {(dir_ / "missing.json").string(),
             write("a.json", R"({"auths":{"x.example":{"auth":"YTpi"}}})"),
             write("b.json", R"({"auths":{"x.example":{"auth":"Yzpk"}}})")};
  std::vector<std::string> tried;
  Credential c = findCredential("x.example", s, &tried);
  EXPECT_EQ(c.username, "a");
  ASSERT_EQ(tried.size(), 1u);  // the missing file is not named as consulted
  EXPECT_EQ(tried[0], s.files[1]);
}

TEST_F(Credentials, MalformedAuthFileIsAUsageError) {
  CredentialSources s;
  s.files = {write("bad.json", R"({"auths":{"x.example":{"auth":"%%%"}}})")};
  EXPECT_THROW(findCredential("x.example", s), UsageError);
  s.files = {write("bad2.json", "{not json")};
  EXPECT_THROW(findCredential("x.example", s), UsageError);
}

TEST_F(Credentials, DefaultFilesFollowTheContainersAndDockerOrder) {
  EXPECT_EQ(
      defaultAuthFiles("", "", "/run/user/0", "", "/root"),
      (std::vector<std::string>{"/run/user/0/containers/auth.json", "/root/.docker/config.json"}));
  EXPECT_EQ(defaultAuthFiles("/a.json", "/env.json", "/run/user/0", "/dc", "/root"),
            (std::vector<std::string>{"/a.json", "/dc/config.json"}));
  EXPECT_EQ(defaultAuthFiles("", "/env.json", "", "", ""), (std::vector<std::string>{"/env.json"}));
}

TEST_F(Credentials, HelpersByTheCredentialHelperProtocol) {
  // A helper that answers for one host only, and an identity token for another.
  write("docker-credential-pdunit",
        "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread host\n"
        "case \"$host\" in\n"
        "  h.example) echo "
        "'{\"ServerURL\":\"h.example\",\"Username\":\"AWS\",\"Secret\":\"tok\"}';;\n"
        "  t.example) echo '{\"Username\":\"<token>\",\"Secret\":\"refresh\"}';;\n"
        "  boom.example) echo 'exploded' >&2; echo 'keychain locked'; exit 3;;\n"
        "  *) echo 'credentials not found in native keychain'; exit 1;;\n"
        "esac\n",
        true);
  std::string path = std::string(std::getenv("PATH") ? std::getenv("PATH") : "");
  setenv("PATH", (dir_.string() + ":" + path).c_str(), 1);
  CredentialSources s;
  s.files = {
      write("config.json", R"({"credHelpers":{"h.example":"pdunit"},"credsStore":"pdunit"})")};
  Credential c = findCredential("h.example", s);
  EXPECT_EQ(c.username, "AWS");
  EXPECT_EQ(c.password, "tok");
  EXPECT_EQ(c.source, "docker-credential-pdunit");
  c = findCredential("t.example", s);  // through credsStore
  EXPECT_EQ(c.identityToken, "refresh");
  EXPECT_TRUE(c.username.empty());
  EXPECT_TRUE(findCredential("none.example", s).empty());
  EXPECT_THROW(findCredential("boom.example", s), UsageError);
  EXPECT_THROW(runCredentialHelper("pd-no-such-helper", "x"), UsageError);
  setenv("PATH", path.c_str(), 1);
}

}  // namespace
}  // namespace pd
