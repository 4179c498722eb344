#include "cli/command.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "util/fs.h"

namespace plinth::cli {

std::vector<CommandRegistration>& Commands() {
  static std::vector<CommandRegistration> commands;
  return commands;
}

bool RegisterCommand(int order, CommandSetup setup) {
  Commands().push_back({order, std::move(setup)});
  return true;
}

std::string GlobalOptions::FleetPath() const {
  if (!fleet_file.empty()) return fleet_file;
  if (PathExists("plinth.yaml")) return "plinth.yaml";
  return "";
}

std::string GlobalOptions::StorePath() const {
  if (!store.empty()) return store;
  if (const char* env = std::getenv("PLINTH_STORE"); env && *env) return env;
  std::string fleet = FleetPath();
  if (!fleet.empty()) {
    auto slash = fleet.rfind('/');
    std::string dir = slash == std::string::npos ? "." : fleet.substr(0, slash);
    return dir + "/.plinth/store";
  }
  return ".plinth/store";
}

int ReportError(const Error& error) {
  std::cerr << "plinth: error: " << error.ToString() << "\n";
  return error.ExitCode();
}

}  // namespace plinth::cli
