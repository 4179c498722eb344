#include "layer/layer_extractor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layer/layer_builder.h"
#include "layer/layer_test_support.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

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

// A gzip layer of `dir` (at /app) in `dir/../NAME.tar.gz`, and what it is.
LayerInfo GzipLayer(const ScratchDir& scratch, const std::string& name) {
  return testing::BuildFromDir(scratch / name, scratch / (name + ".tar.gz"),
                               {.compression = Compression::kGzip});
}

TEST(LayerExtractorTest, ChecksTheBlobAndItsTarAgainstTheirDigestsWhileExtracting) {
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "good/file", "good\n");
  plinth::testing::WriteTestFile(dir / "evil/file", "evil\n");
  LayerInfo good = GzipLayer(dir, "good");
  LayerInfo evil = GzipLayer(dir, "evil");
  int runs = 0;
  auto extract = [&](const std::string& blob, ExtractOptions options) -> Status {
    std::string root = dir / ("root-" + std::to_string(++runs));
    PLINTH_CHECK(MakeDirs(root));
    PLINTH_TRY(FileSource source, FileSource::Open(blob));
    PLINTH_TRY(ExtractStats stats, ExtractLayer(source, root, options));
    (void)stats;
    return Ok{};
  };
  EXPECT_TRUE(extract(dir / "good.tar.gz", {.digest = good.digest, .diff_id = good.diff_id}));
  // Another layer's bytes under this layer's names: both checks catch it.
  Status lying_tar = extract(dir / "evil.tar.gz", {.diff_id = good.diff_id});
  ASSERT_FALSE(lying_tar);
  EXPECT_EQ(lying_tar.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(lying_tar.error().message().find(good.diff_id.str()), std::string::npos)
      << lying_tar.error().ToString();
  Status lying_blob = extract(dir / "evil.tar.gz", {.digest = good.digest});
  ASSERT_FALSE(lying_blob);
  EXPECT_EQ(lying_blob.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(lying_blob.error().message().find(evil.digest.str()), std::string::npos)
      << lying_blob.error().ToString();
  // Bytes after the tar's end are part of what the diff_id covers.
  std::string tar = RawTar({Member("f")});
  StringSource padded(tar + std::string(512, '\0'));
  ASSERT_TRUE(MakeDirs(dir / "padded"));
  EXPECT_FALSE(ExtractLayer(padded, dir / "padded",
                            {.diff_id = oci::Digest::Sha256Hex(Sha256::HexOf(tar))}));
}

TEST(LayerExtractorTest, AGzipBombStopsAtTheUnpackLimit) {
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "bomb/zeros", std::string(16 << 20, '\0'));
  LayerInfo bomb = GzipLayer(dir, "bomb");
  ASSERT_LT(bomb.size, 64u << 10);
  auto source = FileSource::Open(dir / "bomb.tar.gz");
  ASSERT_TRUE(source);
  ASSERT_TRUE(MakeDirs(dir / "root"));
  auto stats = ExtractLayer(*source, dir / "root", {.max_unpacked_bytes = 1 << 20});
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(stats.error().message().find("unpacks to more than 1048576 bytes"), std::string::npos)
      << stats.error().ToString();
  struct stat st{};
  ASSERT_EQ(stat((dir / "root/app/zeros").c_str(), &st), 0);
  EXPECT_LE(st.st_size, 1 << 20);
}

TEST(LayerExtractorTest, TheUnpackLimitScalesWithTheBlobAboveAFloor) {
  unsetenv("PLINTH_LAYER_UNPACK_RATIO");
  unsetenv("PLINTH_LAYER_UNPACK_MIN_BYTES");
  EXPECT_EQ(*UnpackLimit(10), uint64_t{1} << 30);
  EXPECT_EQ(*UnpackLimit(uint64_t{100} << 20), uint64_t{10000} << 20);
  setenv("PLINTH_LAYER_UNPACK_RATIO", "3", 1);
  setenv("PLINTH_LAYER_UNPACK_MIN_BYTES", "1000", 1);
  EXPECT_EQ(*UnpackLimit(10), 1000u);
  EXPECT_EQ(*UnpackLimit(1000), 3000u);
  EXPECT_EQ(*UnpackLimit(UINT64_MAX / 2), UINT64_MAX);
  setenv("PLINTH_LAYER_UNPACK_RATIO", "lots", 1);
  auto bad = UnpackLimit(10);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("PLINTH_LAYER_UNPACK_RATIO='lots'"), std::string::npos);
  unsetenv("PLINTH_LAYER_UNPACK_RATIO");
  unsetenv("PLINTH_LAYER_UNPACK_MIN_BYTES");
}

TEST(LayerExtractorTest, SetuidBitsAreRecordedByInodeNotWritten) {
  ScratchDir dir;
  TarEntry suid = Member("su");
  suid.mode = 04755;
  TarEntry sgid = Member("wall");
  sgid.mode = 02755;
  TarEntry link = Member("su-again", EntryType::kHardLink, "su");
  TarEntry shared = Member("shared", EntryType::kDirectory);
  shared.mode = 02775;  // setgid folders only decide new files' group: kept
  ASSERT_TRUE(MakeDirs(dir / "root"));
  SetidModes modes;
  modes[12345] = 04711;  // an earlier file's
  StringSource tar(RawTar({suid, sgid, link, shared, Member("plain")}));
  auto stats = ExtractLayer(tar, dir / "root", {.setid_modes = &modes});
  ASSERT_TRUE(stats) << stats.error().ToString();
  struct stat su{}, wall{}, again{}, dirst{};
  ASSERT_EQ(lstat((dir / "root/su").c_str(), &su), 0);
  ASSERT_EQ(lstat((dir / "root/wall").c_str(), &wall), 0);
  ASSERT_EQ(lstat((dir / "root/su-again").c_str(), &again), 0);
  ASSERT_EQ(lstat((dir / "root/shared").c_str(), &dirst), 0);
  EXPECT_EQ(su.st_mode & 07777, 0755u);
  EXPECT_EQ(wall.st_mode & 07777, 0755u);
  EXPECT_EQ(again.st_ino, su.st_ino);
  EXPECT_EQ(dirst.st_mode & 07777, 02775u);
  EXPECT_EQ(modes[su.st_ino], 04755u);
  EXPECT_EQ(modes[wall.st_ino], 02755u);
  // Replacing the file in a later layer drops its line: the new file has its own mode.
  StringSource replace(RawTar({Member("su")}));
  ASSERT_TRUE(ExtractLayer(replace, dir / "root", {.setid_modes = &modes}));
  struct stat now{};
  ASSERT_EQ(lstat((dir / "root/su").c_str(), &now), 0);
  EXPECT_EQ(modes.count(now.st_ino), 0u);
}

}  // namespace
}  // namespace plinth::layer
