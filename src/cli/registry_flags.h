// Flags shared by `plinth pull|push|copy|login`: --insecure (plain http) and --ca-file for the
// one registry the command talks to, never for every registry; -j for parallel blob
// transfers; --platform.
#pragma once

#include <string>

#include "cli/command.h"
#include "registry/registry_config.h"

namespace plinth::cli {

struct RegistryFlags {
  bool insecure = false;
  std::string ca_file;
  int jobs = 4;
  std::string platform;
};

// `whose` completes the help text: "the destination registry", "the source registry", …
void AddRegistryFlags(CLI::App* cmd, RegistryFlags& flags, const std::string& whose);
// Applies --insecure/--ca-file to `registry` only.
void ApplyRegistryFlags(const RegistryFlags& flags, const std::string& registry,
                        registry::RegistryHosts& hosts);

}  // namespace plinth::cli
