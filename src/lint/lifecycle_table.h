// LifecycleTable: when upstream base images reach their end of life and what replaces them,
// kept as data. The built-in table covers distroless: python3-debian12 and the
// java*-debian12 images were removed in 2026; Debian 12's static, base and cc images ended in
// September 2026. A fleet extends or overrides it with plinth.yaml's `lifecycle:` entries,
// which are looked up first.
#pragma once

#include <string>
#include <vector>

#include "fleet/fleet.h"

namespace plinth::lint {

struct LifecycleRecord {
  std::string pattern;      // glob over the repository name
  std::string end_of_life;  // "2026-09-30", or "2026" for "some time in 2026"
  std::string replacement;
  std::string note;
};

const std::vector<LifecycleRecord>& BuiltinLifecycle();

// The record for a reference if it is past its end of life on `today` ("YYYY-MM-DD").
const LifecycleRecord* EndOfLife(const std::vector<LifecycleRecord>& table,
                                 const std::string& reference, const std::string& today);

// The fleet's entries first, then the built-in table.
std::vector<LifecycleRecord> LifecycleFor(const fleet::Fleet* fleet);

// Today's date, "YYYY-MM-DD" (UTC).
std::string Today();

}  // namespace plinth::lint
