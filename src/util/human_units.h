// Sizes and durations as people read them, in messages and summaries.
#pragma once

#include <cstdint>
#include <string>

namespace plinth {

// "1.2 MB", "830 kB", "12 B" (decimal units, as docker prints sizes).
std::string HumanBytes(int64_t bytes);
// "1.24s", "85ms".
std::string HumanDuration(double seconds);

}  // namespace plinth
