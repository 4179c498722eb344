// Push and pull against a real docker-registry on 127.0.0.1: round trips, skipped uploads,
// chunked uploads, mounts, multi-arch indexes, mirrors, and clear errors for what goes wrong.
#include <gtest/gtest.h>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "registry/image_support.h"
#include "registry/puller.h"
#include "registry/pusher.h"
#include "registry/registry_context.h"
#include "support/fault_proxy.h"
#include "support/registry_server.h"
#include "support/test_env.h"

namespace plinth::registry {
namespace {

using testing::AddImage;
using testing::AddIndex;
using testing::AddLayer;
using testing::AddRandomLayer;

CredentialLookup Anonymous() {
  return [](const std::string&) { return Result<std::optional<Credentials>>(std::nullopt); };
}

RegistryHosts PlainHttp(std::initializer_list<std::string> hosts) {
  RegistryHosts out;
  for (const auto& h : hosts) out.AllowPlainHttp(h);
  return out;
}

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok()) << server_.error();
    auto a = oci::LayoutStore::Open(dir_ / "a");
    auto b = oci::LayoutStore::Open(dir_ / "b");
    ASSERT_TRUE(a.ok() && b.ok());
    a_.emplace(std::move(*a));
    b_.emplace(std::move(*b));
  }
  // A two-layer arm64 image in store a.
  oci::Descriptor SmallImage(uint32_t seed = 1) {
    auto l1 = AddLayer(*a_, {{"etc/os-release", "ID=plinth\n"}});
    auto l2 = AddRandomLayer(*a_, 300 * 1024 + seed, seed);
    return AddImage(*a_, {l1, l2}, "linux/arm64");
  }
  void ExpectValid(const oci::LayoutStore& store) {
    auto report = oci::VerifyStore(store);
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
  }

  testing::RegistryServer server_;
  testing::ScratchDir dir_;
  std::optional<oci::LayoutStore> a_, b_;
};

TEST_F(TransferTest, PushThenPullGivesTheSameDigests) {
  RegistryContext ctx(PlainHttp({server_.host()}), Anonymous());
  auto& client = ctx.Client(server_.host());
  ASSERT_TRUE(client.Ping().ok());
  oci::Descriptor image = SmallImage();
  Pusher pusher(client, *a_);
  auto pushed = pusher.Push(image, "lucid/base", "latest-arm64");
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();
  EXPECT_EQ(pushed->blobs_uploaded, 3);  // config and two layers
  EXPECT_EQ(pushed->manifests_put, 1);

  Puller puller(client, *b_);
  auto pulled = puller.Pull("lucid/base", "latest-arm64", "pickme/lucid-base:latest-arm64");
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->root.digest, image.digest);
  EXPECT_EQ(pulled->blobs_fetched, 3);
  auto resolved = b_->Resolve("pickme/lucid-base:latest-arm64");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->digest, image.digest);
  ExpectValid(*b_);

  auto tags = client.ListTags("lucid/base");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, std::vector<std::string>{"latest-arm64"});
}

TEST_F(TransferTest, SecondPushUploadsNoBlob) {
  testing::FaultProxy proxy({.upstream_port = server_.port()});
  ASSERT_TRUE(proxy.ok());
  RegistryContext ctx(PlainHttp({proxy.host()}), Anonymous());
  auto& client = ctx.Client(proxy.host());
  oci::Descriptor image = SmallImage();
  Pusher pusher(client, *a_);
  ASSERT_TRUE(pusher.Push(image, "lucid/api", "v1").ok());
  size_t before = proxy.requests().size();

  // Same tag: the tag already names the digest, so not even a blob HEAD is needed.
  auto again = pusher.Push(image, "lucid/api", "v1");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(again->blobs_uploaded, 0);
  // A new tag: every blob is found by HEAD, none uploaded; only the manifest is put.
  auto other = pusher.Push(image, "lucid/api", "v2");
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  EXPECT_EQ(other->blobs_uploaded, 0);
  EXPECT_EQ(other->blobs_present, 3);
  auto requests = proxy.requests();
  for (size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].find("/blobs/uploads"), std::string::npos) << requests[i];
    EXPECT_FALSE(requests[i].starts_with("PATCH")) << requests[i];
  }
}

TEST_F(TransferTest, ChunkedUploadAndCrossRepositoryMount) {
  RegistryClientOptions options;
  options.upload = UploadMethod::kChunked;
  options.chunk_size = 100 * 1024;  // the 300 KiB layer goes up in four chunks
  RegistryContext ctx(PlainHttp({server_.host()}), Anonymous(), options);
  auto& client = ctx.Client(server_.host());
  oci::Descriptor image = SmallImage();
  Pusher pusher(client, *a_);
  auto pushed = pusher.Push(image, "lucid/redis", "7");
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();
  EXPECT_EQ(pushed->blobs_uploaded, 3);

  Pusher mounting(client, *a_, {.mount_from = {"lucid/redis"}});
  auto mounted = mounting.Push(image, "lucid/redis-copy", "7");
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  EXPECT_EQ(mounted->blobs_mounted, 3);
  EXPECT_EQ(mounted->blobs_uploaded, 0);

  Puller puller(client, *b_);
  auto pulled = puller.Pull("lucid/redis-copy", "7", "redis:7");
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->root.digest, image.digest);
  ExpectValid(*b_);
}

