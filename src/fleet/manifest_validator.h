// Cross-reference checks on a parsed Fleet: the problems a YAML schema alone cannot see.
// Unknown tiers/groups/targets, duplicate names and images, cycles in `needs` and
// `depends_on`, tiers that allow and deny the same pattern, services whose declared base their
// tier forbids, image templates that collide across platforms, missing Dockerfiles.
// Internal to the loader (manifest_loader.h), which calls it after parsing.
#pragma once

#include "fleet/fleet.h"
#include "fleet/manifest_loader.h"
#include "fleet/problem_list.h"

namespace plinth::fleet {

void ValidateFleet(const Fleet& fleet, FileChecks checks, ProblemList* problems);

}  // namespace plinth::fleet
