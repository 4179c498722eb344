// The policy gate around the target runner: a refused target fails before the runner sees it
// and its dependents are skipped while the rest builds (-k); a target made over its tier's
// size budget fails after, cached or built; MakeBuildPolicy maps refusals by target name to
// every platform of the target and reads each tier's budget.
#include "builder/build_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

namespace plinth::builder {
namespace {

using ::testing::HasSubstr;

// Makes every target with the given outcome and remembers which it was asked to make.
class FakeRunner : public TargetRunner {
 public:
  TargetOutcome outcome = TargetOutcome::kBuilt;
  std::set<plan::TargetId> ran;
  Result<TargetOutcome> Run(plan::TargetId id, const std::atomic<bool>&) override {
    std::lock_guard lock(mu_);
    ran.insert(id);
    return outcome;
  }
  std::string Note(plan::TargetId id) const override { return "note " + std::to_string(id); }

 private:
  std::mutex mu_;
};

// base ← app, base ← other; app refused by lint.
struct Graph {
  plan::TargetGraph graph;
  plan::TargetId base = *graph.Add("base"), app = *graph.Add("app"), other = *graph.Add("other"),
                 child = *graph.Add("child");
  Graph() {
    graph.AddNeed(app, base, "FROM");
    graph.AddNeed(other, base, "FROM");
    graph.AddNeed(child, app, "FROM");
  }
};

TEST(PolicyGateTest, ARefusedTargetFailsUnbuiltAndOnlyWhatNeedsItIsSkipped) {
  Graph g;
  FakeRunner runner;
  BuildPolicy policy;
  policy.refused[g.app] = "lint PL101 at app/Dockerfile:2:1: fleet base";
  PolicyGate gate(runner, policy, [](plan::TargetId) { return int64_t{0}; });
  Executor executor(g.graph, gate, {.jobs = 2, .on_failure = FailureMode::kKeepGoing});
  auto results = executor.Run({g.base, g.app, g.other, g.child});
  std::map<plan::TargetId, TargetResult> by_id;
  for (const auto& r : results) by_id[r.id] = r;
  EXPECT_EQ(by_id[g.app].outcome, TargetOutcome::kFailed);
  EXPECT_THAT(by_id[g.app].detail,
              HasSubstr("refused by the fleet's policy: lint PL101 at app/Dockerfile:2:1: fleet base"));
  EXPECT_THAT(by_id[g.app].detail, HasSubstr("--no-lint"));
  EXPECT_EQ(by_id[g.child].outcome, TargetOutcome::kSkipped);
  EXPECT_EQ(by_id[g.base].outcome, TargetOutcome::kBuilt);
  EXPECT_EQ(by_id[g.other].outcome, TargetOutcome::kBuilt);
  EXPECT_EQ(by_id[g.other].detail, "note " + std::to_string(g.other));
  EXPECT_EQ(runner.ran, (std::set<plan::TargetId>{g.base, g.other}));
}

TEST(PolicyGateTest, AnImageOverItsBudgetFailsWhetherBuiltOrCached) {
  for (TargetOutcome made : {TargetOutcome::kBuilt, TargetOutcome::kCached}) {
    FakeRunner runner;
    runner.outcome = made;
    BuildPolicy policy;
    policy.budgets[0] = SizeBudget{100, "application", {}};
    policy.budgets[1] = SizeBudget{500, "application", {}};
    PolicyGate gate(runner, policy, [](plan::TargetId) { return int64_t{300}; });
    std::atomic<bool> cancelled{false};
    auto over = gate.Run(0, cancelled);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().kind(), ErrorKind::kFailed);
    EXPECT_THAT(over.error().message(), HasSubstr("300 B compressed"));
    auto under = gate.Run(1, cancelled);
    ASSERT_TRUE(under);
    EXPECT_EQ(*under, made);
    auto no_budget = gate.Run(2, cancelled);
    ASSERT_TRUE(no_budget);
  }
}

TEST(PolicyGateTest, AFailedBuildIsNotCheckedAgainstTheBudget) {
  class Failing : public TargetRunner {
   public:
    Result<TargetOutcome> Run(plan::TargetId, const std::atomic<bool>&) override {
      return Error(ErrorKind::kUnavailable, "needs mongo:7.0");
    }
  } runner;
  BuildPolicy policy;
  policy.budgets[0] = SizeBudget{1, "application", {}};
  PolicyGate gate(runner, policy, [](plan::TargetId) { return int64_t{300}; });
  std::atomic<bool> cancelled{false};
  auto r = gate.Run(0, cancelled);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kUnavailable);
}

TEST(MakeBuildPolicyTest, RefusesEveryPlatformOfARefusedTargetAndReadsTierBudgets) {
  fleet::Fleet fleet;
  fleet.tiers["application"] = fleet::Tier{.name = "application", .size_budget = 150000000};
  fleet.tiers["foundation"] = fleet::Tier{.name = "foundation"};
  fleet.services = {fleet::Target{.name = "app", .tier = "application"},
                    fleet::Target{.name = "db", .tier = "foundation"}};
  plan::BuildPlan plan;
  auto add = [&](const fleet::Target* target, const std::string& platform) {
    plan::TargetSpec spec;
    spec.target = target;
    spec.name = target ? target->name : "gcr.io/distroless/base-debian13";
    spec.platform = *oci::Platform::Parse(platform);
    plan.specs.push_back(spec);
  };
  add(&fleet.services[0], "linux/amd64");  // 0
  add(&fleet.services[0], "linux/arm64");  // 1
  add(&fleet.services[1], "linux/amd64");  // 2
  add(nullptr, "linux/amd64");             // 3: an upstream image made from a recipe
  auto policy = MakeBuildPolicy(fleet, plan, {{"app", "lint PL101"}, {"gone", "lint PL103"}});
  EXPECT_EQ(policy.refused, (std::map<plan::TargetId, std::string>{{0, "lint PL101"}, {1, "lint PL101"}}));
  ASSERT_EQ(policy.budgets.size(), 2u);
  EXPECT_EQ(policy.budgets[0].bytes, 150000000);
  EXPECT_EQ(policy.budgets[1].tier, "application");
}

}  // namespace
}  // namespace plinth::builder
