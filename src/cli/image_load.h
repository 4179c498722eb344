// Putting the fleet's images into a local engine, for `plinth load` and `plinth build --load`:
// the podman and docker engines (oci/engine_load.h's interface over their commands), which
// engine is there, and which fleet images for a platform are in the store.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "fleet/fleet.h"
#include "oci/layout_store.h"

namespace plinth::cli {

struct LoadRequest {
  std::vector<std::string> targets;  // fleet targets; empty: every one in the store
  std::string platform;              // "" = this machine's
  std::string engine;                // podman | docker | "" (docker when its daemon answers)
};

// Loads the images, printing one line per image (loaded, already there, not built). A target
// named but not in the store for the platform is an error; unnamed ones are reported and skipped.
Status LoadFleetImages(const fleet::Fleet& fleet, const oci::LayoutStore& store,
                       const LoadRequest& request, std::ostream& out);

}  // namespace plinth::cli
