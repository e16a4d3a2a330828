#include "common/text.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

TEST(Text, EscapeControlShowsControlBytes) {
  EXPECT_EQ(escapeControl("a\x1b[2Jb\nc\x7f"), "a\\x1b[2Jb\\x0ac\\x7f");
  EXPECT_EQ(escapeControl("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes as it is
}

TEST(Text, PercentEncodeKeepsUnreservedAndWhatIsAsked) {
  EXPECT_EQ(percentEncode("a b/[1]~x.tar"), "a%20b%2F%5B1%5D~x.tar");
  EXPECT_EQ(percentEncode("a b/[1]", "/"), "a%20b/%5B1%5D");
  EXPECT_EQ(percentEncode("<stdin>"), "%3Cstdin%3E");
  EXPECT_EQ(percentEncode("\xc3\xa9"), "%C3%A9");
}

TEST(Text, SplitNonEmptySkipsEmptyPieces) {
  EXPECT_EQ(splitNonEmpty("/a::/b/:", ':'), (std::vector<std::string_view>{"/a", "/b/"}));
  EXPECT_EQ(splitNonEmpty("PD201,PD206", ','), (std::vector<std::string_view>{"PD201", "PD206"}));
  EXPECT_TRUE(splitNonEmpty("", ',').empty());
  EXPECT_TRUE(splitNonEmpty(",,", ',').empty());
}

TEST(Text, ShellQuoteOnlyWhenAShellWouldSplitOrExpand) {
  EXPECT_EQ(shellQuote("/var/task/app.py"), "/var/task/app.py");
  EXPECT_EQ(shellQuote("/srv/my app/x"), "'/srv/my app/x'");
  EXPECT_EQ(shellQuote("/a/$HOME"), "'/a/$HOME'");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(shellQuote(""), "''");
}

TEST(Text, DockerCopyUsesTheJsonFormForPathsWithSpaces) {
  EXPECT_EQ(dockerCopy("--chmod=0644", "app.py", "/var/task/app.py"),
            "COPY --chmod=0644 app.py /var/task/app.py");
  EXPECT_EQ(dockerCopy("", "<src>", "/app/static"), "COPY <src> /app/static");
  EXPECT_EQ(dockerCopy("--chmod=0644", "my file", "/srv/my file"),
            "COPY --chmod=0644 [\"my file\", \"/srv/my file\"]");
}

TEST(Text, NonUtf8BytesAndControlBytesShowAsHex) {
  EXPECT_EQ(escapeControlAndNonUtf8("caf\xe9-\xc3\xa9\x1b!"), "caf\\xe9-\xc3\xa9\\x1b!");
  EXPECT_EQ(escapeControlAndNonUtf8("\xc3"), "\\xc3");                    // cut short
  EXPECT_EQ(escapeControlAndNonUtf8("\xc0\xaf"), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(escapeControlAndNonUtf8("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

}  // namespace
}  // namespace pd
