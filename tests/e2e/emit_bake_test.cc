// End to end: `plinth emit bake` on the example fleet and a small one, by structure against
// `plinth plan --format json` (buildx cannot run here): a target per image built from a
// Dockerfile, whose `target:` contexts are exactly its edges to other such images.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/chain_fleet_support.h"
#include "e2e/workflow_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;

TEST(EmitBakeTest, TargetsAndContextsAreThePlansImagesAndEdges) {
  testing::ScratchDir dir;
  testing::CopyExampleFleet("lucid", dir / "lucid");
  testing::WriteChainFleet(dir / "chain", "");
  for (const std::string fleet : {"lucid", "chain"}) {
    auto emitted = RunPlinth({"emit", "bake", "-o", "docker-bake.json"}, {}, dir / fleet);
    ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
    auto text = ReadFile(dir / fleet + "/docker-bake.json");
    ASSERT_TRUE(text.ok());
    auto bake = nlohmann::json::parse(*text);
    auto plan = RunPlinth({"--store", dir / "store", "plan", "--format", "json"}, {}, dir / fleet);
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    auto edges = testing::PlanNameEdges(plan.out);
    // Every name built from a Dockerfile is a target; recipe images are not (lucid's distroless
    // and its redis base): BuildKit reads those from the registry plinth pushed them to.
    std::set<std::string> from_dockerfile;
    const auto planned = nlohmann::json::parse(plan.out);
    for (const auto& t : planned["targets"]) {
      std::string target = t["target"];
      if (t["source"] == "dockerfile") from_dockerfile.insert(target.substr(0, target.rfind('@')));
    }
    std::map<std::string, std::set<std::string>> expected;
    for (const auto& [name, needs] : edges) {
      if (!from_dockerfile.count(name)) continue;
      auto& e = expected[name];
      for (const auto& n : needs)
        if (from_dockerfile.count(n)) e.insert("target:" + n);
    }
    std::map<std::string, std::set<std::string>> actual;
    for (const auto& [name, target] : bake["target"].items()) {
      auto& a = actual[name];
      if (target.contains("contexts"))
        for (const auto& [ref, value] : target["contexts"].items()) a.insert(value.get<std::string>());
      EXPECT_TRUE(PathExists(dir / fleet + "/" + target["context"].get<std::string>() + "/" +
                             target["dockerfile"].get<std::string>())) << name;
    }
    EXPECT_EQ(actual, expected) << fleet;
    EXPECT_EQ(bake["group"]["default"]["targets"].size(), expected.size());
  }
}

}  // namespace
}  // namespace plinth
