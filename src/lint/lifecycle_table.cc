#include "lint/lifecycle_table.h"

#include <ctime>

#include "fleet/base_pattern.h"

namespace plinth::lint {

const std::vector<LifecycleRecord>& BuiltinLifecycle() {
  static const std::vector<LifecycleRecord> table = {
      {"gcr.io/distroless/python3-debian12", "2026", "gcr.io/distroless/python3-debian13",
       "distroless removed the Debian 12 Python image in 2026"},
      {"gcr.io/distroless/java*-debian12", "2026", "gcr.io/distroless/java21-debian13",
       "distroless removed the Debian 12 Java images in 2026"},
      {"gcr.io/distroless/static-debian12", "2026-09-30", "gcr.io/distroless/static-debian13",
       "Debian 12 distroless images ended in September 2026"},
      {"gcr.io/distroless/base-debian12", "2026-09-30", "gcr.io/distroless/base-debian13",
       "Debian 12 distroless images ended in September 2026"},
      {"gcr.io/distroless/base-nossl-debian12", "2026-09-30", "gcr.io/distroless/base-nossl-debian13",
       "Debian 12 distroless images ended in September 2026"},
      {"gcr.io/distroless/cc-debian12", "2026-09-30", "gcr.io/distroless/cc-debian13",
       "Debian 12 distroless images ended in September 2026"},
      {"gcr.io/distroless/*-debian11", "2024-06-30", "the matching -debian13 image",
       "Debian 11 distroless images are no longer built"},
  };
  return table;
}

const LifecycleRecord* EndOfLife(const std::vector<LifecycleRecord>& table,
                                 const std::string& reference, const std::string& today) {
  std::string repository = fleet::RepositoryOf(reference);
  for (const auto& r : table) {
    if (!fleet::GlobMatch(r.pattern, repository)) continue;
    // Dates compare as strings; "2026" sorts before every day of 2026.
    return r.end_of_life <= today ? &r : nullptr;
  }
  return nullptr;
}

std::vector<LifecycleRecord> LifecycleFor(const fleet::Fleet* fleet) {
  std::vector<LifecycleRecord> table;
  if (fleet) {
    for (const auto& e : fleet->lifecycle) table.push_back({e.pattern, e.end_of_life, e.replacement, e.note});
  }
  const auto& builtin = BuiltinLifecycle();
  table.insert(table.end(), builtin.begin(), builtin.end());
  return table;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace plinth::lint
