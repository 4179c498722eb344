// WalkMergedFilesystem: what the layers of an image leave, read by streaming them: whiteouts,
// opaque folders, folders replaced by files or links, hard links, repeated members, the bytes
// lower layers waste, and layers whose bytes are not what the image names.
#include "audit/merged_filesystem.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>

#include "audit/audit_image_support.h"
#include "util/fs.h"

namespace plinth::audit {
namespace {

using testing::Dir;
using testing::File;
using testing::HardLink;
using testing::ImageMaker;
using testing::Opaque;
using testing::Symlink;
using testing::Whiteout;

struct Seen {
  layer::EntryType type;
  size_t layer;
  std::string content;  // what was read of a regular file
  std::string link_target;
  uint32_t mode;
};

// Records every entry it is handed; reads at most `read_limit` bytes of each file.
class Recorder : public MergedFileVisitor {
 public:
  explicit Recorder(size_t read_limit = 1 << 20) : read_limit_(read_limit) {}
  Status OnFile(const ImageFile& file, ByteSource* content) override {
    order.push_back(file.entry.name);
    EXPECT_FALSE(seen.count(file.entry.name)) << file.entry.name << " handed over twice";
    Seen& s = seen[file.entry.name];
    s = {.type = file.entry.type,
         .layer = file.layer,
         .link_target = file.entry.link_target,
         .mode = file.entry.mode};
    EXPECT_EQ(content != nullptr, file.entry.type == layer::EntryType::kRegular);
    if (content) {
      char buf[4096];
      while (s.content.size() < read_limit_) {
        auto n = content->Read(buf, std::min(sizeof buf, read_limit_ - s.content.size()));
        if (!n) return n.error();
        if (*n == 0) break;
        s.content.append(buf, *n);
      }
    }
    if (fail_on == file.entry.name) return InvalidInput("the visitor refuses it");
    return Ok{};
  }
  std::map<std::string, Seen> seen;
  std::vector<std::string> order;
  std::string fail_on;

 private:
  size_t read_limit_;
};

std::vector<std::string> Names(const Recorder& r) {
  std::vector<std::string> names;
  for (const auto& [name, s] : r.seen) names.push_back(name);
  return names;
}

TEST(MergedFilesystemTest, WhiteoutsHideAFileAndATreeAndAreNotFilesThemselves) {
  ImageMaker maker;
  oci::Image image =
      maker.Add(maker.Scratch(), {Dir("etc"), File("etc/a", "0123456789"), Dir("etc/d"),
                                  File("etc/d/x", "12345"), File("etc/keep", "kk")});
  image = maker.Add(image, {Whiteout("etc/a"), Whiteout("etc/d")});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"etc", "etc/keep"}));
  EXPECT_EQ(r.seen["etc/keep"].content, "kk");
  EXPECT_EQ(r.seen["etc/keep"].layer, 0u);
  EXPECT_EQ(figures->wasted_bytes, 15u);
  EXPECT_EQ(figures->file_bytes, 2u);
  ASSERT_EQ(figures->layers.size(), 2u);
  EXPECT_EQ(figures->layers[0].file_bytes, 17u);
  EXPECT_EQ(figures->layers[0].shadowed_bytes, 15u);
  EXPECT_EQ(figures->layers[1].shadowed_bytes, 0u);
  EXPECT_GT(figures->layers[0].compressed_bytes, 0u);
  EXPECT_EQ(figures->layers[0].compressed_bytes, static_cast<uint64_t>(image.layers[0].size));
}

TEST(MergedFilesystemTest, AWhiteoutHidesOnlyLowerLayersAndARecreatedPathComesBack) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {Dir("app"), File("app/f", "one")});
  image = maker.Add(image, {Whiteout("app/f")});
  image = maker.Add(image, {File("app/f", "three")});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"app", "app/f"}));
  EXPECT_EQ(r.seen["app/f"].content, "three");
  EXPECT_EQ(r.seen["app/f"].layer, 2u);
  EXPECT_EQ(figures->wasted_bytes, 3u);
}

TEST(MergedFilesystemTest, AnOpaqueFolderHidesLowerChildrenButKeepsItsOwn) {
  ImageMaker maker;
  oci::Image image =
      maker.Add(maker.Scratch(), {Dir("app", 0700), File("app/old", "old"), Dir("app/sub"),
                                  File("app/sub/deep", "dd"), File("other", "o")});
  image = maker.Add(image, {Dir("app", 0755), Opaque("app"), File("app/new", "newer")});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"app", "app/new", "other"}));
  EXPECT_EQ(r.seen["app"].layer, 1u);
  EXPECT_EQ(r.seen["app"].mode, 0755u);
  EXPECT_EQ(figures->wasted_bytes, 5u);
  EXPECT_EQ(figures->file_bytes, 6u);
}

