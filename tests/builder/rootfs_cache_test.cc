// RootfsCache: a chain that extends an unpacked one is cloned with hard links, and what the new
// layer changes (overwrites, whiteouts, modes) never leaks into the tree it was cloned from.
#include "builder/rootfs_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

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

TEST_F(RootfsCacheTest, AnImageWhoseConfigLiesAboutItsDiffIdsIsNotUnpackedUnderThem) {
  oci::Image legit = Add(oci::ScratchImage(kAmd64, 0), {{"app", Dir()}, {"app/file", Content("good\n")}});
  oci::Image evil = Add(oci::ScratchImage(kAmd64, 0), {{"app", Dir()}, {"app/file", Content("evil\n")}});
  oci::Image liar = evil;
  liar.config.diff_ids = legit.config.diff_ids;
  RootfsCache cache(*store_);
  auto poisoned = cache.Materialize(liar);
  ASSERT_FALSE(poisoned) << "the liar's files were unpacked under the legitimate diff_ids";
  EXPECT_EQ(poisoned.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(poisoned.error().message().find("unpacking layer " + evil.layers[0].digest.str()),
            std::string::npos)
      << poisoned.error().ToString();
  auto tree = cache.Materialize(legit);
  ASSERT_TRUE(tree) << tree.error().ToString();
  EXPECT_EQ(*ReadFile(*tree + "/app/file"), "good\n");

  // Fewer diff_ids than layers would name the tree after a prefix of another image's chain.
  oci::Image short_config = Add(legit, {{"app/more", Content("more\n")}});
  short_config.config.diff_ids.pop_back();
  auto refused = cache.Materialize(short_config);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("2 layers but its config 1 diff_ids"), std::string::npos);
}

TEST_F(RootfsCacheTest, ABlobThatNoLongerMatchesItsDigestIsNotUnpacked) {
  oci::Image image = Add(oci::ScratchImage(kAmd64, 0), {{"f", Content("one\n")}});
  oci::Image other = Add(oci::ScratchImage(kAmd64, 0), {{"f", Content("two\n")}});
  std::string path = store_->BlobPath(image.layers[0].digest);
  std::filesystem::copy_file(store_->BlobPath(other.layers[0].digest), path,
                             std::filesystem::copy_options::overwrite_existing);
  image.layers[0].size = other.layers[0].size;
  RootfsCache cache(*store_);
  auto tree = cache.Materialize(image);
  ASSERT_FALSE(tree);
  EXPECT_EQ(tree.error().kind(), ErrorKind::kIntegrity) << tree.error().ToString();
  for (const auto& e : std::filesystem::directory_iterator(dir_.path() + "/store/plinth/rootfs"))
    ADD_FAILURE() << "left behind: " << e.path();
}

