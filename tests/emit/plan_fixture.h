// Plans built in memory for the emitters' tests: targets named NAME@PLATFORM with the edges
// given, as plan::MakePlan would make them from a fleet, without Dockerfiles on disk.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plan/build_plan.h"

namespace plinth::emit::testing {

struct FixtureTarget {
  std::string name;
  std::vector<std::string> platforms;
  std::vector<std::string> needs;  // names; each platform needs the same platform of each
  plan::TargetSource source = plan::TargetSource::kDockerfile;
};

inline plan::BuildPlan PlanOf(const std::vector<FixtureTarget>& targets) {
  plan::BuildPlan plan;
  for (const auto& t : targets) {
    for (const auto& p : t.platforms) {
      auto id = plan.graph.Add(t.name + "@" + p);
      plan::TargetSpec spec;
      spec.source = t.source;
      spec.name = t.name;
      spec.platform = *oci::Platform::Parse(p);
      spec.image = "pickme/" + t.name + ":latest-" + spec.platform.architecture;
      plan.specs.push_back(spec);
      plan.selected.insert(*id);
      for (const auto& need : t.needs) {
        auto dep = plan.graph.Find(need + "@" + p);
        if (dep) plan.graph.AddNeed(*id, *dep, "FROM " + need);
      }
    }
  }
  return plan;
}

}  // namespace plinth::emit::testing
