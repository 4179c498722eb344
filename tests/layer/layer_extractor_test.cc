#include "layer/layer_extractor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layer/layer_builder.h"
#include "layer/layer_test_support.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::layer {
namespace {

using plinth::testing::ScratchDir;
using testing::RawTar;

TarEntry Member(std::string name, EntryType type = EntryType::kRegular, std::string target = "") {
  TarEntry e;
  e.name = std::move(name);
  e.type = type;
  e.mode = type == EntryType::kDirectory ? 0755 : 0644;
  e.link_target = std::move(target);
  return e;
}

Status Extract(const std::string& tar, const std::string& root) {
  StringSource source(tar);
  auto stats = ExtractLayer(source, root);
  if (!stats) return stats.error();
  return Ok{};
}

TEST(LayerExtractorTest, RefusesDotDotAndAbsoluteNames) {
  ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "root"));
  Status dotdot = Extract(RawTar({Member("../x")}), dir / "root");
  ASSERT_FALSE(dotdot);
  EXPECT_NE(dotdot.error().message().find("'..'"), std::string::npos) << dotdot.error().ToString();
  Status inner = Extract(RawTar({Member("a/../../x")}), dir / "root");
  EXPECT_FALSE(inner);
  Status absolute = Extract(RawTar({Member("/abs")}), dir / "root");
  ASSERT_FALSE(absolute);
  EXPECT_NE(absolute.error().message().find("absolute"), std::string::npos);
  EXPECT_FALSE(PathExists(dir / "x"));
  EXPECT_FALSE(PathExists("/abs"));
}

TEST(LayerExtractorTest, RefusesSymlinkEscapes) {
  ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "root"));
  Status escape = Extract(RawTar({Member("evil", EntryType::kSymlink, "../../outside")}), dir / "root");
  ASSERT_FALSE(escape);
  EXPECT_NE(escape.error().message().find("points outside the root"), std::string::npos);
  // Absolute targets are resolved against the root, as in the container: allowed.
  EXPECT_TRUE(Extract(RawTar({Member("etc", EntryType::kDirectory),
                              Member("etc/localtime", EntryType::kSymlink, "/usr/share/zoneinfo/UTC")}),
                      dir / "root"));
}

TEST(LayerExtractorTest, RefusesWritingThroughASymlinkOutsideTheRoot) {
  ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "root"));
  ASSERT_TRUE(MakeDirs(dir / "outside"));
  // A lower layer left a link that leaves the root (made here by hand: we refuse to create one).
  ASSERT_EQ(symlink("../outside", (dir / "root/link").c_str()), 0);
  Status through = Extract(RawTar({Member("link/pwned")}), dir / "root");
  ASSERT_FALSE(through);
  EXPECT_NE(through.error().message().find("through symlink"), std::string::npos)
      << through.error().ToString();
  EXPECT_FALSE(PathExists(dir / "outside/pwned"));
  // Replacing the link itself is fine: the final component is never followed.
  EXPECT_TRUE(Extract(RawTar({Member("link")}), dir / "root"));
  struct stat st;
  ASSERT_EQ(lstat((dir / "root/link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST(LayerExtractorTest, FollowsSymlinksThatStayInside) {
  ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "root"));
  // usrmerge: bin -> usr/bin, then a file written as bin/sh lands in usr/bin/sh.
  ASSERT_TRUE(Extract(RawTar({Member("usr", EntryType::kDirectory), Member("usr/bin", EntryType::kDirectory),
                              Member("bin", EntryType::kSymlink, "usr/bin")}),
                      dir / "root"));
  ASSERT_TRUE(Extract(RawTar({Member("bin/sh")}, "shell"), dir / "root"));
  EXPECT_EQ(*ReadFile(dir / "root/usr/bin/sh"), "shell");
}

TEST(LayerExtractorTest, AppliesWhiteoutsAndOpaqueDirectoriesAcrossLayers) {
  ScratchDir dir;
  std::string root = dir / "root";
  ASSERT_TRUE(MakeDirs(root));
  // Lower layer, built and gzipped by LayerBuilder.
  LayerOptions options;
  LayerBuilder lower(options);
  ASSERT_TRUE(lower.AddFile("etc/keep.conf", "keep"));
  ASSERT_TRUE(lower.AddFile("etc/gone.conf", "gone"));
  ASSERT_TRUE(lower.AddFile("var/cache/a", "a"));
  ASSERT_TRUE(lower.AddFile("var/cache/sub/b", "b"));
  StringSink lower_blob;
  ASSERT_TRUE(lower.Build(lower_blob));
  StringSource lower_source(lower_blob.str());
  auto lower_stats = ExtractLayer(lower_source, root);
  ASSERT_TRUE(lower_stats) << lower_stats.error().ToString();
  EXPECT_EQ(*ReadFile(root + "/var/cache/sub/b"), "b");
  // Upper layer, zstd: a whiteout, an opaque directory with a new file in it.
  LayerOptions zstd;
  zstd.compression = Compression::kZstd;
  LayerBuilder upper(zstd);
  ASSERT_TRUE(upper.AddFile("etc/.wh.gone.conf", ""));
  ASSERT_TRUE(upper.AddFile("var/cache/-new", "new"));  // sorts before the opaque marker
  ASSERT_TRUE(upper.AddFile("var/cache/.wh..wh..opq", ""));
  ASSERT_TRUE(upper.AddFile("var/cache/z", "z"));
  StringSink upper_blob;
  ASSERT_TRUE(upper.Build(upper_blob));
  StringSource upper_source(upper_blob.str());
  auto upper_stats = ExtractLayer(upper_source, root);
  ASSERT_TRUE(upper_stats) << upper_stats.error().ToString();
  EXPECT_EQ(upper_stats->whiteouts, 2u);
  EXPECT_TRUE(PathExists(root + "/etc/keep.conf"));
  EXPECT_FALSE(PathExists(root + "/etc/gone.conf"));
  EXPECT_FALSE(PathExists(root + "/etc/.wh.gone.conf"));
  EXPECT_FALSE(PathExists(root + "/var/cache/a"));
  EXPECT_FALSE(PathExists(root + "/var/cache/sub"));
  EXPECT_FALSE(PathExists(root + "/var/cache/.wh..wh..opq"));
  EXPECT_EQ(*ReadFile(root + "/var/cache/-new"), "new");
  EXPECT_EQ(*ReadFile(root + "/var/cache/z"), "z");
}

TEST(LayerExtractorTest, ReadsXzTarsFromGnuTar) {
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "src/usr/lib/x.so", "elf", 04755);
  testing::Shell("tar -C '" + dir / "src" + "' -cJf '" + dir / "l.tar.xz" + "' usr");
  auto source = FileSource::Open(dir / "l.tar.xz");
  ASSERT_TRUE(source);
  ASSERT_TRUE(MakeDirs(dir / "root"));
  auto stats = ExtractLayer(*source, dir / "root");
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(*ReadFile(dir / "root/usr/lib/x.so"), "elf");
  struct stat st;
  ASSERT_EQ(stat((dir / "root/usr/lib/x.so").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
}

}  // namespace
}  // namespace plinth::layer