TEST_F(TransferTest, MultiArchIndexPushesAndPullsOnePlatform) {
  RegistryContext ctx(PlainHttp({server_.host()}), Anonymous());
  auto& client = ctx.Client(server_.host());
  auto shared = AddLayer(*a_, {{"etc/passwd", "nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"}});
  auto arm = AddImage(*a_, {shared, AddRandomLayer(*a_, 4096, 7)}, "linux/arm64");
  auto amd = AddImage(*a_, {shared, AddRandomLayer(*a_, 4096, 8)}, "linux/amd64");
  auto index = AddIndex(*a_, {arm, amd});
  Pusher pusher(client, *a_);
  auto pushed = pusher.Push(index, "pickme/lucid-auth", "latest");
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();
  EXPECT_EQ(pushed->blobs_uploaded, 5);  // 2 configs, the shared layer once, 2 own layers
  EXPECT_EQ(pushed->manifests_put, 3);
  // Per-arch tags as the seed names them.
  ASSERT_TRUE(pusher.Push(arm, "pickme/lucid-auth", "latest-arm64").ok());
  ASSERT_TRUE(pusher.Push(amd, "pickme/lucid-auth", "latest-amd64").ok());

  Puller all(client, *b_);
  auto pulled = all.Pull("pickme/lucid-auth", "latest", "pickme/lucid-auth:latest");
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->root.digest, index.digest);
  ExpectValid(*b_);

  auto c = oci::LayoutStore::Open(dir_ / "c");
  ASSERT_TRUE(c.ok());
  Puller one(client, *c, {.platform = *oci::Platform::Parse("linux/amd64")});
  auto amd_only = one.Pull("pickme/lucid-auth", "latest", "pickme/lucid-auth:latest");
  ASSERT_TRUE(amd_only.ok()) << amd_only.error().ToString();
  EXPECT_EQ(amd_only->root.digest, amd.digest);
  EXPECT_EQ(amd_only->blobs_fetched, 3);
  Puller missing(client, *c, {.platform = *oci::Platform::Parse("linux/s390x")});
  auto none = missing.Pull("pickme/lucid-auth", "latest", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(none.error().message().find("linux/arm64"), std::string::npos)
      << none.error().message();
}

