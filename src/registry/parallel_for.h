// ParallelFor: runs fn(0..count-1) on up to `jobs` threads, for parallel blob transfers. After
// the first failure no new item starts; the first error is returned once running items end.
#pragma once

#include <cstddef>
#include <functional>

#include "util/result.h"

namespace plinth::registry {

Status ParallelFor(size_t count, int jobs, const std::function<Status(size_t)>& fn);

}  // namespace plinth::registry
