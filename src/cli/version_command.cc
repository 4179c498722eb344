// `plinth version`: prints the version and the store plinth would use.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/format.h"

namespace plinth::cli {
namespace {

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("version", "Print plinth's version and store location");
  auto format = std::make_shared<std::string>("text");
  AddFormatOption(cmd, format.get(), "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, format] {
    if (*format == "json")
      std::cout << DumpJson({{"version", PLINTH_VERSION}, {"store", global.StorePath()}}) << "\n";
    else
      std::cout << "plinth " << PLINTH_VERSION << "\nstore: " << global.StorePath() << "\n";
  });
}

const bool kRegistered = RegisterCommand(1000, Setup);

}  // namespace
}  // namespace plinth::cli
