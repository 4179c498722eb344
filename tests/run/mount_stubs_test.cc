#include "run/mount_stubs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::run {
namespace {

using testing::ScratchDir;
using testing::WriteTestFile;

class MountStubsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTestFile(dir_ / "base/etc/hosts", "127.0.0.1 localhost\n");
    WriteTestFile(dir_ / "base/usr/share/doc/readme", "doc\n");
    WriteTestFile(dir_ / "top/srv/keep", "kept\n");
    ASSERT_EQ(symlink("usr/share", (dir_ / "top/share").c_str()), 0);
    ASSERT_TRUE(MakeDirs(dir_ / "upper").ok());
    lowers_ = {dir_ / "base", dir_ / "top"};
  }

  void MakeInUpper(const std::string& rel, bool folder, const std::string& content = "") {
    if (folder) {
      ASSERT_TRUE(MakeDirs(dir_ / ("upper/" + rel)).ok());
    } else {
      WriteTestFile(dir_ / ("upper/" + rel), content);
    }
  }

  bool InUpper(const std::string& rel) {
    struct stat st;
    return lstat((dir_ / ("upper/" + rel)).c_str(), &st) == 0;
  }

  ScratchDir dir_;
  std::vector<std::string> lowers_;
};

TEST_F(MountStubsTest, MissingTargetsAndTheirMissingParentsAreStubs) {
  auto stubs = FindMountStubs(lowers_, {"/etc/resolv.conf", "/etc/hosts", "/run/secrets/token",
                                        "/srv", "/run/cache", "/share/doc/extra"});
  ASSERT_TRUE(stubs.ok()) << stubs.error().ToString();
  // /etc/hosts and /srv exist; /run is made once; /share resolves through the lower's link.
  std::vector<std::string> expected = {"etc/resolv.conf",   "run",       "run/secrets",
                                       "run/secrets/token", "run/cache", "usr/share/doc/extra"};
  EXPECT_EQ(stubs->made, expected);
}

TEST_F(MountStubsTest, ADanglingLinkMakesItsTargetTheStub) {
  // Ubuntu's /etc/resolv.conf: a link to a file of systemd's that a build does not have.
  ASSERT_EQ(symlink("../run/systemd/resolve/stub-resolv.conf", (dir_ / "top/etc-resolv").c_str()),
            0);
  WriteTestFile(dir_ / "top/etc/placeholder", "");
  ASSERT_EQ(rename((dir_ / "top/etc-resolv").c_str(), (dir_ / "top/etc/resolv.conf").c_str()), 0);
  auto stubs = FindMountStubs(lowers_, {"/etc/resolv.conf"});
  ASSERT_TRUE(stubs.ok()) << stubs.error().ToString();
  std::vector<std::string> expected = {"run", "run/systemd", "run/systemd/resolve",
                                       "run/systemd/resolve/stub-resolv.conf"};
  EXPECT_EQ(stubs->made, expected);
}

TEST_F(MountStubsTest, EmptyStubsAreRemovedAndFilledOnesKept) {
  auto stubs = FindMountStubs(
      lowers_, {"/etc/resolv.conf", "/run/secrets/token", "/run/cache", "/opt/data"});
  ASSERT_TRUE(stubs.ok());
  // What the runtime made, and what the step did to it.
  MakeInUpper("etc/resolv.conf", false);         // empty file: a stub
  MakeInUpper("run/secrets/token", false);       // empty file in a made folder
  MakeInUpper("run/cache/built.o", false, "x");  // the step wrote beside a mount point
  MakeInUpper("opt/data/result", false, "y");    // the step wrote into the made folder
  ASSERT_TRUE(RemoveMountStubs(dir_ / "upper", *stubs).ok());
  EXPECT_FALSE(InUpper("etc/resolv.conf"));
  // etc/ was copied up only to hold the stub: as the lowers have it, empty, it goes too.
  EXPECT_FALSE(InUpper("etc"));
  EXPECT_FALSE(InUpper("run/secrets"));
  EXPECT_TRUE(InUpper("run/cache/built.o"));
  EXPECT_TRUE(InUpper("run"));
  EXPECT_TRUE(InUpper("opt/data/result"));
}

TEST_F(MountStubsTest, ACopiedUpParentTheStepChangedStays) {
  WriteTestFile(dir_ / "base/var/lib/keep", "");
  auto stubs = FindMountStubs(lowers_, {"/etc/resolv.conf", "/var/cache/apt"});
  ASSERT_TRUE(stubs.ok());
  std::vector<std::string> parents;
  for (const auto& parent : stubs->parents) parents.push_back(parent.path);
  EXPECT_EQ(parents, (std::vector<std::string>{"etc", "var"}));
  MakeInUpper("etc/resolv.conf", false);
  MakeInUpper("var/cache/apt", true);
  ASSERT_EQ(chmod((dir_ / "upper/etc").c_str(), 0700), 0);  // the step's chmod
  ASSERT_TRUE(RemoveMountStubs(dir_ / "upper", *stubs).ok());
  EXPECT_FALSE(InUpper("etc/resolv.conf"));
  EXPECT_TRUE(InUpper("etc"));
  EXPECT_FALSE(InUpper("var"));
}

TEST_F(MountStubsTest, ANonEmptyFileOrALinkIsLeftAlone) {
  auto stubs = FindMountStubs(lowers_, {"/etc/resolv.conf", "/victim/file"});
  ASSERT_TRUE(stubs.ok());
  MakeInUpper("etc/resolv.conf", false, "nameserver 9.9.9.9\n");
  // The step replaced the stub folder by a link to a folder outside the upper.
  WriteTestFile(dir_ / "outside/file", "");
  ASSERT_EQ(symlink((dir_ / "outside").c_str(), (dir_ / "upper/victim").c_str()), 0);
  ASSERT_TRUE(RemoveMountStubs(dir_ / "upper", *stubs).ok());
  EXPECT_TRUE(InUpper("etc/resolv.conf"));
  EXPECT_TRUE(InUpper("victim"));
  EXPECT_TRUE(PathExists(dir_ / "outside/file"));
}

TEST_F(MountStubsTest, AStubTheStepRemovedIsNoError) {
  auto stubs = FindMountStubs(lowers_, {"/mnt/a"});
  ASSERT_TRUE(stubs.ok());
  EXPECT_TRUE(RemoveMountStubs(dir_ / "upper", *stubs).ok());
}

}  // namespace
}  // namespace plinth::run
