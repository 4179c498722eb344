// `upstream.recipe_image`: where an image a recipe makes in place of an upstream one lives, in
// the fleet's own namespace and registry, and its problems at plinth.yaml:LINE:COL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"

namespace plinth::fleet {
namespace {

using ::testing::HasSubstr;

Result<Fleet> Load(const std::string& registry, const std::string& upstream) {
  return LoadFleetFromString("version: 1\nregistry: " + registry + R"(
namespace: pickme
platforms: [linux/arm64, linux/amd64]
tiers:
  app: {}
groups:
  apps: {phase: 1}
services:
  web: {dockerfile: web/Dockerfile, tier: app, group: apps}
upstream:
)" + upstream + R"(
  images:
    gcr.io/distroless/static-debian12: {recipe: bases/static.yaml}
)",
                             "plinth.yaml", FileChecks::kSkipFileChecks);
}

TEST(RecipeImageTest, DefaultsToTheFleetsNamespaceWithTheUpstreamsTagAndArch) {
  auto fleet = Load("docker.io", "");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  EXPECT_EQ(*fleet->RecipeImageFor("gcr.io/distroless/static-debian12:nonroot", "linux/arm64"),
            "pickme/upstream-gcr-io-distroless-static-debian12:nonroot-arm64");
  EXPECT_EQ(*fleet->RecipeImageFor("gcr.io/distroless/static-debian12", "linux/amd64"),
            "pickme/upstream-gcr-io-distroless-static-debian12:latest-amd64");
}

TEST(RecipeImageTest, IsQualifiedWithTheFleetsRegistry) {
  auto fleet = Load("127.0.0.1:5000", "");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  EXPECT_EQ(*fleet->RecipeImageFor("gcr.io/distroless/static-debian12:nonroot", "linux/amd64"),
            "127.0.0.1:5000/pickme/upstream-gcr-io-distroless-static-debian12:nonroot-amd64");
}

TEST(RecipeImageTest, FollowsTheTemplateInPlinthYaml) {
  auto fleet = Load("docker.io", "  recipe_image: \"{namespace}/mirror/{name}:{tag}-{platform}\"");
  ASSERT_TRUE(fleet) << fleet.error().ToString();
  EXPECT_EQ(*fleet->RecipeImageFor("gcr.io/distroless/static-debian12:nonroot", "linux/arm64"),
            "pickme/mirror/gcr-io-distroless-static-debian12:nonroot-linux-arm64");
}

TEST(RecipeImageTest, ATemplateThatWouldGiveTwoImagesOneNameIsRefusedWhereItIsWritten) {
  auto no_tag = Load("docker.io", "  recipe_image: \"{namespace}/{name}:{arch}\"");
  ASSERT_FALSE(no_tag);
  EXPECT_THAT(no_tag.error().ToString(), HasSubstr("plinth.yaml:12:17: upstream.recipe_image"));
  EXPECT_THAT(no_tag.error().ToString(), HasSubstr("has no {tag}"));
  auto no_arch = Load("docker.io", "  recipe_image: \"{namespace}/{name}:{tag}\"");
  ASSERT_FALSE(no_arch);
  EXPECT_THAT(no_arch.error().ToString(), HasSubstr("has no {arch}"));
  auto unknown = Load("docker.io", "  recipe_image: \"{namespace}/{repo}:{tag}-{arch}\"");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().ToString(), HasSubstr("unknown placeholder {repo}"));
}

TEST(RecipeImageTest, TagIsRefusedInATargetsImageTemplate) {
  auto fleet = LoadFleetFromString(R"(version: 1
namespace: pickme
image: "{namespace}/{name}:{tag}"
tiers:
  app: {}
groups:
  apps: {phase: 1}
services:
  web: {dockerfile: web/Dockerfile, tier: app, group: apps}
)",
                                   "plinth.yaml", FileChecks::kSkipFileChecks);
  ASSERT_FALSE(fleet);
  EXPECT_THAT(fleet.error().ToString(), HasSubstr("uses {tag}, which only upstream.recipe_image has"));
}

}  // namespace
}  // namespace plinth::fleet
