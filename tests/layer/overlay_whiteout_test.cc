// ExtractLayer with WhiteoutMode::kOverlay: one layer as an overlayfs lower folder.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "layer/layer_extractor.h"
#include "layer/layer_test_support.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::layer {
namespace {

using plinth::testing::ScratchDir;
using plinth::testing::WriteTestFile;
using testing::RawTar;

TarEntry Member(std::string name, EntryType type = EntryType::kRegular, int64_t mtime = 0) {
  TarEntry e;
  e.name = std::move(name);
  e.type = type;
  e.mode = type == EntryType::kDirectory ? 0755 : 0644;
  e.mtime = mtime;
  return e;
}

Result<ExtractStats> ExtractOverlay(const std::string& tar, const std::string& root) {
  StringSource source(tar);
  return ExtractLayer(
      source, root, {.ownership = OwnershipPolicy::kPreserve, .whiteouts = WhiteoutMode::kOverlay});
}

std::string Opaque(const std::string& path) {
  char value[8];
  ssize_t n = lgetxattr(path.c_str(), "trusted.overlay.opaque", value, sizeof value);
  return n < 0 ? "" : std::string(value, static_cast<size_t>(n));
}

bool IsWhiteout(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

TEST(OverlayWhiteoutTest, WhiteoutsBecomeDevicesAndOpaqueMarksXattrs) {
  ScratchDir dir;
  std::string root = dir / "root";
  ASSERT_TRUE(MakeDirs(root));
  TarEntry whiteout = Member("etc/.wh.motd", EntryType::kRegular, 1234);
  whiteout.mode = 0;
  auto stats = ExtractOverlay(
      RawTar({Member("etc", EntryType::kDirectory, 1000), whiteout,
              Member("etc/keep", EntryType::kRegular, 900), Member("opt/app/.wh..wh..opq"),
              Member("opt/app/new", EntryType::kRegular, 800), Member("var/.wh.cache")},
             ""),
      root);
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->whiteouts, 3u);
  // ".wh.motd": a 0:0 character device named motd, with the member's owner, mode and mtime.
  EXPECT_TRUE(IsWhiteout(root + "/etc/motd"));
  EXPECT_FALSE(PathExists(root + "/etc/.wh.motd"));
  struct stat st;
  ASSERT_EQ(lstat((root + "/etc/motd").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1234);
  // Parents of whiteouts are made when the layer lacks them.
  EXPECT_TRUE(IsWhiteout(root + "/var/cache"));
  // The opaque folder, made though the layer has no member for it, keeps what the layer puts
  // in it: nothing is removed in this mode.
  EXPECT_EQ(Opaque(root + "/opt/app"), "y");
  EXPECT_EQ(Opaque(root + "/opt"), "");
  EXPECT_FALSE(PathExists(root + "/opt/app/.wh..wh..opq"));
  EXPECT_TRUE(PathExists(root + "/opt/app/new"));
  EXPECT_TRUE(PathExists(root + "/etc/keep"));
  // Folders get their member's mtime after their contents were written.
  ASSERT_EQ(lstat((root + "/etc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1000);
}

TEST(OverlayWhiteoutTest, WhiteoutReplacesWhatIsThereButNotThisLayersOwnFiles) {
  ScratchDir dir;
  std::string root = dir / "root";
  WriteTestFile(root + "/a/old/file", "x");
  WriteTestFile(root + "/a/stale", "x");
  // "-x" sorts before ".wh.-x": the layer's own file, which its whiteout does not hide (OCI).
  auto stats = ExtractOverlay(
      RawTar({Member("a", EntryType::kDirectory), Member("a/-x"), Member("a/.wh.-x"),
              Member("a/.wh.old"), Member("a/.wh.stale"), Member("a/old", EntryType::kDirectory)},
             ""),
      root);
  ASSERT_TRUE(stats) << stats.error().ToString();
  struct stat own;
  ASSERT_EQ(lstat((root + "/a/-x").c_str(), &own), 0);
  EXPECT_TRUE(S_ISREG(own.st_mode));
  EXPECT_TRUE(IsWhiteout(root + "/a/stale"));
  // Whited out, then made a folder by the same layer: a new folder over the lower one's.
  struct stat st;
  ASSERT_EQ(lstat((root + "/a/old").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_FALSE(PathExists(root + "/a/old/file"));
  EXPECT_EQ(Opaque(root + "/a/old"), "y");
}

TEST(OverlayWhiteoutTest, DevicesOtherThanWhiteoutsAreRefused) {
  ScratchDir dir;
  std::string root = dir / "root";
  ASSERT_TRUE(MakeDirs(root));
  TarEntry null = Member("dev/null", EntryType::kCharDevice);
  null.dev_major = 1;
  null.dev_minor = 3;
  auto refused = ExtractOverlay(RawTar({Member("dev", EntryType::kDirectory), null}, ""), root);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().ToString().find("refusing device 'dev/null'"), std::string::npos)
      << refused.error().ToString();
  // Even a 0:0 device: only ".wh." members become whiteouts.
  TarEntry zero = Member("dev/zero", EntryType::kCharDevice);
  EXPECT_FALSE(ExtractOverlay(RawTar({Member("dev", EntryType::kDirectory), zero}, ""), root));
  // Escapes are refused as in kApply.
  EXPECT_FALSE(ExtractOverlay(RawTar({Member("../.wh.x")}, ""), root));
  EXPECT_FALSE(PathExists(dir / "x"));
}

TEST(OverlayWhiteoutTest, ApplyModeStillRemoves) {
  ScratchDir dir;
  std::string root = dir / "root";
  WriteTestFile(root + "/a/gone", "x");
  WriteTestFile(root + "/b/old", "x");
  StringSource source(RawTar({Member("a/.wh.gone"), Member("b/.wh..wh..opq")}, ""));
  ASSERT_TRUE(ExtractLayer(source, root));
  EXPECT_FALSE(PathExists(root + "/a/gone"));
  EXPECT_FALSE(PathExists(root + "/b/old"));
  EXPECT_EQ(Opaque(root + "/b"), "");
}

}  // namespace
}  // namespace plinth::layer
