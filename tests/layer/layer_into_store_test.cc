// A layer written straight into the store, as `plinth image build` does: the layer stream hashes
// the blob on its way out, the store does not hash it again, and the blob lands under the digest
// the stream computed, matching its bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "layer/layer_builder.h"
#include "layer/layer_test_support.h"
#include "oci/layout_store.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::layer {
namespace {

using plinth::testing::ScratchDir;

TEST(LayerIntoStoreTest, BlobHashedByTheStreamLandsUnderItsDigest) {
  ScratchDir dir;
  // Big enough for several gzip chunks and several writeback steps, partly random.
  std::string random(6 << 20, '\0');
  std::mt19937 rng(5);
  for (char& c : random) c = static_cast<char>(rng());
  plinth::testing::WriteTestFile(dir / "src/random.bin", random);
  plinth::testing::WriteTestFile(dir / "src/text.txt", std::string(3 << 20, 't'));
  testing::MakeFixedTree(dir / "src/tree", 1700000000);

  auto store = oci::LayoutStore::Open(dir / "store");
  ASSERT_TRUE(store) << store.error().ToString();
  LayerBuilder builder{LayerOptions{}};
  ASSERT_TRUE(builder.Add({dir / "src", "/app"}));
  auto blob = store->NewBlobHashedByCaller();
  ASSERT_TRUE(blob);
  auto info = builder.Build(*blob);
  ASSERT_TRUE(info) << info.error().ToString();
  auto desc = blob->Commit(info->media_type, info->digest);
  ASSERT_TRUE(desc) << desc.error().ToString();

  EXPECT_EQ(desc->digest, info->digest);
  EXPECT_EQ(static_cast<uint64_t>(desc->size), info->size);
  auto bytes = ReadFile(store->BlobPath(desc->digest));
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->size(), info->size);
  EXPECT_EQ(Sha256::HexOf(*bytes), info->digest.hex());
  EXPECT_EQ(testing::Shell("gzip -dc " + store->BlobPath(desc->digest) + " | sha256sum | cut -c1-64"),
            info->diff_id.hex() + "\n");
  EXPECT_TRUE(std::filesystem::is_empty(dir / "store/plinth/tmp"));

  // Large files are read straight into the stream's buffers; a plain sink (read through a
  // buffer) sees the same tar.
  StringSink tar;
  ASSERT_TRUE(builder.WriteTar(tar));
  EXPECT_EQ(Sha256::HexOf(tar.str()), info->diff_id.hex());

  // The same tree through a plain FileSink gives the same bytes (the store path adds nothing).
  EXPECT_EQ(testing::BuildFromDir(dir / "src", dir / "plain.gz").digest, info->digest);
}

// Large files take the direct read path with every compression; the diff_id is still the tar's.
TEST(LayerIntoStoreTest, LargeFilesGiveTheSameTarWithEveryCompression) {
  ScratchDir dir;
  std::string big;
  for (int i = 0; big.size() < (5 << 20) + 123; ++i) big += std::to_string(i) + " lines\n";
  plinth::testing::WriteTestFile(dir / "src/big.txt", big);
  plinth::testing::WriteTestFile(dir / "src/small.txt", "small\n");
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kNone}) {
    LayerOptions options;
    options.compression = c;
    LayerBuilder builder(options);
    ASSERT_TRUE(builder.Add({dir / "src", "/"}));
    StringSink tar;
    ASSERT_TRUE(builder.WriteTar(tar));
    LayerInfo info = testing::BuildFromDir(dir / "src", dir / "blob", options);
    LayerBuilder at_app(options);  // BuildFromDir adds under /app
    ASSERT_TRUE(at_app.Add({dir / "src", "/app"}));
    StringSink app_tar;
    ASSERT_TRUE(at_app.WriteTar(app_tar));
    EXPECT_EQ(info.diff_id.hex(), Sha256::HexOf(app_tar.str())) << CompressionName(c);
    EXPECT_EQ(info.uncompressed_size, app_tar.str().size());
    EXPECT_NE(tar.str().find(big), std::string::npos);
    auto blob = ReadFile(dir / "blob");
    ASSERT_TRUE(blob);
    EXPECT_EQ(info.digest.hex(), Sha256::HexOf(*blob));
  }
}

// A blob large enough that the writer syncs it in the background while it is written: the
// bytes land whole under their digest, and a dropped writer leaves nothing behind.
TEST(LayerIntoStoreTest, LargeBlobsAreSyncedWhileWrittenAndCommitWhole) {
  ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir.path());
  ASSERT_TRUE(store);
  std::string piece(1 << 20, '\0');
  std::mt19937 rng(9);
  for (char& c : piece) c = static_cast<char>(rng());
  Sha256 expected;
  {
    auto blob = store->NewBlob();
    ASSERT_TRUE(blob);
    for (int i = 0; i < 70; ++i) {
      piece[0] = static_cast<char>(i);
      ASSERT_TRUE(blob->Write(piece));
      expected.Update(piece);
    }
    auto desc = blob->Commit("application/octet-stream");
    ASSERT_TRUE(desc) << desc.error().ToString();
    std::string hex = expected.FinishHex();
    EXPECT_EQ(desc->digest.hex(), hex);
    EXPECT_EQ(desc->size, 70 << 20);
    EXPECT_EQ(testing::Shell("sha256sum " + store->BlobPath(desc->digest) + " | cut -c1-64"),
              hex + "\n");
  }
  {
    auto dropped = store->NewBlob();
    ASSERT_TRUE(dropped);
    for (int i = 0; i < 40; ++i) ASSERT_TRUE(dropped->Write(piece));
  }  // never committed
  EXPECT_TRUE(std::filesystem::is_empty(dir / "plinth/tmp"));
}

TEST(LayerIntoStoreTest, AWriterHashedByItsCallerNeedsTheCallersDigest) {
  ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir.path());
  ASSERT_TRUE(store);
  auto blob = store->NewBlobHashedByCaller();
  ASSERT_TRUE(blob);
  ASSERT_TRUE(blob->Write("hello"));
  auto committed = blob->Commit("text/plain");
  ASSERT_FALSE(committed);
  EXPECT_FALSE(store->HasBlob(oci::Digest::Of("hello")));
  EXPECT_TRUE(std::filesystem::is_empty(dir / "plinth/tmp"));
}

}  // namespace
}  // namespace plinth::layer
