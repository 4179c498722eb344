// RemoteCache, RegistryImageSource and CopyImage against a real docker-registry.
#include <gtest/gtest.h>

#include "oci/store_maintenance.h"
#include "registry/image_copier.h"
#include "registry/image_support.h"
#include "registry/pusher.h"
#include "registry/registry_image_source.h"
#include "registry/remote_cache.h"
#include "support/fault_proxy.h"
#include "support/registry_server.h"
#include "support/test_env.h"

namespace plinth::registry {
namespace {

CredentialLookup Anonymous() {
  return [](const std::string&) { return Result<std::optional<Credentials>>(std::nullopt); };
}

class RegistryFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.error();
    ctx_.hosts().AllowPlainHttp(server_.host());
    ctx_.hosts().AllowPlainHttp(proxy_.host());
    for (auto [slot, name] : {std::pair{&a_, "a"}, std::pair{&b_, "b"}}) {
      auto s = oci::LayoutStore::Open(dir_ / name);
      ASSERT_TRUE(s.ok());
      slot->emplace(std::move(*s));
    }
  }
  void ExpectValid(const oci::LayoutStore& store) {
    auto report = oci::VerifyStore(store);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems[0];
  }
  testing::RegistryServer server_;
  testing::FaultProxy proxy_{{.upstream_port = server_.port()}};
  testing::ScratchDir dir_;
  RegistryContext ctx_{{}, Anonymous()};
  std::optional<oci::LayoutStore> a_, b_;
};

using RemoteCacheTest = RegistryFixture;

TEST_F(RemoteCacheTest, RecordedKeyIsAHitOnAnotherStore) {
  auto& client = ctx_.Client(server_.host());
  auto image = testing::AddImage(*a_, {testing::AddRandomLayer(*a_, 64 * 1024, 3)}, "linux/arm64");
  const std::string key = "target=lucid-auth;platform=linux/arm64;inputs=3f2a…";
  RemoteCache cache(client, "pickme/lucid-auth");
  auto miss = cache.Lookup(key);
  ASSERT_TRUE(miss.ok()) << miss.error().ToString();  // unknown repository: a miss
  EXPECT_FALSE(miss->has_value());

  ASSERT_TRUE(Pusher(client, *a_).Push(image, "pickme/lucid-auth", "latest-arm64").ok());
  ASSERT_TRUE(cache.Record(key, image).ok());
  EXPECT_EQ(RemoteCache::TagFor(key).size(), 77u);

  auto hit = cache.Lookup(key);
  ASSERT_TRUE(hit.ok() && hit->has_value());
  EXPECT_EQ((*hit)->digest, image.digest);
  EXPECT_FALSE(cache.Lookup(key + "x")->has_value());

  // An empty machine: fetch the hit instead of building.
  auto fetched = cache.Fetch(key, *b_, "pickme/lucid-auth:latest-arm64");
  ASSERT_TRUE(fetched.ok()) << fetched.error().ToString();
  ASSERT_TRUE(fetched->has_value());
  EXPECT_EQ((*fetched)->digest, image.digest);
  EXPECT_EQ(b_->Resolve("pickme/lucid-auth:latest-arm64")->digest, image.digest);
  ExpectValid(*b_);
}

using RegistryImageSourceTest = RegistryFixture;

