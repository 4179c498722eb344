// Runs the built `plinth` binary (or another real tool) for end-to-end tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace plinth::testing {

// The path of the plinth binary under test ($PLINTH_BIN overrides the build's own).
std::string PlinthBinary();

// Runs `plinth ARGS…` with `env` added; never fails to return (a start failure is exit 127).
SubprocessResult RunPlinth(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env = {},
                           const std::string& cwd = "");

// Runs any program the same way.
SubprocessResult Run(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& cwd = "");

// Environment for podman/buildah/skopeo on these machines: runc and lowered ulimits through a
// CONTAINERS_CONF file, and private storage under `root` so tests do not share state.
std::map<std::string, std::string> ContainersEnv(const std::string& root);

}  // namespace plinth::testing
