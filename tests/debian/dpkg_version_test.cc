#include "debian/dpkg_version.h"

#include <gtest/gtest.h>

namespace plinth::debian {
namespace {

struct Case {
  const char* a;
  const char* b;
  int want;  // sign of compare(a, b), as `dpkg --compare-versions` reports it
};

// Cases from dpkg's own test suite (lib/dpkg/t/t-version.c) and Debian Policy 5.6.12.
const Case kCases[] = {
    {"1.0", "1.0", 0},
    {"1.0", "1.0-0", 0},
    {"0:1.0", "1.0", 0},
    {"1:1.0", "2.0", 1},
    {"1.0", "1.1", -1},
    {"1.10", "1.9", 1},
    {"1.0~rc1", "1.0", -1},
    {"1.0~~", "1.0~", -1},
    {"1.0~", "1.0", -1},
    {"1.0", "1.0+b1", -1},
    {"1.0a", "1.0", 1},
    {"1.0a", "1.0+", -1},
    {"1.0-1", "1.0-2", -1},
    {"1.0-10", "1.0-9", 1},
    {"2.36-9+deb12u4", "2.36-9+deb12u10", -1},
    {"3.11.2-6+deb12u1", "3.11.2-6", 1},
    {"1:0.1", "0:9.9", 1},
    {"1.2.3", "1.2.3.0", -1},
    {"009", "9", 0},
    {"1.0-1~bpo1", "1.0-1", -1},
    {"2.0.0~beta1+dfsg", "2.0.0", -1},
    {"a", "b", -1},
    {"1.0.", "1.0", 1},
};

TEST(DpkgVersionTest, OrdersLikeDpkg) {
  for (const auto& c : kCases) {
    EXPECT_EQ(CompareVersions(c.a, c.b), c.want) << c.a << " vs " << c.b;
    EXPECT_EQ(CompareVersions(c.b, c.a), -c.want) << c.b << " vs " << c.a;
  }
}

TEST(DpkgVersionTest, SplitsEpochUpstreamRevision) {
  auto v = DpkgVersion::Parse("2:1.2-3-4");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->epoch(), 2u);
  EXPECT_EQ(v->upstream(), "1.2-3");
  EXPECT_EQ(v->revision(), "4");
}

TEST(DpkgVersionTest, RefusesMalformed) {
  EXPECT_FALSE(DpkgVersion::Parse("").ok());
  EXPECT_FALSE(DpkgVersion::Parse("a:1.0").ok());
  EXPECT_FALSE(DpkgVersion::Parse("1.0 1").ok());
  EXPECT_FALSE(DpkgVersion::Parse("1.0-").ok());
  EXPECT_FALSE(DpkgVersion::Parse("1_0").ok());
}

TEST(DpkgVersionTest, MatchesDpkgBinaryOnRealVersions) {
  // The real dpkg is installed in the build image: check a sample against it too.
  const Case sample[] = {{"1.0~rc1-1", "1.0-1", -1}, {"1:2.3", "2.3", 1}, {"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1}};
  for (const auto& c : sample) {
    std::string cmd = std::string("dpkg --compare-versions '") + c.a + "' lt '" + c.b + "'";
    int lt = std::system(cmd.c_str()) == 0 ? -1 : 1;
    EXPECT_EQ(CompareVersions(c.a, c.b) < 0 ? -1 : 1, lt) << c.a << " vs " << c.b;
  }
}

TEST(DpkgVersionTest, Relations) {
  auto v = [](const char* s) { return *DpkgVersion::Parse(s); };
  EXPECT_TRUE(Satisfies(v("1.0"), VersionOp::kGreaterEqual, v("1.0")));
  EXPECT_FALSE(Satisfies(v("1.0"), VersionOp::kGreater, v("1.0")));
  EXPECT_TRUE(Satisfies(v("1.0~1"), VersionOp::kLess, v("1.0")));
  EXPECT_EQ(*ParseVersionOp("<"), VersionOp::kLessEqual);  // obsolete form, read as dpkg does
}

}  // namespace
}  // namespace plinth::debian
