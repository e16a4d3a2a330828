#include "remote/registry.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

TEST(AuthChallenge, BearerWithQuotedParams) {
  auto cs = parseAuthChallenges(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull")");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].scheme, "bearer");
  EXPECT_EQ(cs[0].params["realm"], "https://auth.example/token");
  EXPECT_EQ(cs[0].params["service"], "registry.example");
  EXPECT_EQ(cs[0].params["scope"], "repository:a/b:pull");
}

TEST(AuthChallenge, SeveralSchemesCommasInQuotesAndEscapes) {
  auto cs = parseAuthChallenges(
      R"(Basic realm="My \"Registry\"", Bearer realm="https://t/x?a=1,b=2", service=svc)");
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].scheme, "basic");
  EXPECT_EQ(cs[0].params["realm"], "My \"Registry\"");
  EXPECT_EQ(cs[1].scheme, "bearer");
  EXPECT_EQ(cs[1].params["realm"], "https://t/x?a=1,b=2");
  EXPECT_EQ(cs[1].params["service"], "svc");
}

TEST(AuthChallenge, MalformedHeadersNeverThrowOrLoop) {
  for (const char* h : {"", ",,,", "Bearer", "Bearer realm=\"unterminated", "= = =", "Basic ,"})
    EXPECT_NO_THROW(parseAuthChallenges(h)) << h;
  EXPECT_EQ(parseAuthChallenges("Bearer realm=\"unterminated")[0].params["realm"], "unterminated");
}

}  // namespace
}  // namespace pd