TEST_F(RootfsCacheTest, TreesAreTheOwnersOnlyAndKeepTheSetuidBitsAside) {
  oci::Image base = Add(oci::ScratchImage(kAmd64, 0), {{"bin", Dir()},
                                                       {"bin/su", Content("su\n", 04755)},
                                                       {"bin/wall", Content("wall\n", 02711)},
                                                       {"bin/ls", Content("ls\n", 0755)},
                                                       {"mail", Dir(02775)}});
  RootfsCache cache(*store_);
  auto lower = cache.Materialize(base);
  ASSERT_TRUE(lower) << lower.error().ToString();
  EXPECT_EQ(Mode(dir_.path() + "/store/plinth/rootfs"), 0700u);
  EXPECT_EQ(Mode(*lower + "/bin/su"), 0755u);
  EXPECT_EQ(Mode(*lower + "/bin/wall"), 0711u);
  EXPECT_EQ(Mode(*lower + "/mail"), 02775u);
  auto mode_of = [&](RootfsCache& c, const std::string& tree, const std::string& rel) {
    struct stat st{};
    EXPECT_EQ(lstat((tree + "/" + rel).c_str(), &st), 0) << rel;
    return c.ModeOf(tree, st);
  };
  EXPECT_EQ(mode_of(cache, *lower, "bin/su"), 04755u);
  EXPECT_EQ(mode_of(cache, *lower, "bin/wall"), 02711u);
  EXPECT_EQ(mode_of(cache, *lower, "bin/ls"), 0755u);
  EXPECT_EQ(mode_of(cache, *lower, "mail"), 02775u);

  // A chain cloned from it keeps what it did not change, and loses what a layer replaced.
  oci::Image top = Add(base, {{"bin/su", Content("su, rebuilt without setuid\n", 0755)}});
  auto upper = cache.Materialize(top);
  ASSERT_TRUE(upper) << upper.error().ToString();
  RootfsCache fresh(*store_);  // reads what the trees recorded, not what `cache` remembers
  EXPECT_EQ(mode_of(fresh, *upper, "bin/su"), 0755u);
  EXPECT_EQ(mode_of(fresh, *upper, "bin/wall"), 02711u);
  EXPECT_EQ(mode_of(fresh, *lower, "bin/su"), 04755u);
  EXPECT_EQ(Inode(*upper + "/bin/wall"), Inode(*lower + "/bin/wall"));
  // A folder outside the cache (a build context) is taken as it is.
  testing::WriteTestFile(dir_.path() + "/ctx/setid-modes", "1 4755\n");
  testing::WriteTestFile(dir_.path() + "/ctx/tree/x", "x", 0755);
  EXPECT_EQ(mode_of(fresh, dir_.path() + "/ctx/tree", "x"), 0755u);
}

TEST_F(RootfsCacheTest, PruneKeepsTheChainsOfStoredImagesOnly) {
  oci::Image kept = Add(oci::ScratchImage(kAmd64, 0), {{"k", Content("k\n")}});
  kept = Add(kept, {{"k2", Content("k2\n")}});
  oci::Image gone = Add(oci::ScratchImage(kAmd64, 0), {{"g", Content("g\n")}});
  auto kept_desc = oci::WriteImage(*store_, kept);
  ASSERT_TRUE(kept_desc && store_->Tag("kept:1", *kept_desc));
  RootfsCache cache(*store_);
  auto kept_tree = cache.Materialize(kept);
  oci::Image kept_prefix = kept;
  kept_prefix.layers.pop_back();
  kept_prefix.config.diff_ids.pop_back();
  auto prefix_tree = cache.Materialize(kept_prefix);
  auto gone_tree = cache.Materialize(gone);
  ASSERT_TRUE(kept_tree && prefix_tree && gone_tree);
  std::string root = dir_.path() + "/store/plinth/rootfs";
  testing::WriteTestFile(root + "/" + std::string(64, 'b') + ".tmp.77/tree/x", "x");
  testing::WriteTestFile(root + "/" + std::string(64, 'c') + "/etc/old-layout", "x");
  ASSERT_TRUE(MakeDirs(root + "/" + std::string(64, 'd') + "/tree/ro"));
  chmod((root + "/" + std::string(64, 'd') + "/tree/ro").c_str(), 0500);

  auto lock = store_->GcLock();
  ASSERT_TRUE(lock);
  auto dry = RootfsCache::Prune(*store_, *lock, /*dry_run=*/true);
  ASSERT_TRUE(dry) << dry.error().ToString();
  EXPECT_TRUE(IsDirectory(*gone_tree));
  auto report = RootfsCache::Prune(*store_, *lock, /*dry_run=*/false);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->trees_kept, 2u);
  EXPECT_EQ(report->trees_removed, 2u);  // gone's, and the one with a read-only folder
  EXPECT_EQ(report->temps_removed, 2u);  // the killed run's, and the older layout's
  EXPECT_TRUE(IsDirectory(*kept_tree));
  EXPECT_TRUE(IsDirectory(*prefix_tree));
  EXPECT_FALSE(PathExists(*gone_tree));
  size_t left = 0;
  for (const auto& e : std::filesystem::directory_iterator(root)) (void)e, ++left;
  EXPECT_EQ(left, 2u);
}

}  // namespace
}  // namespace plinth::builder
