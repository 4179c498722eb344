#include "plan/cache_key.h"

#include <gtest/gtest.h>

namespace plinth::plan {
namespace {

TEST(CacheKeyTest, DependsOnEveryInputAndNotOnOrder) {
  CacheKey a, b;
  a.Add("platform", "linux/arm64");
  a.Add("context:app.py", "sha256:1");
  b.Add("context:app.py", "sha256:1");
  b.Add("platform", "linux/arm64");
  EXPECT_EQ(a.Digest(), b.Digest());
  b.Add("context:app.py", "sha256:2");
  EXPECT_NE(a.Digest(), b.Digest());
  // name and value cannot be confused by concatenation
  CacheKey c, d;
  c.Add("ab", "c");
  d.Add("a", "bc");
  EXPECT_NE(c.Digest(), d.Digest());
}

TEST(CacheKeyTest, ExplainsWhatChanged) {
  CacheKey before, now;
  before.Add("platform", "linux/arm64");
  before.Add("context:a.py", "sha256:1");
  before.Add("arg:OLD", "1");
  now.Add("platform", "linux/arm64");
  now.Add("context:a.py", "sha256:2");
  now.Add("base:pickme/lucid-base:latest-arm64", "sha256:9");
  auto diff = now.Diff(before);
  EXPECT_EQ(diff, (std::vector<std::string>{"base:pickme/lucid-base:latest-arm64 added",
                                            "context:a.py changed", "arg:OLD removed"}));
}

}  // namespace
}  // namespace plinth::plan
