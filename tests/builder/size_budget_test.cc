// A tier's size_budget against an image's compressed size: at or under passes, over fails at
// the tier's place in plinth.yaml with both sizes, how far over, and the tier.
#include "builder/size_budget.h"

#include <gtest/gtest.h>

namespace plinth::builder {
namespace {

const SizeBudget kBudget{1000, "application", {"plinth.yaml", 12, 3}};

TEST(SizeBudgetTest, AtOrUnderTheBudgetPasses) {
  EXPECT_TRUE(CheckSizeBudget(999, kBudget));
  EXPECT_TRUE(CheckSizeBudget(1000, kBudget));
}

TEST(SizeBudgetTest, OverTheBudgetFailsWithBothSizesAndTheTier) {
  auto checked = CheckSizeBudget(1250, kBudget);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().kind(), ErrorKind::kFailed);
  EXPECT_EQ(checked.error().ToString(),
            "plinth.yaml:12:3: image is 1.2 kB compressed (layers, config and manifest), over the "
            "1.0 kB size_budget of tier \"application\" by 250 B");
}

}  // namespace
}  // namespace plinth::builder
