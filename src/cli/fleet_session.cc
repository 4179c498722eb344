#include "cli/fleet_session.h"

#include "fleet/manifest_loader.h"
#include "plan/cache_records.h"

namespace plinth::cli {

void PlanOverrideFlags::AddTo(CLI::App& cmd) {
  cmd.add_option("--build-arg", build_args,
                 "NAME=VALUE overriding plinth.yaml's build_args and the ARG default, for the "
                 "named targets (all when none is named; repeatable)");
  cmd.add_option("--target", target_stage,
                 "STAGE of the one named target's Dockerfile to build instead of its last");
}

Result<fleet::Fleet> LoadSessionFleet(const GlobalOptions& global) {
  std::string path = global.FleetPath();
  if (path.empty())
    return NotFound("no plinth.yaml in this folder; pass -f PATH/plinth.yaml");
  return fleet::LoadFleet(path);
}

Result<FleetSession> OpenFleetSession(const GlobalOptions& global,
                                      const std::vector<std::string>& targets,
                                      const std::vector<std::string>& platforms,
                                      const PlanOverrideFlags& overrides) {
  FleetSession session;
  PLINTH_TRY(session.fleet, LoadSessionFleet(global));
  PLINTH_TRY(oci::LayoutStore store, global.OpenStoreForWriting());
  session.store = std::make_unique<oci::LayoutStore>(std::move(store));
  std::vector<std::string> split;
  for (const auto& p : platforms) {
    size_t i = 0;
    while (i <= p.size()) {
      size_t j = p.find(',', i);
      if (j == std::string::npos) j = p.size();
      if (j > i) split.push_back(p.substr(i, j - i));
      i = j + 1;
    }
  }
  PLINTH_TRY(auto build_args, plan::ParseBuildArgs(overrides.build_args));
  PLINTH_TRY(session.plan, plan::MakePlan(session.fleet, {.platforms = split,
                                                          .targets = targets,
                                                          .build_args = build_args,
                                                          .target_stage = overrides.target_stage}));
  // The critical path, and the order the executor starts targets in, weigh last build's times.
  plan::ApplyRecordedCosts(plan::CacheRecords(*session.store), &session.plan.graph);
  return session;
}

}  // namespace plinth::cli
