// The `index:` key: the multi-platform name of each image, its default (the image template
// without its platform placeholders), overrides, and its problems at plinth.yaml:LINE:COL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "fleet/tag_template.h"

namespace plinth::fleet {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHead = R"(version: 1
namespace: pickme
image: "{namespace}/lucid-{name}:latest-{arch}"
platforms: [linux/arm64, linux/amd64]
tiers:
  app: {}
groups:
  apps: {phase: 1}
)";

Result<Fleet> Load(const std::string& extra, const std::string& services) {
  return LoadFleetFromString(std::string(kHead) + extra + "services:\n" + services, "plinth.yaml",
                             FileChecks::kSkipFileChecks);
}

TEST(PlatformFreeTemplateTest, DropsThePlaceholderWithOneSeparator) {
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x:latest-{arch}"), "{namespace}/x:latest");
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x:{arch}-slim"), "{namespace}/x:slim");
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x-{arch}:1.0"), "{namespace}/x:1.0");
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x:{arch}"), "{namespace}/x");
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x:v1_{platform}"), "{namespace}/x:v1");
  EXPECT_EQ(PlatformFreeTemplate("{namespace}/x:latest"), "{namespace}/x:latest");
}

TEST(IndexNameTest, DefaultsToTheImageTemplateWithoutArch) {
  auto fleet = Load("", "  web: {dockerfile: web/Dockerfile, tier: app, group: apps}\n"
                        "  api: {dockerfile: api/Dockerfile, tier: app, group: apps,\n"
                        "        image: \"{namespace}/lucid-api:python-{arch}\"}\n");
  ASSERT_TRUE(fleet.ok()) << fleet.error().ToString();
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("web")), "pickme/lucid-web:latest");
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("api")), "pickme/lucid-api:python");
}

TEST(IndexNameTest, FleetKeyAppliesToTargetsOfTheFleetTemplateAndTargetsOverrideIt) {
  auto fleet = Load("index: \"{namespace}/multi-{name}:v1\"\n",
                    "  web: {dockerfile: web/Dockerfile, tier: app, group: apps}\n"
                    "  api: {dockerfile: api/Dockerfile, tier: app, group: apps,\n"
                    "        image: \"{namespace}/api:x-{arch}\"}\n"
                    "  db: {dockerfile: db/Dockerfile, tier: app, group: apps,\n"
                    "       index: \"{namespace}/database:all\"}\n");
  ASSERT_TRUE(fleet.ok()) << fleet.error().ToString();
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("web")), "pickme/multi-web:v1");
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("api")), "pickme/api:x");
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("db")), "pickme/database:all");
}

TEST(IndexNameTest, RegistryQualifiesTheIndexAsItDoesImages) {
  auto fleet = LoadFleetFromString(std::string("registry: 127.0.0.1:5000\n") + kHead +
                                       "services:\n  web: {dockerfile: w/Dockerfile, tier: app, group: apps}\n",
                                   "plinth.yaml", FileChecks::kSkipFileChecks);
  ASSERT_TRUE(fleet.ok()) << fleet.error().ToString();
  EXPECT_EQ(*fleet->IndexFor(*fleet->FindTarget("web")), "127.0.0.1:5000/pickme/lucid-web:latest");
}

TEST(IndexNameTest, PerPlatformPlaceholderIsAnErrorAtItsLine) {
  auto fleet = Load("index: \"{namespace}/{name}:{arch}\"\n",
                    "  web: {dockerfile: web/Dockerfile, tier: app, group: apps}\n");
  ASSERT_FALSE(fleet.ok());
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:9:8"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("uses {arch}"));
}

TEST(IndexNameTest, UnknownPlaceholderInATargetIndexNamesTheTarget) {
  auto fleet = Load("", "  web:\n    dockerfile: web/Dockerfile\n    tier: app\n    group: apps\n"
                        "    index: \"{namespace}/{nme}:latest\"\n");
  ASSERT_FALSE(fleet.ok());
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:14:12"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("service \"web\" index"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("{nme}"));
}

TEST(IndexNameTest, IndexTakingAnotherImagesNameIsAnError) {
  auto fleet = Load("", "  web: {dockerfile: web/Dockerfile, tier: app, group: apps}\n"
                        "  api:\n    dockerfile: api/Dockerfile\n    tier: app\n    group: apps\n"
                        "    index: \"{namespace}/lucid-web:latest\"\n");
  ASSERT_FALSE(fleet.ok());
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("plinth.yaml:15:12"));
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("index name \"pickme/lucid-web:latest\" is also"));
}

TEST(IndexNameTest, NotAReferenceIsAnError) {
  auto fleet = Load("", "  web:\n    dockerfile: web/Dockerfile\n    tier: app\n    group: apps\n"
                        "    index: \"{namespace}/Web App:latest\"\n");
  ASSERT_FALSE(fleet.ok());
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("is not an image reference"));
}

TEST(IndexNameTest, MisspelledKeyIsReported) {
  auto fleet = Load("indx: \"{namespace}/{name}\"\n",
                    "  web: {dockerfile: web/Dockerfile, tier: app, group: apps}\n");
  ASSERT_FALSE(fleet.ok());
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("index"));
}

}  // namespace
}  // namespace plinth::fleet
