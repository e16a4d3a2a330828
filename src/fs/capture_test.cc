// The compiled capture globs must decide exactly what matching every glob one by one decided.
#include "fs/capture.h"

#include <gtest/gtest.h>

#include <random>

#include "engine/embedded.h"
#include "engine/engine.h"
#include "fs/path.h"

namespace pd {
namespace {

// What CapturePolicy::wants did before the globs were compiled: every glob, every call.
bool referenceMatches(const std::vector<std::string>& globs, const std::string& path) {
  for (const auto& g : globs) {
    bool hit = g.find('/') == std::string::npos ? globMatch(g, baseName(path))
                                                : globMatch("**/" + g, path);
    if (hit) return true;
  }
  return false;
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& v) {
  return v[rng() % v.size()];
}

TEST(NameGlobs, AgreeWithGlobByGlobMatchingOnTheSecretTable) {
  const std::vector<std::string> globs = dataLines("data/secret_files.txt");
  ASSERT_GT(globs.size(), 10u);
  NameGlobs compiled(globs);
  const std::vector<std::string> dirs = {"",           "/root", "/home/u",          "/app/.aws",
                                         "/x/.docker", "/.env", "/etc/ssl/private", "/a/b/c"};
  const std::vector<std::string> bases = {"id_rsa",
                                          "id_rsa.pub",
                                          "id_ed25519_sk",
                                          "server.pem",
                                          ".pem",
                                          "pem",
                                          "tls.key",
                                          "key",
                                          "a.p12",
                                          "b.pfx",
                                          "credentials",
                                          "config.json",
                                          ".npmrc",
                                          "npmrc",
                                          ".pypirc",
                                          ".netrc",
                                          ".git-credentials",
                                          ".env",
                                          ".env.local",
                                          ".env.",
                                          "prod.env",
                                          "env",
                                          ".envrc",
                                          "x.pem.bak",
                                          "README.md",
                                          "id_dsa",
                                          "id_ecdsa"};
  size_t hits = 0;
  std::vector<std::string> paths;
  for (const auto& d : dirs)
    for (const auto& b : bases) paths.push_back(d + "/" + b);
  paths.insert(paths.end(), {"/.aws/credentials", "/root/.aws/credentials", ".aws/credentials",
                             "/root/.aws/credentials.bak", "/root/x.aws/credentials",
                             "/root/.docker/config.json", "/.docker/config.json", "/", ""});
  for (const auto& p : paths) {
    bool want = referenceMatches(globs, p);
    hits += want;
    EXPECT_EQ(compiled.matches(p), want) << p;
  }
  EXPECT_GT(hits, 50u);
}

TEST(NameGlobs, AgreeWithGlobByGlobMatchingOnRandomGlobs) {
  std::mt19937 rng(7);
  const std::vector<std::string> parts = {"a", "b", ".", "*", "?", "/", "ab", ".a", "**"};
  const std::vector<std::string> names = {"a", "b", ".", "ab", ".a", "a.b", "ba", "", "a/b"};
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> globs;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      std::string g;
      for (int n = 1 + static_cast<int>(rng() % 4); n > 0; --n) g += pick(rng, parts);
      globs.push_back(g);
    }
    NameGlobs compiled(globs);
    for (int i = 0; i < 20; ++i) {
      std::string p;
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) p += "/" + pick(rng, names);
      ASSERT_EQ(compiled.matches(p), referenceMatches(globs, p))
          << "path '" << p << "' first glob '" << globs[0] << "' of " << globs.size();
    }
  }
}

TEST(CapturePolicy, WantsWholeFilesSecretsAndHeads) {
  CapturePolicy p = rulesCapturePolicy();
  EXPECT_EQ(p.wants("/etc/passwd", 100), CapturePolicy::Want::Whole);
  EXPECT_EQ(p.wants("/etc/passwd", int64_t{2} << 20), CapturePolicy::Want::Head);
  EXPECT_EQ(p.wants("/root/.ssh/id_rsa", 1000), CapturePolicy::Want::Whole);
  EXPECT_EQ(p.wants("/root/.ssh/id_rsa", 1 << 20), CapturePolicy::Want::Head);
  EXPECT_EQ(p.wants("/root/.aws/credentials", 10), CapturePolicy::Want::Whole);
  EXPECT_EQ(p.wants("/usr/bin/ls", 1000), CapturePolicy::Want::Head);
  EXPECT_EQ(p.wants("/usr/share/empty", 0), CapturePolicy::Want::Nothing);
  EXPECT_EQ(CapturePolicy().wants("/etc/passwd", 10), CapturePolicy::Want::Head);
}

TEST(Shebang, SplitOnceLikeLinux) {
  Shebang a = splitShebang(" /usr/bin/env  python3 -u \t");
  EXPECT_EQ(a.interp, "/usr/bin/env");
  EXPECT_EQ(a.arg, "python3 -u");  // ONE argument, inner blanks kept
  Shebang b = splitShebang("/bin/sh");
  EXPECT_EQ(b.interp, "/bin/sh");
  EXPECT_EQ(b.arg, "");
  EXPECT_EQ(splitShebang("  \t").interp, "");
}

TEST(ElfMachine, ArchitectureAndMultiarchDirectoryFromOneTable) {
  EXPECT_STREQ(elfMachineArch(62, 2), "amd64");
  EXPECT_STREQ(multiarchTriplet(62, 2), "x86_64-linux-gnu");
  EXPECT_STREQ(elfMachineArch(183, 2), "arm64");
  EXPECT_STREQ(multiarchTriplet(183, 2), "aarch64-linux-gnu");
  // One e_machine for both widths: the class decides.
  EXPECT_STREQ(elfMachineArch(8, 2), "mips64");
  EXPECT_STREQ(elfMachineArch(8, 1), "mips");
  EXPECT_STREQ(elfMachineArch(20, 1), "ppc");
  EXPECT_STREQ(multiarchTriplet(20, 1), "powerpc-linux-gnu");
  EXPECT_STREQ(elfMachineArch(9999, 2), "unknown");
  EXPECT_EQ(multiarchTriplet(9999, 2), nullptr);
}

}  // namespace
}  // namespace pd
