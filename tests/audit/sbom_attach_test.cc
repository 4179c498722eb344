// SBOMs attached to images in the store (oci/referrers.h, audit/sbom_attach.h): an OCI 1.1
// artifact manifest with the empty config and the image manifest as subject, found from the
// subject's digest, made once per image, kept by gc while the image is and dropped with it,
// and accepted by verify.
#include "audit/sbom_attach.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/spdx_writer.h"
#include "audit_image_support.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/referrers.h"
#include "oci/store_maintenance.h"

namespace plinth::audit {
namespace {

using testing::Dir;
using testing::File;
using testing::ImageMaker;

oci::Descriptor StoredImage(ImageMaker& maker, const std::string& name, const std::string& app) {
  oci::Image image = maker.Add(
      maker.Scratch(), {Dir("var/lib/dpkg/status.d"),
                        File("var/lib/dpkg/status.d/tzdata",
                             "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n"),
                        Dir("app"), File("app/main", app)});
  return maker.Store(image, name);
}

TEST(SbomAttachTest, AttachedOnceAsAnArtifactWhoseSubjectIsTheImage) {
  ImageMaker maker;
  oci::Descriptor image = StoredImage(maker, "svc:1", "one");
  auto made = AttachSbom(maker.store(), image, "svc:1");
  ASSERT_TRUE(made) << made.error().ToString();
  EXPECT_EQ(*made, 1);
  auto again = AttachSbom(maker.store(), image, "svc:1");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);  // already attached

  auto found = oci::FindReferrers(maker.store(), image.digest, kSpdxMediaType);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].name, "sha256-" + image.digest.hex() + ".spdx");
  auto manifest = maker.store().ReadManifest((*found)[0].descriptor.digest);
  ASSERT_TRUE(manifest) << manifest.error().ToString();
  EXPECT_EQ(manifest->artifact_type, std::string(kSpdxMediaType));
  ASSERT_TRUE(manifest->subject);
  EXPECT_EQ(manifest->subject->digest, image.digest);
  EXPECT_EQ(manifest->config.media_type, oci::kOciEmpty);
  EXPECT_EQ(manifest->config.size, 2);
  ASSERT_EQ(manifest->layers.size(), 1u);
  EXPECT_EQ(manifest->layers[0].media_type, kSpdxMediaType);
  auto text = oci::ReadArtifact(maker.store(), (*found)[0].descriptor);
  ASSERT_TRUE(text);
  auto doc = nlohmann::json::parse(*text);
  EXPECT_EQ(doc["packages"][0]["versionInfo"], image.digest.str());
  EXPECT_EQ(doc["packages"][1]["name"], "tzdata");
  EXPECT_TRUE(oci::FindReferrers(maker.store(), image.digest, "application/other")->empty());

  auto verify = oci::VerifyStore(maker.store());
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->problems.empty()) << ::testing::PrintToString(verify->problems);
}

TEST(SbomAttachTest, GcKeepsTheSbomOfAKeptImageAndDropsTheOrphan) {
  ImageMaker maker;
  oci::Descriptor kept = StoredImage(maker, "kept:1", "kept");
  oci::Descriptor dropped = StoredImage(maker, "dropped:1", "dropped");
  ASSERT_TRUE(AttachSbom(maker.store(), kept, "kept:1"));
  ASSERT_TRUE(AttachSbom(maker.store(), dropped, "dropped:1"));
  auto kept_sbom = oci::FindReferrers(maker.store(), kept.digest);
  auto dropped_sbom = oci::FindReferrers(maker.store(), dropped.digest);
  ASSERT_TRUE(kept_sbom && dropped_sbom);
  ASSERT_EQ(dropped_sbom->size(), 1u);
  auto dropped_manifest = maker.store().ReadManifest(dropped_sbom->front().descriptor.digest);
  ASSERT_TRUE(dropped_manifest);
  ASSERT_TRUE(maker.store().Untag("dropped:1"));
  {
    auto lock = maker.store().GcLock();
    ASSERT_TRUE(lock);
    auto report = oci::CollectGarbage(maker.store(), *lock);
    ASSERT_TRUE(report) << report.error().ToString();
  }
  EXPECT_EQ(oci::FindReferrers(maker.store(), kept.digest)->size(), 1u);
  EXPECT_TRUE(maker.store().HasBlob(kept_sbom->front().descriptor.digest));
  EXPECT_TRUE(oci::FindReferrers(maker.store(), dropped.digest)->empty());
  EXPECT_FALSE(maker.store().HasBlob(dropped_sbom->front().descriptor.digest));
  EXPECT_FALSE(maker.store().HasBlob(dropped_manifest->layers[0].digest));
  EXPECT_FALSE(maker.store().HasBlob(dropped.digest));
}

TEST(SbomAttachTest, SbomOfAnIndexGoesToEachPlatform) {
  ImageMaker maker;
  oci::Descriptor amd = StoredImage(maker, "multi:amd64", "a");
  oci::Image arm_image = maker.Add(maker.Scratch("arm64"), {File("app/main", "b")});
  oci::Descriptor arm = maker.Store(arm_image, "multi:arm64");
  oci::Index index;
  index.manifests = {amd, arm};
  auto stored = maker.store().WriteIndex(index);
  ASSERT_TRUE(stored) << stored.error().ToString();
  auto made = AttachSbom(maker.store(), *stored, "multi:1");
  ASSERT_TRUE(made) << made.error().ToString();
  EXPECT_EQ(*made, 2);
  EXPECT_EQ(oci::FindReferrers(maker.store(), amd.digest)->size(), 1u);
  EXPECT_EQ(oci::FindReferrers(maker.store(), arm.digest)->size(), 1u);
}

}  // namespace
}  // namespace plinth::audit
