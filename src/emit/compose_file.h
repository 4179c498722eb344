// The fleet as a Compose Specification file (`plinth emit compose`): one service per fleet
// service (bases are not services) with the image the tag scheme names for one platform, the
// hardened runtime every service gets (non-root 65532, read-only rootfs with a /tmp tmpfs, no
// capabilities, no-new-privileges), plinth.yaml's exec-form health check, ports, environment,
// resource limits and named volumes, `depends_on` (compose_dependencies.h), and one network.
// Built in memory from the Fleet alone: the same manifest gives the same bytes, and comments
// say where each value came from.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fleet/fleet.h"
#include "util/result.h"

namespace plinth::emit {

struct ComposeOptions {
  std::string platform;               // "linux/amd64": the images' platform
  std::vector<std::string> services;  // only these (their dependencies outside are dropped); empty: all
  // Services the caller left out of `services`, and why ("not in the store"): named in the header.
  std::vector<std::pair<std::string, std::string>> left_out;
};

// Services not built for the platform are left out (the header names them); a name in
// `services` that is not a service, or no service left, is an error (exit 2).
Result<std::string> ComposeFile(const fleet::Fleet& fleet, const ComposeOptions& options);

}  // namespace plinth::emit
