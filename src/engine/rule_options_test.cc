#include "engine/rule_options.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/error.h"
#include "engine/rule_table.h"

namespace pd {
namespace {

TEST(RuleOptions, ByteCountsInBinaryAndDecimalUnits) {
  int64_t n = -1;
  EXPECT_TRUE(parseByteCount("4096", n));
  EXPECT_EQ(n, 4096);
  EXPECT_TRUE(parseByteCount("512KiB", n));
  EXPECT_EQ(n, 512 << 10);
  EXPECT_TRUE(parseByteCount("10GiB", n));
  EXPECT_EQ(n, 10LL << 30);
  EXPECT_TRUE(parseByteCount("3MB", n));
  EXPECT_EQ(n, 3000000);
  for (const char* bad : {"", "-1", "1.5MiB", "10 MiB", "10mib", "MiB", "9223372036854775808",
                          "9000000TiB", "99999999999999999999"})
    EXPECT_FALSE(parseByteCount(bad, n)) << bad;
}

TEST(RuleOptions, DefaultsComeFromTheEntriesAndSettingsOverrideThem) {
  RuleOptions o = RuleOptions::resolve(ruleTable(), {});
  EXPECT_EQ(o.bytes("PD306.min-wasted-bytes"), 10LL << 20);
  EXPECT_DOUBLE_EQ(o.fraction("PD306.min-wasted-fraction"), 0.05);
  EXPECT_EQ(o.bytes("PD405.max-bytes"), 10LL << 30);
  EXPECT_EQ(o.text("PD503.expect-digest"), "");
  std::string d = "sha256:" + std::string(64, 'a');
  o = RuleOptions::resolve(
      ruleTable(),
      {"pd306.min-wasted-bytes=1MiB", "PD306.min-wasted-fraction=0", "PD503.expect-digest=" + d});
  EXPECT_EQ(o.bytes("PD306.min-wasted-bytes"), 1LL << 20);
  EXPECT_DOUBLE_EQ(o.fraction("PD306.min-wasted-fraction"), 0);
  EXPECT_EQ(o.text("PD503.expect-digest"), d);
}

TEST(RuleOptions, BadSettingsAreUsageErrorsThatSayWhy) {
  auto why = [](const std::string& s) {
    try {
      RuleOptions::resolve(ruleTable(), {s});
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(why("PD306.min-wasted-bytes"),
            "--rule-option PD306.min-wasted-bytes: expected RULE.OPTION=VALUE "
            "(PD306.min-wasted-bytes=20MiB)");
  EXPECT_EQ(why("PD999.x=1"), "--rule-option PD999.x=1: no rule PD999");
  EXPECT_EQ(why("PD101.x=1"), "--rule-option PD101.x=1: PD101 has no options");
  EXPECT_EQ(why("PD306.min-bytes=1"),
            "--rule-option PD306.min-bytes=1: PD306 has no option \"min-bytes\" (it has "
            "min-wasted-bytes, min-wasted-fraction)");
  EXPECT_EQ(why("PD306.min-wasted-bytes=-5"),
            "--rule-option PD306.min-wasted-bytes=-5: expected a byte count such as 4096, 512KiB "
            "or 10MiB");
  EXPECT_EQ(why("PD306.min-wasted-fraction=1.5"),
            "--rule-option PD306.min-wasted-fraction=1.5: expected a fraction from 0 to 1, such "
            "as 0.05");
  EXPECT_EQ(why("PD306.min-wasted-fraction=nan"),
            "--rule-option PD306.min-wasted-fraction=nan: expected a fraction from 0 to 1, such "
            "as 0.05");
  EXPECT_EQ(why("PD503.expect-digest=sha512:" + std::string(128, 'a')).find("expected sha256:"),
            std::string("--rule-option PD503.expect-digest=sha512:").size() + 128 + 2);
}

TEST(RuleOptions, AKeyNoRuleDeclaredIsABug) {
  RuleOptions o = RuleOptions::resolve(ruleTable(), {});
  EXPECT_THROW(o.bytes("PD306.no-such"), std::logic_error);
}

}  // namespace
}  // namespace pd
