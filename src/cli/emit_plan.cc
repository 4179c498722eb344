#include "cli/emit_plan.h"

#include <iostream>

#include "fleet/manifest_loader.h"
#include "util/atomic_file.h"

namespace plinth::cli {

Result<EmitPlan> LoadEmitPlan(const GlobalOptions& global) {
  std::string path = global.FleetPath();
  if (path.empty()) return NotFound("no plinth.yaml in this folder; pass -f PATH/plinth.yaml");
  EmitPlan out;
  PLINTH_TRY(out.fleet, fleet::LoadFleet(path));
  PLINTH_TRY(out.plan, plan::MakePlan(out.fleet, {}));
  out.graph = emit::ImageGraphOf(out.plan);
  return out;
}

int WriteEmitted(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return std::cout.flush() ? 0 : 1;
  }
  if (auto written = WriteFileAtomic(path, text); !written) return ReportError(written.error());
  return 0;
}

}  // namespace plinth::cli
