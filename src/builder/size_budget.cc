#include "builder/size_budget.h"

namespace plinth::builder {

Status CheckSizeBudget(int64_t size, const SizeBudget& budget, const SizeFormatter& human) {
  if (size <= budget.bytes) return {};
  return Error(ErrorKind::kFailed,
               "image is " + human(size) + " compressed (layers, config and manifest), over the " +
                   human(budget.bytes) + " size_budget of tier \"" + budget.tier + "\" by " +
                   human(size - budget.bytes),
               budget.location);
}

}  // namespace plinth::builder
