#include "builder/build_exit.h"

namespace plinth::builder {
namespace {

// "api-gateway@linux/arm64" -> "api-gateway"; a recipe image keeps its ':' tag.
std::string ServiceOf(const std::string& target_name) {
  size_t at = target_name.rfind('@');
  return at == std::string::npos ? target_name : target_name.substr(0, at);
}

}  // namespace

Result<AllowedSkips> AllowedSkips::Parse(const std::vector<std::string>& names,
                                         const plan::TargetGraph& graph) {
  AllowedSkips allowed;
  for (const auto& name : names) {
    bool found = false;
    for (plan::TargetId id = 0; id < graph.size() && !found; ++id) {
      const std::string& target = graph.node(id).name;
      found = target == name || ServiceOf(target) == name;
    }
    if (!found)
      return InvalidInput("--allow-unreachable '" + name +
                          "' names no target of the fleet (give a target such as 'mongodb' or "
                          "'blockchain-engine@linux/arm64'; `plinth plan` lists them)");
    allowed.names_.push_back(name);
  }
  return allowed;
}

bool AllowedSkips::Allows(const std::string& target_name) const {
  for (const auto& n : names_)
    if (n == target_name || n == ServiceOf(target_name)) return true;
  return false;
}

BuildExit ExitFor(const std::vector<TargetResult>& results, const plan::TargetGraph& graph,
                  const AllowedSkips& allowed, bool index_failed, bool interrupted) {
  if (interrupted) return BuildExit::kInterrupted;
  bool incomplete = false;
  for (const auto& r : results) {
    switch (r.outcome) {
      case TargetOutcome::kBuilt:
      case TargetOutcome::kCached: break;
      case TargetOutcome::kFailed: return BuildExit::kFailed;
      case TargetOutcome::kCancelled:
      case TargetOutcome::kSkipped:
        incomplete = incomplete || !allowed.Allows(graph.node(r.id).name);
        break;
    }
  }
  if (index_failed) return BuildExit::kFailed;
  return incomplete ? BuildExit::kIncomplete : BuildExit::kComplete;
}

}  // namespace plinth::builder
