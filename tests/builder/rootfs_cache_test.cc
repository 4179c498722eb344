// RootfsCache: a chain that extends an unpacked one is cloned with hard links, and what the new
// layer changes (overwrites, whiteouts, modes) never leaks into the tree it was cloned from.
#include "builder/rootfs_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "builder/layer_entries.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::builder {
namespace {

const oci::Platform kAmd64{.os = "linux", .architecture = "amd64"};

class RootfsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = oci::LayoutStore::Open(dir_.path() + "/store");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::make_unique<oci::LayoutStore>(std::move(*store));
  }
  oci::Image Add(oci::Image image, const LayerEntries& entries) {
    auto layer = WriteLayer(*store_, entries, layer::Compression::kGzip, 0);
    EXPECT_TRUE(layer) << layer.error().ToString();
    return oci::AppendLayer(std::move(image), layer->descriptor, layer->diff_id, {});
  }
  static LayerEntry Content(const std::string& text, uint32_t mode = 0644) {
    return {.type = LayerEntry::Type::kContent, .content = text, .mode = mode};
  }
  static LayerEntry Dir(uint32_t mode = 0755) { return {.type = LayerEntry::Type::kDirectory, .mode = mode}; }
  static ino_t Inode(const std::string& path) {
    struct stat st{};
    EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
    return st.st_ino;
  }
  static uint32_t Mode(const std::string& path) {
    struct stat st{};
    EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<oci::LayoutStore> store_;
};

TEST_F(RootfsCacheTest, ExtendingAChainClonesItAndLeavesItUnchanged) {
  oci::Image base = oci::ScratchImage(kAmd64, 0);
  base = Add(base, {{"etc", Dir()},
                    {"etc/passwd", Content("root:x:0:0::/root:/sbin/nologin\n")},
                    {"app", Dir(0750)},
                    {"app/keep.txt", Content("kept\n")},
                    {"app/change.txt", Content("old\n")},
                    {"app/gone.txt", Content("gone\n")},
                    {"app/mode.sh", Content("#!\n", 0644)}});
  RootfsCache cache(*store_);
  auto lower = cache.Materialize(base);
  ASSERT_TRUE(lower) << lower.error().ToString();

  oci::Image top = Add(base, {{"app", Dir(0750)},
                              {"app/change.txt", Content("new\n")},
                              {"app/.wh.gone.txt", Content("")},
                              {"app/mode.sh", Content("#!\n", 0755)},
                              {"app/added.txt", Content("added\n")}});
  auto upper = cache.Materialize(top);
  ASSERT_TRUE(upper) << upper.error().ToString();
  ASSERT_NE(*lower, *upper);

  // The new tree has the new layer applied ...
  EXPECT_EQ(*ReadFile(*upper + "/app/change.txt"), "new\n");
  EXPECT_EQ(*ReadFile(*upper + "/app/added.txt"), "added\n");
  EXPECT_FALSE(PathExists(*upper + "/app/gone.txt"));
  EXPECT_EQ(Mode(*upper + "/app/mode.sh"), 0755u);
  EXPECT_EQ(Mode(*upper + "/app"), 0750u);
  // ... and shares what it did not change with the lower tree, file for file.
  EXPECT_EQ(Inode(*upper + "/app/keep.txt"), Inode(*lower + "/app/keep.txt"));
  EXPECT_EQ(Inode(*upper + "/etc/passwd"), Inode(*lower + "/etc/passwd"));
  // The lower tree is exactly as it was.
  EXPECT_EQ(*ReadFile(*lower + "/app/change.txt"), "old\n");
  EXPECT_EQ(*ReadFile(*lower + "/app/gone.txt"), "gone\n");
  EXPECT_FALSE(PathExists(*lower + "/app/added.txt"));
  EXPECT_EQ(Mode(*lower + "/app/mode.sh"), 0644u);
  EXPECT_NE(Inode(*upper + "/app"), Inode(*lower + "/app"));
}

TEST_F(RootfsCacheTest, AChainWithNoUnpackedPrefixIsUnpackedWhole) {
  oci::Image image = oci::ScratchImage(kAmd64, 0);
  image = Add(image, {{"a.txt", Content("a\n")}});
  image = Add(image, {{"b.txt", Content("b\n")}, {".wh.a.txt", Content("")}});
  RootfsCache cache(*store_);
  auto dir = cache.Materialize(image);
  ASSERT_TRUE(dir) << dir.error().ToString();
  EXPECT_FALSE(PathExists(*dir + "/a.txt"));
  EXPECT_EQ(*ReadFile(*dir + "/b.txt"), "b\n");
  // Asking again returns the same tree, not a new one.
  auto again = cache.Materialize(image);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *dir);
}

TEST_F(RootfsCacheTest, CloneKeepsFolderMetadataAndLinksSymlinksThemselves) {
  std::string from = dir_.path() + "/from";
  ASSERT_TRUE(MakeDirs(from + "/sub/deeper"));
  testing::WriteTestFile(from + "/sub/file", "x");
  ASSERT_EQ(symlink("../nowhere", (from + "/sub/link").c_str()), 0);
  ASSERT_EQ(chmod((from + "/sub").c_str(), 0711), 0);
  std::string to = dir_.path() + "/to";
  auto cloned = CloneTreeWithHardLinks(from, to);
  ASSERT_TRUE(cloned) << cloned.error().ToString();
  EXPECT_EQ(Mode(to + "/sub"), 0711u);
  EXPECT_EQ(Inode(to + "/sub/file"), Inode(from + "/sub/file"));
  struct stat st{};
  ASSERT_EQ(lstat((to + "/sub/link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_TRUE(IsDirectory(to + "/sub/deeper"));
  EXPECT_FALSE(CloneTreeWithHardLinks(from, to)) << "the target exists";
}

}  // namespace
}  // namespace plinth::builder
