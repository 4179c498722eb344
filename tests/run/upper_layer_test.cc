#include "run/upper_layer.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>

#include "layer/decompressing_source.h"
#include "layer/layer_extractor.h"
#include "layer/tar_reader.h"
#include "run/snapshot_store.h"
#include "run/snapshot_test_support.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::run {
namespace {

using plinth::testing::ScratchDir;
using plinth::testing::WriteTestFile;
using testing::ImageOf;
using testing::LayerFromTree;
using testing::ListTree;
using testing::Shell;
using testing::StoredLayer;

constexpr int64_t kBaseTimestamp = 1700000000;

// The members of a layer blob: "name type mode uid:gid[ -> target]" each.
std::vector<std::string> Members(const oci::LayoutStore& store, const oci::Descriptor& blob) {
  std::vector<std::string> out;
  auto source = store.OpenBlob(blob);
  EXPECT_TRUE(source);
  if (!source) return out;
  auto plain = layer::OpenDecompressed(*source);
  EXPECT_TRUE(plain);
  if (!plain) return out;
  layer::TarReader tar(**plain);
  for (;;) {
    auto next = tar.Next();
    EXPECT_TRUE(next) << next.error().ToString();
    if (!next || !*next) break;
    const layer::TarEntry& e = **next;
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", e.mode);
    std::string line = e.name + " " + layer::EntryTypeName(e.type) + " " + mode + " " +
                       std::to_string(e.uid) + ":" + std::to_string(e.gid);
    if (!e.link_target.empty()) line += " -> " + e.link_target;
    out.push_back(line);
  }
  return out;
}

class UpperLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::EnterPrivateMountNamespace();
    auto opened = oci::LayoutStore::Open(dir_ / "store");
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_.emplace(std::move(*opened));
  }

  // A base of two layers: files, a setuid tool, a hard link; then a layer adding to it.
  std::vector<StoredLayer> Base() {
    std::string one = dir_ / "one";
    WriteTestFile(one + "/etc/hostname", "base\n");
    WriteTestFile(one + "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    WriteTestFile(one + "/opt/app/old.txt", "old\n");
    WriteTestFile(one + "/opt/app/sub/deep.txt", "deep\n");
    WriteTestFile(one + "/usr/bin/tool", "#!/bin/sh\n", 0755);
    WriteTestFile(one + "/var/cache/junk/file", "junk\n");
    Shell("cd '" + one +
          "' && chown 65532:65532 usr/bin/tool && chmod 4755 usr/bin/tool && "
          "ln etc/passwd etc/passwd-");
    std::string two = dir_ / "two";
    WriteTestFile(two + "/usr/share/doc/readme", "doc\n");
    return {LayerFromTree(*store_, one, kBaseTimestamp),
            LayerFromTree(*store_, two, kBaseTimestamp)};
  }

  ScratchDir dir_;
  std::optional<oci::LayoutStore> store_;
};

