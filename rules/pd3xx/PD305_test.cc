#include <gtest/gtest.h>

#include <map>

#include "support/image_builder.h"

namespace pd::testing {
namespace {

Image withEnv(std::vector<std::string> env, std::vector<std::string> history = {}) {
  ImageBuilder b;
  b.layer("base").file("/bin/sh", 0755, "#!/bin/true\n").config([&](ImageConfig& c) {
    c.user = "65534";
    c.cmd = {"/bin/sh"};
    c.env = env;
    for (const auto& h : history) c.history.push_back({h, true});
  });
  return b.build();
}

std::map<std::string, Finding> byName(const std::vector<Finding>& fs) {
  std::map<std::string, Finding> m;
  for (const auto& f : fs) m[f.evidence.json()["name"]] = f;
  return m;
}

TEST(PD305, SecretNamesWithValuesFireOncePerVariable) {
  auto fs = byName(findingsOf(
      lintImage(withEnv({"PATH=/usr/bin:/bin", "DB_PASSWORD=changeme", "github_token=ghp_fixture",
                         "STRIPE_API_KEY=sk_test_x", "AWS_SECRET_ACCESS_KEY=abc/def", "DB_PASS=p",
                         "SMTP_PASSWD=q", "JWT_SECRET=s", "MY_PRIVATE_KEY=k", "S3_ACCESS_KEY=a"},
                        {"ENV DB_PASSWORD=changeme GITHUB=1"})),
      "PD305"));
  ASSERT_EQ(fs.size(), 9u);
  const Finding& db = fs.at("DB_PASSWORD");
  EXPECT_FALSE(db.path.has_value());
  EXPECT_EQ(db.evidence.json()["valueLength"], 8);
  EXPECT_EQ(db.evidence.json()["matched"], "PASSWORD");
  EXPECT_EQ(db.evidence.json()["history"], 1);
  EXPECT_EQ(fs.at("STRIPE_API_KEY").evidence.json()["matched"], "API_KEY");
  EXPECT_EQ(fs.at("github_token").evidence.json()["matched"], "TOKEN");
  EXPECT_FALSE(fs.at("github_token").evidence.json().contains("history"));
  for (const auto& [n, f] : fs) {
    for (const char* v : {"changeme", "ghp_fixture", "sk_test_x", "abc/def"}) {
      EXPECT_EQ(f.message.find(v), std::string::npos) << n;
      EXPECT_EQ(f.evidence.json().dump().find(v), std::string::npos) << n;
      EXPECT_EQ(f.fix.find(v), std::string::npos) << n;
    }
  }
}

TEST(PD305, EmptyValuesPathsAndLookAlikesAreQuiet) {
  auto fs = findingsOf(
      lintImage(withEnv({"DB_PASSWORD=", "API_KEY", "DB_HOST=db",
                         "POSTGRES_PASSWORD_FILE=/run/secrets/db", "TOKEN_PATH=/var/run/token",
                         "SECRETS_DIR=/run/secrets", "BYPASS_CACHE=1", "PASSPHRASE_HINT=x",
                         "KEYRING=x", "API_KEYRING=x", "KEY_API=x", "TOKENIZER=bert"})),
      "PD305");
  for (const auto& f : fs) ADD_FAILURE() << f.message;
}

TEST(PD305, LastAssignmentWins) {
  auto fs = findingsOf(lintImage(withEnv({"APP_TOKEN=abc", "APP_TOKEN="})), "PD305");
  EXPECT_TRUE(fs.empty());
  fs = findingsOf(lintImage(withEnv({"APP_TOKEN=", "APP_TOKEN=abcd"})), "PD305");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].evidence.json()["valueLength"], 4);
}

}  // namespace
}  // namespace pd::testing
