#include "fleet/tier_policy.h"

namespace plinth::fleet {

bool PatternMatches(const BasePattern& pattern, const std::string& reference,
                    const Target* fleet_base) {
  if (pattern.kind == PatternKind::kFleetBase)
    return fleet_base && GlobMatch(pattern.pattern, fleet_base->name);
  if (reference.empty()) return false;
  return ImageGlobMatches(pattern.pattern, reference);
}

PolicyDecision CheckRuntimeBase(const Tier& tier, const std::string& reference,
                                const Target* fleet_base) {
  for (const auto& p : tier.deny) {
    if (PatternMatches(p, reference, fleet_base)) return {BaseVerdict::kDenied, &p};
  }
  if (tier.allow.empty()) return {};
  for (const auto& p : tier.allow) {
    if (PatternMatches(p, reference, fleet_base)) return {};
  }
  return {BaseVerdict::kNotAllowed, nullptr};
}

std::string DescribeAllowList(const Tier& tier) {
  std::string out;
  for (const auto& p : tier.allow) out += (out.empty() ? "" : ", ") + p.text;
  return out.empty() ? "anything" : out;
}

}  // namespace plinth::fleet
