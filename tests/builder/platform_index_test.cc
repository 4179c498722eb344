// WritePlatformIndex: an OCI index of the per-platform images, in platform order whatever order
// they come in (so the same images always give the same digest), tagged under its name.
#include "builder/platform_index.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "oci/image.h"
#include "oci/media_types.h"
#include "support/test_env.h"

namespace plinth::builder {
namespace {

class PlatformIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = oci::LayoutStore::Open(dir_ / "store");
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_.emplace(std::move(*store));
    for (const char* p : {"linux/amd64", "linux/arm64", "linux/arm/v7"}) {
      auto platform = *oci::Platform::Parse(p);
      auto manifest = oci::WriteImage(*store_, oci::ScratchImage(platform, 0));
      ASSERT_TRUE(manifest.ok()) << manifest.error().ToString();
      images_.push_back({platform, manifest->digest});
    }
  }
  testing::ScratchDir dir_;
  std::optional<oci::LayoutStore> store_;
  std::vector<PlatformImage> images_;
};

TEST_F(PlatformIndexTest, ListsEachPlatformInPlatformOrderAndTagsTheIndex) {
  auto written = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  EXPECT_EQ(written->media_type, oci::kOciIndex);
  auto index = store_->ReadIndex(written->digest);
  ASSERT_TRUE(index.ok());
  ASSERT_EQ(index->manifests.size(), 3u);
  EXPECT_EQ(index->manifests[0].platform->str(), "linux/amd64");
  EXPECT_EQ(index->manifests[1].platform->str(), "linux/arm/v7");
  EXPECT_EQ(index->manifests[2].platform->str(), "linux/arm64");
  EXPECT_EQ(index->manifests[0].digest, images_[0].manifest);
  EXPECT_EQ(index->manifests[2].digest, images_[1].manifest);
  for (const auto& m : index->manifests) EXPECT_EQ(m.media_type, oci::kOciManifest);
  auto tagged = store_->Resolve("pickme/web:latest");
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->digest, written->digest);
}

TEST_F(PlatformIndexTest, SameImagesInAnotherOrderGiveTheSameDigest) {
  auto first = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  std::vector<PlatformImage> reversed(images_.rbegin(), images_.rend());
  auto second = WritePlatformIndex(*store_, "pickme/web:latest", reversed);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->digest, second->digest);
}

TEST_F(PlatformIndexTest, AnIndexAlreadyTaggedLeavesIndexJsonAlone) {
  auto first = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  ASSERT_TRUE(first.ok());
  struct stat before {}, after {};
  ASSERT_EQ(stat((dir_ / "store/index.json").c_str(), &before), 0);
  auto again = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(stat((dir_ / "store/index.json").c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not replaced
  EXPECT_EQ(again->digest, first->digest);
  EXPECT_EQ(again->media_type, oci::kOciIndex);
  // Different images under the same name: retagged.
  images_.pop_back();
  auto fewer = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  ASSERT_TRUE(fewer.ok());
  EXPECT_NE(fewer->digest, first->digest);
  EXPECT_EQ(store_->Resolve("pickme/web:latest")->digest, fewer->digest);
}

TEST_F(PlatformIndexTest, AManifestMissingFromTheStoreIsAnError) {
  images_[1].manifest = oci::Digest::Of("not in the store");
  auto written = WritePlatformIndex(*store_, "pickme/web:latest", images_);
  EXPECT_FALSE(written.ok());
  EXPECT_FALSE(store_->Resolve("pickme/web:latest").ok());
}

}  // namespace
}  // namespace plinth::builder
