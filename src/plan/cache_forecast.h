// CacheForecast: what `plinth plan` says of each selected target before anything is built:
// cached, or built, and why. A target is forecast cached only when its key is complete, recorded
// and its image whole in the store, and no image it reads is rebuilt first by another target
// of the plan (whose new digest would change the key). The reasons name the inputs that changed
// since the target's last record ("arg:MSG changed", "context:app/run.sh changed"), a base
// rebuilt first, a base not in the store yet, or "never built".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plan/build_plan.h"
#include "plan/cache_records.h"
#include "plan/target_key.h"

namespace plinth::plan {

struct Forecast {
  bool cached = false;
  std::vector<std::string> reasons;  // why it builds
  std::string key;                   // "sha256:…" when the key could be computed
};

std::map<TargetId, Forecast> ForecastCache(const BuildPlan& plan, const KeyOptions& options,
                                           KeySources& sources, const CacheIndex& records);

}  // namespace plinth::plan
