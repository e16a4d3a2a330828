#include "fs/path.h"

#include <gtest/gtest.h>

#include <random>
#include <utility>
#include <vector>

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
  // Texts longer than the matcher's stack buffer take the heap path and still match.
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "/d";
  EXPECT_TRUE(globMatch("/d/**/d", deep));
  EXPECT_FALSE(globMatch("/d/*/d", deep));
  EXPECT_TRUE(globMatch("**", deep + "/x"));
}

namespace {

// The first matcher (dynamic programming from the end of the pattern, allocating its tokens and
// rows on every call), kept as the reference the faster one must agree with.
bool referenceGlobMatch(std::string_view p, std::string_view t) {
  enum Kind { kLit, kAny, kStar, kStarStar, kStarStarSlash };
  std::vector<std::pair<Kind, char>> toks;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      bool slash = i + 2 < p.size() && p[i + 2] == '/';
      toks.push_back({slash ? kStarStarSlash : kStarStar, 0});
      i += slash ? 2 : 1;
    } else if (p[i] == '*') {
      toks.push_back({kStar, 0});
    } else if (p[i] == '?') {
      toks.push_back({kAny, 0});
    } else {
      toks.push_back({kLit, p[i]});
    }
  }
  const size_t n = t.size();
  std::vector<char> next(n + 1, 0), cur(n + 1, 0);
  next[n] = 1;
  for (size_t k = toks.size(); k-- > 0;) {
    auto [kind, c] = toks[k];
    cur[n] = (kind == kStar || kind == kStarStar || kind == kStarStarSlash) ? next[n] : 0;
    bool g = false;
    for (size_t j = n; j-- > 0;) {
      switch (kind) {
        case kLit:
          cur[j] = t[j] == c && next[j + 1];
          break;
        case kAny:
          cur[j] = t[j] != '/' && next[j + 1];
          break;
        case kStar:
          cur[j] = next[j] || (t[j] != '/' && cur[j + 1]);
          break;
        case kStarStar:
          cur[j] = next[j] || cur[j + 1];
          break;
        case kStarStarSlash:
          g = g || (t[j] == '/' && next[j + 1]);
          cur[j] = next[j] || g;
          break;
      }
    }
    std::swap(next, cur);
  }
  return next[0];
}

std::string randomString(std::mt19937& rng, const std::vector<std::string>& pieces, int maxLen) {
  std::string s;
  int len = static_cast<int>(rng() % (maxLen + 1));
  for (int i = 0; i < len; ++i) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST(Path, GlobMatchAgreesWithTheReferenceMatcher) {
  std::mt19937 rng(20261125);
  const std::vector<std::string> patPieces = {"a", "b", "/", ".", "*", "?", "**", "**/", "/**"};
  const std::vector<std::string> textPieces = {"a", "b", "/", ".", "ab", "/a", "b/"};
  size_t matched = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string p = randomString(rng, patPieces, 7);
    std::string t = randomString(rng, textPieces, 9);
    bool want = referenceGlobMatch(p, t);
    matched += want;
    ASSERT_EQ(globMatch(p, t), want) << "pattern '" << p << "' text '" << t << "'";
  }
  // The random cases must exercise both outcomes.
  EXPECT_GT(matched, 5000u);
  EXPECT_LT(matched, 195000u);
  // And the shapes the rule tables and suppressions use, on real-looking paths.
  const std::vector<std::string> patterns = {"*.pem",
                                             "id_?sa",
                                             "/var/task/**",
                                             "/var/**/c.py",
                                             "**/.aws/credentials",
                                             "/usr/*/bin",
                                             "**",
                                             "*",
                                             "",
                                             "/",
                                             "**/",
                                             "/**",
                                             "/var/cache/apt/**",
                                             "/root/.cache/pip/**",
                                             ".env.*",
                                             "**/node_modules/**/*.js",
                                             "/*/*/*",
                                             "*/",
                                             "a**b",
                                             "***",
                                             "**/**/x"};
  const std::vector<std::string> texts = {"",
                                          "/",
                                          "key.pem",
                                          "/etc/ssl/key.pem",
                                          "/var/task/a/b/c.py",
                                          "/var/c.py",
                                          "id_rsa",
                                          "/root/.aws/credentials",
                                          ".aws/credentials",
                                          "/usr/local/bin",
                                          "/usr/bin",
                                          "/var/cache/apt",
                                          "/var/cache/apt/archives/x.deb",
                                          ".env.local",
                                          "/app/node_modules/x/y/z.js",
                                          "/a/b/c",
                                          "/a/b/c/",
                                          "ab",
                                          "a/b",
                                          "//x",
                                          "/x"};
  for (const auto& p : patterns)
    for (const auto& t : texts)
      EXPECT_EQ(globMatch(p, t), referenceGlobMatch(p, t))
          << "pattern '" << p << "' text '" << t << "'";
}

}  // namespace pd
