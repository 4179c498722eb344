// `plinth version`: prints the version and the store plinth would use.
#include <iostream>

#include "cli/command.h"

namespace plinth::cli {
namespace {

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("version", "Print plinth's version and store location");
  cmd->callback([&global] {
    std::cout << "plinth " << PLINTH_VERSION << "\nstore: " << global.StorePath() << "\n";
  });
}

const bool kRegistered = RegisterCommand(1000, Setup);

}  // namespace
}  // namespace plinth::cli
