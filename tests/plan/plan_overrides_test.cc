// `plinth build --build-arg` and `--target` as the plan takes them: build args override
// plinth.yaml's for the named targets (every target when none is named) and reach the key;
// --target picks the stage of exactly one named target, an unknown stage is an error naming
// the likeliest one; the stage asked for is an input of the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "plan/build_plan.h"
#include "plan/memory_sources.h"
#include "plan/target_key.h"
#include "support/test_env.h"

namespace plinth::plan {
namespace {

using ::testing::HasSubstr;

TEST(ParseBuildArgsTest, NameEqualsValueTheLastOfANameWinning) {
  auto args = ParseBuildArgs({"A=1", "B=x=y", "A=2", "EMPTY="});
  ASSERT_TRUE(args) << args.error().ToString();
  EXPECT_EQ(*args, (std::map<std::string, std::string>{{"A", "2"}, {"B", "x=y"}, {"EMPTY", ""}}));
}

TEST(ParseBuildArgsTest, AFlagWithoutANameOrEqualsIsBadInput) {
  for (const char* bad : {"NOVALUE", "=1"}) {
    auto args = ParseBuildArgs({bad});
    ASSERT_FALSE(args) << bad;
    EXPECT_EQ(args.error().ExitCode(), 2);
    EXPECT_THAT(args.error().message(), HasSubstr(std::string("'") + bad + "': give NAME=VALUE"));
  }
}

constexpr const char* kFleet = R"(version: 1
namespace: ov
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers: {any: {}}
groups: {g: {phase: 1}}
services:
  app: {dockerfile: app/Dockerfile, tier: any, group: g, build_args: {GREETING: yaml}}
  lib: {dockerfile: app/Dockerfile, tier: any, group: g}
)";

class PlanOverridesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plinth::testing::WriteTestFile(dir_ / "plinth.yaml", kFleet);
    plinth::testing::WriteTestFile(dir_ / "app/Dockerfile",
                           "FROM scratch AS build\nARG GREETING=hey\nLABEL g=$GREETING\n"
                           "FROM scratch AS runtime\nCOPY --from=build / /\n");
    auto fleet = fleet::LoadFleet(dir_ / "plinth.yaml");
    ASSERT_TRUE(fleet) << fleet.error().ToString();
    fleet_ = std::move(*fleet);
  }
  const TargetSpec& Spec(const BuildPlan& plan, const std::string& name) {
    for (const auto& s : plan.specs)
      if (s.name == name) return s;
    ADD_FAILURE() << name;
    return plan.specs.front();
  }
  plinth::testing::ScratchDir dir_;
  fleet::Fleet fleet_;
};

TEST_F(PlanOverridesTest, BuildArgsOverrideTheNamedTargetsOnly) {
  auto plan = MakePlan(fleet_, {.targets = {"app"}, .build_args = {{"GREETING", "cli"}, {"X", "1"}}});
  ASSERT_TRUE(plan) << plan.error().ToString();
  EXPECT_EQ(Spec(*plan, "app").build_args,
            (std::map<std::string, std::string>{{"GREETING", "cli"}, {"X", "1"}}));
  EXPECT_TRUE(Spec(*plan, "lib").build_args.empty());
  auto all = MakePlan(fleet_, {.build_args = {{"GREETING", "cli"}}});
  ASSERT_TRUE(all) << all.error().ToString();
  EXPECT_EQ(Spec(*all, "lib").build_args.at("GREETING"), "cli");
}

TEST_F(PlanOverridesTest, TargetStageIsBuiltInsteadOfTheLastAndIsAnInputOfTheKey) {
  auto plain = MakePlan(fleet_, {.targets = {"app"}});
  auto staged = MakePlan(fleet_, {.targets = {"app"}, .target_stage = "Build"});
  ASSERT_TRUE(plain && staged);
  const TargetSpec& spec = Spec(*staged, "app");
  EXPECT_EQ(spec.target_stage, "Build");
  EXPECT_EQ(spec.stages->stage(spec.stages->target()).name, "build");
  EXPECT_EQ(Spec(*staged, "lib").target_stage, "");
  testing::MemorySources m;
  KeySources sources = m.sources();
  auto before = ComputeTargetKey(Spec(*plain, "app"), {}, sources);
  auto after = ComputeTargetKey(spec, {}, sources);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->key.inputs().at("target-stage"), "Build");
  EXPECT_EQ(before->key.inputs().count("target-stage"), 0u);
  EXPECT_NE(before->key.Digest(), after->key.Digest());
}

TEST_F(PlanOverridesTest, TargetStageNeedsExactlyOneNamedTarget) {
  for (std::vector<std::string> targets : {std::vector<std::string>{}, {"app", "lib"}}) {
    auto plan = MakePlan(fleet_, {.targets = targets, .target_stage = "build"});
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().ExitCode(), 2);
    EXPECT_THAT(plan.error().message(), HasSubstr("name exactly one target"));
  }
}

TEST_F(PlanOverridesTest, AnUnknownStageIsAnErrorNamingTheLikeliestOne) {
  auto plan = MakePlan(fleet_, {.targets = {"app"}, .target_stage = "biuld"});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().ExitCode(), 2);
  EXPECT_THAT(plan.error().message(), HasSubstr("--target 'biuld': no stage of that name; did you mean 'build'?"));
  auto far = MakePlan(fleet_, {.targets = {"app"}, .target_stage = "zzzzzz"});
  ASSERT_FALSE(far);
  EXPECT_THAT(far.error().message(), HasSubstr("(its stages: build, runtime)"));
  EXPECT_THAT(far.error().message(), ::testing::Not(HasSubstr("did you mean")));
}

}  // namespace
}  // namespace plinth::plan
