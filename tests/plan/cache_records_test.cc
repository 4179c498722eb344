// The cache records in a real (temporary) store: a key is a hit only while its image is whole,
// the target record round-trips, and a damaged record is a miss.
#include "plan/cache_records.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "oci/image.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::plan {
namespace {

TEST(CacheRecordsTest, AKeyIsAHitOnlyWhileItsImageIsWhole) {
  testing::ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir / "store");
  ASSERT_TRUE(store.ok());
  oci::Image image = oci::ScratchImage(*oci::Platform::Parse("linux/amd64"), 0);
  auto manifest = oci::WriteImage(*store, image);
  ASSERT_TRUE(manifest.ok());
  CacheRecords records(*store);
  CacheKey key;
  key.Add("platform", "linux/amd64");
  EXPECT_FALSE(records.Image(key));
  ASSERT_TRUE(records.Record("app@linux/amd64", key, *manifest, 2.5).ok());
  auto hit = records.Image(key);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->digest, manifest->digest);
  auto last = records.Last("app@linux/amd64");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->key.Digest(), key.Digest());
  EXPECT_EQ(last->seconds, 2.5);
  // The config blob gone: the image is not whole, the key is a miss.
  auto written = store->ReadManifest(manifest->digest);
  ASSERT_TRUE(written.ok());
  ASSERT_EQ(::unlink(store->BlobPath(written->config.digest).c_str()), 0);
  EXPECT_FALSE(records.Image(key));
}

TEST(CacheRecordsTest, ATargetRecordRoundTripsAndADamagedOneIsAbsent) {
  CacheKey key;
  key.Add("context:a.py", "file 0644 sha256:1");
  auto parsed = CacheRecords::ParseTarget(CacheRecords::FormatTarget(key, 3));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->key.Digest(), key.Digest());
  EXPECT_EQ(parsed->seconds, 3);
  auto older =
      CacheRecords::ParseTarget(R"({"version": 1, "inputs": {"platform": "linux/amd64"}})");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->key.inputs().at("format"), "older plinth");
  EXPECT_FALSE(CacheRecords::ParseTarget("{not json").ok());
  EXPECT_FALSE(CacheRecords::ParseTarget(R"({"inputs": 3})").ok());
}

TEST(CacheRecordsTest, CostsComeFromTheLastRecordedBuild) {
  testing::ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir / "store");
  ASSERT_TRUE(store.ok());
  CacheRecords records(*store);
  CacheKey key;
  ASSERT_TRUE(records.Record("slow@linux/amd64", key, oci::Descriptor{}, 42).ok());
  TargetGraph graph;
  TargetId slow = *graph.Add("slow@linux/amd64", 7), fresh = *graph.Add("fresh@linux/amd64", 7);
  ApplyRecordedCosts(records, &graph);
  EXPECT_EQ(graph.node(slow).cost, 42);
  EXPECT_EQ(graph.node(fresh).cost, 1);
}

}  // namespace
}  // namespace plinth::plan
