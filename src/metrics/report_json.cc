#include "metrics/report_json.h"

namespace plinth::metrics {

nlohmann::json ReportJson(const BuildReport& report) {
  nlohmann::json builds = nlohmann::json::array();
  for (const auto& b : report.builds)
    builds.push_back({{"id", b.id}, {"started", b.started}, {"seconds", b.seconds},
                      {"built", b.built}, {"cached", b.cached}, {"failed", b.failed},
                      {"skipped", b.skipped}});
  nlohmann::json images = nlohmann::json::array();
  for (const auto& i : report.images) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& s : i.history)
      history.push_back({{"build", s.build_id}, {"outcome", s.outcome}, {"seconds", s.seconds},
                         {"size", s.size}});
    nlohmann::json budget = nullptr;
    if (i.budget) budget = {{"tier", i.budget->tier}, {"bytes", i.budget->bytes}};
    images.push_back({{"target", i.target}, {"platform", i.platform}, {"history", history},
                      {"attempts", i.attempts}, {"cache_hits", i.cache_hits},
                      {"hit_rate", i.hit_rate}, {"last_seconds", i.last_seconds},
                      {"mean_built_seconds", i.mean_built_seconds}, {"size", i.size},
                      {"size_change", i.size_change}, {"budget", budget},
                      {"over_budget", i.over_budget}});
  }
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& t : report.timeline)
    timeline.push_back({{"target", t.name}, {"outcome", t.outcome},
                        {"phase", t.phase < 0 ? nlohmann::json(nullptr) : nlohmann::json(t.phase)},
                        {"start", t.start}, {"seconds", t.seconds}, {"critical", t.critical}});
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : report.phases)
    phases.push_back({{"phase", p.phase < 0 ? nlohmann::json(nullptr) : nlohmann::json(p.phase)},
                      {"targets", p.targets}, {"seconds", p.seconds}});
  nlohmann::json last = nullptr;
  if (report.last_build)
    last = {{"id", *report.last_build}, {"timeline", timeline}, {"phases", phases},
            {"critical_path", report.critical_path},
            {"critical_seconds", report.critical_seconds}};
  return {{"builds", builds}, {"images", images}, {"last_build", last}};
}

}  // namespace plinth::metrics
