// Which services a compose service waits for (`depends_on` with `condition: service_healthy`):
// the runtime dependencies plinth.yaml declares, and the groups' phases (a service starts after
// the services of earlier phases are healthy). A declared dependency wins over phase order: a
// phase edge that would close a cycle with the declared ones is left out (in the Lucid fleet
// the gateway, phase 2, declares that it needs the phase 3 services), and a phase edge already
// implied through others is left out too, so each list stays short. Only the services given
// take part: a dependency on a service left out of the file is dropped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleet/fleet.h"

namespace plinth::emit {

enum class DependencyReason { kDeclared, kPhase };

struct ComposeDependency {
  const fleet::Target* service = nullptr;
  DependencyReason reason = DependencyReason::kDeclared;
};

// For each service given (by name), what it waits for, ordered by phase then manifest order.
// Deterministic: the same services give the same lists.
std::map<std::string, std::vector<ComposeDependency>> ComposeDependencies(
    const fleet::Fleet& fleet, const std::vector<const fleet::Target*>& services);

}  // namespace plinth::emit
