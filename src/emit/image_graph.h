// The plan's DAG one level up, as CI systems see it: one node per image name (a fleet base or
// service, or an upstream image built from a recipe), with every platform it is built for and
// the names it needs, merged over platforms. The GitHub Actions workflow and the bake file are
// written from it, so both carry exactly the plan's edges.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plan/build_plan.h"

namespace plinth::emit {

struct ImageNode {
  std::string name;                    // what `plinth build NAME` selects: "api-gateway"
  plan::TargetSource source = plan::TargetSource::kDockerfile;
  const fleet::Target* target = nullptr;       // null for an upstream recipe image
  std::vector<std::string> platforms;          // sorted, unique
  std::map<std::string, std::string> images;   // platform → store name of its image
  std::vector<size_t> needs;                   // indexes into ImageGraph::nodes, sorted
  int phase = 0;                               // longest chain of needs below it
};

struct ImageGraph {
  std::vector<ImageNode> nodes;  // needs before dependents; ties in the plan's order
  // Nodes by phase, ascending; within a phase in `nodes` order.
  std::vector<std::vector<size_t>> Phases() const;
};

// The selected targets of `plan`, merged by name.
ImageGraph ImageGraphOf(const plan::BuildPlan& plan);

// Identifiers for names that may hold any character ("gcr.io/distroless/base-debian12:nonroot"):
// every character outside [A-Za-z0-9_-] becomes '-', a leading digit or '-' gets a '_' in front,
// and a second name that maps to a taken identifier (compared without case) gets "-2", "-3", ... (in the order asked).
class IdentifierSet {
 public:
  std::string Add(const std::string& name);

 private:
  std::map<std::string, int> taken_;
};

}  // namespace plinth::emit
