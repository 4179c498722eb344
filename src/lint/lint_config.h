// LintConfig: hadolint's configuration, in hadolint's own keys, from a `.hadolint.yaml` (or
// `.hadolint.yml`) and the HADOLINT_* environment variables:
//
//   ignored: [DL3006, PL214]             rules never reported (code, alias or slug)
//   trustedRegistries: [docker.io, "*.corp.example"]   DL3026's allow list (globs)
//   override: {error: [...], warning: [...], info: [...], style: [...]}   severities
//   failure-threshold: error|warning|info|style|ignore|none   what makes the exit code 1
//   label-schema: {name: text|url|hash|rfc3339|semver|spdx|email}   DL3049-DL3058
//   strict-labels: bool     labels outside the schema are DL3050
//   disable-ignore-pragma: bool   `# hadolint ignore=` comments are not honoured
//   no-fail: bool           the exit code never says "findings"
//   no-color: bool          no colour in the tty format
//   format: tty|json|...    the output format when --format is not given
//
// Which file: the first found of `.hadolint.y[a]ml` next to the Dockerfile, in the repository
// root (the nearest folder above holding `.git`), `$XDG_CONFIG_HOME/hadolint.yaml`, then
// hadolint's home locations (~/.config/hadolint.yaml, ~/.hadolint/hadolint.yaml,
// ~/hadolint/config.yaml, ~/.hadolint.yaml); files are not merged. The environment then adds
// to the lists and replaces the scalars, as hadolint's command line does. A bad file or value
// is an error at FILE:LINE:COL (exit 2); unknown keys are reported like plinth.yaml's.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/finding.h"
#include "util/result.h"

namespace plinth::lint {

enum class LabelType { kText, kUrl, kHash, kRfc3339, kSemver, kSpdx, kEmail };
std::optional<LabelType> ParseLabelType(std::string_view name);

struct LintConfig {
  std::string source;  // the file it was read from; "" for the defaults
  std::set<std::string> ignored;  // as written
  std::vector<std::string> trusted_registries;
  std::map<std::string, Severity> overrides;  // name as written → severity
  Severity failure_threshold = Severity::kError;
  std::map<std::string, LabelType> label_schema;
  bool strict_labels = false;
  bool disable_ignore_pragma = false;
  bool no_fail = false;
  bool no_color = false;
  std::string format;  // "" when not set

  // Whether `names` (a code and its aliases) appear in a set of names, case-insensitively.
  static bool Mentions(const std::set<std::string>& set, const std::vector<std::string>& names);
  bool Ignores(const Finding& finding) const;
  // The finding's severity after `override`.
  Severity SeverityOf(const Finding& finding) const;
};

Result<LintConfig> ParseLintConfig(const std::string& content, const std::string& file);

// Reads an environment variable; null when unset. Tests pass their own.
using GetEnv = std::function<const char*(const char*)>;
GetEnv ProcessEnvironment();

// The config file that applies to `dockerfile_path` (see above), "" if none.
std::string FindLintConfigFile(const std::string& dockerfile_path, const GetEnv& env);
// Adds HADOLINT_IGNORE, HADOLINT_TRUSTED_REGISTRIES, HADOLINT_OVERRIDE_{ERROR,WARNING,INFO,STYLE},
// HADOLINT_REQUIRE_LABELS (name:type,…) and replaces HADOLINT_FAILURE_THRESHOLD,
// HADOLINT_STRICT_LABELS, HADOLINT_DISABLE_IGNORE_PRAGMA, HADOLINT_NOFAIL, HADOLINT_FORMAT,
// NO_COLOR. A bad value is an error naming the variable.
Status ApplyLintEnvironment(const GetEnv& env, LintConfig* config);
// The file found for `dockerfile_path`, or the defaults, then the environment.
Result<LintConfig> LoadLintConfigFor(const std::string& dockerfile_path,
                                     const GetEnv& env = ProcessEnvironment());
// An explicit file (`plinth lint --config FILE`), then the environment.
Result<LintConfig> LoadLintConfigFile(const std::string& path, const GetEnv& env = ProcessEnvironment());

}  // namespace plinth::lint
