#include "layer/layer_builder.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "layer/file_sink.h"
#include "layer/layer_test_support.h"
#include "support/test_env.h"
#include "util/sha256.h"

namespace plinth::layer {
namespace {

using plinth::testing::ScratchDir;
using testing::BuildFromDir;
using testing::MakeFixedTree;
using testing::Shell;

// A tar listing with runs of spaces squeezed (GNU tar aligns its columns).
std::string Squeezed(const std::string& command) {
  std::string out;
  for (char c : Shell(command))
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  return out;
}

LayerOptions WithCompression(Compression c) {
  LayerOptions o;
  o.compression = c;
  return o;
}

// Known answers: if these change, layers built by earlier plinth versions no longer match
// (a cache break); change them only on purpose (cache format 3: gzip by libdeflate).
TEST(LayerBuilderTest, FixedTreeHasKnownDigests) {
  ScratchDir dir;
  MakeFixedTree(dir / "tree", 1700000000);
  LayerInfo gz = BuildFromDir(dir / "tree", dir / "layer.tar.gz");
  EXPECT_EQ(gz.diff_id.str(), "sha256:7647965b5412e305abc9c9618396dfdd475ba6bfaa962014eb48fd4d4fd7597e");
  EXPECT_EQ(gz.digest.str(), "sha256:21c38370361863104b9744aa220feac8dfe5090523e7083c7ae162534fe325dc");
  EXPECT_EQ(gz.media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  LayerInfo zst = BuildFromDir(dir / "tree", dir / "layer.tar.zst", WithCompression(Compression::kZstd));
  EXPECT_EQ(zst.diff_id, gz.diff_id);
  EXPECT_EQ(zst.digest.str(), "sha256:aceb02c95f435f47ad98fb72c5dcd9f1a077b742c1ab4004251a2ae10ee132a6");
  EXPECT_EQ(zst.media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
  LayerInfo raw = BuildFromDir(dir / "tree", dir / "layer.tar", WithCompression(Compression::kNone));
  EXPECT_EQ(raw.digest, gz.diff_id);
  EXPECT_EQ(raw.size, raw.uncompressed_size);
}

TEST(LayerBuilderTest, SameTreeAtDifferentTimesGivesSameDigests) {
  ScratchDir dir;
  MakeFixedTree(dir / "old", 1000000000);
  MakeFixedTree(dir / "new", 1800000000);
  LayerInfo a = BuildFromDir(dir / "old", dir / "a.gz");
  LayerInfo b = BuildFromDir(dir / "new", dir / "b.gz");
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.diff_id, b.diff_id);
  // With a timestamp between the two, the older tree keeps its times and the digests differ.
  LayerOptions clamp;
  clamp.timestamp = 1500000000;
  LayerInfo c = BuildFromDir(dir / "old", dir / "c.gz", clamp);
  LayerInfo d = BuildFromDir(dir / "new", dir / "d.gz", clamp);
  EXPECT_NE(c.diff_id, d.diff_id);
  EXPECT_NE(c.diff_id, a.diff_id);
}

TEST(LayerBuilderTest, GzipAndZstdBlobsDecompressToTheDiffId) {
  ScratchDir dir;
  MakeFixedTree(dir / "tree", 1700000000);
  // Enough data for many parallel gzip chunks, part of it incompressible.
  Shell("head -c 5000000 /dev/urandom > '" + dir / "tree/random.bin" + "'");
  Shell("seq 1 700000 > '" + dir / "tree/numbers.txt" + "'");
  LayerInfo gz = BuildFromDir(dir / "tree", dir / "l.gz");
  Shell("gzip -t '" + dir / "l.gz" + "'");
  EXPECT_EQ("sha256:" + Shell("gzip -dc '" + dir / "l.gz" + "' | sha256sum | cut -c1-64 | tr -d '\\n'"),
            gz.diff_id.str());
  EXPECT_EQ("sha256:" + Shell("sha256sum '" + dir / "l.gz" + "' | cut -c1-64 | tr -d '\\n'"),
            gz.digest.str());
  LayerInfo zst = BuildFromDir(dir / "tree", dir / "l.zst", WithCompression(Compression::kZstd));
  Shell("zstd -q -t '" + dir / "l.zst" + "'");
  EXPECT_EQ("sha256:" + Shell("zstd -q -dc '" + dir / "l.zst" + "' | sha256sum | cut -c1-64 | tr -d '\\n'"),
            zst.diff_id.str());
  EXPECT_EQ(zst.diff_id, gz.diff_id);
  EXPECT_LT(gz.size, gz.uncompressed_size);
}

TEST(LayerBuilderTest, GnuTarListsModesOwnersAndLinks) {
  ScratchDir dir;
  MakeFixedTree(dir / "tree", 1700000000);
  LayerOptions options;
  options.owner = Owner{65532, 65533};
  BuildFromDir(dir / "tree", dir / "l.gz", options);
  std::string listing = Squeezed("TZ=UTC tar --numeric-owner -tvzf '" + dir / "l.gz" + "'");
  EXPECT_NE(listing.find("drwxr-xr-x 65532/65533 0 1970-01-01 00:00 app/\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rwsr-xr-x 65532/65533 12 1970-01-01 00:00 app/bin/tool\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("lrwxrwxrwx 65532/65533 0 1970-01-01 00:00 app/bin/hello -> ../hello.txt\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw------- 65532/65533 12 1970-01-01 00:00 app/etc/conf/app.conf\n"), std::string::npos) << listing;
  // The first name in sorted order holds the content; the other is a hard link to it.
  EXPECT_NE(listing.find("-rw-r--r-- 65532/65533 14 1970-01-01 00:00 app/etc/hello-link.txt\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("hrw-r--r-- 65532/65533 0 1970-01-01 00:00 app/hello.txt link to app/etc/hello-link.txt\n"), std::string::npos) << listing;
}

TEST(LayerBuilderTest, ExplicitEntriesAndLongNonAsciiNames) {
  ScratchDir dir;
  LayerOptions options;
  options.timestamp = 1700000000;
  options.compression = Compression::kNone;
  LayerBuilder builder(options);
  std::string long_name = "usr/share/" + std::string(120, 'x') + "/\xc3\xa9t\xc3\xa9.txt";
  ASSERT_TRUE(builder.AddFile(long_name, "generated\n", 0640));
  ASSERT_TRUE(builder.AddSymlink("/usr/bin/python", "python3.11"));
  ASSERT_TRUE(builder.AddHardLink("/usr/bin/py", "usr/share/" + std::string(120, 'x') + "/\xc3\xa9t\xc3\xa9.txt"));
  TarEntry owned;
  owned.name = "/var/mail";
  owned.type = EntryType::kDirectory;
  owned.mode = 02775;
  owned.gid = 8;
  owned.mtime = 1800000000;  // newer than the timestamp: clamped
  ASSERT_TRUE(builder.AddEntry(owned));
  auto sink = FileSink::Create(dir / "l.tar");
  ASSERT_TRUE(sink);
  auto info = builder.Build(*sink);
  ASSERT_TRUE(info) << info.error().ToString();
  ASSERT_TRUE(sink->Close());
  std::string listing = Squeezed("TZ=UTC tar --numeric-owner -tvf '" + dir / "l.tar" + "'");
  EXPECT_NE(listing.find("-rw-r----- 0/0 10 2023-11-14 22:13 " + long_name + "\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("drwxrwsr-x 0/8 0 2023-11-14 22:13 var/mail/\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("drwxr-xr-x 0/0 0 2023-11-14 22:13 usr/\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("usr/bin/python -> python3.11"), std::string::npos) << listing;
  EXPECT_NE(listing.find("usr/bin/py link to " + long_name), std::string::npos) << listing;
}

TEST(LayerBuilderTest, RefusesSockets) {
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "tree/ok.txt", "ok");
  std::string sock_path = dir / "tree/daemon.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(sock_path.size(), sizeof addr.sun_path);
  std::strcpy(addr.sun_path, sock_path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  LayerBuilder builder(LayerOptions{});
  Status added = builder.Add({dir / "tree", "/app"});
  close(fd);
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message().find(sock_path + " is a socket"), std::string::npos)
      << added.error().ToString();
}

TEST(LayerBuilderTest, RefusesDevices) {
  LayerBuilder builder(LayerOptions{});
  Status added = builder.Add({"/dev/null", "/dev/null"});
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message().find("/dev/null is a device"), std::string::npos)
      << added.error().ToString();
  TarEntry dev;
  dev.name = "dev/zero";
  dev.type = EntryType::kCharDevice;
  EXPECT_FALSE(builder.AddEntry(dev));
}

TEST(LayerBuilderTest, FileSpecsFollowDockerRules) {
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "a.txt", "a");
  LayerOptions options;
  options.compression = Compression::kNone;
  LayerBuilder builder(options);
  ASSERT_TRUE(builder.Add({dir / "a.txt", "/etc/"}));          // into the folder
  ASSERT_TRUE(builder.Add({dir / "a.txt", "/opt/renamed.txt"}));  // as that name
  StringSink tar;
  ASSERT_TRUE(builder.WriteTar(tar));
  std::string path = dir / "l.tar";
  plinth::testing::WriteTestFile(path, tar.str());
  EXPECT_EQ(Shell("tar -tf '" + path + "'"), "etc/\netc/a.txt\nopt/\nopt/renamed.txt\n");
}

}  // namespace
}  // namespace plinth::layer
