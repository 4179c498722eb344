#include "util/safe_path.h"

#include <gtest/gtest.h>

namespace plinth {
namespace {

TEST(SafePathTest, CleansLexically) {
  EXPECT_EQ(CleanPath("a//b/./c/../d"), "a/b/d");
  EXPECT_EQ(CleanPath("/../x"), "/x");
  EXPECT_EQ(CleanPath(""), ".");
  EXPECT_EQ(CleanPath("../a"), "../a");
}

TEST(SafePathTest, RefusesClimbingAboveRoot) {
  EXPECT_FALSE(RelativeInsideRoot("../../etc").ok());
  EXPECT_FALSE(RelativeInsideRoot("a/../../b").ok());
  EXPECT_EQ(*RelativeInsideRoot("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(*RelativeInsideRoot("a/../b"), "b");
  EXPECT_EQ(*RelativeInsideRoot("/"), ".");
  EXPECT_FALSE(StrictRelative("/etc/passwd").ok());
}

TEST(SafePathTest, ResolvesSymlinksInsideRoot) {
  EXPECT_EQ(*ResolveLinkInsideRoot("usr/bin/python3", "python3.11"), "usr/bin/python3.11");
  EXPECT_EQ(*ResolveLinkInsideRoot("bin", "usr/bin"), "usr/bin");
  EXPECT_EQ(*ResolveLinkInsideRoot("a/b", "/etc/x"), "etc/x");
  EXPECT_FALSE(ResolveLinkInsideRoot("a/b", "../../x").ok());
}

TEST(SafePathTest, JoinsUnderRoot) {
  EXPECT_EQ(*SafeJoin("/r", "a/b"), "/r/a/b");
  EXPECT_EQ(*SafeJoin("/r", "."), "/r");
  EXPECT_FALSE(SafeJoin("/r", "../x").ok());
}

}  // namespace
}  // namespace plinth
