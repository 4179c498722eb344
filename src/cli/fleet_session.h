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

// `--build-arg NAME=VALUE` and `--target STAGE` (plan::PlanOptions), which `build` and `plan`
// both take, so that plan forecasts the keys such a build computes.
struct PlanOverrideFlags {
  std::vector<std::string> build_args;  // NAME=VALUE, as given
  std::string target_stage;
  void AddTo(CLI::App& cmd);
};

// The manifest alone (-f, or plinth.yaml in this folder), for commands that need no plan.
Result<fleet::Fleet> LoadSessionFleet(const GlobalOptions& global);

Result<FleetSession> OpenFleetSession(const GlobalOptions& global,
                                      const std::vector<std::string>& targets,
                                      const std::vector<std::string>& platforms,
                                      const PlanOverrideFlags& overrides = {});

}  // namespace plinth::cli