TEST(MergedFilesystemTest, AFolderReplacedByAFileOrASymlinkTakesItsTreeAway) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {Dir("a"), File("a/x", "xx"), Dir("b"),
                                                 File("b/y", "yyy"), Dir("c"), File("c/z", "z")});
  image = maker.Add(image, {File("a", "A"), Symlink("b", "c"), Dir("c", 0750)});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"a", "b", "c", "c/z"}));
  EXPECT_EQ(r.seen["a"].type, layer::EntryType::kRegular);
  EXPECT_EQ(r.seen["a"].content, "A");
  EXPECT_EQ(r.seen["b"].type, layer::EntryType::kSymlink);
  EXPECT_EQ(r.seen["b"].link_target, "c");
  // A folder over a folder keeps the lower one's children.
  EXPECT_EQ(r.seen["c"].layer, 1u);
  EXPECT_EQ(r.seen["c/z"].layer, 0u);
  EXPECT_EQ(figures->wasted_bytes, 5u);
}

TEST(MergedFilesystemTest, AFileReplacedByAFolderHidesTheFile) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("conf", "0123")});
  image = maker.Add(image, {Dir("conf"), File("conf/main", "m")});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"conf", "conf/main"}));
  EXPECT_EQ(r.seen["conf"].type, layer::EntryType::kDirectory);
  EXPECT_EQ(figures->wasted_bytes, 4u);
}

// A folder replaced by a file, then by a folder again: what the first folder held is gone.
TEST(MergedFilesystemTest, AFolderReplacedByAFileAndAgainByAFolderLosesItsOldTree) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {Dir("a"), File("a/old", "12345")});
  image = maker.Add(image, {File("a", "f")});
  image = maker.Add(image, {Dir("a"), File("a/new", "n")});
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(r), (std::vector<std::string>{"a", "a/new"}));
  EXPECT_EQ(r.seen["a"].layer, 2u);
  EXPECT_EQ(figures->wasted_bytes, 6u);
}

TEST(MergedFilesystemTest, HardLinksComeAsLinksAndOutliveTheirTargetsWhiteout) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {Dir("bin"), File("bin/busybox", "BUSYBOX", 0755),
                                                 HardLink("bin/sh", "bin/busybox")});
  Recorder before;
  ASSERT_TRUE(WalkMergedFilesystem(maker.store(), image, before));
  EXPECT_EQ(Names(before), (std::vector<std::string>{"bin", "bin/busybox", "bin/sh"}));
  EXPECT_EQ(before.seen["bin/sh"].type, layer::EntryType::kHardLink);
  EXPECT_EQ(before.seen["bin/sh"].link_target, "bin/busybox");
  EXPECT_EQ(before.seen["bin/busybox"].content, "BUSYBOX");

  image = maker.Add(image, {Whiteout("bin/busybox")});
  Recorder after;
  auto figures = WalkMergedFilesystem(maker.store(), image, after);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(Names(after), (std::vector<std::string>{"bin", "bin/sh"}));
  EXPECT_EQ(after.seen["bin/sh"].link_target, "bin/busybox");
  EXPECT_EQ(figures->wasted_bytes, 7u);
}

TEST(MergedFilesystemTest, UpperLayersAreHandedOverFirst) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("low", "l")});
  image = maker.Add(image, {File("high", "h")});
  Recorder r;
  ASSERT_TRUE(WalkMergedFilesystem(maker.store(), image, r));
  EXPECT_EQ(r.order, (std::vector<std::string>{"high", "low"}));
}

TEST(MergedFilesystemTest, ARepeatedMemberInOneLayerIsTheLastCopy) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("f", "first"), File("g", "g")});
  image = maker.Add(image, {File("f", "second!"), File("f", "third")});
  // The recorder insists each path comes once; a repeat is recorded as a second visit.
  class Counter : public MergedFileVisitor {
   public:
    Status OnFile(const ImageFile& file, ByteSource* content) override {
      std::string text(64, '\0');
      auto n = content->Read(text.data(), text.size());
      if (!n) return n.error();
      text.resize(*n);
      last[file.entry.name] = text;
      return Ok{};
    }
    std::map<std::string, std::string> last;
  } counter;
  auto figures = WalkMergedFilesystem(maker.store(), image, counter);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(counter.last["f"], "third");
  EXPECT_EQ(figures->file_bytes, 6u);                // "third" + "g"
  EXPECT_EQ(figures->wasted_bytes, 12u);             // "second!" + "first"
  EXPECT_EQ(figures->layers[1].shadowed_bytes, 7u);  // "second!"
}

