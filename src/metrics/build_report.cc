#include "metrics/build_report.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace plinth::metrics {
namespace {

bool Wanted(const ReportOptions& options, const TargetRecord& t) {
  return options.targets.empty() || options.targets.count(t.target) > 0;
}

ImageReport Summarise(ImageReport image) {
  double built_seconds = 0;
  int built = 0;
  std::optional<int64_t> first_size;
  for (const auto& s : image.history) {
    if (s.outcome == "built" || s.outcome == "cached" || s.outcome == "failed") ++image.attempts;
    if (s.outcome == "cached") ++image.cache_hits;
    if (s.outcome == "built") {
      built_seconds += s.seconds;
      ++built;
    }
    if (s.size > 0) {
      if (!first_size) first_size = s.size;
      image.size = s.size;
    }
  }
  image.hit_rate = image.attempts ? static_cast<double>(image.cache_hits) / image.attempts : 0;
  image.mean_built_seconds = built ? built_seconds / built : 0;
  image.last_seconds = image.history.empty() ? 0 : image.history.back().seconds;
  image.size_change = first_size ? image.size - *first_size : 0;
  image.over_budget = image.budget && image.size > image.budget->bytes;
  return image;
}

// The chain of needs through `targets` with the largest summed seconds; needs outside the build
// (or not recorded) end a chain.
std::vector<std::string> CriticalPath(const std::vector<const TargetRecord*>& targets,
                                      double* seconds) {
  std::map<std::string, const TargetRecord*> by_name;
  for (const auto* t : targets) by_name.emplace(TargetName(*t), t);
  // Longest chain ending at each target, memoised; `visiting` guards against a cycle in
  // hand-edited records.
  std::map<std::string, std::pair<double, std::string>> best;  // total, the need it came through
  std::set<std::string> visiting;
  std::function<double(const std::string&)> chain = [&](const std::string& name) -> double {
    if (auto it = best.find(name); it != best.end()) return it->second.first;
    const TargetRecord* t = by_name.at(name);
    visiting.insert(name);
    std::pair<double, std::string> result{0, ""};
    std::vector<std::string> needs = t->needs;
    std::sort(needs.begin(), needs.end());
    for (const auto& need : needs) {
      if (!by_name.count(need) || visiting.count(need)) continue;
      double c = chain(need);
      if (result.second.empty() || c > result.first) result = {c, need};
    }
    visiting.erase(name);
    result.first += t->seconds;
    best[name] = result;
    return result.first;
  };
  std::string end;
  double longest = -1;
  for (const auto& [name, t] : by_name) {
    double c = chain(name);
    if (c > longest) {
      longest = c;
      end = name;
    }
  }
  std::vector<std::string> path;
  for (std::string at = end; !at.empty(); at = best[at].second) path.push_back(at);
  std::reverse(path.begin(), path.end());
  *seconds = longest < 0 ? 0 : longest;
  return path;
}

}  // namespace

std::string TargetName(const TargetRecord& record) {
  return record.target + "@" + record.platform;
}

BuildReport MakeBuildReport(const std::vector<BuildRecord>& newest_first,
                            const ReportOptions& options) {
  BuildReport report;
  std::map<std::pair<std::string, std::string>, ImageReport> images;
  const BuildRecord* last = nullptr;
  for (auto b = newest_first.rbegin(); b != newest_first.rend(); ++b) {
    bool any = false;
    for (const auto& t : b->targets) {
      if (!Wanted(options, t)) continue;
      any = true;
      auto& image = images[{t.target, t.platform}];
      image.target = t.target;
      image.platform = t.platform;
      image.history.push_back({b->id, t.outcome, t.seconds, t.size});
    }
    if (!any) continue;
    report.builds.push_back(
        {b->id, b->started, b->seconds, b->built, b->cached, b->failed, b->skipped});
    last = &*b;
  }
  for (auto& [key, image] : images) {
    if (auto it = options.budgets.find(image.target); it != options.budgets.end())
      image.budget = it->second;
    report.images.push_back(Summarise(std::move(image)));
  }
  if (!last) return report;
  report.last_build = last->id;

  std::vector<const TargetRecord*> targets;
  for (const auto& t : last->targets)
    if (Wanted(options, t)) targets.push_back(&t);
  report.critical_path = CriticalPath(targets, &report.critical_seconds);
  std::set<std::string> critical(report.critical_path.begin(), report.critical_path.end());
  std::map<int, PhaseTime> phases;
  for (const auto* t : targets) {
    std::string name = TargetName(*t);
    report.timeline.push_back({name, t->outcome, t->phase, std::max(0.0, t->started), t->seconds,
                               critical.count(name) > 0});
    auto& phase = phases[t->phase];
    phase.phase = t->phase;
    ++phase.targets;
    phase.seconds += t->seconds;
  }
  std::sort(report.timeline.begin(), report.timeline.end(), [](const auto& a, const auto& b) {
    return std::tie(a.start, a.name) < std::tie(b.start, b.name);
  });
  for (const auto& [n, phase] : phases) report.phases.push_back(phase);
  return report;
}

}  // namespace plinth::metrics
