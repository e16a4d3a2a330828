#include "fix/unified_diff.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

TEST(UnifiedDiff, EqualTextsHaveNone) {
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "Dockerfile"), "");
}

TEST(UnifiedDiff, OneChangedLineWithContext) {
  std::string before =
      "FROM base\nRUN a\nRUN b\nCOPY --chmod=0600 app.py /var/task/\nRUN c\n"
      "RUN d\nRUN e\nCMD [\"app.handler\"]\n";
  std::string after = before;
  after.replace(after.find("0600"), 4, "0644");
  EXPECT_EQ(unifiedDiff(before, after, "Dockerfile"),
            "--- Dockerfile\n+++ Dockerfile\n@@ -1,7 +1,7 @@\n FROM base\n RUN a\n RUN b\n"
            "-COPY --chmod=0600 app.py /var/task/\n+COPY --chmod=0644 app.py /var/task/\n"
            " RUN c\n RUN d\n RUN e\n");
}

TEST(UnifiedDiff, InsertionsDeletionsAndSeparateHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += "L" + std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("L2\n"), 3, "");               // delete line 2
  after.replace(after.find("L18\n"), 0, "NEW1\nNEW2\n");  // insert before line 18
  EXPECT_EQ(unifiedDiff(before, after, "D"),
            "--- D\n+++ D\n@@ -1,5 +1,4 @@\n L1\n-L2\n L3\n L4\n L5\n"
            "@@ -15,6 +14,8 @@\n L15\n L16\n L17\n+NEW1\n+NEW2\n L18\n L19\n L20\n");
}

TEST(UnifiedDiff, MissingFinalNewlineIsMarked) {
  EXPECT_EQ(unifiedDiff("USER root", "USER 10001:10001", "D"),
            "--- D\n+++ D\n@@ -1 +1 @@\n-USER root\n\\ No newline at end of file\n"
            "+USER 10001:10001\n\\ No newline at end of file\n");
  EXPECT_EQ(unifiedDiff("", "ENV A=1\n", "D"), "--- D\n+++ D\n@@ -0,0 +1 @@\n+ENV A=1\n");
  // A line appended to a file without a final newline changes the last line too.
  EXPECT_EQ(unifiedDiff("FROM a\nCMD x", "FROM a\nCMD x\nUSER 1\n", "D"),
            "--- D\n+++ D\n@@ -1,2 +1,3 @@\n FROM a\n-CMD x\n\\ No newline at end of file\n"
            "+CMD x\n+USER 1\n");
}

}  // namespace
}  // namespace pd