TEST_F(RegistryImageSourceTest, PullsOnlyTheBuildPlatformAndThenServesFromTheStore) {
  auto arm = testing::AddImage(*a_, {testing::AddRandomLayer(*a_, 8192, 11)}, "linux/arm64");
  auto amd = testing::AddImage(*a_, {testing::AddRandomLayer(*a_, 8192, 12)}, "linux/amd64");
  auto index = testing::AddIndex(*a_, {arm, amd});
  ASSERT_TRUE(Pusher(ctx_.Client(server_.host()), *a_).Push(index, "library/mongo", "7.0").ok());

  RegistryImageSource source(ctx_, *b_);
  std::string ref = proxy_.host() + "/library/mongo:7.0";
  auto got_arm = source.Resolve(ref, *oci::Platform::Parse("linux/arm64"));
  ASSERT_TRUE(got_arm.ok()) << got_arm.error().ToString();
  EXPECT_EQ(got_arm->digest, arm.digest);
  auto amd_manifest = oci::Manifest::Parse(*a_->ReadBlob(amd.digest));
  EXPECT_FALSE(b_->HasBlob(amd_manifest->layers[0].digest));

  auto got_amd = source.Resolve(ref, *oci::Platform::Parse("linux/amd64"));
  ASSERT_TRUE(got_amd.ok()) << got_amd.error().ToString();
  EXPECT_EQ(got_amd->digest, amd.digest);
  ExpectValid(*b_);

  size_t requests = proxy_.requests().size();
  auto again = source.Resolve(ref, *oci::Platform::Parse("linux/arm64"));
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->digest, arm.digest);
  EXPECT_EQ(proxy_.requests().size(), requests);  // served from the store

  auto missing = source.Resolve(proxy_.host() + "/library/nothing:1", *oci::Platform::Parse("linux/arm64"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
}

using CopyImageTest = RegistryFixture;

TEST_F(CopyImageTest, RegistryToArchiveToLayoutToRegistry) {
  auto image = testing::AddImage(*a_, {testing::AddRandomLayer(*a_, 32 * 1024, 21)}, "linux/arm64");
  ASSERT_TRUE(a_->Tag("lucid/app:1", image).ok());
  auto src = ImageLocation::Parse("store:lucid/app:1");
  auto first = ImageLocation::Parse(server_.host() + "/lucid/app:1");
  ASSERT_TRUE(src.ok() && first.ok());
  auto pushed = CopyImage(ctx_, *a_, *src, *first);
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();

  // registry → oci-archive (through store b) → oci layout folder → registry, another repo.
  auto archive = ImageLocation::Parse("oci-archive:" + (dir_ / "app.tar"));
  auto to_archive = CopyImage(ctx_, *b_, *first, *archive);
  ASSERT_TRUE(to_archive.ok()) << to_archive.error().ToString();
  auto c = oci::LayoutStore::Open(dir_ / "c");
  ASSERT_TRUE(c.ok());
  auto layout = ImageLocation::Parse("oci:" + (dir_ / "layout") + ":app");
  auto to_layout = CopyImage(ctx_, *c, *archive, *layout);
  ASSERT_TRUE(to_layout.ok()) << to_layout.error().ToString();
  auto second = ImageLocation::Parse(server_.host() + "/lucid/app-copy:1");
  auto back = CopyImage(ctx_, *c, *layout, *second);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->root.digest, image.digest);
  EXPECT_EQ(back->blobs_copied, 2);  // config and layer, uploaded to the new repository
  auto tags = ctx_.Client(server_.host()).ListTags("lucid/app-copy");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, std::vector<std::string>{"1"});
}

TEST(ImageLocationTest, ParsesTransports) {
  auto r = ImageLocation::Parse("redis");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, LocationKind::kRegistry);
  EXPECT_EQ(r->reference.str(), "docker.io/library/redis:latest");
  auto d = ImageLocation::Parse("docker://127.0.0.1:5000/lucid/base:latest-arm64");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reference.domain(), "127.0.0.1:5000");
  auto o = ImageLocation::Parse("oci:/tmp/layout:app:1");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->kind, LocationKind::kLayout);
  EXPECT_EQ(o->path, "/tmp/layout");
  EXPECT_EQ(o->name, "app:1");
  auto a = ImageLocation::Parse("oci-archive:out.tar");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->path, "out.tar");
  EXPECT_TRUE(a->name.empty());
  EXPECT_FALSE(ImageLocation::Parse("store:").ok());
  EXPECT_FALSE(ImageLocation::Parse("Not A Ref").ok());
}

}  // namespace
}  // namespace plinth::registry
