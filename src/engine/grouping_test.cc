#include "engine/grouping.h"

#include <gtest/gtest.h>

namespace pd {
namespace {

Meta mode(uint32_t m) {
  Meta x;
  x.mode = m;
  return x;
}

TEST(Grouping, OneGroupPerRootCauseAndLayer) {
  Meta a = mode(0600), b = mode(0700);
  std::vector<PathIssue> issues = {
      {.path = "/app/x/1", .root = "/app", .cause = "c", .layer = 1, .meta = &a},
      {.path = "/app/x/2", .root = "/app", .cause = "c", .layer = 1, .meta = &a},
      {.path = "/app/y", .root = "/app", .cause = "c", .layer = 2, .meta = &a},  // other layer
      {.path = "/app/z", .root = "/app", .cause = "d", .layer = 1, .meta = &b},  // other cause
  };
  std::vector<PathGroup> gs = groupByCause(issues);
  ASSERT_EQ(gs.size(), 3u);
  EXPECT_EQ(gs[0].top, "/app/x");
  EXPECT_EQ(gs[0].paths, (std::vector<std::string>{"/app/x/1", "/app/x/2"}));
  EXPECT_EQ(gs[0].cause, "c");
  EXPECT_EQ(gs[0].layer, 1);
  EXPECT_EQ(gs[1].top, "/app/y");
  EXPECT_EQ(gs[2].cause, "d");
  EXPECT_EQ(gs[2].meta, &b);
}

TEST(Grouping, TheTopIssueGivesMetaRelatedAndEvidence) {
  Meta dir = mode(0700), file = mode(0600);
  std::vector<PathIssue> issues = {
      {.path = "/app/d/f", .root = "/app", .cause = "c", .meta = &file, .evidence = {{"k", 2}}},
      {.path = "/app/d",
       .root = "/app",
       .cause = "c",
       .meta = &dir,
       .related = "/target",
       .evidence = {{"k", 1}}},
  };
  std::vector<PathGroup> gs = groupByCause(issues);
  ASSERT_EQ(gs.size(), 1u);
  EXPECT_EQ(gs[0].top, "/app/d");
  EXPECT_EQ(gs[0].meta, &dir);
  EXPECT_EQ(gs[0].related, "/target");
  EXPECT_EQ(gs[0].evidence["k"], 1);
}

TEST(Grouping, AGroupNeverClimbsAboveItsRoot) {
  Meta m = mode(0600);
  std::vector<PathIssue> issues = {
      {.path = "/srv/app/a", .root = "/srv/app", .cause = "c", .meta = &m},
      {.path = "/srv/app/b", .root = "/srv/app", .cause = "c", .meta = &m},
  };
  std::vector<PathGroup> gs = groupByCause(issues);
  ASSERT_EQ(gs.size(), 1u);
  EXPECT_EQ(gs[0].top, "/srv/app");
  EXPECT_EQ(gs[0].meta, &m);  // no issue at the top itself: the first one's
}

}  // namespace
}  // namespace pd