TEST_F(TransferTest, UnknownRepositoryIsNotFound) {
  RegistryContext ctx(PlainHttp({server_.host()}), Anonymous());
  Puller puller(ctx.Client(server_.host()), *b_);
  auto pulled = puller.Pull("nobody/nothing", "latest", "");
  ASSERT_FALSE(pulled.ok());
  EXPECT_EQ(pulled.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(pulled.error().ToString().find("nobody/nothing"), std::string::npos)
      << pulled.error().ToString();
  EXPECT_NE(pulled.error().ToString().find("MANIFEST_UNKNOWN"), std::string::npos)
      << pulled.error().ToString();
}

TEST_F(TransferTest, FlippedByteIsAnIntegrityErrorAndNothingIsStored) {
  RegistryContext direct(PlainHttp({server_.host()}), Anonymous());
  oci::Descriptor image = SmallImage();
  ASSERT_TRUE(Pusher(direct.Client(server_.host()), *a_).Push(image, "lucid/x", "1").ok());

  testing::FaultProxy proxy({.upstream_port = server_.port(),
                             .corruption = testing::Corruption::kFlipBlobByte});
  RegistryContext ctx(PlainHttp({proxy.host()}), Anonymous());
  Puller puller(ctx.Client(proxy.host()), *b_);
  auto pulled = puller.Pull("lucid/x", "1", "x:1");
  ASSERT_FALSE(pulled.ok());
  EXPECT_EQ(pulled.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(pulled.error().message().find("digest mismatch"), std::string::npos)
      << pulled.error().message();
  auto manifest = oci::Manifest::Parse(*a_->ReadBlob(image.digest));
  for (const auto& layer : manifest->layers) EXPECT_FALSE(b_->HasBlob(layer.digest));
  EXPECT_FALSE(b_->Resolve("x:1").ok());
}

TEST_F(TransferTest, TwentyPercentFaultsStillPushAndPull) {
  testing::FaultProxy proxy({.upstream_port = server_.port(), .fault_rate = 0.2, .seed = 42});
  RegistryClientOptions options;
  options.retry.initial_delay = std::chrono::milliseconds(20);
  options.retry.max_delay = std::chrono::milliseconds(200);
  options.retry.max_attempts = 12;
  RegistryContext ctx(PlainHttp({proxy.host()}), Anonymous(), options);
  auto& client = ctx.Client(proxy.host());
  std::vector<oci::Descriptor> layers;
  for (uint32_t i = 0; i < 6; ++i) layers.push_back(AddRandomLayer(*a_, 512 * 1024, 100 + i));
  auto image = AddImage(*a_, layers, "linux/arm64");

  auto pushed = Pusher(client, *a_).Push(image, "lucid/flaky", "1");
  ASSERT_TRUE(pushed.ok()) << pushed.error().ToString();
  auto pulled = Puller(client, *b_).Pull("lucid/flaky", "1", "flaky:1");
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->root.digest, image.digest);
  EXPECT_GT(proxy.faults(), 0);
  ExpectValid(*b_);
}

TEST_F(TransferTest, AllFaultsFailClearlyAndLeaveNoManifest) {
  testing::FaultProxy proxy({.upstream_port = server_.port(), .fault_rate = 0.0});
  RegistryClientOptions options;
  options.retry.initial_delay = std::chrono::milliseconds(5);
  options.retry.max_delay = std::chrono::milliseconds(20);
  options.retry.max_attempts = 4;
  RegistryContext ctx(PlainHttp({proxy.host()}), Anonymous(), options);
  auto& client = ctx.Client(proxy.host());
  oci::Descriptor image = SmallImage();
  proxy.set_fault_rate(1.0);
  auto pushed = Pusher(client, *a_).Push(image, "lucid/down", "1");
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().kind(), ErrorKind::kRetryable);
  EXPECT_NE(pushed.error().message().find("gave up after 4 attempts"), std::string::npos)
      << pushed.error().ToString();
  EXPECT_NE(pushed.error().message().find("lucid/down"), std::string::npos)
      << pushed.error().ToString();

  RegistryContext direct(PlainHttp({server_.host()}), Anonymous());
  auto tag = direct.Client(server_.host()).StatManifest("lucid/down", "1");
  ASSERT_TRUE(tag.ok()) << tag.error().ToString();
  EXPECT_FALSE(tag->has_value());
  auto by_digest = direct.Client(server_.host()).StatManifest("lucid/down", image.digest.str());
  ASSERT_TRUE(by_digest.ok());
  EXPECT_FALSE(by_digest->has_value());
}

TEST_F(TransferTest, PullsThroughAMirror) {
  testing::RegistryServer mirror;
  ASSERT_TRUE(mirror.ok()) << mirror.error();
  RegistryContext seed(PlainHttp({mirror.host()}), Anonymous());
  oci::Descriptor image = SmallImage();
  ASSERT_TRUE(Pusher(seed.Client(mirror.host()), *a_).Push(image, "library/redis", "7.2").ok());

  // The origin is empty; its mirror has the image.
  RegistryHosts hosts = PlainHttp({server_.host(), mirror.host()});
  RegistryConfig origin = hosts.For(server_.host());
  origin.mirrors = {mirror.host()};
  hosts.Set(server_.host(), origin);
  RegistryContext ctx(hosts, Anonymous());
  auto pulled = Puller(ctx.Client(server_.host()), *b_).Pull("library/redis", "7.2", "redis:7.2");
  ASSERT_TRUE(pulled.ok()) << pulled.error().ToString();
  EXPECT_EQ(pulled->root.digest, image.digest);
}

TEST_F(TransferTest, ReferrersAreReportedAsNotOfferedByThisRegistry) {
  // distribution 2.8 has no referrers API and no fallback tag exists: nullopt, not an error.
  RegistryContext ctx(PlainHttp({server_.host()}), Anonymous());
  auto& client = ctx.Client(server_.host());
  oci::Descriptor image = SmallImage();
  ASSERT_TRUE(Pusher(client, *a_).Push(image, "lucid/ref", "1").ok());
  auto referrers = client.Referrers("lucid/ref", image.digest);
  ASSERT_TRUE(referrers.ok()) << referrers.error().ToString();
  EXPECT_FALSE(referrers->has_value());

  // With a fallback tag sha256-<hex> holding an index, its entries are the referrers.
  oci::Index index;
  oci::Descriptor sbom = image;
  sbom.artifact_type = "application/spdx+json";
  index.manifests = {sbom};
  std::string bytes = index.ToJsonString();
  ASSERT_TRUE(client.PutManifest("lucid/ref", "sha256-" + image.digest.hex(), bytes,
                                 std::string(oci::kOciIndex)).ok());
  auto found = client.Referrers("lucid/ref", image.digest, "application/spdx+json");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->manifests.size(), 1u);
}

}  // namespace
}  // namespace plinth::registry
