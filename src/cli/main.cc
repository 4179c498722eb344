// The `plinth` binary: parses the command line and hands over to the subcommands registered
// in cli/*_command.cc. No logic that a test needs lives here.
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "cli/command_tree.h"

int main(int argc, char** argv) {
  CLI::App app{"plinth: a daemonless build system for fleets of container images"};
  app.require_subcommand(1);
  // The global options below are read after a subcommand too (`plinth build --store DIR`);
  // inherited by every subcommand added from here on.
  app.fallthrough();
  app.set_version_flag("--version", std::string("plinth ") + PLINTH_VERSION);
  plinth::cli::GlobalOptions global;
  app.add_option("--store", global.store, "OCI layout store (default: $PLINTH_STORE, "
                 "else .plinth/store next to plinth.yaml)")->envname("PLINTH_STORE");
  app.add_option("-f,--file", global.fleet_file, "fleet manifest (default: ./plinth.yaml)");
  app.add_flag("-v,--verbose", global.verbosity, "more output");

  auto commands = plinth::cli::Commands();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.order < b.order; });
  for (auto& command : commands) command.setup(app, global);
  plinth::cli::OneValuePerOccurrence(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses 0 for --help and 105/106/... for usage errors; usage errors are bad input.
    if (e.get_exit_code() != 0)
      if (auto unknown = plinth::cli::UnknownCommand(app, e))
        return plinth::cli::ReportError(*unknown);
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return global.exit_code;
}
