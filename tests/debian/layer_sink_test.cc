// A base's layer compression: gzip unless the recipe says `compression:`; the tar, and so the
// diff_id, is the same whatever the compression.
#include "debian/layer_sink.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "debian/recipe.h"
#include "oci/media_types.h"
#include "support/test_env.h"
#include "util/byte_stream.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

Result<Recipe> RecipeWith(const std::string& extra) {
  return ParseRecipe(YAML::Load("name: t\nsuite: bookworm\npackages: [hello]\n" + extra), "t.yaml");
}

TEST(RecipeCompressionTest, GzipUnlessTheRecipeSaysOtherwise) {
  auto plain = RecipeWith("");
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(plain->compression, layer::Compression::kGzip);
  auto zstd = RecipeWith("compression: zstd\n");
  ASSERT_TRUE(zstd.ok()) << zstd.error().ToString();
  EXPECT_EQ(zstd->compression, layer::Compression::kZstd);
  auto bad = RecipeWith("compression: lz4\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(bad.error().location().line, 4);
  EXPECT_NE(bad.error().message().find("unknown compression 'lz4'"), std::string::npos)
      << bad.error().message();
}

class LayerSinkTest : public ::testing::TestWithParam<layer::Compression> {};

TEST_P(LayerSinkTest, WritesTheRecipesCompressionWithOneDiffId) {
  testing::ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir / "store");
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto write = [&](layer::Compression compression) {
    auto sink = LayerSink::Create(*store, compression);
    EXPECT_TRUE(sink.ok()) << sink.error().ToString();
    TarEntry etc{.path = "etc", .type = EntryType::kDirectory, .mode = 0755};
    EXPECT_TRUE((*sink)->Add(etc, nullptr).ok());
    std::string text(200000, 'x');
    TarEntry file{.path = "etc/os-release", .mode = 0644, .size = text.size()};
    StringSource content(text);
    EXPECT_TRUE((*sink)->Add(file, &content).ok());
    auto layer = (*sink)->Finish();
    EXPECT_TRUE(layer.ok()) << layer.error().ToString();
    return *layer;
  };
  LayerResult layer = write(GetParam());
  LayerResult plain = write(layer::Compression::kNone);
  EXPECT_EQ(layer.descriptor.media_type, layer::MediaTypeOf(GetParam()));
  EXPECT_EQ(layer.diff_id, plain.diff_id);
  EXPECT_EQ(plain.descriptor.digest, plain.diff_id);
  auto blob = ReadFile(store->BlobPath(layer.descriptor.digest));
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob->size(), layer.descriptor.size);
  std::string magic = GetParam() == layer::Compression::kGzip ? "\x1f\x8b" : "\x28\xb5\x2f\xfd";
  EXPECT_EQ(blob->substr(0, magic.size()), magic);
}

INSTANTIATE_TEST_SUITE_P(Compressions, LayerSinkTest,
                         ::testing::Values(layer::Compression::kGzip, layer::Compression::kZstd));

}  // namespace
}  // namespace plinth::debian
