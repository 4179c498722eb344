// What `plinth plan` and `plinth build` both start from: the fleet manifest, its store, and the
// build plan for the targets and platforms asked for.
#pragma once

#include <memory>

#include "cli/command.h"
#include "fleet/fleet.h"
#include "oci/layout_store.h"
#include "plan/build_plan.h"

namespace plinth::cli {

struct FleetSession {
  fleet::Fleet fleet;
  std::unique_ptr<oci::LayoutStore> store;
  plan::BuildPlan plan;
};

// `overrides`: build args and a target stage for the plan (plan::PlanOptions; `plinth build`).
Result<FleetSession> OpenFleetSession(const GlobalOptions& global,
                                      const std::vector<std::string>& targets,
                                      const std::vector<std::string>& platforms,
                                      plan::PlanOptions overrides = {});

}  // namespace plinth::cli
