#include "fs/path.h"

#include <gtest/gtest.h>

namespace pd {

TEST(Path, CleansNamesIntoTheRoot) {
  bool esc = false;
  EXPECT_EQ(cleanPath("./etc/passwd", &esc), "/etc/passwd");
  EXPECT_FALSE(esc);
  EXPECT_EQ(cleanPath("a//b/./c/", &esc), "/a/b/c");
  EXPECT_FALSE(esc);
  EXPECT_EQ(cleanPath("/etc/shadow", &esc), "/etc/shadow");
  EXPECT_TRUE(esc);
  EXPECT_EQ(cleanPath("../../etc/x", &esc), "/etc/x");
  EXPECT_TRUE(esc);
  EXPECT_EQ(cleanPath("a/../../b", &esc), "/b");
  EXPECT_TRUE(esc);
  EXPECT_EQ(cleanPath("a/b/../c", &esc), "/a/c");
  EXPECT_FALSE(esc);
  EXPECT_EQ(cleanPath("./", &esc), "/");
}

TEST(Path, ResolvesLinkTargets) {
  EXPECT_EQ(resolveRelative("/usr/bin", "../lib/x", nullptr), "/usr/lib/x");
  EXPECT_EQ(resolveRelative("/usr/bin", "/bin/sh", nullptr), "/bin/sh");
  bool esc = false;
  EXPECT_EQ(resolveRelative("/a", "../../../x", &esc), "/x");
  EXPECT_TRUE(esc);
}

TEST(Path, ParentsAndBases) {
  EXPECT_EQ(parentOf("/a/b"), "/a");
  EXPECT_EQ(parentOf("/a"), "/");
  EXPECT_EQ(parentOf("/"), "/");
  EXPECT_EQ(baseName("/a/b"), "b");
  EXPECT_TRUE(isUnder("/a/b", "/a"));
  EXPECT_TRUE(isUnder("/a", "/a"));
  EXPECT_FALSE(isUnder("/ab", "/a"));
  EXPECT_TRUE(isUnder("/x", "/"));
}

TEST(Path, Globs) {
  EXPECT_TRUE(globMatch("*.pem", "key.pem"));
  EXPECT_FALSE(globMatch("*.pem", "dir/key.pem"));
  EXPECT_TRUE(globMatch("/var/task/**", "/var/task/a/b/c.py"));
  EXPECT_TRUE(globMatch("/var/**/c.py", "/var/task/a/b/c.py"));
  EXPECT_TRUE(globMatch("/var/**/c.py", "/var/c.py"));
  EXPECT_FALSE(globMatch("/var/*/c.py", "/var/a/b/c.py"));
  EXPECT_TRUE(globMatch("id_?sa", "id_rsa"));
  EXPECT_FALSE(globMatch("id_?sa", "id_rsa.pub"));
  EXPECT_TRUE(globMatch("**/.aws/credentials", "/root/.aws/credentials"));
  // Pathological patterns stay fast (no backtracking blow-up).
  std::string text(4000, 'a');
  EXPECT_FALSE(globMatch("*a*a*a*a*a*a*a*a*a*a*b", text));
}

}  // namespace pd
