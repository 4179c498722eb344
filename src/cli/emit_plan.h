// What the plan-based emitters (github-actions, bake) start from, and where they write: the
// fleet and its plan, made without opening or creating a store (emitting reads plinth.yaml and
// the Dockerfiles only), and the output written to -o FILE atomically or to stdout.
#pragma once

#include <string>

#include "cli/command.h"
#include "emit/image_graph.h"
#include "fleet/fleet.h"
#include "plan/build_plan.h"

namespace plinth::cli {

struct EmitPlan {
  fleet::Fleet fleet;
  plan::BuildPlan plan;
  emit::ImageGraph graph;
};

Result<EmitPlan> LoadEmitPlan(const GlobalOptions& global);

// Writes `text` to `path` ("" or "-": stdout); returns the exit code.
int WriteEmitted(const std::string& text, const std::string& path);

}  // namespace plinth::cli
