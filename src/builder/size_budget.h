// A tier's size_budget (plinth.yaml, bytes per platform image) checked against an image as a
// registry counts it: the compressed size of its layer blobs plus its config and manifest
// blobs (what a push uploads, what `docker manifest inspect` sums), not the unpacked size.
#pragma once

#include <cstdint>
#include <string>

#include "util/error.h"
#include "util/result.h"

namespace plinth::builder {

struct SizeBudget {
  int64_t bytes = 0;
  std::string tier;   // its name, for the message
  Location location;  // where the tier is in plinth.yaml
};

// Fails (kFailed, at the tier's location) when `size` is over the budget, giving both sizes.
Status CheckSizeBudget(int64_t size, const SizeBudget& budget);

}  // namespace plinth::builder
