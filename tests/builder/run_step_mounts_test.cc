// The lock a cache mount's sharing takes: `locked` waits for it, `private` is told the cache is
// busy (and takes a fresh folder) while another step holds it.
#include "builder/run_step_mounts.h"

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace plinth::builder {
namespace {

TEST(RunStepMountsTest, APrivateUserIsToldTheCacheIsBusyWhileAnotherHoldsIt) {
  testing::ScratchDir dir;
  std::string lock = dir / "cache.lock";
  auto first = HeldLock::Take(lock, /*wait=*/true);
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_TRUE(first->has_value());
  auto busy = HeldLock::Take(lock, /*wait=*/false);
  ASSERT_TRUE(busy) << busy.error().ToString();
  EXPECT_FALSE(busy->has_value());
  first->reset();  // the first step ends
  auto free = HeldLock::Take(lock, /*wait=*/false);
  ASSERT_TRUE(free) << free.error().ToString();
  EXPECT_TRUE(free->has_value());
}

TEST(RunStepMountsTest, ALockInAFolderThatIsNotThereIsAnErrorNamingIt) {
  testing::ScratchDir dir;
  auto r = HeldLock::Take(dir / "missing/cache.lock", true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("missing/cache.lock"), std::string::npos);
}

}  // namespace
}  // namespace plinth::builder
