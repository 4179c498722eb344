// LintConfig: what a `.hadolint.yaml` (or `.hadolint.yml`) next to a Dockerfile says, in
// hadolint's own keys:
//
//   ignored: [DL3006, PL214]             rules never reported (code, alias or slug)
//   trustedRegistries: [docker.io, "*.corp.example"]   DL3026's allow list (globs)
//   override: {error: [...], warning: [...], info: [...], style: [...]}   severities
//   failure-threshold: error|warning|info|style|ignore|none   what makes the exit code 1
//
// Unknown keys are reported, like plinth.yaml's, at FILE:LINE:COL.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/finding.h"
#include "util/result.h"

namespace plinth::lint {

struct LintConfig {
  std::string source;  // the file it was read from; "" for the defaults
  std::set<std::string> ignored;  // as written
  std::vector<std::string> trusted_registries;
  std::map<std::string, Severity> overrides;  // name as written → severity
  Severity failure_threshold = Severity::kError;

  // Whether `names` (a code and its aliases) appear in a set of names, case-insensitively.
  static bool Mentions(const std::set<std::string>& set, const std::vector<std::string>& names);
  bool Ignores(const Finding& finding) const;
  // The finding's severity after `override`.
  Severity SeverityOf(const Finding& finding) const;
};

Result<LintConfig> ParseLintConfig(const std::string& content, const std::string& file);
// `.hadolint.yaml` or `.hadolint.yml` in `dir`, or the defaults when there is none.
Result<LintConfig> LoadLintConfigFor(const std::string& dockerfile_path);

}  // namespace plinth::lint
