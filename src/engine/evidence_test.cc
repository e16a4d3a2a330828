#include "engine/evidence.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pd {
namespace {

TEST(Evidence, StartsAsAnEmptyObjectAndCopiesDeeply) {
  Evidence e;
  EXPECT_EQ(e.json(), nlohmann::json::object());
  e = {{"mode", "0600"}, {"uid", 0}};
  e["blockedBy"] = "/app";
  Evidence copy = e;
  copy["uid"] = 1;
  EXPECT_EQ(e.json()["uid"], 0);
  EXPECT_EQ(copy.json()["uid"], 1);
  EXPECT_EQ(copy.json()["blockedBy"], "/app");
}

TEST(Evidence, AMovedFromEvidenceIsEmptyNotBroken) {
  Evidence e;
  e = {{"k", 1}};
  Evidence moved = std::move(e);
  EXPECT_EQ(moved.json()["k"], 1);
  EXPECT_EQ(e.json(), nlohmann::json::object());  // NOLINT(bugprone-use-after-move)
  e["k"] = 2;
  EXPECT_EQ(e.json()["k"], 2);
}

}  // namespace
}  // namespace pd
