// RuleContext: what a rule check sees (the Dockerfile, the lint configuration and, inside a
// fleet, the service, its tier and the platform being checked) and where it reports. Internal
// to the lint module; the checks are in general_rules.cc and hybrid_rules.cc.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleet/fleet.h"
#include "lint/base_facts.h"
#include "lint/dockerfile_view.h"
#include "lint/finding.h"
#include "lint/lifecycle_table.h"
#include "lint/lint_config.h"

namespace plinth::lint {

struct FleetContext {
  const fleet::Fleet* fleet = nullptr;
  const fleet::Target* target = nullptr;
  std::string platform;  // "linux/arm64"
  std::map<std::string, BaseFacts> bases;  // fleet base name → facts, for this platform
  std::vector<LifecycleRecord> lifecycle;
  std::string today;  // "YYYY-MM-DD"
};

class RuleContext {
 public:
  RuleContext(const DockerfileView& view, const LintConfig& config, const FleetContext* fleet)
      : view_(view), config_(config), fleet_(fleet) {}

  const DockerfileView& view() const { return view_; }
  const LintConfig& config() const { return config_; }
  const FleetContext* fleet() const { return fleet_; }

  // Records a finding of rule `code` (see rule.h) with its default severity and aliases.
  void Report(const std::string& code, const Location& where, std::string message,
              std::string hint = "");
  std::vector<Finding> TakeFindings() { return std::move(findings_); }

 private:
  const DockerfileView& view_;
  const LintConfig& config_;
  const FleetContext* fleet_;
  std::vector<Finding> findings_;
};

void CheckGeneralRules(RuleContext& context);
void CheckHybridRules(RuleContext& context);

}  // namespace plinth::lint
