// The runtime-base part of a tier's policy: may a service of this tier run on this base?
// A base is either one the fleet builds (matched by `fleet:NAME` / `fleet:*`, and by image
// globs against its image reference) or an upstream image (matched by image globs). `deny`
// wins over `allow`; an empty `allow` allows anything not denied.
#pragma once

#include <string>

#include "fleet/fleet.h"

namespace plinth::fleet {

enum class BaseVerdict { kAllowed, kDenied, kNotAllowed };

struct PolicyDecision {
  BaseVerdict verdict = BaseVerdict::kAllowed;
  const BasePattern* pattern = nullptr;  // the deny entry that matched (kDenied)
  bool allowed() const { return verdict == BaseVerdict::kAllowed; }
};

// `reference` is the runtime stage's base as docker prints it, already expanded for a
// platform; `fleet_base` the fleet base it names, or nullptr for an upstream image.
PolicyDecision CheckRuntimeBase(const Tier& tier, const std::string& reference,
                                const Target* fleet_base);

// Whether one pattern matches the base.
bool PatternMatches(const BasePattern& pattern, const std::string& reference,
                    const Target* fleet_base);

// "gcr.io/distroless/*, fleet:*": a tier's allow list as a user wrote it.
std::string DescribeAllowList(const Tier& tier);

}  // namespace plinth::fleet