TEST(MergedFilesystemTest, AVisitorMayReadPartOfAFileAndTheWalkGoesOn) {
  ImageMaker maker;
  std::string big(200000, 'b');
  oci::Image image =
      maker.Add(maker.Scratch(), {File("big", big), File("next", "n")}, layer::Compression::kZstd);
  Recorder r(/*read_limit=*/10);
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(r.seen["big"].content, "bbbbbbbbbb");
  EXPECT_EQ(r.seen["next"].content, "n");
  EXPECT_EQ(figures->file_bytes, 200001u);
}

// A zstd frame that ends exactly where its input does (very compressible content) used to be
// taken for a truncated one; a stream really cut short still is refused.
TEST(MergedFilesystemTest, AZstdLayerIsReadToItsEndAndACutOneIsRefused) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("zeros", std::string(300000, '\0'))},
                               layer::Compression::kZstd);
  Recorder whole(1 << 20);
  auto figures = WalkMergedFilesystem(maker.store(), image, whole);
  ASSERT_TRUE(figures) << figures.error().ToString();
  EXPECT_EQ(whole.seen["zeros"].content.size(), 300000u);

  auto blob = maker.store().ReadBlob(image.layers[0].digest);
  ASSERT_TRUE(blob);
  std::string cut = blob->substr(0, blob->size() - 4);
  auto descriptor = maker.store().PutBlob(cut, image.layers[0].media_type);
  ASSERT_TRUE(descriptor);
  oci::Image broken = image;
  broken.layers[0] = *descriptor;
  Recorder r;
  auto refused = WalkMergedFilesystem(maker.store(), broken, r);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("zstd"), std::string::npos)
      << refused.error().ToString();
}

TEST(MergedFilesystemTest, AVisitorsErrorStopsTheWalkNamingTheFileAndLayer) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("etc/bad", "x")});
  Recorder r;
  r.fail_on = "etc/bad";
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_FALSE(figures);
  EXPECT_NE(figures.error().message().find("'etc/bad'"), std::string::npos)
      << figures.error().ToString();
  EXPECT_NE(figures.error().message().find("layer 1 of 1"), std::string::npos);
  EXPECT_NE(figures.error().message().find("the visitor refuses it"), std::string::npos);
}

TEST(MergedFilesystemTest, ABlobWhoseBytesAreNotItsDigestIsRefused) {
  ImageMaker maker;
  oci::Image image =
      maker.Add(maker.Scratch(), {File("etc/motd", "hello")}, layer::Compression::kNone);
  std::string path = maker.store().BlobPath(image.layers[0].digest);
  auto bytes = ReadFile(path);
  ASSERT_TRUE(bytes);
  size_t at = bytes->find("hello");
  ASSERT_NE(at, std::string::npos);
  (*bytes)[at] = 'j';
  chmod(path.c_str(), 0644);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << *bytes;
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_FALSE(figures);
  EXPECT_EQ(figures.error().kind(), ErrorKind::kIntegrity) << figures.error().ToString();
}

TEST(MergedFilesystemTest, ALayerThatIsNotItsDiffIdIsRefused) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("etc/motd", "hello")});
  image.config.diff_ids[0] = oci::Digest::Of("something else");
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_FALSE(figures);
  EXPECT_EQ(figures.error().kind(), ErrorKind::kIntegrity) << figures.error().ToString();
  EXPECT_NE(figures.error().message().find("diff_id"), std::string::npos);
}

TEST(MergedFilesystemTest, AConfigWithTheWrongNumberOfDiffIdsIsBadInput) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {File("a", "a")});
  image.config.diff_ids.push_back(oci::Digest::Of("extra"));
  Recorder r;
  auto figures = WalkMergedFilesystem(maker.store(), image, r);
  ASSERT_FALSE(figures);
  EXPECT_EQ(figures.error().kind(), ErrorKind::kInvalidInput);
}

TEST(MergedFilesystemTest, AnImageReadBackFromTheStoreWalksTheSame) {
  ImageMaker maker;
  oci::Image image = maker.Add(maker.Scratch(), {Dir("usr"), File("usr/x", "x")});
  maker.Store(image, "walk:test");
  auto read = oci::ReadImage(maker.store(), "walk:test", {.os = "linux", .architecture = "amd64"});
  ASSERT_TRUE(read) << read.error().ToString();
  Recorder r;
  ASSERT_TRUE(WalkMergedFilesystem(maker.store(), *read, r));
  EXPECT_EQ(Names(r), (std::vector<std::string>{"usr", "usr/x"}));
}

}  // namespace
}  // namespace plinth::audit
