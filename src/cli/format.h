// Small formatting helpers shared by the subcommands' output.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/human_units.h"

namespace plinth::cli {

using plinth::HumanBytes;
using plinth::HumanDuration;

// A place in an input as `--format json` prints it: {"file","line","column"}, null when unknown.
nlohmann::json LocationJson(const Location& location);
// `j` as text; what was read (names, messages) may not be UTF-8, so invalid bytes become U+FFFD.
std::string DumpJson(const nlohmann::json& j, int indent = -1);

}  // namespace plinth::cli
