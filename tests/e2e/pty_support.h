// Runs the plinth binary on a pseudo-terminal (forkpty), as a user's shell would, for the tests
// of what a terminal is shown (live view, cursor movement, colour).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace plinth::testing {

struct PtyResult {
  int exit_code = -1;
  std::string out;  // all the terminal showed
};

// Runs plinth with `args` in `cwd` on a fresh 120-column pseudo-terminal. The environment is
// this process's with TERM=xterm-256color and NO_COLOR unset (so that the runner's own terminal
// settings do not leak in), then `env` on top.
PtyResult RunInPty(const std::vector<std::string>& args, const std::string& cwd,
                   const std::map<std::string, std::string>& env = {});

}  // namespace plinth::testing
