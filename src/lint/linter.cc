#include "lint/linter.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "fleet/base_pattern.h"
#include "lint/dockerfile_view.h"
#include "lint/rule_context.h"
#include "lint/shell_rules.h"
#include "lint/shellcheck_runner.h"
#include "lint/suppressions.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

struct FileFindings {
  std::vector<Finding> findings;
  LintConfig config;
};

// Applies suppressions and configuration to raw findings of one file.
void Filter(const DockerfileView& view, const LintConfig& config, std::vector<Finding> raw,
            LintResult* result) {
  Suppressions suppressions = Suppressions::FromView(view, config.disable_ignore_pragma);
  std::set<std::tuple<int, int, std::string>> seen;
  for (auto& f : raw) {
    if (!seen.insert({f.location.line, f.location.column, f.code}).second) continue;
    if (suppressions.Suppressed(f) || config.Ignores(f)) continue;
    f.severity = config.SeverityOf(f);
    if (f.severity == Severity::kIgnore) continue;
    if (AtLeast(f.severity, config.failure_threshold) && config.failure_threshold != Severity::kIgnore &&
        !config.no_fail)
      result->failed = true;
    result->findings.push_back(std::move(f));
  }
}

Result<LintConfig> ConfigFor(const std::string& path, const LintOptions& options) {
  LintConfig config;
  if (options.config) {
    config = *options.config;
  } else if (!options.config_file.empty()) {
    PLINTH_TRY(config, LoadLintConfigFile(options.config_file));
  } else {
    PLINTH_TRY(config, LoadLintConfigFor(path));
  }
  if (options.amend_config) options.amend_config(config);
  return config;
}

Result<std::vector<Finding>> RunRules(const DockerfileView& view, const LintConfig& config,
                                      const FleetContext* fleet, bool general, const LintOptions& options) {
  RuleContext context(view, config, fleet);
  if (general) CheckGeneralRules(context);
  if (general) CheckShellRules(context);
  CheckHybridRules(context);
  std::vector<Finding> findings = context.TakeFindings();
  if (general) findings.insert(findings.end(), view.syntax_findings.begin(), view.syntax_findings.end());
  if (general && !options.shellcheck.empty()) {
    PLINTH_TRY(auto sc, RunShellcheck(view, options.shellcheck));
    findings.insert(findings.end(), sc.begin(), sc.end());
  }
  return findings;
}

void Sort(LintResult* result) {
  std::stable_sort(result->findings.begin(), result->findings.end(), FindingLess);
}

ViewOptions ViewFor(const fleet::Target& target, const std::string& platform,
                    const LintOptions& options) {
  ViewOptions o;
  o.platform = platform;
  o.build_args = target.build_args;
  if (auto it = options.build_args.find(target.name); it != options.build_args.end())
    o.build_args.assign(it->second.begin(), it->second.end());
  return o;
}

}  // namespace

Result<LintResult> LintDockerfileText(const std::string& content, const std::string& file,
                                      const LintOptions& options) {
  LintResult result;
  LintConfig config = options.config.value_or(LintConfig{});
  PLINTH_TRY(auto view, ViewDockerfile(content, file, ViewOptions{}));
  PLINTH_TRY(auto raw, RunRules(view, config, nullptr, true, options));
  Filter(view, config, std::move(raw), &result);
  Sort(&result);
  return result;
}

Result<LintResult> LintFiles(const std::vector<std::string>& paths, const LintOptions& options) {
  LintResult result;
  for (const auto& path : paths) {
    auto content = ReadFile(path);
    if (!content) return content.error().Context("reading Dockerfile " + path);
    PLINTH_TRY(auto config, ConfigFor(path, options));
    PLINTH_TRY(auto view, ViewDockerfile(*content, path, ViewOptions{}));
    PLINTH_TRY(auto raw, RunRules(view, config, nullptr, true, options));
    Filter(view, config, std::move(raw), &result);
  }
  Sort(&result);
  return result;
}

Result<std::map<std::string, LintResult>> LintFleetTargets(const fleet::Fleet& fleet,
                                                           const std::set<std::string>& names,
                                                           const LintOptions& options) {
  std::map<std::string, LintResult> results;
  std::string today = options.today.empty() ? Today() : options.today;
  std::vector<LifecycleRecord> lifecycle = LifecycleFor(&fleet);
  std::map<std::string, std::map<std::string, BaseFacts>> facts;  // platform → base → facts
  for (const fleet::Target* target : fleet.Targets()) {
    if (target->dockerfile.empty() || (!names.empty() && !names.count(target->name))) continue;
    std::string path = fleet.DockerfilePath(*target);
    auto content = ReadFile(path);
    if (!content) return content.error().Context("reading Dockerfile of " + target->name);
    PLINTH_TRY(auto config, ConfigFor(path, options));
    std::vector<Finding> raw;
    std::optional<DockerfileView> first_view;
    for (const auto& platform : fleet.PlatformsOf(*target)) {
      PLINTH_TRY(auto view, ViewDockerfile(*content, path, ViewFor(*target, platform, options)));
      if (!facts.count(platform)) facts[platform] = FactsOfBases(fleet, platform);
      FleetContext context{&fleet, target, platform, facts[platform], lifecycle, today};
      PLINTH_TRY(auto found, RunRules(view, config, &context, /*general=*/!first_view, options));
      raw.insert(raw.end(), found.begin(), found.end());
      if (!first_view) first_view = std::move(view);
    }
    LintResult& result = results[target->name];
    if (first_view) Filter(*first_view, config, std::move(raw), &result);
    Sort(&result);
  }
  return results;
}

Result<LintResult> LintFleet(const fleet::Fleet& fleet, const LintOptions& options) {
  PLINTH_TRY(auto by_target, LintFleetTargets(fleet, {}, options));
  LintResult result;
  for (auto& [name, found] : by_target) {
    result.failed = result.failed || found.failed;
    result.findings.insert(result.findings.end(), found.findings.begin(), found.findings.end());
  }
  Sort(&result);
  return result;
}

}  // namespace plinth::lint
