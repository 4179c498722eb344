// docker-bake.json by structure against the plan (buildx itself cannot run here): a target per
// Dockerfile image with its platforms, groups per phase and "default", fleet images passed as
// `target:` contexts, tags, build args, registry cache.
#include "emit/bake_file.h"

#include <gtest/gtest.h>

#include "emit/plan_fixture.h"

namespace plinth::emit {
namespace {

using testing::PlanOf;

fleet::Target TargetNamed(std::string name, fleet::TargetKind kind, std::string dir) {
  fleet::Target t;
  t.kind = kind;
  t.name = name;
  t.context = dir;
  t.dockerfile = dir + "/Dockerfile";
  return t;
}

struct Fixture {
  fleet::Fleet fleet;
  plan::BuildPlan plan;

  Fixture() {
    fleet.dir = "/src/fleet";
    fleet.name_space = "pickme";
    fleet.image_template = "{namespace}/{name}:latest-{arch}";
    fleet.bases.push_back(TargetNamed("base", fleet::TargetKind::kBase, "bases/base"));
    fleet.services.push_back(TargetNamed("api", fleet::TargetKind::kService, "services/api"));
    fleet.services.push_back(TargetNamed("web", fleet::TargetKind::kService, "services/web"));
    fleet.services.back().build_args = {{"MODE", "prod"}};
    plan = PlanOf({{"gcr.io/distroless/static:nonroot", {"linux/amd64", "linux/arm64"}, {},
                    plan::TargetSource::kUpstreamRecipe},
                   {"base", {"linux/amd64", "linux/arm64"}, {"gcr.io/distroless/static:nonroot"}},
                   {"api", {"linux/amd64", "linux/arm64"}, {"base"}},
                   {"web", {"linux/amd64"}, {}}});
    for (auto& spec : plan.specs) {
      spec.target = fleet.FindTarget(spec.name);
      if (spec.name == "web") spec.build_args = {{"MODE", "prod"}};
    }
    // What the Dockerfiles name: each platform's base image, as written after expansion.
    for (plan::TargetId id = 0; id < plan.specs.size(); ++id)
      for (plan::TargetId dep : plan.graph.node(id).needs)
        plan.specs[id].fleet_images[plan.specs[dep].image] = dep;
  }
};

TEST(BakeFileTest, ATargetPerDockerfileImageWithItsPlatformsTagsAndContexts) {
  Fixture f;
  auto bake = BakeFile(f.fleet, f.plan, ImageGraphOf(f.plan), {});
  ASSERT_TRUE(bake.ok()) << bake.error().ToString();
  const auto& targets = (*bake)["target"];
  // The recipe image has no Dockerfile: no target; its dependent reads it from the registry.
  EXPECT_EQ(targets.size(), 3u);
  EXPECT_FALSE((*bake)["target"]["base"].contains("contexts"));
  const auto& api = targets["api"];
  EXPECT_EQ(api["context"], "services/api");
  EXPECT_EQ(api["dockerfile"], "Dockerfile");
  EXPECT_EQ(api["platforms"], nlohmann::json({"linux/amd64", "linux/arm64"}));
  EXPECT_EQ(api["tags"], nlohmann::json({"pickme/api:latest"}));
  EXPECT_EQ(api["contexts"], nlohmann::json({{"pickme/base:latest-amd64", "target:base"},
                                             {"pickme/base:latest-arm64", "target:base"}}));
  EXPECT_FALSE(api.contains("cache-from"));
  const auto& web = targets["web"];
  EXPECT_EQ(web["platforms"], nlohmann::json({"linux/amd64"}));
  EXPECT_EQ(web["tags"], nlohmann::json({"pickme/web:latest-amd64"}));
  EXPECT_EQ(web["args"], nlohmann::json({{"MODE", "prod"}}));
}

TEST(BakeFileTest, GroupsPerPhaseOfTheBakeTargetsAndADefault) {
  Fixture f;
  auto bake = BakeFile(f.fleet, f.plan, ImageGraphOf(f.plan), {});
  ASSERT_TRUE(bake.ok());
  const auto& groups = (*bake)["group"];
  EXPECT_EQ(groups["phase-0"]["targets"], nlohmann::json({"web"}));
  EXPECT_EQ(groups["phase-1"]["targets"], nlohmann::json({"base"}));
  EXPECT_EQ(groups["phase-2"]["targets"], nlohmann::json({"api"}));
  EXPECT_EQ(groups["default"]["targets"], nlohmann::json({"web", "base", "api"}));
  EXPECT_EQ(groups.size(), 4u);
}

TEST(BakeFileTest, RegistryCacheUnderEachImagesRepository) {
  Fixture f;
  auto bake = BakeFile(f.fleet, f.plan, ImageGraphOf(f.plan), {.registry = "registry.example:5000"});
  ASSERT_TRUE(bake.ok());
  const auto& api = (*bake)["target"]["api"];
  EXPECT_EQ(api["cache-from"],
            nlohmann::json({"type=registry,ref=registry.example:5000/pickme/api:buildcache"}));
  EXPECT_EQ(api["cache-to"],
            nlohmann::json({"type=registry,ref=registry.example:5000/pickme/api:buildcache,mode=max"}));
  auto bad = BakeFile(f.fleet, f.plan, ImageGraphOf(f.plan), {.registry = "x,ref=evil"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
}

TEST(BakeFileTest, ATargetNamedLikeAGroupGetsAnotherName) {
  Fixture f;
  f.fleet.services.push_back(TargetNamed("default", fleet::TargetKind::kService, "services/default"));
  f.plan = PlanOf({{"default", {"linux/amd64"}, {}}});
  f.plan.specs[0].target = &f.fleet.services.back();
  auto bake = BakeFile(f.fleet, f.plan, ImageGraphOf(f.plan), {});
  ASSERT_TRUE(bake.ok());
  EXPECT_TRUE((*bake)["target"].contains("default-2"));
  EXPECT_EQ((*bake)["group"]["default"]["targets"], nlohmann::json({"default-2"}));
}

}  // namespace
}  // namespace plinth::emit
