#include "plan/target_graph.h"

#include <gtest/gtest.h>

namespace plinth::plan {
namespace {

// The seed's shape: base first, foundation services on it, applications independent.
TargetGraph LucidShape() {
  TargetGraph g;
  TargetId base = *g.Add("lucid-base", 5);
  TargetId mongo = *g.Add("mongodb", 2);
  TargetId redis = *g.Add("redis", 1);
  TargetId gateway = *g.Add("api-gateway", 3);
  TargetId admin = *g.Add("admin-interface", 5);
  g.AddNeed(mongo, base, "FROM pickme/lucid-base:latest-arm64");
  g.AddNeed(redis, base, "FROM pickme/lucid-base:latest-arm64");
  g.AddNeed(admin, gateway, "phase");
  return g;
}

TEST(TargetGraphTest, PhasesGroupWhatCanBuildTogether) {
  TargetGraph g = LucidShape();
  ASSERT_TRUE(g.CheckAcyclic().ok());
  auto phases = g.Phases();
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0], (std::vector<TargetId>{0, 3}));
  EXPECT_EQ(phases[1], (std::vector<TargetId>{1, 2, 4}));
}

TEST(TargetGraphTest, CriticalPathFollowsTheLargestCost) {
  TargetGraph g = LucidShape();
  const std::set<TargetId> all{0, 1, 2, 3, 4};
  auto path = g.CriticalPath(all);
  std::vector<std::string> names;
  for (auto id : path) names.push_back(g.node(id).name);
  EXPECT_EQ(names, (std::vector<std::string>{"api-gateway", "admin-interface"}));  // 3+5 > 5+2
  g.node(0).cost = 10;
  names.clear();
  for (auto id : g.CriticalPath(all)) names.push_back(g.node(id).name);
  EXPECT_EQ(names, (std::vector<std::string>{"lucid-base", "mongodb"}));
}

// `plinth plan redis` once named api-gateway → admin-interface, which it does not build.
TEST(TargetGraphTest, CriticalPathStaysInsideTheSelection) {
  TargetGraph g = LucidShape();
  auto names = [&](const std::set<TargetId>& selection) {
    std::vector<std::string> out;
    for (auto id : g.CriticalPath(selection)) out.push_back(g.node(id).name);
    return out;
  };
  EXPECT_EQ(names({0, 2}), (std::vector<std::string>{"lucid-base", "redis"}));
  EXPECT_EQ(names({4}), (std::vector<std::string>{"admin-interface"}));
  EXPECT_TRUE(names({}).empty());
}

TEST(TargetGraphTest, RemainingCostIsTheLongestChainBelowATarget) {
  TargetGraph g = LucidShape();
  std::set<TargetId> all{0, 1, 2, 3, 4};
  auto remaining = g.RemainingCost(all);
  EXPECT_EQ(remaining, (std::vector<double>{7, 2, 1, 8, 5}));  // base: 5 + mongodb's 2
  // Outside the selection nothing counts: without mongodb, the base's chain is through redis.
  remaining = g.RemainingCost({0, 2});
  EXPECT_EQ(remaining, (std::vector<double>{6, 0, 1, 0, 0}));
}

TEST(TargetGraphTest, CycleIsNamed) {
  TargetGraph g;
  TargetId a = *g.Add("a"), b = *g.Add("b"), c = *g.Add("c");
  g.AddNeed(a, b, "x");
  g.AddNeed(b, c, "x");
  g.AddNeed(c, a, "x");
  auto status = g.CheckAcyclic();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("a → b → c → a"), std::string::npos)
      << status.error().message();
}

TEST(TargetGraphTest, ClosureHasWhatTheSelectionNeeds) {
  TargetGraph g = LucidShape();
  auto closure = g.Closure({*g.Find("mongodb")});
  EXPECT_EQ(closure, (std::set<TargetId>{0, 1}));
  EXPECT_FALSE(g.Add("mongodb").ok());
  EXPECT_EQ(g.Dependents(0), (std::vector<TargetId>{1, 2}));
}

}  // namespace
}  // namespace plinth::plan
