#include "oci/layout_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::oci {
namespace {

TEST(LayoutStoreTest, WritesAValidLayout) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*ReadFile(dir / "oci-layout"), R"({"imageLayoutVersion":"1.0.0"})");
  auto index = Index::Parse(*ReadFile(dir / "index.json"));
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(index->manifests.empty());
}

TEST(LayoutStoreTest, BlobIsPublishedOnlyWhenItMatches) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  auto writer = store->NewBlob();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Write("hello").ok());
  auto wrong = writer->Commit("x", Digest::Of("other"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind(), ErrorKind::kIntegrity);
  EXPECT_FALSE(store->HasBlob(Digest::Of("hello")));

  auto desc = store->PutBlob("hello", "text/plain");
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(desc->digest, Digest::Of("hello"));
  EXPECT_EQ(desc->size, 5);
  EXPECT_EQ(*store->ReadBlob(desc->digest), "hello");
  // nothing left behind in tmp/
  EXPECT_TRUE(std::filesystem::is_empty(dir / "plinth/tmp"));
}

TEST(LayoutStoreTest, VerifyFindsABlobWhoseContentNoLongerMatchesItsName) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  auto good = store->PutBlob("intact", "text/plain");
  auto bad = store->PutBlob("will be damaged", "text/plain");
  ASSERT_TRUE(good.ok() && bad.ok());
  auto clean = VerifyStore(*store);
  ASSERT_TRUE(clean.ok()) << clean.error().ToString();
  EXPECT_TRUE(clean->ok());
  EXPECT_EQ(clean->blobs_checked, 2u);

  std::string path = dir / ("blobs/sha256/" + bad->digest.hex());
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  testing::WriteTestFile(path, "damaged");
  auto report = VerifyStore(*store);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0],
            "blobs/sha256/" + bad->digest.hex() + ": content does not match its name");
}

TEST(LayoutStoreTest, TagsAndResolvesByFamiliarName) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  ImageConfig config;
  config.platform = *Platform::Parse("linux/arm64");
  auto image = store->WriteImage(config, {});
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  ASSERT_TRUE(store->Tag("pickme/lucid-base:latest-arm64", *image).ok());
  auto found = store->Resolve("docker.io/pickme/lucid-base:latest-arm64");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->digest, image->digest);
  EXPECT_EQ(store->Resolve("pickme/lucid-base:latest-arm64")->digest, image->digest);
  auto missing = store->Resolve("pickme/nope:1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  // re-tagging replaces, never duplicates
  ASSERT_TRUE(store->Tag("pickme/lucid-base:latest-arm64", *image).ok());
  EXPECT_EQ(store->List()->size(), 1u);
}

TEST(LayoutStoreTest, TwoProcessesTagConcurrentlyWithoutLosingEntries) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  auto blob = store->PutBlob("{}", std::string(kOciConfig));
  ASSERT_TRUE(blob.ok());
  constexpr int kPerProcess = 40;
  pid_t children[2];
  for (int p = 0; p < 2; ++p) {
    children[p] = fork();
    if (children[p] == 0) {
      auto s = LayoutStore::Open(dir.path());
      for (int i = 0; i < kPerProcess; ++i)
        if (!s->Tag("img" + std::to_string(p) + ":t" + std::to_string(i), *blob).ok()) _exit(1);
      _exit(0);
    }
  }
  for (pid_t c : children) {
    int status = 0;
    waitpid(c, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(store->List()->size(), 2u * kPerProcess);
}

}  // namespace
}  // namespace plinth::oci