// What a step changes through the overlay, written as a layer and applied to the lowers, is
// what the step saw.
TEST_F(UpperLayerTest, LayerAppliedToTheLowersGivesTheMergedView) {
  auto base = Base();
  SnapshotStore snapshots(*store_);
  auto lowers = snapshots.Lowers(ImageOf(base));
  ASSERT_TRUE(lowers) << lowers.error().ToString();
  auto step = snapshots.NewStep();
  ASSERT_TRUE(step) << step.error().ToString();
  testing::MountOverlay(*lowers, *step);
  Shell("cd '" + step->rootfs +
        "' && echo more >> etc/hostname && rm -rf var/cache/junk && "
        "rm -rf opt/app && mkdir opt/app && echo new > opt/app/new.txt && "
        "rm usr/share/doc/readme && "
        "mkdir srv && echo a > srv/a && ln srv/a srv/b && "
        "cp usr/bin/tool srv/tool && chown 65532:65532 srv/tool && chmod 4755 srv/tool && "
        "chown -h 65532:65532 srv && ln -s ../etc/hostname srv/link");
  testing::TreeListing merged = ListTree(step->rootfs, /*with_dir_mtimes=*/false);
  testing::Unmount(step->rootfs);

  int64_t content_bytes = 0;
  auto written = WriteUpperLayer(*store_, step->upper, layer::Compression::kGzip,
                                 time(nullptr) + 3600, [&](int64_t n) { content_bytes += n; });
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_TRUE(store_->HasBlob(written->descriptor.digest));
  EXPECT_EQ(written->descriptor.media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  // "base\nmore\n", "new\n", "a\n" once for both links, the tool.
  EXPECT_EQ(content_bytes, 10 + 4 + 2 + 10);

  std::vector<std::string> expected = {
      "etc directory 0755 0:0",
      "etc/hostname regular file 0644 0:0",
      "opt directory 0755 0:0",
      "opt/app directory 0755 0:0",
      "opt/app/.wh..wh..opq regular file 0000 0:0",
      "opt/app/new.txt regular file 0644 0:0",
      "srv directory 0755 65532:65532",
      "srv/a regular file 0644 0:0",
      "srv/b hard link 0644 0:0 -> srv/a",
      "srv/link symlink 0777 0:0 -> ../etc/hostname",
      "srv/tool regular file 4755 65532:65532",
      "usr directory 0755 0:0",
      "usr/share directory 0755 0:0",
      "usr/share/doc directory 0755 0:0",
      "usr/share/doc/.wh.readme regular file 0000 0:0",
      "var directory 0755 0:0",
      "var/cache directory 0755 0:0",
      "var/cache/.wh.junk regular file 0000 0:0",
  };
  EXPECT_EQ(Members(*store_, written->descriptor), expected);

  // kApply: the base's layers, then the step's, in one folder.
  std::string applied = dir_ / "applied";
  ASSERT_TRUE(MakeDirs(applied));
  std::vector<StoredLayer> all = base;
  all.push_back({written->descriptor, written->diff_id});
  for (const auto& l : all) {
    auto blob = store_->OpenBlob(l.descriptor);
    ASSERT_TRUE(blob);
    auto stats = layer::ExtractLayer(*blob, applied,
                                     {.ownership = layer::OwnershipPolicy::kPreserve,
                                      .digest = l.descriptor.digest,
                                      .diff_id = l.diff_id});
    ASSERT_TRUE(stats) << stats.error().ToString();
  }
  EXPECT_EQ(ListTree(applied, /*with_dir_mtimes=*/false), merged);
  EXPECT_EQ(merged.count("var/cache/junk"), 0u);
  EXPECT_EQ(merged.count("opt/app/old.txt"), 0u);
  EXPECT_EQ(merged.count("opt/app/sub"), 0u);
  EXPECT_NE(merged["srv/tool"].find("mode=104755 owner=65532:65532"), std::string::npos)
      << merged["srv/tool"];
  EXPECT_NE(merged["srv/b"].find("nlink=2"), std::string::npos) << merged["srv/b"];
  ASSERT_TRUE(snapshots.Release(*step));
}

TEST_F(UpperLayerTest, MtimesAreClampedToTheTimestamp) {
  std::string upper = dir_ / "upper";
  WriteTestFile(upper + "/old", "o");
  WriteTestFile(upper + "/new", "n");
  Shell("touch -d @1000 '" + upper + "/old' && touch -d @5000 '" + upper + "/new'");
  auto written = WriteUpperLayer(*store_, upper, layer::Compression::kZstd, 2000);
  ASSERT_TRUE(written) << written.error().ToString();
  EXPECT_EQ(written->descriptor.media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
  std::string out = dir_ / "out";
  ASSERT_TRUE(MakeDirs(out));
  auto blob = store_->OpenBlob(written->descriptor);
  ASSERT_TRUE(blob);
  ASSERT_TRUE(layer::ExtractLayer(*blob, out, {.diff_id = written->diff_id}));
  struct stat st;
  ASSERT_EQ(lstat((out + "/old").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1000);
  ASSERT_EQ(lstat((out + "/new").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 2000);
}

// The file member of a hard-linked file is its first name in the layer's byte order, which is
// not the order of a walk: "d.c" comes before "d/b".
TEST_F(UpperLayerTest, HardLinksPointToTheFirstNameInLayerOrder) {
  std::string upper = dir_ / "upper";
  WriteTestFile(upper + "/d/b", "linked\n");
  Shell("cd '" + upper + "' && ln d/b d.c && ln d/b e");
  auto written = WriteUpperLayer(*store_, upper, layer::Compression::kGzip, 0);
  ASSERT_TRUE(written) << written.error().ToString();
  std::vector<std::string> expected = {
      "d directory 0755 0:0",
      "d.c regular file 0644 0:0",
      "d/b hard link 0644 0:0 -> d.c",
      "e hard link 0644 0:0 -> d.c",
  };
  // Directory first: "d" < "d.c" < "d/b".
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Members(*store_, written->descriptor), expected);
  std::string out = dir_ / "out";
  ASSERT_TRUE(MakeDirs(out));
  auto blob = store_->OpenBlob(written->descriptor);
  ASSERT_TRUE(blob);
  ASSERT_TRUE(layer::ExtractLayer(*blob, out, {.diff_id = written->diff_id}));
  EXPECT_NE(ListTree(out)["d/b"].find("nlink=3"), std::string::npos);
}

TEST_F(UpperLayerTest, RefusesDevicesAndRedirectsAndSkipsSockets) {
  std::string literal = dir_ / "literal";
  WriteTestFile(literal + "/etc/.wh.passwd", "not a whiteout\n");
  auto named = WriteUpperLayer(*store_, literal, layer::Compression::kGzip, 0);
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().ToString().find("'etc/.wh.passwd'"), std::string::npos)
      << named.error().ToString();

  std::string device = dir_ / "device";
  ASSERT_TRUE(MakeDirs(device + "/dev"));
  Shell("mknod '" + device + "/dev/null' c 1 3");
  auto refused = WriteUpperLayer(*store_, device, layer::Compression::kGzip, 0);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().ToString().find("'dev/null' is a device"), std::string::npos)
      << refused.error().ToString();

  // A socket is left out, as docker and buildah leave it out.
  std::string sock = dir_ / "socket";
  WriteTestFile(sock + "/run/pid", "1\n");
  testing::MakeSocket(sock + "/run/s");
  auto skipped = WriteUpperLayer(*store_, sock, layer::Compression::kGzip, 0);
  ASSERT_TRUE(skipped) << skipped.error().ToString();
  EXPECT_EQ(Members(*store_, skipped->descriptor),
            (std::vector<std::string>{"run directory 0755 0:0", "run/pid regular file 0644 0:0"}));

  std::string redirect = dir_ / "redirect";
  ASSERT_TRUE(MakeDirs(redirect + "/moved"));
  ASSERT_EQ(lsetxattr((redirect + "/moved").c_str(), "trusted.overlay.redirect", "/old", 4, 0), 0);
  refused = WriteUpperLayer(*store_, redirect, layer::Compression::kGzip, 0);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().ToString().find("trusted.overlay.redirect"), std::string::npos)
      << refused.error().ToString();
}

}  // namespace
}  // namespace plinth::run
