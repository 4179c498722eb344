// Subprocess: runs a program (no shell) and collects its exit status and output. Used for the
// real tools plinth drives (apt-get, buildah, gpgv, docker-credential-*) and by end-to-end tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth {

struct SubprocessOptions {
  std::string cwd;                            // empty: inherit
  std::map<std::string, std::string> env;     // added to (or overriding) the environment
  std::optional<std::string> stdin_data;      // nullopt: /dev/null
  bool capture_stdout = true;                 // false: inherit our stdout
  bool capture_stderr = true;
};

struct SubprocessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

// Fails only when the program cannot be started; a non-zero exit is a result, not an error.
Result<SubprocessResult> RunProcess(const std::vector<std::string>& argv,
                                    const SubprocessOptions& options = {});

// The absolute path of `program` on $PATH, or nullopt.
std::optional<std::string> FindProgram(const std::string& program);

}  // namespace plinth
