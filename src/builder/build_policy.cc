#include "builder/build_policy.h"

namespace plinth::builder {

BuildPolicy MakeBuildPolicy(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
                            const std::map<std::string, std::string>& refusals) {
  BuildPolicy policy;
  for (plan::TargetId id = 0; id < plan.specs.size(); ++id) {
    const fleet::Target* target = plan.specs[id].target;
    if (!target) continue;  // an upstream image made from a recipe: no Dockerfile, no tier
    if (auto it = refusals.find(target->name); it != refusals.end()) policy.refused[id] = it->second;
    const fleet::Tier* tier = fleet.TierOf(*target);
    if (tier && tier->size_budget)
      policy.budgets[id] = SizeBudget{*tier->size_budget, tier->name, tier->location};
  }
  return policy;
}

Result<TargetOutcome> PolicyGate::Run(plan::TargetId id, const std::atomic<bool>& cancelled) {
  if (auto it = policy_.refused.find(id); it != policy_.refused.end())
    return Error(ErrorKind::kFailed,
                 "refused by the fleet's policy: " + it->second + " (--no-lint builds it anyway)");
  PLINTH_TRY(TargetOutcome outcome, inner_.Run(id, cancelled));
  if (auto it = policy_.budgets.find(id); it != policy_.budgets.end())
    PLINTH_CHECK(CheckSizeBudget(size_of_(id), it->second));
  return outcome;
}

}  // namespace plinth::builder
