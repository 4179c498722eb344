// A base built from a recipe with `from:` (Debian packages layered over another image): the
// plan makes it need the target that builds that image, per platform, and the image's digest
// is an input of its key, so a new base underneath rebuilds the layer.
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "plan/build_plan.h"
#include "plan/memory_sources.h"
#include "plan/target_key.h"
#include "support/test_env.h"

namespace plinth::plan {
namespace {

constexpr const char* kFleet = R"(version: 1
namespace: ov
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64, linux/arm64]
tiers: {any: {}}
groups: {base: {phase: 0}}
bases:
  general: {dockerfile: general/Dockerfile, group: base}
  redis: {recipe: bases/redis.yaml, image: "{namespace}/general:redis-{arch}", group: base}
)";

class LayeredRecipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plinth::testing::WriteTestFile(dir_ / "plinth.yaml", kFleet);
    plinth::testing::WriteTestFile(dir_ / "general/Dockerfile", "FROM scratch\nLABEL a=b\n");
    plinth::testing::WriteTestFile(dir_ / "bases/redis.yaml",
                                   "name: redis\nsuite: bookworm\nfrom: ov/general:latest-${ARCH}\n"
                                   "packages: [redis-server]\n");
    auto fleet = fleet::LoadFleet(dir_ / "plinth.yaml");
    ASSERT_TRUE(fleet) << fleet.error().ToString();
    fleet_ = std::move(*fleet);
  }
  plinth::testing::ScratchDir dir_;
  fleet::Fleet fleet_;
};

TEST_F(LayeredRecipeTest, TheLayerNeedsTheBaseItNamesOnItsOwnPlatform) {
  auto plan = MakePlan(fleet_, {});
  ASSERT_TRUE(plan) << plan.error().ToString();
  for (const char* arch : {"amd64", "arm64"}) {
    auto layer = plan->graph.Find(std::string("redis@linux/") + arch);
    auto general = plan->graph.Find(std::string("general@linux/") + arch);
    ASSERT_TRUE(layer && general) << arch;
    EXPECT_EQ(plan->specs[*layer].recipe_from, std::string("ov/general:latest-") + arch);
    EXPECT_EQ(plan->graph.node(*layer).needs, std::vector<TargetId>{*general}) << arch;
    EXPECT_EQ(plan->graph.node(*layer).why,
              std::vector<std::string>{std::string("recipe from: ov/general:latest-") + arch});
  }
}

TEST_F(LayeredRecipeTest, TheBaseUnderneathIsAnInputOfTheKey) {
  auto plan = MakePlan(fleet_, {.platforms = {"linux/amd64"}, .targets = {"redis"}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  const TargetSpec& spec = plan->specs[*plan->graph.Find("redis@linux/amd64")];
  testing::MemorySources m;
  m.recipes.recipes[spec.recipe + " amd64"] = {"sha256:r1", "sha256:l1"};
  KeySources sources = m.sources();
  auto pending = ComputeTargetKey(spec, {}, sources);
  ASSERT_TRUE(pending) << pending.error().ToString();
  EXPECT_FALSE(pending->complete());  // the base is not built yet: the key waits for it
  m.images.Set("ov/general:latest-amd64", "sha256:b1");
  auto one = ComputeTargetKey(spec, {}, sources);
  m.images.Set("ov/general:latest-amd64", "sha256:b2");
  auto two = ComputeTargetKey(spec, {}, sources);
  ASSERT_TRUE(one && two);
  EXPECT_EQ(two->key.Diff(one->key),
            std::vector<std::string>{"base:ov/general:latest-amd64 changed"});
}

TEST_F(LayeredRecipeTest, ARecipeWithoutFromNeedsNothing) {
  plinth::testing::WriteTestFile(dir_ / "bases/redis.yaml",
                                 "name: redis\nsuite: bookworm\npackages: [redis-server]\n");
  auto plan = MakePlan(fleet_, {.platforms = {"linux/amd64"}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  auto layer = plan->graph.Find("redis@linux/amd64");
  ASSERT_TRUE(layer);
  EXPECT_TRUE(plan->graph.node(*layer).needs.empty());
  EXPECT_EQ(plan->specs[*layer].recipe_from, "");
}

}  // namespace
}  // namespace plinth::plan
