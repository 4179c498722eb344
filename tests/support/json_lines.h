// The objects of a JSON-lines stream (`plinth build --format json`, one event a line).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace plinth::testing {

// Every line of `out` that is a JSON object, in order; other lines (blank, text, a terminal's
// trailing \r) are passed over.
std::vector<nlohmann::json> JsonLines(const std::string& out);

}  // namespace plinth::testing
