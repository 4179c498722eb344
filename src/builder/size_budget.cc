#include "builder/size_budget.h"

#include "util/human_units.h"

namespace plinth::builder {

Status CheckSizeBudget(int64_t size, const SizeBudget& budget) {
  if (size <= budget.bytes) return {};
  return Error(ErrorKind::kFailed,
               "image is " + HumanBytes(size) + " compressed (layers, config and manifest), over the " +
                   HumanBytes(budget.bytes) + " size_budget of tier \"" + budget.tier + "\" by " +
                   HumanBytes(size - budget.bytes),
               budget.location);
}

}  // namespace plinth::builder
