#include "builder/target_records.h"

namespace plinth::builder {

std::vector<metrics::TargetRecord> TargetRecords(const plan::BuildPlan& plan,
                                                 const std::vector<TargetResult>& results,
                                                 const FleetBuilder& builder) {
  std::vector<int> phase_of(plan.graph.size(), -1);
  auto phases = plan.graph.Phases();
  for (size_t p = 0; p < phases.size(); ++p)
    for (plan::TargetId id : phases[p]) phase_of[id] = static_cast<int>(p);
  std::vector<metrics::TargetRecord> records;
  for (const auto& r : results) {
    auto report = builder.Report(r.id);
    const auto& spec = plan.specs[r.id];
    metrics::TargetRecord record{spec.name, spec.platform.str(), report.cache_key,
                                 std::string(OutcomeName(r.outcome)), r.seconds, report.size,
                                 report.layers, report.image_digest};
    record.phase = phase_of[r.id];
    record.started = r.started;
    for (plan::TargetId need : plan.graph.node(r.id).needs)
      if (plan.selected.count(need)) record.needs.push_back(plan.graph.node(need).name);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace plinth::builder
