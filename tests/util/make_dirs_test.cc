// MakeDirs creates every missing folder with the mode it is given (less the umask), so that
// ~/.docker and other private folders are not readable by other users (issue 12).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

int ModeOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Sets the umask for one test and puts the old one back.
class UmaskScope {
 public:
  explicit UmaskScope(mode_t mask) : old_(umask(mask)) {}
  ~UmaskScope() { umask(old_); }

 private:
  mode_t old_;
};

TEST(MakeDirsTest, EveryCreatedFolderHasTheMode) {
  UmaskScope mask(022);
  testing::ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "a/b/c", 0700));
  EXPECT_EQ(ModeOf(dir / "a"), 0700);
  EXPECT_EQ(ModeOf(dir / "a/b"), 0700);
  EXPECT_EQ(ModeOf(dir / "a/b/c"), 0700);
}

TEST(MakeDirsTest, TheUmaskStillApplies) {
  UmaskScope mask(077);
  testing::ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "x/y", 0755));
  EXPECT_EQ(ModeOf(dir / "x"), 0700);
  EXPECT_EQ(ModeOf(dir / "x/y"), 0700);
}

TEST(MakeDirsTest, ExistingFoldersKeepTheirModeAndRepeatedSlashesAreFine) {
  UmaskScope mask(022);
  testing::ScratchDir dir;
  ASSERT_EQ(mkdir((dir / "open").c_str(), 0755), 0);
  ASSERT_TRUE(MakeDirs(dir / "open//private/", 0700));
  EXPECT_EQ(ModeOf(dir / "open"), 0755);
  EXPECT_EQ(ModeOf(dir / "open/private"), 0700);
  EXPECT_TRUE(MakeDirs(dir / "open/private", 0700));  // exists: fine
}

TEST(MakeDirsTest, AFileInTheWayIsAnError) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "file", "x");
  Status made = MakeDirs(dir / "file/sub", 0700);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message().find("not a folder"), std::string::npos)
      << made.error().message();
  EXPECT_FALSE(MakeDirs(dir / "file", 0700));
  EXPECT_FALSE(MakeDirs("", 0700));
}

}  // namespace
}  // namespace plinth
