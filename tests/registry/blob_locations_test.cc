// BlobLocations: where blobs are known to be, and the claim that keeps two pushes of this process
// from uploading one blob to one repository at the same time.
#include "registry/blob_locations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "util/sha256.h"

namespace plinth::registry {
namespace {

oci::Digest DigestOf(const std::string& text) {
  return *oci::Digest::Parse("sha256:" + Sha256::HexOf(text));
}

TEST(BlobLocationsTest, RepositoriesInTheOrderLearntOncePerRepository) {
  BlobLocations known;
  oci::Digest layer = DigestOf("layer");
  known.Add("r.example", layer, "a");
  known.Add("r.example", layer, "b");
  known.Add("r.example", layer, "a");
  known.Add("other.example", layer, "c");
  EXPECT_EQ(known.Repositories("r.example", layer), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(known.Repositories("r.example", DigestOf("x")).empty());
}

TEST(BlobLocationsTest, OneUploadOfABlobToARepositoryAtATime) {
  BlobLocations known;
  oci::Digest layer = DigestOf("shared layer");
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> pushes;
  for (int i = 0; i < 8; ++i)
    pushes.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        auto claim = known.ClaimUpload("r.example", "lucid/app", layer);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  for (auto& t : pushes) t.join();
  EXPECT_EQ(most.load(), 1);
}

TEST(BlobLocationsTest, OtherRepositoriesAndBlobsAreNotHeldUp) {
  BlobLocations known;
  oci::Digest layer = DigestOf("layer");
  auto held = known.ClaimUpload("r.example", "lucid/app", layer);
  // Each of these would wait for `held` forever if claims were not per blob and repository.
  { auto other_repo = known.ClaimUpload("r.example", "lucid/web", layer); }
  { auto other_blob = known.ClaimUpload("r.example", "lucid/app", DigestOf("config")); }
  { auto other_registry = known.ClaimUpload("s.example", "lucid/app", layer); }
  // A claim released is free again.
  { auto moved = std::move(held); }
  auto again = known.ClaimUpload("r.example", "lucid/app", layer);
  SUCCEED();
}

}  // namespace
}  // namespace plinth::registry
