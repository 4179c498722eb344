// Rules that hold for every command of the `plinth` binary, applied by walking the CLI11 command
// tree once all subcommands are registered, so that no subcommand has to remember them.
#pragma once

#include <CLI/CLI.hpp>

namespace plinth::cli {

// CLI11 lets an option of a vector type take every word that follows it, so
// `plinth build --platform linux/amd64 api-gateway` read the target as a second platform.
// Every repeatable option takes one value per occurrence instead: repeat the option (or use
// the commas a command splits itself), and positional words may come in any order.
void OneValuePerOccurrence(CLI::App& app);

}  // namespace plinth::cli
