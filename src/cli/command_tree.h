// Rules that hold for every command of the `plinth` binary, applied by walking the CLI11 command
// tree once all subcommands are registered, so that no subcommand has to remember them.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace plinth::cli {

// CLI11 lets an option of a vector type take every word that follows it, so
// `plinth build --platform linux/amd64 api-gateway` read the target as a second platform.
// Every repeatable option takes one value per occurrence instead: repeat the option (or use
// the commas a command splits itself), and positional words may come in any order.
void OneValuePerOccurrence(CLI::App& app);

// After `error` ended the parse: if a word stood where a command (or a subcommand of a group
// such as `store`) belongs and names none, the error naming it with the nearest command, or the
// list of commands when none is near; if no word came where one is required, the list of
// commands; nullopt for any other parse error (CLI11's message stands).
std::optional<Error> UnknownCommand(CLI::App& app, const CLI::ParseError& error);

// The command tree as data, for what describes it to other programs (shell completion).
struct OptionInfo {
  std::vector<std::string> names;  // "--platform", "-j", "--jobs"
  bool takes_value = false;        // the next word is its value (a flag takes none)
  std::string description;
};
struct CommandInfo {
  std::string path;  // the words after `plinth`: "" for plinth itself, "store", "store ls"
  std::string description;
  std::vector<std::string> subcommands;  // names, in registration order
  std::vector<OptionInfo> options;       // named options only; positionals are not listed
};
// Every command, parents before their subcommands.
std::vector<CommandInfo> DescribeCommands(CLI::App& root);

}  // namespace plinth::cli
