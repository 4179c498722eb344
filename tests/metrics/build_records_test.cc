#include "metrics/build_records.h"

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace plinth::metrics {
namespace {

TEST(BuildRecordsTest, KeepsBuildsAndTargetsNewestFirst) {
  testing::ScratchDir dir;
  {
    auto records = BuildRecords::Open(dir / "builds.db");
    ASSERT_TRUE(records.ok()) << records.error().ToString();
    BuildRecord first{.started = 100, .seconds = 2.5, .built = 1, .cached = 1};
    first.targets = {{"redis", "linux/amd64", "k1", "built", 1.5, 1234, 3, "sha256:aa"},
                     {"mongodb", "linux/amd64", "k2", "cached", 0.0, 999, 2, "sha256:bb"}};
    ASSERT_TRUE(records->Add(first).ok());
    BuildRecord second{.started = 200, .seconds = 0.1, .cached = 2};
    ASSERT_TRUE(records->Add(second).ok());
  }
  auto reopened = BuildRecords::Open(dir / "builds.db");
  ASSERT_TRUE(reopened.ok());
  auto recent = reopened->Recent(10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].started, 200);
  EXPECT_EQ((*recent)[1].targets.size(), 2u);
  EXPECT_EQ((*recent)[1].targets[0].target, "redis");
  EXPECT_EQ((*recent)[1].targets[0].size, 1234);
  EXPECT_EQ((*recent)[1].targets[1].outcome, "cached");
}

TEST(BuildRecordsTest, UnwritablePathIsAClearError) {
  auto records = BuildRecords::Open("/nonexistent-dir/x/builds.db");
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.error().message().find("/nonexistent-dir/x/builds.db"), std::string::npos);
}

}  // namespace
}  // namespace plinth::metrics
