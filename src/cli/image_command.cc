// `plinth image build|inspect|export`: images without a Dockerfile or a daemon.
#include "cli/image_commands.h"

namespace plinth::cli {
namespace {

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* image = app.add_subcommand("image", "Build, inspect and export single images");
  image->require_subcommand(1);
  SetupImageBuild(*image, global);
  SetupImageInspect(*image, global);
  SetupImageExport(*image, global);
}

const bool kRegistered = RegisterCommand(70, Setup);

}  // namespace
}  // namespace plinth::cli
