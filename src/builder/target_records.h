// What the build records (metrics/build_records.h) keep of each target a build ran: its outcome,
// time and image, and, for `plinth report`'s timeline and critical path, its phase in the plan,
// when it started and which targets of the build it needed.
#pragma once

#include <vector>

#include "builder/executor.h"
#include "builder/fleet_builder.h"
#include "metrics/build_records.h"
#include "plan/build_plan.h"

namespace plinth::builder {

std::vector<metrics::TargetRecord> TargetRecords(const plan::BuildPlan& plan,
                                                 const std::vector<TargetResult>& results,
                                                 const FleetBuilder& builder);

}  // namespace plinth::builder
