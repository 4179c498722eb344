// A small fleet with a chain of images for the CI emitter tests: runner-base from scratch, api
// and worker on it, web on api's image, solo on nothing; two platforms; every stage only
// COPYs, so each target builds natively in well under a second.
#pragma once

#include <string>

namespace plinth::testing {

// Writes DIR/plinth.yaml and the Dockerfiles. `registry` ("" for docker.io) is the fleet's
// registry, which the Dockerfiles name their fleet bases in. Images: runners/NAME:latest-ARCH.
void WriteChainFleet(const std::string& dir, const std::string& registry);

}  // namespace plinth::testing
