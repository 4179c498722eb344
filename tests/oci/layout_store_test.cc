#include "oci/layout_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "support/test_env.h"
#include "util/atomic_file.h"
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

TEST(LayoutStoreTest, BlobsAreReadOnlyAsRegularFilesOfTheirSize) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  auto blob = store->PutBlob("twelve bytes", "text/plain");
  ASSERT_TRUE(blob.ok());
  std::string path = store->BlobPath(blob->digest);
  auto source = store->OpenBlob(*blob);
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  EXPECT_EQ(source->size(), 12u);

  // A blob named in a layout someone else made: a link to /dev/zero would never end.
  std::filesystem::remove(path);
  std::filesystem::create_symlink("/dev/zero", path);
  auto link = store->OpenBlob(blob->digest);
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(link.error().message().find("symlink"), std::string::npos) << link.error().ToString();
  EXPECT_FALSE(store->ReadBlob(blob->digest).ok());
  // Nor is a FIFO waited on, or a device read.
  std::filesystem::remove(path);
  ASSERT_EQ(mkfifo(path.c_str(), 0644), 0);
  auto fifo = store->OpenBlob(blob->digest);
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message().find("not a regular file"), std::string::npos);
  // A longer file than its descriptor says is refused before a byte is read.
  std::filesystem::remove(path);
  testing::WriteTestFile(path, "twelve bytes and then some");
  auto longer = store->OpenBlob(*blob);
  ASSERT_FALSE(longer.ok());
  EXPECT_NE(longer.error().message().find("has 26 bytes, its descriptor says 12"), std::string::npos)
      << longer.error().ToString();
}

TEST(LayoutStoreTest, ADocumentLargerThanTheLimitIsNotReadWhole) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  std::string big(kMaxDocumentBytes + 1, ' ');
  auto blob = store->PutBlob(big, "application/json");
  ASSERT_TRUE(blob.ok());
  auto read = store->ReadBlob(blob->digest);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("more than a document may"), std::string::npos)
      << read.error().ToString();
}

TEST(LayoutStoreTest, ReadingALayoutWritesNothingToIt) {
  testing::ScratchDir dir;
  {
    auto made = LayoutStore::Open(dir / "layout");
    ASSERT_TRUE(made.ok());
    ImageConfig config;
    config.platform = *Platform::Parse("linux/amd64");
    auto image = made->WriteImage(config, {});
    ASSERT_TRUE(image.ok());
    ASSERT_TRUE(made->Tag("app:1", *image).ok());
  }
  std::filesystem::remove_all(dir / "layout/plinth");  // as another tool writes a layout
  auto store = LayoutStore::OpenExisting(dir / "layout");
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto found = store->Resolve("app:1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(store->ReadManifest(found->digest).ok());
  ASSERT_TRUE(ReachableBlobs(*store, *found).ok());
  EXPECT_FALSE(std::filesystem::exists(dir / "layout/plinth"));
  // Its first write makes what the write needs.
  ASSERT_TRUE(store->PutBlob("new", "text/plain").ok());
  ASSERT_TRUE(store->Tag("app:2", *found).ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "layout/plinth/tmp"));
}

TEST(LayoutStoreTest, GcRemovesTempFilesOfKilledWrites) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  testing::WriteTestFile(dir / "plinth/tmp/blob.tmp.AbCd12", "partial");
  testing::WriteTestFile(dir / "index.json.tmp.XyZw34", "{\"partial");
  {
    auto lock = store->GcLock();
    ASSERT_TRUE(lock.ok());
    auto dry = CollectGarbage(*store, *lock, GcMode::kDryRun);
    ASSERT_TRUE(dry.ok()) << dry.error().ToString();
    EXPECT_EQ(dry->temp_files_removed, 2u);
    EXPECT_TRUE(std::filesystem::exists(dir / "index.json.tmp.XyZw34"));
    auto report = CollectGarbage(*store, *lock);
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    EXPECT_EQ(report->temp_files_removed, 2u);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "index.json.tmp.XyZw34"));
  EXPECT_TRUE(std::filesystem::is_empty(dir / "plinth/tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "index.json"));
}

// An image to tag: a manifest of an empty config for `arch`, stored in `store`.
Descriptor SomeImage(const LayoutStore& store, const std::string& arch) {
  ImageConfig config;
  config.platform = *Platform::Parse("linux/" + arch);
  auto image = store.WriteImage(config, {});
  EXPECT_TRUE(image.ok());
  return *image;
}

ino_t InodeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  return st.st_ino;
}

