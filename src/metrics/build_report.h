// BuildReport: what `plinth report` shows, computed from the build records alone (pure
// functions, no store, no clock), so that every number is testable in memory: per image
// (target × platform) its build time and compressed size over the recent builds, its cache hit
// rate and its size against its tier's budget; for the last build its timeline, the time spent
// per phase and its critical path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "metrics/build_records.h"

namespace plinth::metrics {

// A tier's size_budget as the report shows it.
struct ImageBudget {
  std::string tier;
  int64_t bytes = 0;
};

struct ReportOptions {
  std::set<std::string> targets;               // fleet target names to keep; empty: all
  std::map<std::string, ImageBudget> budgets;  // target name → its tier's budget, if any
};

// One image in one build.
struct ImageSample {
  int64_t build_id = 0;
  std::string outcome;
  double seconds = 0;
  int64_t size = 0;
};

struct ImageReport {
  std::string target;    // "redis"
  std::string platform;  // "linux/amd64"
  std::vector<ImageSample> history;  // oldest first, one per build that had this image
  // Cache hit rate: cached / (built + cached + failed); skipped and cancelled did no work.
  int attempts = 0, cache_hits = 0;
  double hit_rate = 0;
  double last_seconds = 0;        // in the newest build
  double mean_built_seconds = 0;  // over the builds that built it (0: none did)
  int64_t size = 0;               // the newest known size (0: never made)
  int64_t size_change = 0;        // newest known size less the oldest known
  std::optional<ImageBudget> budget;
  bool over_budget = false;
};

struct BuildSummary {
  int64_t id = 0;
  double started = 0;  // Unix time
  double seconds = 0;
  int built = 0, cached = 0, failed = 0, skipped = 0;
};

// One bar of the last build's timeline.
struct TimelineEntry {
  std::string name;  // "redis@linux/amd64"
  std::string outcome;
  int phase = -1;       // -1: not recorded
  double start = 0;     // seconds after the build began (0 when not recorded)
  double seconds = 0;
  bool critical = false;  // on the critical path
};

struct PhaseTime {
  int phase = -1;      // -1: records without a phase
  int targets = 0;
  double seconds = 0;  // the phase's targets' summed time
};

struct BuildReport {
  std::vector<BuildSummary> builds;   // the builds considered, oldest first
  std::vector<ImageReport> images;    // by target, then platform
  std::optional<int64_t> last_build;  // none: no records
  std::vector<TimelineEntry> timeline;      // the last build's targets, by start, then name
  std::vector<PhaseTime> phases;            // the last build's, by phase
  std::vector<std::string> critical_path;   // the last build's, first needed first
  double critical_seconds = 0;
};

// `newest_first` as BuildRecords::Recent returns it. Builds with none of the wanted targets are
// left out. The critical path is the chain of recorded needs with the largest summed time (ties
// go to the name that sorts first, so the same records give the same report).
BuildReport MakeBuildReport(const std::vector<BuildRecord>& newest_first,
                            const ReportOptions& options);

// "redis@linux/amd64": how the plan names a target, and how records name what a target needed.
std::string TargetName(const TargetRecord& record);

}  // namespace plinth::metrics
