// The fleet's policy as `plinth build` enforces it, wrapped around the runner that makes the
// targets (FleetBuilder), so the executor treats a policy failure as any other failure: what
// needs the target is skipped, the rest builds with -k, the build exits 1 (build_exit.h).
//   - A target lint refuses (lint/build_refusal.h: an error finding in its Dockerfile) fails
//     before anything of it is made, naming the finding; every platform of it is refused.
//   - A target made (built, rebased, fetched or found cached) whose image is over its tier's
//     size_budget fails after, giving both sizes (size_budget.h).
// `build --audit` is checked earlier, inside FleetBuilder (FleetBuildOptions::vet), so that an
// image that breaks its tier's audit rules is neither recorded in the cache nor pushed.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "builder/executor.h"
#include "builder/size_budget.h"
#include "fleet/fleet.h"
#include "plan/build_plan.h"

namespace plinth::builder {

struct BuildPolicy {
  std::map<plan::TargetId, std::string> refused;  // why: "lint PL101 at FILE:L:C: MESSAGE"
  std::map<plan::TargetId, SizeBudget> budgets;   // targets whose tier has a size_budget
};

// The policy for `plan`'s targets: `refusals` by fleet target name (lint::BuildRefusals) apply
// to every platform of that target; each target's tier budget, when its tier has one.
BuildPolicy MakeBuildPolicy(const fleet::Fleet& fleet, const plan::BuildPlan& plan,
                            const std::map<std::string, std::string>& refusals);

class PolicyGate : public TargetRunner {
 public:
  // `size_of`: the compressed size of the image a target was just made into.
  PolicyGate(TargetRunner& inner, BuildPolicy policy,
             std::function<int64_t(plan::TargetId)> size_of)
      : inner_(inner), policy_(std::move(policy)), size_of_(std::move(size_of)) {}

  Result<TargetOutcome> Run(plan::TargetId id, const std::atomic<bool>& cancelled) override;
  std::string Note(plan::TargetId id) const override { return inner_.Note(id); }

 private:
  TargetRunner& inner_;
  BuildPolicy policy_;
  std::function<int64_t(plan::TargetId)> size_of_;
};

}  // namespace plinth::builder
