// The `plinth image` subcommands, one file each.
#pragma once

#include "cli/command.h"

namespace plinth::cli {

void SetupImageBuild(CLI::App& image, GlobalOptions& global);
void SetupImageInspect(CLI::App& image, GlobalOptions& global);
void SetupImageExport(CLI::App& image, GlobalOptions& global);

}  // namespace plinth::cli
