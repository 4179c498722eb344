#include "util/rooted_path.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/test_env.h"

namespace plinth {
namespace {

using testing::ScratchDir;
using testing::WriteTestFile;

// A root beside a folder of this machine's that nothing inside the root may reach.
class RootedPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTestFile(dir_ / "host/secret", "the host's\n");
    WriteTestFile(dir_ / "root/etc/passwd", "the image's\n");
    WriteTestFile(dir_ / "root/host/secret", "inside the root\n");
    Link(dir_ / "host", "root/to-host-abs");   // absolute, to this machine's folder
    Link("../../host", "root/to-host-up");     // climbs above the root
    Link("/etc", "root/etc2");                 // absolute, meant inside the root
    Link("../etc2", "root/host/via");          // through another link
    Link("loop-b", "root/loop-a");
    Link("loop-a", "root/loop-b");
  }

  void Link(const std::string& target, const std::string& at) {
    ASSERT_EQ(symlink(target.c_str(), (dir_ / at).c_str()), 0) << at;
  }

  std::string Read(const std::string& rel) {
    auto content = ReadFileInRoot(root(), rel, 1 << 20);
    return content ? *content : "error: " + content.error().ToString();
  }

  std::string root() const { return dir_ / "root"; }

  ScratchDir dir_;
};

TEST_F(RootedPathTest, AnAbsoluteLinkResolvesInsideTheRootNotOnThisMachine) {
  EXPECT_EQ(Read("etc2/passwd"), "the image's\n");
  EXPECT_EQ(*ResolveInRoot(root(), "etc2/passwd", true), "etc/passwd");
  // The link names this machine's folder by its full path: inside the root there is no such
  // folder, so nothing is read, least of all the host's file.
  auto far = ReadFileInRoot(root(), "to-host-abs/secret", 1 << 20);
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().message().find("the host's"), std::string::npos);
  EXPECT_FALSE(ResolveInRoot(root(), "to-host-abs/secret", true).ok());
}

TEST_F(RootedPathTest, DotDotStopsAtTheRoot) {
  EXPECT_EQ(Read("to-host-up/secret"), "inside the root\n");
  EXPECT_EQ(*ResolveInRoot(root(), "to-host-up/secret", true), "host/secret");
  EXPECT_EQ(Read("../../../host/secret"), "inside the root\n");
  EXPECT_EQ(Read("host/via/passwd"), "the image's\n");
}

TEST_F(RootedPathTest, TheLastLinkIsFollowedOnlyWhenAsked) {
  EXPECT_EQ(*ResolveInRoot(root(), "host/via", false), "host/via");
  EXPECT_EQ(*ResolveInRoot(root(), "host/via", true), "etc");
  auto link = LstatInRoot(root(), "host/via");
  ASSERT_TRUE(link.ok() && *link);
  EXPECT_TRUE(S_ISLNK((*link)->st_mode));
  auto dir = StatInRoot(root(), "host/via");
  ASSERT_TRUE(dir.ok() && *dir);
  EXPECT_TRUE(S_ISDIR((*dir)->st_mode));
  // lstat through a link to this machine's folder finds nothing, not the host's file.
  auto far = LstatInRoot(root(), "to-host-abs/secret");
  ASSERT_TRUE(far.ok());
  EXPECT_FALSE(*far);
}

TEST_F(RootedPathTest, MissingPathsAndLoopsAreErrorsNotHangs) {
  auto missing_last = ResolveInRoot(root(), "etc/nothing", true);
  ASSERT_TRUE(missing_last.ok());
  EXPECT_EQ(*missing_last, "etc/nothing");
  auto missing_middle = ResolveInRoot(root(), "nothing/x", true);
  ASSERT_FALSE(missing_middle.ok());
  EXPECT_EQ(missing_middle.error().kind(), ErrorKind::kNotFound);
  auto through_file = ResolveInRoot(root(), "etc/passwd/x", true);
  ASSERT_FALSE(through_file.ok());
  EXPECT_EQ(through_file.error().kind(), ErrorKind::kNotFound);
  auto loop = ResolveInRoot(root(), "loop-a/x", true);
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(loop.error().message().find("symbolic links"), std::string::npos);
  EXPECT_FALSE(OpenInRoot(root(), "loop-a").ok());
}

TEST_F(RootedPathTest, OnlyRegularFilesAreOpenedAndAFifoIsNotWaitedOn) {
  ASSERT_EQ(mkfifo((dir_ / "root/fifo").c_str(), 0600), 0);
  auto fifo = OpenInRoot(root(), "fifo");
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message().find("not a regular file"), std::string::npos);
  EXPECT_FALSE(OpenInRoot(root(), "etc").ok());
  auto big = ReadFileInRoot(root(), "etc/passwd", 3);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message().find("larger than 3 bytes"), std::string::npos);
}

}  // namespace
}  // namespace plinth
