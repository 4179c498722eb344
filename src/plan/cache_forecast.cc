#include "plan/cache_forecast.h"

namespace plinth::plan {
namespace {

Forecast ForecastOne(const BuildPlan& plan, TargetId id, const std::map<TargetId, Forecast>& done,
                     const KeyOptions& options, KeySources& sources, const CacheIndex& records) {
  const TargetSpec& spec = plan.specs[id];
  const std::string& name = plan.graph.node(id).name;
  Forecast f;
  for (const auto& [ref, provider] : spec.fleet_images) {
    auto it = done.find(provider);
    if (it != done.end() && !it->second.cached)
      f.reasons.push_back("base " + ref + " is built first (" + plan.graph.node(provider).name +
                          ")");
  }
  auto key = ComputeTargetKey(spec, options, sources);
  if (!key) {
    f.reasons.push_back(key.error().ToString());
    return f;
  }
  f.key = key->key.Digest();
  if (!f.reasons.empty()) return f;
  for (const auto& m : key->missing)
    f.reasons.push_back("base " + m.ref + " is not in the store yet (read when the target builds)");
  if (!f.reasons.empty()) return f;
  if (records.Image(key->key)) {
    f.cached = true;
    return f;
  }
  auto before = records.Last(name);
  if (!before) {
    f.reasons.push_back("never built");
    return f;
  }
  if (before->key.inputs().count("format") &&
      before->key.inputs().at("format") != key->key.inputs().at("format")) {
    f.reasons.push_back("format changed: recorded by another version of plinth");
    return f;
  }
  f.reasons = key->key.Diff(before->key);
  if (f.reasons.empty()) f.reasons.push_back("its image is no longer in the store");
  return f;
}

}  // namespace

std::map<TargetId, Forecast> ForecastCache(const BuildPlan& plan, const KeyOptions& options,
                                           KeySources& sources, const CacheIndex& records) {
  std::map<TargetId, Forecast> out;
  for (TargetId id : plan.graph.TopologicalOrder()) {
    if (!plan.selected.count(id)) continue;
    out[id] = ForecastOne(plan, id, out, options, sources, records);
  }
  return out;
}

}  // namespace plinth::plan
