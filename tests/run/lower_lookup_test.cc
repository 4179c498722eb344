#include "run/lower_lookup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "support/test_env.h"

namespace plinth::run {
namespace {

using testing::ScratchDir;
using testing::WriteTestFile;

// Three lowers, bottom first: base, mid, top, with whiteouts and an opaque folder in overlayfs'
// own format, and a host folder beside them that nothing may reach.
class LowerLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTestFile(dir_ / "host/etc/passwd", "the host's\n");
    WriteTestFile(dir_ / "base/etc/passwd", "base\n");
    WriteTestFile(dir_ / "base/etc/group", "base group\n");
    WriteTestFile(dir_ / "base/etc/shadow", "base shadow\n");
    WriteTestFile(dir_ / "base/opt/app/old", "old\n");
    WriteTestFile(dir_ / "base/data/file", "data\n");
    WriteTestFile(dir_ / "base/usr/lib/os-release", "base os\n");
    WriteTestFile(dir_ / "mid/etc/passwd", "mid\n");
    WriteTestFile(dir_ / "mid/opt/app/new", "new\n");
    Opaque("mid/opt/app");
    Whiteout("mid/etc/shadow");
    Link("usr/lib", "mid/lib");              // relative
    Link("/etc", "mid/etc-abs");             // absolute: the merged /etc, not the host's
    Link("../../../../host/etc", "mid/up");  // climbs: stops at the merged root
    Link("loop-b", "mid/loop-a");
    Link("loop-a", "mid/loop-b");
    WriteTestFile(dir_ / "top/etc/hostname", "top\n");
    WriteTestFile(dir_ / "top/data", "now a file\n");  // a file over base's folder
    lowers_ = {dir_ / "base", dir_ / "mid", dir_ / "top"};
  }

  void Link(const std::string& target, const std::string& at) {
    ASSERT_EQ(symlink(target.c_str(), (dir_ / at).c_str()), 0) << at;
  }
  void Whiteout(const std::string& at) {
    ASSERT_EQ(mknod((dir_ / at).c_str(), S_IFCHR | 0, makedev(0, 0)), 0) << at;
  }
  void Opaque(const std::string& at) {
    ASSERT_EQ(setxattr((dir_ / at).c_str(), "trusted.overlay.opaque", "y", 1, 0), 0) << at;
  }

  // "" when absent, else the host path relative to the scratch folder.
  std::string Find(const std::string& path, bool follow_last = false) {
    auto found = FindInLowers(lowers_, path, follow_last);
    if (!found) return "error: " + found.error().ToString();
    if (!*found) return "";
    std::string prefix = dir_.path() + "/";
    EXPECT_EQ(found->value().rfind(prefix, 0), 0u) << found->value();
    return found->value().substr(prefix.size());
  }

  ScratchDir dir_;
  std::vector<std::string> lowers_;
};

TEST_F(LowerLookupTest, TheTopMostLowerWins) {
  EXPECT_EQ(Find("/etc/passwd"), "mid/etc/passwd");
  EXPECT_EQ(Find("etc/group"), "base/etc/group");
  EXPECT_EQ(Find("/etc/hostname"), "top/etc/hostname");
  EXPECT_EQ(Find("/etc"), "top/etc");
  EXPECT_EQ(Find("/"), "top");
  EXPECT_EQ(Find("/etc/missing"), "");
}

TEST_F(LowerLookupTest, AWhiteoutHidesTheLowerFile) { EXPECT_EQ(Find("/etc/shadow"), ""); }

TEST_F(LowerLookupTest, AnOpaqueFolderHidesWhatIsBeneathIt) {
  EXPECT_EQ(Find("/opt/app/new"), "mid/opt/app/new");
  EXPECT_EQ(Find("/opt/app/old"), "");
}

TEST_F(LowerLookupTest, AFileOverAFolderEndsTheMerge) {
  EXPECT_EQ(Find("/data"), "top/data");
  EXPECT_EQ(Find("/data/file"), "");
}

TEST_F(LowerLookupTest, SymlinksResolveInTheMergedView) {
  EXPECT_EQ(Find("/lib/os-release"), "base/usr/lib/os-release");
  EXPECT_EQ(Find("/etc-abs/passwd"), "mid/etc/passwd");
  EXPECT_EQ(Find("/etc-abs/shadow"), "");
  // `..` stops at the merged root: the host's folder is never reached.
  EXPECT_EQ(Find("/up/passwd"), "");
  EXPECT_EQ(Find("/../../host/etc/passwd"), "");
  EXPECT_EQ(Find("/etc/../etc/group"), "base/etc/group");
  // The last component is the link itself unless asked to follow it.
  EXPECT_EQ(Find("/lib"), "mid/lib");
  EXPECT_EQ(Find("/lib", /*follow_last=*/true), "base/usr/lib");
}

TEST_F(LowerLookupTest, ResolveGivesWhereAnAbsentPathWouldBe) {
  auto resolve = [&](const std::string& path) {
    auto resolved = ResolveInLowers(lowers_, path);
    return resolved ? *resolved : "error: " + resolved.error().ToString();
  };
  EXPECT_EQ(resolve("/lib/new/file"), "usr/lib/new/file");
  EXPECT_EQ(resolve("/etc-abs/shadow"), "etc/shadow");  // whited out: made anew
  EXPECT_EQ(resolve("/lib"), "usr/lib");
  EXPECT_EQ(resolve("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(resolve("/up/x"), "host/etc/x");  // `..` stopped at the root, then absent
  EXPECT_EQ(resolve("/"), "");
}

TEST_F(LowerLookupTest, ALinkLoopIsAnErrorNotAHang) {
  auto found = FindInLowers(lowers_, "/loop-a/x");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().kind(), ErrorKind::kInvalidInput);
}

TEST_F(LowerLookupTest, NoLowersHaveNothing) {
  auto found = FindInLowers({}, "/etc/passwd");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

}  // namespace
}  // namespace plinth::run
