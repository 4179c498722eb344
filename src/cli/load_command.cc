// `plinth load [TARGET…] [--engine podman|docker] [--platform P]`: the fleet's images for one
// platform from the store into podman's storage or a docker daemon, so that compose (and
// `podman run`) can use them; an image the engine already has, by digest, is not loaded again.
#include <iostream>

#include "cli/fleet_session.h"
#include "cli/image_load.h"

namespace plinth::cli {
namespace {

Status Load(const GlobalOptions& global, const LoadRequest& request) {
  PLINTH_TRY(auto fleet, LoadSessionFleet(global));
  PLINTH_TRY(auto store, oci::LayoutStore::OpenExisting(global.StorePath()));
  return LoadFleetImages(fleet, store, request, std::cout);
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("load", "Put the fleet's images into podman or docker, for compose");
  auto args = std::make_shared<LoadRequest>();
  cmd->add_option("TARGET", args->targets, "targets to load (default: all in the store)");
  cmd->add_option("--engine", args->engine,
                  "podman or docker (default: docker when its daemon answers, else podman)");
  cmd->add_option("--platform", args->platform, "the images' platform (default: this machine's)");
  cmd->callback([&global, args] {
    auto status = Load(global, *args);
    global.exit_code = status ? 0 : ReportError(status.error());
  });
}

const bool kRegistered = RegisterCommand(35, Setup);

}  // namespace
}  // namespace plinth::cli
