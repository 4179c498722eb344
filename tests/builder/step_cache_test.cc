// The step cache: every input of a RUN step changes its key, equal inputs give equal keys, and
// records are hits only while their layer blob is in the store.
#include "builder/step_cache.h"

#include <gtest/gtest.h>

#include "support/test_env.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::builder {
namespace {

struct Inputs {
  oci::RuntimeConfig config;
  StepProcess process;
  StepKeyInput key;
  Inputs() {
    config.env = {"PATH=/bin"};
    process.argv = {"/bin/sh", "-c", "make"};
    process.mounts.push_back({.type = dockerfile::MountType::kBind, .target = "/src"});
    key.platform = {.os = "linux", .architecture = "amd64"};
    key.diff_ids = {"sha256:aa"};
    key.args = {{"V", "1"}};
    key.mount_contents = {"sha256:ctx"};
  }
  std::string Key() {
    key.config = &config;
    key.process = &process;
    return StepCacheKey(key);
  }
};

TEST(StepCacheTest, EqualInputsGiveEqualKeys) {
  Inputs a, b;
  EXPECT_EQ(a.Key(), b.Key());
  EXPECT_EQ(a.Key().rfind("sha256:", 0), 0u);
}

TEST(StepCacheTest, EveryInputChangesTheKey) {
  const std::string base = Inputs().Key();
  std::vector<std::pair<std::string, std::function<void(Inputs&)>>> changes = {
      {"platform", [](Inputs& i) { i.key.platform.architecture = "arm64"; }},
      {"parent", [](Inputs& i) { i.key.diff_ids.push_back("sha256:bb"); }},
      {"timestamp", [](Inputs& i) { i.key.timestamp = 1700000000; }},
      {"compression", [](Inputs& i) { i.key.compression = layer::Compression::kZstd; }},
      {"env", [](Inputs& i) { i.config.env.push_back("A=1"); }},
      {"user", [](Inputs& i) { i.config.user = "app"; }},
      {"workdir", [](Inputs& i) { i.config.working_dir = "/w"; }},
      {"shell",
       [](Inputs& i) {
         i.config.shell = {"/bin/bash", "-c"};
       }},
      {"argv", [](Inputs& i) { i.process.argv.back() = "make test"; }},
      {"heredoc file",
       [](Inputs& i) {
         i.process.pipes.push_back({"EOF", "#!/bin/sh\n"});
       }},
      {"arg value", [](Inputs& i) { i.key.args[0].value = "2"; }},
      {"arg unset", [](Inputs& i) { i.key.args[0].value.reset(); }},
      {"network", [](Inputs& i) { i.process.network_name = "none"; }},
      {"mount type", [](Inputs& i) { i.process.mounts[0].type = dockerfile::MountType::kCache; }},
      {"mount target", [](Inputs& i) { i.process.mounts[0].target = "/other"; }},
      {"mount id", [](Inputs& i) { i.process.mounts[0].id = "x"; }},
      {"mount rw", [](Inputs& i) { i.process.mounts[0].writable = true; }},
      {"mount content", [](Inputs& i) { i.key.mount_contents[0] = "sha256:ctx2"; }},
  };
  std::set<std::string> seen{base};
  for (auto& [name, change] : changes) {
    Inputs i;
    change(i);
    EXPECT_TRUE(seen.insert(i.Key()).second) << name << " did not change the key";
  }
}

TEST(StepCacheTest, ARecordIsAHitWhileItsBlobIsInTheStore) {
  testing::ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir.path());
  ASSERT_TRUE(store);
  StepCache cache(*store);
  EXPECT_FALSE(cache.Lookup("sha256:1234"));
  auto blob = store->PutBlob("layer bytes", "application/vnd.oci.image.layer.v1.tar");
  ASSERT_TRUE(blob);
  auto diff_id = oci::Digest::Of("tar");
  ASSERT_TRUE(cache.Record("sha256:1234", {*blob, diff_id}));
  auto hit = cache.Lookup("sha256:1234");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->layer.digest, blob->digest);
  EXPECT_EQ(hit->diff_id, diff_id);
  ASSERT_EQ(unlink(store->BlobPath(blob->digest).c_str()), 0);
  EXPECT_FALSE(cache.Lookup("sha256:1234"));
}

TEST(StepCacheTest, AnUnreadableRecordIsAMiss) {
  testing::ScratchDir dir;
  auto store = oci::LayoutStore::Open(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(MakeDirs(dir.path() + "/plinth/step-cache"));
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/plinth/step-cache/abcd", "{not json"));
  EXPECT_FALSE(StepCache(*store).Lookup("sha256:abcd"));
}

}  // namespace
}  // namespace plinth::builder