TEST(LayoutStoreTest, ReadsTheIndexOnceNotOncePerLookup) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  Descriptor image = SomeImage(*store, "amd64");
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(store->Tag("pickme/svc-" + std::to_string(i) + ":latest-amd64", image).ok());
  uint64_t reads = store->index_reads();
  EXPECT_EQ(reads, 1u);  // its own writes keep it in step: read once, at the first tag
  LayoutStore copy = *store;
  for (int i = 0; i < 300; ++i) {
    std::string name = "pickme/svc-" + std::to_string(i) + ":latest-amd64";
    ASSERT_TRUE(store->Resolve(name).ok());
    ASSERT_TRUE(copy.Resolve("docker.io/" + name).ok());  // by its familiar form
  }
  EXPECT_FALSE(store->Resolve("pickme/nope:1").ok());
  EXPECT_EQ(store->List()->size(), 300u);
  EXPECT_EQ(store->index_reads(), reads);
  EXPECT_EQ(copy.index_reads(), reads);
}

TEST(LayoutStoreTest, SeesWhatAnotherStoreOnTheSameFolderWrote) {
  testing::ScratchDir dir;
  auto a = LayoutStore::Open(dir.path());
  auto b = LayoutStore::Open(dir.path());
  ASSERT_TRUE(a.ok() && b.ok());
  Descriptor amd = SomeImage(*a, "amd64"), arm = SomeImage(*a, "arm64");
  ASSERT_EQ(b->Resolve("app:1").error().kind(), ErrorKind::kNotFound);  // b has read the index

  ASSERT_TRUE(a->Tag("app:1", amd).ok());
  auto seen = b->Resolve("app:1");
  ASSERT_TRUE(seen.ok()) << seen.error().ToString();
  EXPECT_EQ(seen->digest, amd.digest);
  // b writes from the file as it is now, not from what it read before: a's tag stays.
  ASSERT_TRUE(a->Tag("api:1", amd).ok());
  ASSERT_TRUE(b->Tag("web:1", arm).ok());
  auto names = [](const LayoutStore& s) {
    std::set<std::string> out;
    auto entries = s.List();
    for (const auto& e : *entries) out.insert(e.name);
    return out;
  };
  EXPECT_EQ(names(*a), (std::set<std::string>{"app:1", "api:1", "web:1"}));
  // A replaced tag and an untag are seen too.
  ASSERT_TRUE(a->Tag("app:1", arm).ok());
  EXPECT_EQ(b->Resolve("app:1")->digest, arm.digest);
  ASSERT_TRUE(b->Untag("app:1").ok());
  EXPECT_EQ(a->Resolve("app:1").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(names(*b), (std::set<std::string>{"api:1", "web:1"}));
  // The file is what Index::ToJsonString writes for its entries, as before the view.
  auto text = ReadFile(dir / "index.json");
  auto index = Index::Parse(*text);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->ToJsonString(), *text);
}

TEST(LayoutStoreTest, SeesAnIndexReplacedByAForeignWriterWithTheSameSize) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  Descriptor image = SomeImage(*store, "amd64");
  ASSERT_TRUE(store->Tag("app:1", image).ok());
  ASSERT_TRUE(store->Resolve("app:1").ok());
  // Another tool renames a new index.json into place: same length, other name.
  std::string text = *ReadFile(dir / "index.json");
  text.replace(text.find("app:1"), 5, "web:1");
  ASSERT_TRUE(WriteFileAtomic(dir / "index.json", text).ok());
  EXPECT_EQ(store->Resolve("app:1").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(store->Resolve("web:1")->digest, image.digest);
  // A damaged index is an error at every look, never an answer from the old one.
  ASSERT_TRUE(WriteFileAtomic(dir / "index.json", "{\"schemaVersion\":").ok());
  EXPECT_FALSE(store->Resolve("web:1").ok());
  EXPECT_FALSE(store->Tag("web:2", image).ok());
  EXPECT_FALSE(store->Resolve("web:1").ok());
}

TEST(LayoutStoreTest, ATagThatChangesNothingWritesNothing) {
  testing::ScratchDir dir;
  auto store = LayoutStore::Open(dir.path());
  ASSERT_TRUE(store.ok());
  Descriptor amd = SomeImage(*store, "amd64"), arm = SomeImage(*store, "arm64");
  ASSERT_TRUE(store->Tag("app:1", amd).ok());
  ino_t before = InodeOf(dir / "index.json");
  ASSERT_TRUE(store->Tag("app:1", amd).ok());
  ASSERT_TRUE(store->Untag("never-tagged:1").ok());
  EXPECT_EQ(InodeOf(dir / "index.json"), before);
  ASSERT_TRUE(store->Tag("app:1", arm).ok());
  EXPECT_NE(InodeOf(dir / "index.json"), before);
  EXPECT_EQ(store->Resolve("app:1")->digest, arm.digest);
}

}  // namespace
}  // namespace plinth::oci
