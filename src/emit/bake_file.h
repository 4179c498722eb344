// `plinth emit bake`: docker-bake.json for BuildKit users (`docker buildx bake`), from the plan:
// a target per image built from a Dockerfile (on its list of platforms), a group per phase of
// the DAG and "default", fleet images a Dockerfile reads passed as `contexts` of `target:` form
// (so bake builds them first and never pulls them), tags, build args, and registry cache
// (`type=registry`) when a registry is given. Images plinth builds from Debian recipes have no
// Dockerfile and so no bake target: their dependents read them from the registry.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "emit/image_graph.h"
#include "fleet/fleet.h"
#include "plan/build_plan.h"
#include "util/result.h"

namespace plinth::emit {

struct BakeOptions {
  std::string registry;  // cache-from/cache-to HOST/<repository>:buildcache; "" for none
};

// Paths in the file are relative to plinth.yaml's folder, where bake is meant to run.
Result<nlohmann::json> BakeFile(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
                                const ImageGraph& graph, const BakeOptions& options);

}  // namespace plinth::emit
