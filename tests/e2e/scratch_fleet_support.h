// A small fleet for the command-line tests: services FROM scratch that each copy one file, so a
// build takes well under a second and needs nothing from outside (no registry, no backend).
#pragma once

#include <string>
#include <vector>

namespace plinth::testing {

// Writes DIR/plinth.yaml and, for each service S, DIR/S/Dockerfile and the file it copies.
// Images are named cli/S:latest-ARCH.
void WriteScratchFleet(const std::string& dir, const std::vector<std::string>& services,
                       const std::vector<std::string>& platforms);

}  // namespace plinth::testing
