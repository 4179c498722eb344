// What `plan` forecasts, in memory: a target is cached only when its key is recorded and no
// image it reads is rebuilt first; otherwise the reasons name what changed.
#include "plan/cache_forecast.h"

#include <gtest/gtest.h>

#include "plan/memory_sources.h"

namespace plinth::plan {
namespace {

using testing::DockerfileSpec;
using testing::MemoryRecords;
using testing::MemorySources;

// base (FROM scratch, copies base.txt) ← service (FROM the base's image, copies app.py).
struct TwoTargets {
  BuildPlan plan;
  MemorySources m;
  MemoryRecords records;
  TargetId base = 0, service = 0;

  TwoTargets() {
    m.context.File("base.txt", "1\n");
    m.context.File("app.py", "print(1)\n");
    TargetSpec b = DockerfileSpec("FROM scratch\nCOPY base.txt /\n");
    b.name = "base";
    b.image = "pickme/base:latest";
    TargetSpec s = DockerfileSpec("FROM pickme/base:latest\nCOPY app.py /app/\n");
    s.name = "service";
    base = *plan.graph.Add("base@linux/amd64");
    service = *plan.graph.Add("service@linux/amd64");
    plan.graph.AddNeed(service, base, "FROM pickme/base:latest");
    s.fleet_images["pickme/base:latest"] = base;
    plan.specs = {b, s};
    plan.selected = {base, service};
    m.images.Set("pickme/base:latest", "sha256:b1");
  }

  // Records both targets as built with their current keys.
  void BuildAll() {
    KeySources sources = m.sources();
    for (TargetId id : {base, service}) {
      auto key = ComputeTargetKey(plan.specs[id], {}, sources);
      ASSERT_TRUE(key.ok());
      records.images[key->key.Digest()] = oci::Descriptor{};
      records.targets[plan.graph.node(id).name] = {key->key, 1.0};
    }
  }

  std::map<TargetId, Forecast> Predict() {
    KeySources sources = m.sources();
    return ForecastCache(plan, {}, sources, records);
  }
};

TEST(CacheForecastTest, NeverBuiltThenCached) {
  TwoTargets t;
  auto first = t.Predict();
  EXPECT_FALSE(first[t.base].cached);
  EXPECT_EQ(first[t.base].reasons, std::vector<std::string>{"never built"});
  t.BuildAll();
  auto again = t.Predict();
  EXPECT_TRUE(again[t.base].cached);
  EXPECT_TRUE(again[t.service].cached);
}

TEST(CacheForecastTest, ATargetWhoseBaseIsRebuiltFirstIsNotCached) {
  TwoTargets t;
  t.BuildAll();
  t.m.context.at("base.txt").content = "2\n";
  auto f = t.Predict();
  EXPECT_FALSE(f[t.base].cached);
  EXPECT_EQ(f[t.base].reasons, std::vector<std::string>{"context:base.txt changed"});
  // The store still holds the old base, so the service's key is unchanged, but the base it
  // will read is about to change.
  EXPECT_FALSE(f[t.service].cached);
  EXPECT_EQ(f[t.service].reasons,
            std::vector<std::string>{"base pickme/base:latest is built first (base@linux/amd64)"});
}

TEST(CacheForecastTest, ReasonsNameTheChangedInputOrTheFormat) {
  TwoTargets t;
  t.BuildAll();
  t.m.context.at("app.py").info.mode = 0755;
  auto f = t.Predict();
  EXPECT_TRUE(f[t.base].cached);
  EXPECT_EQ(f[t.service].reasons, std::vector<std::string>{"context:app.py changed"});
  // A record made by another version of plinth says so, once, rather than listing every input.
  t.records.targets["service@linux/amd64"].key.Add("format", "older plinth");
  EXPECT_EQ(t.Predict()[t.service].reasons,
            std::vector<std::string>{"format changed: recorded by another version of plinth"});
}

TEST(CacheForecastTest, ABaseNotInTheStoreYetIsNamed) {
  TwoTargets t;
  t.BuildAll();
  // An image no target of the plan builds, gone from the store: it is read when the target
  // builds (pulled, if pulls are on), never by the plan.
  t.plan.specs[t.service].fleet_images.clear();
  t.m.images.images.clear();
  auto f = t.Predict();
  EXPECT_FALSE(f[t.service].cached);
  EXPECT_EQ(f[t.service].reasons,
            std::vector<std::string>{
                "base pickme/base:latest is not in the store yet (read when the target builds)"});
}

}  // namespace
}  // namespace plinth::plan
