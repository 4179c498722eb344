// BaseFacts: what lint and migrate know about a base the fleet builds, read from that base's
// own Dockerfile for one platform: whether its runtime is shell-less (distroless, or an
// upstream image made from a Debian recipe), whether it ends as a non-root user, and which
// upstream image it is built on (what `plinth migrate` restores for an application service).
#pragma once

#include <map>
#include <string>

#include "fleet/fleet.h"

namespace plinth::lint {

struct BaseFacts {
  bool shell_less = false;  // its runtime stage is distroless-style (no /bin/sh)
  bool nonroot = false;     // it ends as a non-root user
  std::string upstream;     // the upstream image under it, expanded ("" if unknown)
  std::string upstream_written;  // the same, as its Dockerfile writes it
};

// Facts for every base of the fleet, in manifest order (a base built on an earlier base
// inherits its facts); a base whose Dockerfile cannot be read is left out.
std::map<std::string, BaseFacts> FactsOfBases(const fleet::Fleet& fleet, const std::string& platform);

}  // namespace plinth::lint
