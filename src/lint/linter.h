// Linter: runs the rules over Dockerfiles and fleets and returns the findings that remain
// after `# hadolint ignore=` / `# plinth ignore=` comments, `.hadolint.yaml` (ignored,
// override, trustedRegistries) and severity `ignore`, sorted by file, line and column.
//
// A bare Dockerfile gets the general rules. A fleet gets, for every target's Dockerfile and
// every platform it is built for, the general rules and the hybrid policy of its tier (the
// base is expanded per platform, so `latest-${TARGETARCH}` is checked as arm64 and amd64).
// Unreadable input is an error (exit 2); findings are values (exit 1 if any reaches the
// failure threshold, `error` unless .hadolint.yaml says otherwise).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fleet/fleet.h"
#include "lint/finding.h"
#include "lint/lint_config.h"
#include "util/result.h"

namespace plinth::lint {

struct LintOptions {
  std::string today;                 // "YYYY-MM-DD" for end-of-life checks; "" = the clock
  std::optional<LintConfig> config;  // instead of the .hadolint.yaml next to each Dockerfile
  std::string config_file;           // `--config FILE`: this file instead of the one found
  // Applied to each file's configuration last (the command line's flags win over the file
  // and the environment, as in hadolint).
  std::function<void(LintConfig&)> amend_config;
  // The ShellCheck program run over each Dockerfile's RUNs ("shellcheck"); "" runs none (the
  // library's default; `plinth lint` sets it). See shellcheck_runner.h.
  std::string shellcheck;
  // Build args by target name, instead of plinth.yaml's (`plinth build --build-arg`): the
  // Dockerfile is checked as it will be built.
  std::map<std::string, std::map<std::string, std::string>> build_args;
};

struct LintResult {
  std::vector<Finding> findings;
  bool failed = false;  // a finding reached its file's failure threshold
};

// One Dockerfile given as text (general rules).
Result<LintResult> LintDockerfileText(const std::string& content, const std::string& file,
                                      const LintOptions& options = {});
// Dockerfiles on disk, outside any fleet.
Result<LintResult> LintFiles(const std::vector<std::string>& paths, const LintOptions& options = {});
// Every Dockerfile of a fleet against its policy.
Result<LintResult> LintFleet(const fleet::Fleet& fleet, const LintOptions& options = {});
// The same, target by target (by name; `names` empty: every target with a Dockerfile), for
// `plinth build`, which refuses the targets whose own findings are errors.
Result<std::map<std::string, LintResult>> LintFleetTargets(const fleet::Fleet& fleet,
                                                           const std::set<std::string>& names,
                                                           const LintOptions& options = {});

}  // namespace plinth::lint
